/**
 * Small billing files for tests, written exactly in the providers' formats: an AWS Programmatic
 * Billing CSV (with totals that add up) and an Azure MCA cost details CSV. Amounts are given as
 * decimal strings and summed exactly (lib/domain/charges/amount).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager } from 'typeorm';
import { ExactSum } from '../../lib/domain/charges/amount';
import { CHARGES_DOCUMENT } from '../../lib/store/row-documents';
import { PeriodChargesRow } from '../../lib/store/storage';
import type { EngineCharge } from '../../lib/domain/charges/types';
import { AWS_BILLING_COLUMNS } from '../../subgraphs/aws/charges/billing-csv';

export const PAYER = '111122223333';

export interface AwsLine {
  account: string;
  service: string;
  productCode: string;
  /** Day of the month, 1-31. */
  day: number;
  cost: string;
  /** PayerLineItem (the payer's own usage) instead of LinkedLineItem. */
  payer?: boolean;
}

const quoted = (fields: string[]) => fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(',');

/** Writes `<payer>-aws-billing-csv-<month>.csv` into `dir`; `invoice` null = estimated. Returns its path. */
export function writeAwsBillingCsv(dir: string, month: string, invoice: string | null, lines: AwsLine[], name?: string): string {
  const [y, m] = month.split('-');
  const start = `${y}/${m}/01 00:00:00`;
  const invoiceId = invoice ?? 'Estimated';
  const row = (values: Record<string, string>) => quoted(AWS_BILLING_COLUMNS.map((c) => values[c] ?? ''));
  const common = { PayerAccountId: PAYER, BillingPeriodStartDate: start, BillingPeriodEndDate: `${y}/${m}/28 23:59:59`, CurrencyCode: 'USD' };
  const total = new ExactSum();
  const out = [quoted([...AWS_BILLING_COLUMNS])];
  lines.forEach((l, i) => {
    // A malformed amount (a test of rejection) stays out of the totals.
    if (/^-?\d+(\.\d+)?$/.test(l.cost)) total.addText(l.cost);
    out.push(
      row({
        ...common,
        InvoiceID: invoiceId,
        LinkedAccountId: l.payer ? '' : l.account,
        RecordType: l.payer ? 'PayerLineItem' : 'LinkedLineItem',
        RecordID: String(1000 + i),
        ProductCode: l.productCode,
        ProductName: l.service,
        UsageStartDate: `${y}/${m}/${String(l.day).padStart(2, '0')} 00:00:00`,
        CostBeforeTax: l.cost,
        TotalCost: l.cost,
      }),
    );
  });
  out.push(row({ ...common, InvoiceID: invoiceId, RecordType: 'InvoiceTotal', RecordID: 'InvoiceTotal', CostBeforeTax: total.toString(), TotalCost: total.toString() }));
  const file = path.join(dir, name ?? `${PAYER}-aws-billing-csv-${month}.csv`);
  fs.writeFileSync(file, out.join('\n') + '\n');
  return file;
}

export interface AzureRow {
  profile: string;
  section: string;
  day: string;
  meterCategory: string;
  product: string;
  cost: string;
  publisherType?: string;
  eligible?: boolean;
  currency?: string;
}

/** Writes an MCA cost details CSV for one month; `invoice` null = estimated. Columns in an order of their own, with an extra one. */
export function writeCostDetailsCsv(dir: string, name: string, month: string, invoice: string | null, rows: AzureRow[]): string {
  const header = ['date', 'costInBillingCurrency', 'billingCurrency', 'billingProfileId', 'invoiceSectionId', 'billingPeriodStartDate', 'invoiceId', 'meterCategory', 'ProductName', 'publisherType', 'publisherName', 'isAzureCreditEligible', 'tags'];
  const lines = rows.map((r) =>
    [r.day, r.cost, r.currency ?? 'USD', r.profile, r.section, `${month}-01`, invoice ?? '', r.meterCategory, r.product, r.publisherType ?? 'Azure', 'Microsoft', r.eligible === false ? 'False' : 'True', '']
      .map((v) => (v.includes(',') ? `"${v}"` : v))
      .join(','),
  );
  const file = path.join(dir, name);
  fs.writeFileSync(file, [header.join(','), ...lines].join('\n') + '\n');
  return file;
}

/** Every charge a database holds, month by month as stored. */
export async function storedCharges(manager: EntityManager): Promise<EngineCharge[]> {
  const documents = await manager.find(PeriodChargesRow, { order: { billingGroup: 'ASC', month: 'ASC' } });
  return documents.flatMap((d) => CHARGES_DOCUMENT.decode(d.charges, `${d.month} of ${d.billingGroup}`));
}

/**
 * Format: a page of the lots list (`GET .../billingProfiles/{p}/providers/Microsoft.Consumption/lots`,
 * `{ value: LotSummary[], nextLink }`). Each page of a list is its own file; every page loads.
 */
import type { EntityManager } from 'typeorm';
import type { IngestFormat, IngestProblem } from '../../../lib/ingest';
import { lotDerivedColumns } from '../domain/normalize-lot';
import { LOT_RESOURCE_TYPE } from '../domain/resource-id';
import { amountColumns, amountWithRateColumns } from '../entities/amount';
import { AzureCreditLot } from '../entities/credit-lot';
import { isArmListOf, readArmList, readConsumptionResource } from './arm-list';
import { readAmount, readAmountWithRate, readReseller } from './read-amounts';
import { upsertById } from './upsert';

/** The native and derived columns of a lot; never the pause/share extension, which a reload keeps. */
export type LotRow = Omit<
  { [K in keyof AzureCreditLot as AzureCreditLot[K] extends Function ? never : K]: AzureCreditLot[K] },
  'paused' | 'sharedInvoiceSectionIds' | 'originalAmount' | 'originalAmountInBillingCurrency' | 'closedBalance' | 'closedBalanceInBillingCurrency' | 'reseller' | 'usedAmount' | 'estimatedBalance'
>;

export const lotsFormat: IngestFormat<LotRow[]> = {
  name: 'Azure Consumption lots list page',
  provider: 'AZURE',
  order: 2,
  detect: (document) => isArmListOf(document, LOT_RESOURCE_TYPE),
  validate(document: unknown, file: string, problems: IngestProblem[]): LotRow[] {
    return readArmList(document, file, problems, (item, _entryName, seen) => {
      const { properties: p, envelope } = readConsumptionResource(item, LOT_RESOURCE_TYPE, seen);
      // A lot's amounts and balances are never negative (events' charges are, and keep their sign).
      const lotAmount = { required: true, nonNegative: true };
      const originalAmount = p && readAmount(p, 'originalAmount', lotAmount);
      const closedBalance = p && readAmount(p, 'closedBalance', lotAmount);
      const source = p?.string('source') ?? '';
      const closedInBilling = p && readAmountWithRate(p, 'closedBalanceInBillingCurrency', { nonNegative: true });
      const status = p?.string('status') ?? '';
      const expirationDate = p?.isoDate('expirationDate', false) ?? null;
      return {
        ...envelope,
        originalAmountColumns: amountColumns(originalAmount),
        originalAmountInBillingCurrencyColumns: amountWithRateColumns(p && readAmountWithRate(p, 'originalAmountInBillingCurrency', { nonNegative: true })),
        closedBalanceColumns: amountColumns(closedBalance),
        closedBalanceInBillingCurrencyColumns: amountWithRateColumns(closedInBilling),
        // The snapshot the charges engine starts from (the served columns equal it until cost details apply).
        snapshotClosedBalance: closedBalance?.value ?? null,
        snapshotClosedBalanceInBillingCurrency: closedInBilling?.value ?? null,
        snapshotStatus: status,
        estimatedBalanceValue: null,
        expiredAmountValue: null,
        source,
        startDate: p?.isoDate('startDate', false) ?? null,
        expirationDate,
        purchasedDate: p?.isoDate('purchasedDate', false) ?? null,
        poNumber: p?.string('poNumber', false) ?? null,
        ...(p ? readReseller(p) : { resellerId: null, resellerDescription: null }),
        status,
        creditCurrency: p?.string('creditCurrency', false) ?? null,
        billingCurrency: p?.string('billingCurrency', false) ?? null,
        isEstimatedBalance: p?.boolean('isEstimatedBalance', false) ?? null,
        usedAmountColumns: amountColumns(p && readAmount(p, 'usedAmount')),
        // api-version 2024-08-01 spells this key with a capital O.
        organizationType: p?.string('OrganizationType', false) ?? null,
        ...lotDerivedColumns({ id: envelope.id ?? '', source, name: envelope.name ?? '', expirationDate, closedBalanceValue: closedBalance?.value ?? '0' }),
      };
    });
  },
  load: (rows: LotRow[], manager: EntityManager) => upsertById(manager, AzureCreditLot, rows),
};

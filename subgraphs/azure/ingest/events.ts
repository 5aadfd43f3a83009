/**
 * Format: the events list (`GET .../billingProfiles/{p}/providers/Microsoft.Consumption/events`,
 * `{ value: EventSummary[], nextLink }`). Parsed leniently: unknown event types and lot sources are
 * kept; the billing profile comes from the id when `billingProfileId` is missing.
 */
import type { EntityManager } from 'typeorm';
import type { EntryReader, IngestFormat, IngestProblem, IngestTouches, LoadEntries } from '../../../lib/store/ingest';
import { EVENT_RESOURCE_TYPE, sameArmId } from '../domain/resource-id';
import { amountColumns, amountWithRateColumns, type AzureAmount, type AzureAmountWithExchangeRate } from '../entities/amount';
import { AzureCreditEvent, EVENT_AMOUNT_FIELDS } from '../entities/credit-event';
import { isArmListOf, readArmList, readConsumptionResource, registerResource } from './arm-list';
import { checkAmountCurrencies, readAmount, readAmountWithRate, readReseller } from './read-amounts';
import { upsertByKey } from '../../../lib/store/bulk-sql';

/**
 * The column groups of every event amount and its billing-currency twin. The amounts are in the
 * event's credit currency, the twins in its billing currency; the balance after the event
 * (closedBalance) is never below zero, while charges, expiries and adjustments keep their sign.
 */
function readEventAmounts(p: EntryReader | null): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  const inCredit: Record<string, AzureAmount | null> = {};
  const inBilling: Record<string, AzureAmount | null> = {};
  for (const field of EVENT_AMOUNT_FIELDS) {
    const options = { nonNegative: field === 'closedBalance' };
    const amount = (inCredit[field] = p && readAmount(p, field, options));
    const twin = (inBilling[`${field}InBillingCurrency`] = p && readAmountWithRate(p, `${field}InBillingCurrency`, options));
    columns[`${field}Columns`] = amountColumns(amount);
    columns[`${field}InBillingCurrencyColumns`] = amountWithRateColumns(twin as AzureAmountWithExchangeRate | null);
  }
  const creditCurrency = p?.currency('creditCurrency', false) ?? null;
  const billingCurrency = p?.currency('billingCurrency', false) ?? null;
  if (p) checkAmountCurrencies(p, inCredit, inBilling, { creditCurrency, billingCurrency });
  return { ...columns, creditCurrency, billingCurrency };
}

export const eventsFormat: IngestFormat<Partial<AzureCreditEvent>[]> = {
  name: 'Azure Consumption events list',
  provider: 'AZURE',
  order: 3,
  detect: (document) => isArmListOf(document, EVENT_RESOURCE_TYPE),
  validate(document: unknown, file: string, problems: IngestProblem[], entries?: LoadEntries): Partial<AzureCreditEvent>[] {
    const register = (row: Partial<AzureCreditEvent>, index: number) => registerResource(entries, 'Azure event', row.id!, ['value', index], row);
    return readArmList(document, file, problems, (item, _entryName, seen) => {
      const { properties: p, parsedId: parsed, envelope } = readConsumptionResource(item, EVENT_RESOURCE_TYPE, seen);
      const statedProfileId = p?.string('billingProfileId', false) ?? null;
      if (statedProfileId !== null && parsed?.billingProfileId && !sameArmId(statedProfileId, parsed.billingProfileId)) {
        p!.problem('billingProfileId', `"${statedProfileId}" is not the billing profile in the event's id ("${parsed.billingProfileId}")`);
      }
      return {
        ...envelope,
        transactionDate: p?.isoDate('transactionDate') ?? '',
        description: p?.string('description', false) ?? null,
        ...readEventAmounts(p),
        eventType: p?.string('eventType', false) ?? null,
        invoiceNumber: p?.string('invoiceNumber', false) ?? null,
        billingProfileDisplayName: p?.string('billingProfileDisplayName', false) ?? null,
        lotId: p?.string('lotId', false) ?? null,
        lotSource: p?.string('lotSource', false) ?? null,
        ...(p ? readReseller(p) : { resellerId: null, resellerDescription: null }),
        isEstimatedBalance: p?.boolean('isEstimatedBalance', false) ?? null,
        origin: 'IMPORTED',
      };
    }, register);
  },
  // Invoiced events move what the lots' snapshot covers, and pending ones may be superseded: their profiles are recomputed.
  load(rows: Partial<AzureCreditEvent>[], manager: EntityManager, touched: IngestTouches) {
    for (const row of rows) if (row.billingProfileId) touched.groups.add(row.billingProfileId);
    return upsertByKey(manager, AzureCreditEvent, rows, ['id']);
  },
};

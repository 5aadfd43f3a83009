/**
 * Format: the events list (`GET .../billingProfiles/{p}/providers/Microsoft.Consumption/events`,
 * `{ value: EventSummary[], nextLink }`). Parsed leniently: unknown event types and lot sources are
 * kept; the billing profile comes from the id when `billingProfileId` is missing.
 */
import type { EntityManager } from 'typeorm';
import type { EntryReader, IngestFormat, IngestProblem, IngestTouches } from '../../../lib/ingest';
import { EVENT_RESOURCE_TYPE, sameArmId } from '../domain/resource-id';
import { amountColumns, amountWithRateColumns } from '../entities/amount';
import { AzureCreditEvent, EVENT_AMOUNT_FIELDS } from '../entities/credit-event';
import { isArmListOf, readArmList, readConsumptionResource } from './arm-list';
import { readAmount, readAmountWithRate, readReseller } from './read-amounts';
import { upsertById } from './upsert';

/** The column groups of every event amount and its billing-currency twin. */
function readEventAmounts(p: EntryReader | null): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const field of EVENT_AMOUNT_FIELDS) {
    columns[`${field}Columns`] = amountColumns(p && readAmount(p, field));
    columns[`${field}InBillingCurrencyColumns`] = amountWithRateColumns(p && readAmountWithRate(p, `${field}InBillingCurrency`));
  }
  return columns;
}

export const eventsFormat: IngestFormat<Partial<AzureCreditEvent>[]> = {
  name: 'Azure Consumption events list',
  provider: 'AZURE',
  order: 3,
  detect: (document) => isArmListOf(document, EVENT_RESOURCE_TYPE),
  validate(document: unknown, file: string, problems: IngestProblem[]): Partial<AzureCreditEvent>[] {
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
        creditCurrency: p?.string('creditCurrency', false) ?? null,
        billingCurrency: p?.string('billingCurrency', false) ?? null,
        ...(p ? readReseller(p) : { resellerId: null, resellerDescription: null }),
        isEstimatedBalance: p?.boolean('isEstimatedBalance', false) ?? null,
        origin: 'IMPORTED',
      };
    });
  },
  // Invoiced events move what the lots' snapshot covers, and pending ones may be superseded: their profiles are recomputed.
  load(rows: Partial<AzureCreditEvent>[], manager: EntityManager, touched: IngestTouches) {
    for (const row of rows) if (row.billingProfileId) touched.groups.add(row.billingProfileId);
    return upsertById(manager, AzureCreditEvent, rows);
  },
};

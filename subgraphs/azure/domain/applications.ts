/**
 * What a lot paid for, from its billing profile's events: every event of the lot with non-zero
 * charges is one application (Azure events are per billing profile, so the consumer is the profile);
 * and from cost details, per month, invoice section, service and product. Each application carries
 * its position in the lot's applications order (AZURE_APPLICATION_ORDER).
 */
import { compareText } from '../../../lib/domain/credit-order';
import { isZeroDecimal } from '../../../lib/domain/money';
import type { CreditApplication } from '../../../lib/domain/charges/types';
import type { ApplicationPosition, CreditApplicationRecord } from '../../../lib/domain/provider-contract';
import { amountOf } from '../entities/amount';
import { negateDecimal } from '../../../lib/domain/money';
import type { AzureBillingProfile } from '../entities/billing-profile';
import type { AzureCreditEvent } from '../entities/credit-event';
import type { AzureCreditLot } from '../entities/credit-lot';

export type ApplicationEvent = Pick<
  AzureCreditEvent,
  'id' | 'billingProfileId' | 'lotId' | 'transactionDate' | 'chargesColumns' | 'eventType' | 'invoiceNumber'
>;

/** Whether an event type is provisional (Azure's pending types all start with "Pending"). */
export function isPendingEventType(eventType: string | null): boolean {
  return eventType !== null && eventType.startsWith('Pending');
}

/**
 * The order of a lot's applications, as the values of their positions: the contract's order
 * (lib/domain/credit-order.ts compareApplications: newest month first, then consumer id, service and
 * product code, '' for none), then what tells two applications of one lot apart when those agree:
 * where it comes from (COMPUTED from cost details, IMPORTED from an event) and the event's id ('' for
 * a computed one, which month, invoice section, service and product already name). Several events
 * of one month are all the profile's, with neither service nor product, and may even agree on
 * invoice number and estimate: only the event id tells them apart, and it does not change when the
 * events file is loaded again. Every value is text.
 */
export const AZURE_APPLICATION_ORDER = [
  { value: 'month', direction: 'DESC' },
  { value: 'consumer id', direction: 'ASC' },
  { value: 'service', direction: 'ASC' },
  { value: 'product code', direction: 'ASC' },
  { value: 'origin', direction: 'ASC' },
  { value: 'event id', direction: 'ASC' },
] as const;

/** Where an application comes from: cost details applied by this product's engine, or an imported event. */
type ApplicationOrigin = 'COMPUTED' | 'IMPORTED';

/** An application's position (AZURE_APPLICATION_ORDER). */
function positionOf(record: Omit<CreditApplicationRecord, 'position'>, origin: ApplicationOrigin, eventId: string): ApplicationPosition {
  return [record.month, record.consumer.id, record.service ?? '', record.productCode ?? '', origin, eventId];
}

/** The applications of `lot`, oldest first (then by event id), from any events (others are ignored). */
export function lotApplications(
  lot: Pick<AzureCreditLot, 'id' | 'name' | 'billingProfileId'>,
  profile: Pick<AzureBillingProfile, 'displayName'> | null,
  events: ApplicationEvent[],
): CreditApplicationRecord[] {
  return events
    .filter((e) => e.billingProfileId === lot.billingProfileId && e.lotId === lot.name)
    .sort((a, b) => compareText(a.transactionDate, b.transactionDate) || compareText(a.id, b.id))
    .flatMap((event) => {
      const charges = amountOf(event.chargesColumns);
      if (!charges || isZeroDecimal(charges.value)) return [];
      const application = {
        providerCreditId: lot.id,
        month: event.transactionDate.slice(0, 7),
        consumer: { kind: 'AZURE_BILLING_PROFILE' as const, id: lot.billingProfileId, name: profile?.displayName ?? null },
        service: null,
        productCode: null,
        amount: { amount: negateDecimal(charges.value), currencyCode: charges.currency },
        estimated: isPendingEventType(event.eventType),
        invoiceNumber: event.invoiceNumber ? event.invoiceNumber : null,
      };
      return [{ ...application, position: positionOf(application, 'IMPORTED', event.id) }];
    });
}

/**
 * What lots paid by applying cost details, per month, invoice section, service (meterCategory)
 * and product: the consumer is the invoice section; a final month carries its invoice.
 */
export function computedLotApplications(
  rows: readonly CreditApplication[],
  sectionNames: ReadonlyMap<string, string | null>,
  invoiceOf: (billingProfileId: string, month: string) => string | null,
): CreditApplicationRecord[] {
  return rows.map((r) => {
    const application = {
      providerCreditId: r.creditId,
      month: r.month,
      consumer: { kind: 'AZURE_INVOICE_SECTION' as const, id: r.consumerId, name: sectionNames.get(r.consumerId) ?? null },
      service: r.service,
      productCode: r.productCode,
      amount: { amount: r.amount, currencyCode: r.currency },
      estimated: r.estimated,
      invoiceNumber: r.estimated ? null : invoiceOf(r.group, r.month),
    };
    return { ...application, position: positionOf(application, 'COMPUTED', '') };
  });
}

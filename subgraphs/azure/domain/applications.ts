/**
 * What a lot paid for, from its billing profile's events: every event of the lot with non-zero
 * charges is one application (Azure events are per billing profile, so the consumer is the profile).
 */
import { compareText } from '../../../lib/credit-order';
import { isZeroDecimal } from '../../../lib/money';
import type { CreditApplication } from '../../../lib/charges/types';
import type { CreditApplicationRecord } from '../../../lib/provider-contract';
import { amountOf } from '../entities/amount';
import { negateDecimal } from '../../../lib/money';
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

/** isPendingEventType in SQL, for an event type column (GLOB is case-sensitive, as startsWith is; NULL is not pending). */
export const pendingEventTypeSql = (column: string): string => `${column} GLOB 'Pending*'`;

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
      return [
        {
          providerCreditId: lot.id,
          month: event.transactionDate.slice(0, 7),
          consumer: { kind: 'AZURE_BILLING_PROFILE' as const, id: lot.billingProfileId, name: profile?.displayName ?? null },
          service: null,
          productCode: null,
          amount: { amount: negateDecimal(charges.value), currencyCode: charges.currency },
          estimated: isPendingEventType(event.eventType),
          invoiceNumber: event.invoiceNumber ? event.invoiceNumber : null,
        },
      ];
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
  return rows.map((r) => ({
    providerCreditId: r.creditId,
    month: r.month,
    consumer: { kind: 'AZURE_INVOICE_SECTION' as const, id: r.consumerId, name: sectionNames.get(r.consumerId) ?? null },
    service: r.service,
    productCode: r.productCode,
    amount: { amount: r.amount, currencyCode: r.currency },
    estimated: r.estimated,
    invoiceNumber: r.estimated ? null : invoiceOf(r.group, r.month),
  }));
}

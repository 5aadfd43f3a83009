/**
 * An Azure lot as a normalized credit: its name, type, status facts (the store states them as SQL
 * columns, store/status-sql.ts), sort keys and the `NormalizedCredit` record.
 */
import { creditSortKeys } from '../../../lib/domain/credit-order';
import { creditSearchText } from '../../../lib/domain/credit-search';
import { deriveStatus, StatusFacts } from '../../../lib/domain/credit-status';
import { isZeroDecimal } from '../../../lib/domain/money';
import type { ConvertedMoneyRecord, CreditStatus, CreditType, NormalizedCredit } from '../../../lib/domain/provider-contract';
import { AmountColumns, AmountWithRateColumns, amountWithRateOf, requiredAmountOf } from '../entities/amount';
import type { AzureBillingProfile } from '../entities/billing-profile';
import type { AzureCreditLot } from '../entities/credit-lot';
import type { AzureInvoiceSection } from '../entities/invoice-section';
import { sharingOfLot } from './sharing';

/** Azure lot statuses this module acts on (others are kept and mean nothing special). */
export const LOT_STATUS = {
  active: 'Active',
  inactive: 'Inactive',
  expired: 'Expired',
  complete: 'Complete',
  canceled: 'Canceled',
} as const;

/** What the status of a lot depends on. */
export type LotStatusFields = Pick<AzureCreditLot, 'status' | 'expirationDate' | 'startDate' | 'paused' | 'closedBalanceIsZero'>;

/** The status facts of a lot (lib/domain/credit-status.ts). */
export function lotStatusFacts(lot: LotStatusFields): StatusFacts {
  return {
    canceled: lot.status === LOT_STATUS.canceled,
    expiredFlag: lot.status === LOT_STATUS.expired,
    expiresAt: lot.expirationDate,
    exhausted: lot.status === LOT_STATUS.complete || lot.closedBalanceIsZero,
    paused: lot.paused,
    notStartedFlag: lot.status === LOT_STATUS.inactive,
    startsAt: lot.startDate,
  };
}

export function lotStatus(lot: LotStatusFields, now: string): CreditStatus {
  return deriveStatus(lotStatusFacts(lot), now);
}

/** The normalized type of a lot `source`; unknown sources are OTHER. */
export function creditTypeOfSource(source: string): CreditType {
  switch (source) {
    case 'PromotionalCredit':
      return 'PROMOTIONAL';
    case 'PurchasedCredit':
    case 'AzurePrepayment':
      return 'PURCHASED';
    case 'ConsumptionCommitment':
      return 'COMMITMENT';
    default:
      return 'OTHER';
  }
}

/**
 * A readable, stable credit name from the lot's source and name: "PromotionalCredit" + "G111222333"
 * -> "Promotional credit G111222333"; any source is split into words the same way.
 */
export function lotCreditName(source: string, lotName: string): string {
  const words = source
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((w) => w.length > 0)
    .map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : /^[A-Z0-9]+$/.test(w) ? w : w.toLowerCase()));
  return [...(words.length > 0 ? words : ['Credit']), lotName].join(' ');
}

export interface LotDerivedColumns {
  creditName: string;
  searchText: string;
  sortExpiresAt: string;
  sortRemaining: string;
  closedBalanceIsZero: boolean;
}

/** The columns stored beside a lot so SQL can search, order and filter it by status. */
export function lotDerivedColumns(lot: {
  id: string;
  source: string;
  name: string;
  expirationDate: string | null;
  closedBalanceValue: string;
}): LotDerivedColumns {
  const creditName = lotCreditName(lot.source, lot.name);
  return {
    creditName,
    // Folded in JS (lib/domain/credit-search.ts), so the search matches any alphabet, not only ASCII.
    searchText: creditSearchText(creditName, lot.id, lot.source),
    ...creditSortKeys({ expiresAt: lot.expirationDate, remaining: lot.closedBalanceValue }),
    closedBalanceIsZero: isZeroDecimal(lot.closedBalanceValue),
  };
}

function converted(columns: AmountWithRateColumns): ConvertedMoneyRecord | null {
  const amount = amountWithRateOf(columns);
  if (!amount) return null;
  return { amount: amount.value, currencyCode: amount.currency, exchangeRate: amount.exchangeRate, exchangeRateMonth: amount.exchangeRateMonth };
}

function money(columns: AmountColumns) {
  const amount = requiredAmountOf(columns);
  return { amount: amount.value, currencyCode: amount.currency };
}

/** What normalizing a lot needs besides the lot: its profile (for the owner's name) and the sections it is shared with. */
export interface LotNeighbours {
  profile: AzureBillingProfile | null;
  sectionsById: Map<string, AzureInvoiceSection>;
}

/** The lot as the provider contract's normalized credit, at `now`. */
export function normalizeLot(lot: AzureCreditLot, neighbours: LotNeighbours, now: string): NormalizedCredit {
  const remaining = money(lot.closedBalanceColumns);
  return {
    provider: 'AZURE',
    providerCreditId: lot.id,
    name: lotCreditName(lot.source, lot.name),
    type: creditTypeOfSource(lot.source),
    providerType: lot.source,
    status: lotStatus(lot, now),
    providerStatus: lot.status,
    originalAmount: money(lot.originalAmountColumns),
    remainingBalance: remaining,
    // Azure reports no per-lot estimate beyond the closed balance yet: the estimate equals it.
    estimatedBalance: lot.estimatedBalanceValue === null || lot.estimatedBalanceValue === undefined ? { ...remaining } : { amount: lot.estimatedBalanceValue, currencyCode: remaining.currencyCode },
    expiredAmount: { amount: lot.expiredAmountValue ?? '0', currencyCode: remaining.currencyCode },
    originalAmountInBillingCurrency: converted(lot.originalAmountInBillingCurrencyColumns),
    remainingBalanceInBillingCurrency: converted(lot.closedBalanceInBillingCurrencyColumns),
    startsAt: lot.startDate,
    expiresAt: lot.expirationDate,
    applicableServices: [],
    owner: { kind: 'AZURE_BILLING_PROFILE', id: lot.billingProfileId, name: neighbours.profile?.displayName ?? null },
    sharing: sharingOfLot(lot.sharedInvoiceSectionIds, neighbours.sectionsById),
  };
}

/**
 * A billing profile's available credit balance, as the Azure portal defines it: the sum of the
 * closed balances of the lots that are usable at `now`, in the profile's currency. And the
 * billing-account view: one summary per profile.
 *
 * Which lots count follows the one status rule (lib/domain/credit-status.ts over normalize-lot.ts's
 * facts), so the balance always agrees with the credits API: a lot counts when its normalized
 * status is ACTIVE, or PAUSED where it would otherwise be ACTIVE. Pausing is this product's
 * extension and does not change Azure's available balance (it only decides whether this product
 * applies the lot to charges); so a paused lot counts exactly when it would count unpaused, and a
 * paused lot that has not started yet does not.
 *
 * Currency choice: a lot's `closedBalance` is in its credit currency. When that is the profile's
 * currency it is used as is; otherwise `closedBalanceInBillingCurrency` is used when it is in the
 * profile's currency. A lot with neither cannot be expressed in the profile's currency and is left
 * out (it still appears in the profile's lots).
 */

import { AzureAmount, amountOf, amountWithRateOf } from '../entities/amount';
import type { AzureBillingProfile } from '../entities/billing-profile';
import type { AzureCreditLot } from '../entities/credit-lot';
import type { AzureBillingProfileCreditSummary, AzureCreditBalanceSummary } from '../entities/credit-summary';
import { compareText } from '../../../lib/domain/credit-order';
import { sumDecimals } from '../../../lib/domain/money';
import { LotStatusFields, lotStatus } from './normalize-lot';

export type BalanceLot = LotStatusFields & Pick<AzureCreditLot, 'closedBalanceColumns' | 'closedBalanceInBillingCurrencyColumns'>;

/**
 * Whether a lot counts towards the available balance at `now`: its normalized status, leaving the
 * pause extension aside, is ACTIVE. So ACTIVE lots count, and PAUSED lots that would be ACTIVE.
 */
export function isLotAvailable(lot: LotStatusFields, now: string): boolean {
  // Only the status fields, not a copy of the whole lot (this runs for every lot of an account).
  const { status, expirationDate, startDate, closedBalanceIsZero } = lot;
  return lotStatus({ status, expirationDate, startDate, closedBalanceIsZero, paused: false }, now) === 'ACTIVE';
}

/** The lot's closed balance in `currency`, or null when the lot has none in that currency. */
export function closedBalanceIn(lot: BalanceLot, currency: string): string | null {
  const own = amountOf(lot.closedBalanceColumns);
  if (own && own.currency === currency) return own.value;
  const converted = amountWithRateOf(lot.closedBalanceInBillingCurrencyColumns);
  if (converted && converted.currency === currency) return converted.value;
  return null;
}

export function availableBalance(currency: string, lots: BalanceLot[], now: string): AzureAmount {
  const values = lots.filter((lot) => isLotAvailable(lot, now)).map((lot) => closedBalanceIn(lot, currency));
  return { currency, value: sumDecimals(values.filter((v): v is string => v !== null)) };
}

/** The credit summary of one profile from all its lots. */
export function profileCreditSummary(
  profile: AzureBillingProfile,
  lots: BalanceLot[],
  now: string,
): AzureBillingProfileCreditSummary {
  const counts = new Map<string, number>();
  for (const lot of lots) counts.set(lot.status, (counts.get(lot.status) ?? 0) + 1);
  return {
    billingProfile: profile,
    currency: profile.currency,
    availableBalance: availableBalance(profile.currency, lots, now),
    lotCountsByStatus: [...counts.entries()].sort(([a], [b]) => compareText(a, b)).map(([status, count]) => ({ status, count })),
    lotCount: lots.length,
  };
}

/** The lot fields the balance summary reads beyond the available balance's. */
export type SummaryLot = BalanceLot & Pick<AzureCreditLot, 'estimatedBalanceValue' | 'expiredAmountValue'>;

/**
 * A profile's balance summary: the available balance, the estimate of the same lots after the
 * open months (a lot in another currency counts with its converted closed balance: estimates are
 * in the credit currency), the eligible charges of the open months, and what expired.
 */
export function balanceSummary(
  currency: string,
  lots: SummaryLot[],
  months: readonly { currency: string; estimated: boolean; eligibleCharges: string }[],
  now: string,
): AzureCreditBalanceSummary {
  const available = lots.filter((lot) => isLotAvailable(lot, now));
  const inCurrency = (lot: SummaryLot, value: string | null) => (lot.closedBalanceColumns.currency === currency ? value : null);
  const estimates = available.map((lot) => inCurrency(lot, lot.estimatedBalanceValue) ?? closedBalanceIn(lot, currency));
  const expired = lots.map((lot) => inCurrency(lot, lot.expiredAmountValue));
  const pending = months.filter((m) => m.estimated && m.currency === currency).map((m) => m.eligibleCharges);
  const sum = (values: (string | null)[]) => ({ currency, value: sumDecimals(values.filter((v): v is string => v !== null)) });
  return {
    currency,
    currentBalance: availableBalance(currency, lots, now),
    estimatedBalance: sum(estimates),
    pendingEligibleCharges: sum(pending),
    expiredCredit: sum(expired),
  };
}

/**
 * The oracle for creditSummary: how the credits layer computed it before the providers summed
 * their own credits (issue 14): every credit the filter selects, from every provider, whole
 * (searchCredits with no limit), summed in one list. Kept here as it was, independent of
 * lib/domain/credit-summary.ts, so tests can hold the new path to the old answer.
 */
import { expiresWithin, isUsable } from '../../lib/domain/credit-status';
import Decimal from 'decimal.js';
import { canonicalMoneyAmount, compareDecimal } from '../../lib/domain/money';
import { CREDIT_STATUSES, CreditFilter, NormalizedCredit, PROVIDERS, ProviderName } from '../../lib/domain/provider-contract';
import { HttpCreditProvider } from '../../lib/api/provider-http';
import { gatewayHeaders, TestClaims } from './auth';

/**
 * The old lib/domain/money.ts sumDecimals, on decimal.js directly so the oracle does not share the new
 * running sum: the exact total, with the places of the most precise amount ("0" for none).
 */
function sumDecimals(values: string[]): string {
  const Exact = Decimal.clone({ precision: 80 });
  const total = values.reduce((sum, v) => sum.plus(new Exact(v)), new Exact(0));
  return total.toFixed(Math.max(0, ...values.map((v) => (v.includes('.') ? v.length - v.indexOf('.') - 1 : 0))));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const providerAndCurrency = (c: NormalizedCredit) => `${c.provider}\u0000${c.remainingBalance.currencyCode}`;

/** The old summarizeCredits of subgraphs/credits/domain/summarize.ts, over a whole list. */
export function referenceSummary(credits: NormalizedCredit[], now: string) {
  const totals = [...groupBy(credits, providerAndCurrency).values()].map((group) => {
    const usable = group.filter((c) => isUsable(c.status));
    const unusable = group.filter((c) => !isUsable(c.status));
    return {
      provider: group[0].provider,
      currencyCode: group[0].remainingBalance.currencyCode,
      creditCount: group.length,
      usableCreditCount: usable.length,
      originalAmount: sumDecimals(group.map((c) => c.originalAmount.amount)),
      usableBalance: sumDecimals(usable.map((c) => c.remainingBalance.amount)),
      usableEstimatedBalance: sumDecimals(usable.map((c) => c.estimatedBalance.amount)),
      unusableBalance: sumDecimals(unusable.map((c) => c.remainingBalance.amount)),
      remainingBalance: sumDecimals(group.map((c) => c.remainingBalance.amount)),
      estimatedBalance: sumDecimals(group.map((c) => c.estimatedBalance.amount)),
    };
  });
  totals.sort((a, b) => a.provider.localeCompare(b.provider) || a.currencyCode.localeCompare(b.currencyCode));
  const statusCounts = CREDIT_STATUSES.map((status) => ({ status, count: credits.filter((c) => c.status === status).length }));
  const expiring: { withinDays: number; provider: ProviderName; currencyCode: string; creditCount: number; remainingBalance: string }[] = [];
  for (const withinDays of [30, 60, 90]) {
    const expiringCredits = credits.filter((c) => expiresWithin(c, now, withinDays) && compareDecimal(c.remainingBalance.amount, '0') > 0);
    for (const group of groupBy(expiringCredits, providerAndCurrency).values()) {
      expiring.push({
        withinDays,
        provider: group[0].provider,
        currencyCode: group[0].remainingBalance.currencyCode,
        creditCount: group.length,
        remainingBalance: sumDecimals(group.map((c) => c.remainingBalance.amount)),
      });
    }
  }
  return { creditCount: credits.length, totals, statusCounts, expiring };
}

/** Every field of creditSummary, deprecated ones included. */
export const FULL_SUMMARY = `query Summary($filter: CreditFilter) {
  creditSummary(filter: $filter) {
    creditCount
    totals {
      provider currencyCode creditCount usableCreditCount
      originalAmount { amount currencyCode } usableBalance { amount currencyCode } usableEstimatedBalance { amount currencyCode }
      unusableBalance { amount currencyCode } remainingBalance { amount currencyCode } estimatedBalance { amount currencyCode }
    }
    statusCounts { status count }
    expiring { withinDays provider creditCount remainingBalance { amount currencyCode } }
  }
}`;

/** A reference summary as the gateway writes it for FULL_SUMMARY (amounts in the canonical money form). */
export function asGraphQL(summary: ReturnType<typeof referenceSummary>) {
  const money = (amount: string, currencyCode: string) => ({ amount: canonicalMoneyAmount(amount, currencyCode), currencyCode });
  return {
    creditCount: summary.creditCount,
    totals: summary.totals.map((t) => ({
      provider: t.provider,
      currencyCode: t.currencyCode,
      creditCount: t.creditCount,
      usableCreditCount: t.usableCreditCount,
      originalAmount: money(t.originalAmount, t.currencyCode),
      usableBalance: money(t.usableBalance, t.currencyCode),
      usableEstimatedBalance: money(t.usableEstimatedBalance, t.currencyCode),
      unusableBalance: money(t.unusableBalance, t.currencyCode),
      remainingBalance: money(t.remainingBalance, t.currencyCode),
      estimatedBalance: money(t.estimatedBalance, t.currencyCode),
    })),
    statusCounts: summary.statusCounts,
    expiring: summary.expiring.map((e) => ({ withinDays: e.withinDays, provider: e.provider, creditCount: e.creditCount, remainingBalance: money(e.remainingBalance, e.currencyCode) })),
  };
}

/** The GraphQL filter of creditSummary (providers, statuses, currencyCodes, ownerIds, expiresBefore, search). */
export type SummaryFilter = CreditFilter & { providers?: ProviderName[] | null };

/**
 * The old path: each selected provider's every matching credit, read whole through the contract
 * (`limit: null`) for the caller, soonest expiry first, one provider after the other, summed at once.
 */
export async function oldCreditSummary(
  urls: Record<ProviderName, string>,
  claims: TestClaims,
  filter: SummaryFilter,
  now: string,
  maxResponseBytes = 256 * 1024 * 1024,
) {
  const headers = await gatewayHeaders(claims);
  const contractFilter: CreditFilter = {
    statuses: filter.statuses ?? null,
    currencyCodes: filter.currencyCodes ?? null,
    ownerIds: filter.ownerIds ?? null,
    expiresBefore: filter.expiresBefore ? new Date(filter.expiresBefore).toISOString() : null,
    search: filter.search ?? null,
  };
  const lists: NormalizedCredit[][] = [];
  for (const provider of PROVIDERS.filter((p) => !filter.providers || filter.providers.includes(p))) {
    const client = new HttpCreditProvider(provider, urls[provider], { headers, maxResponseBytes, timeoutMs: 60_000 });
    lists.push(await client.searchCredits({ filter: contractFilter, order: { field: 'EXPIRES_AT', direction: 'ASC' }, after: null, limit: null, now }));
  }
  return referenceSummary(lists.flat(), now);
}

/**
 * Totals over credits, the one piece of code behind `creditSummary`: per provider and currency,
 * per status, and what expires within 30, 60 and 90 days. Exact decimal sums (lib/domain/money.ts). What a
 * credit can no longer use (EXPIRED, CANCELED, EXHAUSTED) is never added into what is usable: each
 * total splits the remaining balance into `usableBalance` and `unusableBalance`, and amounts of
 * different currencies are never added.
 *
 * Each provider sums its own credits (in SQL, lib/store/summary-sql.ts, folded here by
 * `CreditSummaryBuilder.addGroup`; or by pages, `summarizeInPages`), behind the contract's
 * `summarizeCredits`, and the credits layer merges the providers' parts (`mergeCreditSummaries`), so only totals cross
 * the contract. Merging parts gives exactly what summing all their credits at once gives: the
 * counts and the exact sums are the same, and so are the places a sum is written with (those of
 * its most precise operand).
 */
import { expiresWithin, isUsable } from './credit-status';
import { positionOf } from './credit-order';
import { compareDecimal, DecimalSum, sumDecimals } from './money';
import {
  CREDIT_STATUSES,
  CreditOrder,
  CreditPosition,
  CreditStatus,
  CreditSummaryRecord,
  CurrencyTotalRecord,
  EXPIRY_WINDOWS_DAYS,
  ExpiringTotalRecord,
  NormalizedCredit,
  ProviderName,
  SearchCreditsRequest,
  SummarizeCreditsRequest,
} from './provider-contract';

export { EXPIRY_WINDOWS_DAYS };

/** Credits of one provider, currency (of their remaining balance) and status, with their counts and exact sums. */
export interface CreditGroup {
  provider: ProviderName;
  currencyCode: string;
  status: CreditStatus;
  creditCount: number;
  originalAmount: string;
  remainingBalance: string;
  estimatedBalance: string;
  /** The soonest window of EXPIRY_WINDOWS_DAYS their balance, above zero, expires within; null for none. */
  expiringWithin: number | null;
}

/** The running sums of one provider and currency. */
interface CurrencySums {
  provider: ProviderName;
  currencyCode: string;
  creditCount: number;
  usableCreditCount: number;
  originalAmount: DecimalSum;
  usableBalance: DecimalSum;
  usableEstimatedBalance: DecimalSum;
  unusableBalance: DecimalSum;
  remainingBalance: DecimalSum;
  estimatedBalance: DecimalSum;
}

interface ExpiringSums {
  provider: ProviderName;
  currencyCode: string;
  creditCount: number;
  remainingBalance: DecimalSum;
}

const groupKey = (provider: ProviderName, currencyCode: string) => `${provider}\u0000${currencyCode}`;

function byProviderAndCurrency(a: { provider: string; currencyCode: string }, b: { provider: string; currencyCode: string }): number {
  return a.provider.localeCompare(b.provider) || a.currencyCode.localeCompare(b.currencyCode);
}

/**
 * Sums credits one at a time, keeping only the running totals (one entry per provider and
 * currency, per window), so its memory does not grow with the number of credits. A credit is
 * grouped by the currency of its remaining balance. `expiring` lists each window's groups in the
 * order their first credit was added: credits added soonest expiry first (the EXPIRES_AT order)
 * list the currency that expires first first.
 */
export class CreditSummaryBuilder {
  private creditCount = 0;
  private readonly totals = new Map<string, CurrencySums>();
  private readonly statusCounts = new Map<CreditStatus, number>(CREDIT_STATUSES.map((status) => [status, 0]));
  private readonly expiring = new Map<number, Map<string, ExpiringSums>>(EXPIRY_WINDOWS_DAYS.map((days) => [days, new Map()]));

  constructor(private readonly now: string) {}

  add(credit: NormalizedCredit): this {
    // Only usable credits with a balance left can expire unused (expiresWithin checks the status).
    const expiringWithin =
      compareDecimal(credit.remainingBalance.amount, '0') > 0 ? (EXPIRY_WINDOWS_DAYS.find((days) => expiresWithin(credit, this.now, days)) ?? null) : null;
    return this.addGroup({
      provider: credit.provider,
      currencyCode: credit.remainingBalance.currencyCode,
      status: credit.status,
      creditCount: 1,
      originalAmount: credit.originalAmount.amount,
      remainingBalance: credit.remainingBalance.amount,
      estimatedBalance: credit.estimatedBalance.amount,
      expiringWithin,
    });
  }

  /**
   * Adds credits that share a provider, a currency, a status and the soonest expiry window they
   * fall in, with their counts and exact sums (what a provider's SQL groups them by,
   * lib/store/summary-sql.ts): the same totals as adding each of them. Groups added in the order
   * of their first credit (EXPIRES_AT) list `expiring` as credits added one by one in that order.
   */
  addGroup(group: CreditGroup): this {
    const { provider, currencyCode, status, creditCount } = group;
    const key = groupKey(provider, currencyCode);
    this.creditCount += creditCount;
    this.statusCounts.set(status, (this.statusCounts.get(status) ?? 0) + creditCount);

    let sums = this.totals.get(key);
    if (!sums) {
      sums = {
        provider,
        currencyCode,
        creditCount: 0,
        usableCreditCount: 0,
        originalAmount: new DecimalSum(),
        usableBalance: new DecimalSum(),
        usableEstimatedBalance: new DecimalSum(),
        unusableBalance: new DecimalSum(),
        remainingBalance: new DecimalSum(),
        estimatedBalance: new DecimalSum(),
      };
      this.totals.set(key, sums);
    }
    sums.creditCount += creditCount;
    sums.originalAmount.add(group.originalAmount);
    sums.remainingBalance.add(group.remainingBalance);
    sums.estimatedBalance.add(group.estimatedBalance);
    if (isUsable(status)) {
      sums.usableCreditCount += creditCount;
      sums.usableBalance.add(group.remainingBalance);
      sums.usableEstimatedBalance.add(group.estimatedBalance);
    } else {
      sums.unusableBalance.add(group.remainingBalance);
    }

    if (group.expiringWithin !== null && isUsable(status)) {
      for (const withinDays of EXPIRY_WINDOWS_DAYS) {
        if (withinDays < group.expiringWithin) continue;
        const window = this.expiring.get(withinDays)!;
        let expiring = window.get(key);
        if (!expiring) window.set(key, (expiring = { provider, currencyCode, creditCount: 0, remainingBalance: new DecimalSum() }));
        expiring.creditCount += creditCount;
        expiring.remainingBalance.add(group.remainingBalance);
      }
    }
    return this;
  }

  addAll(credits: Iterable<NormalizedCredit>): this {
    for (const credit of credits) this.add(credit);
    return this;
  }

  result(): CreditSummaryRecord {
    const totals = [...this.totals.values()].map(
      (s): CurrencyTotalRecord => ({
        provider: s.provider,
        currencyCode: s.currencyCode,
        creditCount: s.creditCount,
        usableCreditCount: s.usableCreditCount,
        originalAmount: s.originalAmount.toString(),
        usableBalance: s.usableBalance.toString(),
        usableEstimatedBalance: s.usableEstimatedBalance.toString(),
        unusableBalance: s.unusableBalance.toString(),
        remainingBalance: s.remainingBalance.toString(),
        estimatedBalance: s.estimatedBalance.toString(),
      }),
    );
    totals.sort(byProviderAndCurrency);
    const expiring: ExpiringTotalRecord[] = [];
    for (const [withinDays, window] of this.expiring) {
      for (const e of window.values()) {
        expiring.push({ withinDays, provider: e.provider, currencyCode: e.currencyCode, creditCount: e.creditCount, remainingBalance: e.remainingBalance.toString() });
      }
    }
    return {
      creditCount: this.creditCount,
      totals,
      statusCounts: CREDIT_STATUSES.map((status) => ({ status, count: this.statusCounts.get(status) ?? 0 })),
      expiring,
    };
  }
}

/** The totals of a list of credits (see CreditSummaryBuilder for the order of `expiring`). */
export function summarizeCredits(credits: Iterable<NormalizedCredit>, now: string): CreditSummaryRecord {
  return new CreditSummaryBuilder(now).addAll(credits).result();
}

/**
 * The totals of several parts (each provider's), as if their credits had been summed in one list,
 * the parts' credits one part after the other: counts and exact sums of the same provider,
 * currency (and window) are added, never those of different currencies; each window's expiring
 * groups keep the parts' order.
 */
export function mergeCreditSummaries(parts: readonly CreditSummaryRecord[]): CreditSummaryRecord {
  const totals = new Map<string, CurrencyTotalRecord>();
  for (const total of parts.flatMap((p) => p.totals)) {
    const key = groupKey(total.provider, total.currencyCode);
    const seen = totals.get(key);
    if (!seen) {
      totals.set(key, { ...total });
      continue;
    }
    seen.creditCount += total.creditCount;
    seen.usableCreditCount += total.usableCreditCount;
    for (const field of ['originalAmount', 'usableBalance', 'usableEstimatedBalance', 'unusableBalance', 'remainingBalance', 'estimatedBalance'] as const) {
      seen[field] = sumDecimals([seen[field], total[field]]);
    }
  }

  const counts = new Map<CreditStatus, number>();
  for (const { status, count } of parts.flatMap((p) => p.statusCounts)) counts.set(status, (counts.get(status) ?? 0) + count);

  const expiring: ExpiringTotalRecord[] = [];
  for (const withinDays of EXPIRY_WINDOWS_DAYS) {
    const window = new Map<string, ExpiringTotalRecord>();
    for (const entry of parts.flatMap((p) => p.expiring.filter((e) => e.withinDays === withinDays))) {
      const key = groupKey(entry.provider, entry.currencyCode);
      const seen = window.get(key);
      if (!seen) window.set(key, { ...entry });
      else {
        seen.creditCount += entry.creditCount;
        seen.remainingBalance = sumDecimals([seen.remainingBalance, entry.remainingBalance]);
      }
    }
    expiring.push(...window.values());
  }

  return {
    creditCount: parts.reduce((n, p) => n + p.creditCount, 0),
    totals: [...totals.values()].sort(byProviderAndCurrency),
    statusCounts: CREDIT_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 })),
    expiring,
  };
}

/** Credits a provider reads per statement while it sums them. */
export const SUMMARY_PAGE_SIZE = 1000;

/** The order a provider reads its credits in to sum them: soonest expiry first, so `expiring` lists the currency that expires first first. */
const SUMMARY_ORDER: CreditOrder = { field: 'EXPIRES_AT', direction: 'ASC' };

/**
 * A provider's part of the summary by reading its credits: what the stores do when SQLite cannot
 * sum them exactly in one statement (lib/store/summary-sql.ts, which they use otherwise), and the
 * reference the tests hold that statement to. It reads the credits the filter selects through its own
 * `searchCredits` (the same SQL, and so exactly the same access rules, as a page of `credits`), a
 * page of `pageSize` at a time after the last one read, and sums them as they come, so its memory
 * stays bounded however many credits match.
 *
 * Each page is its own statement, as pages of `credits` are: a credit whose expiry changes while
 * the pages are read may be counted in neither or both pages; balances, statuses and controls
 * changing do not move a credit in this order.
 */
export async function summarizeInPages(
  search: (request: SearchCreditsRequest) => Promise<NormalizedCredit[]>,
  request: SummarizeCreditsRequest,
  pageSize = SUMMARY_PAGE_SIZE,
): Promise<CreditSummaryRecord> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a whole number of at least 1');
  const builder = new CreditSummaryBuilder(request.now);
  let after: CreditPosition | null = null;
  for (;;) {
    const page = await search({ filter: request.filter, order: SUMMARY_ORDER, after, limit: pageSize, now: request.now });
    builder.addAll(page);
    if (page.length < pageSize) return builder.result();
    after = positionOf(page[page.length - 1], SUMMARY_ORDER.field);
  }
}

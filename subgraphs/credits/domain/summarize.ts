/**
 * Cross-cloud totals over a set of normalized credits: per provider and currency, per status,
 * and what expires within 30, 60 and 90 days. Exact decimal sums.
 */
import { expiresWithin } from '../../../lib/credit-status';
import { compareDecimal, sumDecimals } from '../../../lib/money';
import { CREDIT_STATUSES, CreditStatus, NormalizedCredit, ProviderName } from '../../../lib/provider-contract';

export const EXPIRY_WINDOWS_DAYS = [30, 60, 90] as const;

export interface CurrencyTotal {
  provider: ProviderName;
  currencyCode: string;
  creditCount: number;
  originalAmount: string;
  remainingBalance: string;
  estimatedBalance: string;
}

export interface ExpiringTotal {
  withinDays: number;
  provider: ProviderName;
  currencyCode: string;
  creditCount: number;
  remainingBalance: string;
}

export interface CreditSummaryData {
  creditCount: number;
  totals: CurrencyTotal[];
  statusCounts: { status: CreditStatus; count: number }[];
  expiring: ExpiringTotal[];
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

export function summarizeCredits(credits: NormalizedCredit[], now: string): CreditSummaryData {
  const totals = [...groupBy(credits, providerAndCurrency).values()].map((group) => ({
    provider: group[0].provider,
    currencyCode: group[0].remainingBalance.currencyCode,
    creditCount: group.length,
    originalAmount: sumDecimals(group.map((c) => c.originalAmount.amount)),
    remainingBalance: sumDecimals(group.map((c) => c.remainingBalance.amount)),
    estimatedBalance: sumDecimals(group.map((c) => c.estimatedBalance.amount)),
  }));
  totals.sort((a, b) => a.provider.localeCompare(b.provider) || a.currencyCode.localeCompare(b.currencyCode));

  const statusCounts = CREDIT_STATUSES.map((status) => ({ status, count: credits.filter((c) => c.status === status).length }));

  const expiring: ExpiringTotal[] = [];
  for (const withinDays of EXPIRY_WINDOWS_DAYS) {
    const expiringCredits = credits.filter(
      (c) => expiresWithin(c, now, withinDays) && compareDecimal(c.remainingBalance.amount, '0') > 0,
    );
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

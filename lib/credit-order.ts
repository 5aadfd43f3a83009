/**
 * The one global order of credits across providers, shared by the providers (which page their
 * own credits in SQL) and the credits layer (which merges the providers' pages).
 *
 * A credit's position is (sort key of the order field, provider, native id). Sort keys are text
 * compared byte by byte, as SQLite's BINARY collation compares them, so both sides agree.
 * DESC is the exact reverse of ASC.
 */
import { amountSortKey } from './money';
import type { CreditOrder, CreditOrderField, CreditPosition, NormalizedCredit, ProviderName } from './provider-contract';

/** Sort key of a missing expiry date: after every ISO date, so credits that never expire come last. */
export const NO_EXPIRY_KEY = '~';

export function expirySortKey(expiresAt: string | null): string {
  return expiresAt ?? NO_EXPIRY_KEY;
}

/** The sort keys a provider stores beside a credit so its SQL can order and page by them. */
export function creditSortKeys(credit: { expiresAt: string | null; remaining: string }): {
  sortExpiresAt: string;
  sortRemaining: string;
} {
  return { sortExpiresAt: expirySortKey(credit.expiresAt), sortRemaining: amountSortKey(credit.remaining) };
}

export function sortKeyOf(credit: NormalizedCredit, field: CreditOrderField): string {
  switch (field) {
    case 'EXPIRES_AT':
      return expirySortKey(credit.expiresAt);
    case 'REMAINING_BALANCE':
      return amountSortKey(credit.remainingBalance.amount);
    case 'NAME':
      return credit.name;
  }
}

export function positionOf(credit: NormalizedCredit, field: CreditOrderField): CreditPosition {
  return { key: sortKeyOf(credit, field), provider: credit.provider, providerCreditId: credit.providerCreditId };
}

const isSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff;

/**
 * Byte-wise comparison of UTF-8 text, as SQLite's BINARY collation does (-1, 0 or 1). UTF-8 bytes
 * order text as its code points do, and so do UTF-16 units up to the first difference unless a
 * surrogate is involved: only then are the two texts encoded (a lone surrogate is written as
 * U+FFFD, as SQLite stores it), so sorting thousands of ids allocates nothing.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  if (isSurrogate(x) || isSurrogate(y)) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return x < y ? -1 : 1;
}

/** Ascending comparison of two positions. */
function compareAscending(a: CreditPosition, b: CreditPosition): number {
  return compareText(a.key, b.key) || compareText(a.provider, b.provider) || compareText(a.providerCreditId, b.providerCreditId);
}

export function comparePositions(a: CreditPosition, b: CreditPosition, order: CreditOrder): number {
  const c = compareAscending(a, b);
  return order.direction === 'ASC' ? c : -c;
}

export function compareCredits(a: NormalizedCredit, b: NormalizedCredit, order: CreditOrder): number {
  return comparePositions(positionOf(a, order.field), positionOf(b, order.field), order);
}

/**
 * SQL keeping only a provider's rows strictly after `after` in the global order.
 * `keyColumn` and `idColumn` name the row's sort key and native id; parameters are named
 * :afterKey and :afterId. Returns null when every row qualifies.
 */
export function keysetCondition(
  provider: ProviderName,
  after: CreditPosition | null,
  direction: CreditOrder['direction'],
  keyColumn: string,
  idColumn: string,
): { sql: string; params: Record<string, string> } | null {
  if (!after) return null;
  const gt = direction === 'ASC' ? '>' : '<';
  const providerOrder = compareText(provider, after.provider);
  const params: Record<string, string> = { afterKey: after.key };
  if (providerOrder === 0) params.afterId = after.providerCreditId;
  // Same sort key: this provider's rows come after the cursor's provider's rows (or before, or
  // among them when it is the same provider, then ordered by id).
  const sameKeyAfter =
    providerOrder === 0 ? `${idColumn} ${gt} :afterId` : (direction === 'ASC') === providerOrder > 0 ? '1 = 1' : '1 = 0';
  return { sql: `(${keyColumn} ${gt} :afterKey OR (${keyColumn} = :afterKey AND ${sameKeyAfter}))`, params };
}

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

/** Byte-wise comparison of UTF-8 text, as SQLite's BINARY collation does. */
export function compareText(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
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

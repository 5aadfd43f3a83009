/**
 * The normalized credit status, derived from a provider's facts at a moment in time.
 *
 * The rule exists twice by necessity, once for records (`deriveStatus`) and once for SQL filters
 * (`statusSqlCase`), so both live here, side by side, and a unit test holds them equal.
 * Precedence: CANCELED, EXPIRED, EXHAUSTED, PAUSED, NOT_STARTED, ACTIVE (a paused credit that has
 * not started yet shows PAUSED: the user's choice is the more useful fact).
 */
import type { CreditStatus } from './provider-contract';

export interface StatusFacts {
  /** The provider canceled the credit. */
  canceled: boolean;
  /** The provider says it expired, whatever the dates say. */
  expiredFlag: boolean;
  /** ISO date-time at which the credit expires, null for never. */
  expiresAt: string | null;
  /** Nothing is left of the balance. */
  exhausted: boolean;
  /** Paused by a user (AWS creditStatus DISABLED, or this product's Azure extension). */
  paused: boolean;
  /** The provider says it is not active yet, whatever the dates say. */
  notStartedFlag: boolean;
  /** ISO date-time from which the credit may be used, null for always. */
  startsAt: string | null;
}

export function deriveStatus(facts: StatusFacts, now: string): CreditStatus {
  if (facts.canceled) return 'CANCELED';
  if (facts.expiredFlag || (facts.expiresAt !== null && facts.expiresAt <= now)) return 'EXPIRED';
  if (facts.exhausted) return 'EXHAUSTED';
  if (facts.paused) return 'PAUSED';
  if (facts.notStartedFlag || (facts.startsAt !== null && facts.startsAt > now)) return 'NOT_STARTED';
  return 'ACTIVE';
}

/** SQL boolean expressions (or ISO text columns for the dates) for each fact of a table's row. */
export type StatusFactColumns = Record<keyof StatusFacts, string>;

/**
 * A SQL CASE expression equal to `deriveStatus` for the row, comparing dates against the named
 * parameter `:now` (ISO text, as the columns store it).
 */
export function statusSqlCase(c: StatusFactColumns): string {
  return (
    `(CASE WHEN ${c.canceled} THEN 'CANCELED' ` +
    `WHEN ${c.expiredFlag} OR (${c.expiresAt} IS NOT NULL AND ${c.expiresAt} <= :now) THEN 'EXPIRED' ` +
    `WHEN ${c.exhausted} THEN 'EXHAUSTED' ` +
    `WHEN ${c.paused} THEN 'PAUSED' ` +
    `WHEN ${c.notStartedFlag} OR (${c.startsAt} IS NOT NULL AND ${c.startsAt} > :now) THEN 'NOT_STARTED' ` +
    `ELSE 'ACTIVE' END)`
  );
}

/** Days ahead within which a usable credit counts as expiring soon. */
export const EXPIRING_SOON_DAYS = 30;

/** Statuses whose balance can still be used, and so can still expire unused. */
const USABLE: readonly CreditStatus[] = ['ACTIVE', 'PAUSED', 'NOT_STARTED'];

/** A credit in this status can still pay for charges (ACTIVE, PAUSED, NOT_STARTED); EXPIRED, CANCELED and EXHAUSTED ones never will. */
export function isUsable(status: CreditStatus): boolean {
  return USABLE.includes(status);
}

/** A usable credit whose expiry falls after `now` and at most `days` days later. */
export function expiresWithin(credit: { status: CreditStatus; expiresAt: string | null }, now: string, days: number): boolean {
  return USABLE.includes(credit.status) && credit.expiresAt !== null && credit.expiresAt > now && credit.expiresAt <= addDays(now, days);
}

export function isExpiringSoon(status: CreditStatus, expiresAt: string | null, now: string): boolean {
  return expiresWithin({ status, expiresAt }, now, EXPIRING_SOON_DAYS);
}

export function addDays(iso: string, days: number): string {
  return new Date(new Date(iso).getTime() + days * 86_400_000).toISOString();
}

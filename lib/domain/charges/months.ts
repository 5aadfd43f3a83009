/** Billing months ('YYYY-MM') and days ('YYYY-MM-DD'), in UTC. */

/** The month of an ISO date or date-time ('2026-11-22T12:00:00Z' -> '2026-11'). */
export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}

/** The month after ('2026-12' -> '2027-01'). */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
}

/** The month before ('2027-01' -> '2026-12'). */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${String(y - 1).padStart(4, '0')}-12` : `${String(y).padStart(4, '0')}-${String(m - 1).padStart(2, '0')}`;
}

/** Days in a month ('2026-02' -> 28). */
export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The first day of a month as an ISO date-time ('2026-12' -> '2026-12-01T00:00:00.000Z'). */
export function monthStartIso(month: string): string {
  return `${month}-01T00:00:00.000Z`;
}

/** The later of two months (null counts as earliest). */
export function laterMonth(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/**
 * The first month that is still open for changes of pause and sharing, from which such a change
 * takes effect: the month after the last closed (final) month when one is known (whatever the
 * request's clock says, closed months keep the controls they had); else the earliest open
 * (estimated) month loaded, when it is not after `now`'s month; else `now`'s month. So the
 * estimate of every open month changes at once.
 */
export function firstOpenMonth(lastClosedMonth: string | null, earliestOpenMonth: string | null, now: string): string {
  if (lastClosedMonth !== null) return nextMonth(lastClosedMonth);
  const current = monthOf(now);
  return earliestOpenMonth !== null && earliestOpenMonth < current ? earliestOpenMonth : current;
}

/** A billing month written YYYY-MM. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The first month charges apply to a credit: the month after what its provider snapshot covers
 * (`coveredThrough`, null: nothing), and not before the month it starts in.
 */
export function openingMonthOf(startMonth: string, coveredThrough: string | null): string {
  if (coveredThrough === null) return startMonth;
  const next = nextMonth(coveredThrough);
  return next > startMonth ? next : startMonth;
}

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
 * The first month that is still open for changes of pause and sharing: the month after the last
 * closed (final) month when that is known, never later than the month of `now`. A pause or
 * re-share takes effect from it, so the estimate of every open month changes at once and closed
 * months keep the controls they had.
 */
export function firstOpenMonth(lastClosedMonth: string | null, now: string): string {
  const current = monthOf(now);
  if (lastClosedMonth === null) return current;
  const next = nextMonth(lastClosedMonth);
  return next < current ? next : current;
}

/**
 * What the product takes for today: calendar days as YYYY-MM-DD text (UTC), and the clock every
 * service runs on. Real time, except that tests of `npm start` may set DEMO_TODAY=YYYY-MM-DD: the
 * demo is then rendered for that day and every service's clock reads that day at 12:00 UTC,
 * frozen. DEMO_TODAY is refused in production.
 */

/** A day that is not a calendar day YYYY-MM-DD in the range the demo can be rendered for. */
export class DayError extends Error {
  constructor(what: string, readonly value: string, reason: string) {
    super(`${what} must be a calendar day YYYY-MM-DD from 2000-01-01 to 2999-12-31: "${value}" ${reason}`);
    this.name = 'DayError';
  }
}

/** Returns `value` when it is a calendar day YYYY-MM-DD from 2000 to 2999; else throws a DayError naming `what`. */
export function checkDay(value: string, what: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new DayError(what, value, 'is not of the form YYYY-MM-DD');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const back = new Date(Date.UTC(y, mo - 1, d));
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) throw new DayError(what, value, 'is not a day of the calendar');
  if (y < 2000 || y > 2999) throw new DayError(what, value, 'is out of range');
  return value;
}

/** The UTC day of an instant, YYYY-MM-DD. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Whole days from day `from` to day `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** DEMO_TODAY checked (null when unset); throws when it is not a day, or is set in production. */
export function demoToday(env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = env.DEMO_TODAY;
  if (raw === undefined || raw === '') return null;
  if (env.NODE_ENV === 'production') throw new Error('DEMO_TODAY is for tests only and is refused with NODE_ENV=production');
  return checkDay(raw, 'DEMO_TODAY');
}

/** The clock of a service: real time, or DEMO_TODAY at 12:00 UTC (frozen) when set. */
export function productClock(env: NodeJS.ProcessEnv = process.env): () => Date {
  const day = demoToday(env);
  if (day === null) return () => new Date();
  const noon = Date.parse(`${day}T12:00:00.000Z`);
  return () => new Date(noon);
}

/**
 * Exact money arithmetic. Amounts travel as decimal strings everywhere (database columns,
 * the provider contract, GraphQL); this module is the one place that turns them into
 * numbers, and it uses decimal.js, never binary floats.
 */
import Decimal from 'decimal.js';

/** A private Decimal constructor with enough precision for any amount we will ever see. */
const Exact = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -80, toExpPos: 80 });

/** The strict shape of a decimal amount: optional sign, digits, optional fraction. No exponent. */
const DECIMAL_PATTERN = /^[+-]?\d+(\.\d+)?$/;

/** Largest number of digits an amount may carry before or after the point. */
export const MAX_INTEGER_DIGITS = 20;
export const MAX_FRACTION_DIGITS = 20;

/** Why a text is not an acceptable amount, or null when it is one. */
export function decimalProblem(text: string): string | null {
  if (!DECIMAL_PATTERN.test(text)) return `"${text}" is not a decimal number (digits, an optional point and fraction)`;
  const [int, frac = ''] = text.replace(/^[+-]/, '').split('.');
  if (int.replace(/^0+(?=\d)/, '').length > MAX_INTEGER_DIGITS) return `"${text}" has more than ${MAX_INTEGER_DIGITS} integer digits`;
  if (frac.length > MAX_FRACTION_DIGITS) return `"${text}" has more than ${MAX_FRACTION_DIGITS} decimal places`;
  return null;
}

/**
 * Canonical text of an amount: every decimal place the source gave is kept (so "10000.00" stays
 * "10000.00"), only a leading "+" and superfluous leading zeros go. Throws on anything that is not
 * a plain decimal.
 */
export function canonicalDecimal(text: string): string {
  const problem = decimalProblem(text);
  if (problem) throw new RangeError(problem);
  let sign = text.startsWith('-') ? '-' : '';
  const body = text.replace(/^[+-]/, '');
  const [int, frac] = body.split('.');
  const intPart = int.replace(/^0+(?=\d)/, '');
  if (/^0*$/.test(intPart + (frac ?? ''))) sign = '';
  return sign + intPart + (frac !== undefined ? `.${frac}` : '');
}

function d(value: string): Decimal {
  return new Exact(canonicalDecimal(value));
}

/** Number of decimal places an amount is written with ("12.50" -> 2). */
export function scaleOf(text: string): number {
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

/**
 * Results keep the scale of their most precise operand, as accountants write them:
 * "5000.00" + "0" is "5000.00", not "5000".
 */
function withScale(value: Decimal, operands: string[]): string {
  return value.toFixed(Math.max(0, ...operands.map(scaleOf)));
}

/** a + b, exactly. */
export function addDecimal(a: string, b: string): string {
  return withScale(d(a).plus(d(b)), [a, b]);
}

/** Sum of decimal strings, exactly ("0" for none). */
export function sumDecimals(values: Iterable<string>): string {
  const list = [...values];
  let total = new Exact(0);
  for (const v of list) total = total.plus(d(v));
  return withScale(total, list);
}

/** -a, written with the same places ("-640.00" -> "640.00"; zero stays unsigned). */
export function negateDecimal(a: string): string {
  return canonicalDecimal(withScale(d(a).negated(), [a]));
}

/** Negative, zero or positive as a is below, equal to or above b. */
export function compareDecimal(a: string, b: string): number {
  return d(a).comparedTo(d(b));
}

/** True when the amount is exactly zero. */
export function isZeroDecimal(a: string): boolean {
  return d(a).isZero();
}

/**
 * A text key whose plain string order is the numeric order of non-negative amounts, so a
 * database index on it sorts balances exactly (a REAL column would round them). Negative
 * amounts are clamped to zero: balances are never below zero.
 */
export function amountSortKey(amount: string): string {
  const canonical = canonicalDecimal(amount);
  if (canonical.startsWith('-')) return amountSortKey('0');
  const [int, frac = ''] = canonical.split('.');
  return `${int.padStart(MAX_INTEGER_DIGITS, '0')}.${frac.padEnd(MAX_FRACTION_DIGITS, '0')}`;
}

/**
 * a x numerator / denominator, rounded half-even to `places` decimal places: for estimates such as
 * a month's run-rate forecast (the only place amounts are divided). Exact until the final rounding.
 */
export function scaleDecimal(a: string, numerator: number, denominator: number, places: number): string {
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator) || denominator <= 0) throw new RangeError('scaleDecimal takes whole numbers and a positive denominator');
  return canonicalDecimal(d(a).times(numerator).dividedBy(denominator).toFixed(places, Decimal.ROUND_HALF_EVEN));
}

/** a x rate, rounded half away from zero to `places` (a conversion at an exchange rate, as invoices round). */
export function convertDecimal(a: string, rate: string, places: number): string {
  return canonicalDecimal(d(a).times(d(rate)).toFixed(places, Decimal.ROUND_HALF_UP));
}

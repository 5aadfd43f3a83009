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

/**
 * ISO 4217 minor units (decimal places of the currency's smallest unit) of the current codes whose
 * minor unit is not 2. Every other code, known or not, has 2. (Funds and precious metals without a
 * minor unit, such as XAU, are not listed and so count as 2 too.)
 */
const MINOR_UNITS_OTHER_THAN_TWO: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** The ISO 4217 minor units of a currency code: 0 for JPY, 3 for BHD, 2 for USD, EUR and any code not in the table. */
export function minorUnits(currencyCode: string): number {
  return MINOR_UNITS_OTHER_THAN_TWO[currencyCode.toUpperCase()] ?? 2;
}

/**
 * The one way this API writes an amount of money in a currency (the normalized layer's `Money`,
 * balances, totals, applications): the exact value, never rounded, with trailing zeros beyond the
 * currency's minor units removed and at least those minor units written.
 * "350.3012345678" USD stays, "0.0000000000" USD is "0.00", "6000" USD is "6000.00",
 * "1.50000" EUR is "1.50", "1200.00" JPY is "1200", "1.5" BHD is "1.500".
 * Throws on anything that is not a plain decimal (see `decimalProblem`).
 */
export function canonicalMoneyAmount(amount: string, currencyCode: string): string {
  const [int, frac = ''] = canonicalDecimal(amount).split('.');
  const significant = frac.replace(/0+$/, '');
  const places = significant.padEnd(minorUnits(currencyCode), '0');
  return places ? `${int}.${places}` : int;
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

/**
 * A running exact sum of decimal strings that keeps only the total and the most decimal places
 * seen, so adding up any number of amounts takes constant memory. Its text is the same as
 * `sumDecimals` of every amount added ("0" for none).
 */
export class DecimalSum {
  private total = new Exact(0);
  private places = 0;

  add(value: string): this {
    this.total = this.total.plus(d(value));
    this.places = Math.max(this.places, scaleOf(value));
    return this;
  }

  toString(): string {
    return this.total.toFixed(this.places);
  }
}

/** Sum of decimal strings, exactly ("0" for none), with the places of the most precise one. */
export function sumDecimals(values: Iterable<string>): string {
  const sum = new DecimalSum();
  for (const v of values) sum.add(v);
  return sum.toString();
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

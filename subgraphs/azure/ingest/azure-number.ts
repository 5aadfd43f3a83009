/**
 * Azure writes amounts as JSON numbers, and .NET serialises some of them with an exponent
 * ("1E-05", "1.50E+2"). This turns such a number's exact text into plain decimal text, exactly,
 * keeping its scale ("1.50E-1" -> "0.150", "1.50E+2" -> "150", "1E-05" -> "0.00001"), and then
 * holds it to lib/domain/money.ts's limits with `decimalProblem`.
 */
import Decimal from 'decimal.js';
import { canonicalDecimal, decimalProblem, MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS } from '../../../lib/domain/money';

/** A JSON number: optional minus, digits, optional fraction, optional exponent. Rules out NaN, Infinity, hex. */
const JSON_NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Beyond this many digits the plain text is not even built (an exponent of 1E+999999999 would
 * be a gigabyte of zeros); such a value is far outside the money limits anyway.
 */
const MAX_PLAIN_DIGITS = 4 * (MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS);

export type AzureNumber = { value: string; problem?: undefined } | { value?: undefined; problem: string };

/** The plain, canonical decimal text of a JSON number's text, or why it is not an acceptable amount. */
export function azureNumberText(text: string): AzureNumber {
  if (!JSON_NUMBER.test(text)) return { problem: `"${text}" is not a decimal number` };
  const [mantissa, exponentText = '0'] = text.split(/[eE]/);
  const exponent = Number(exponentText);
  const decimal = new Decimal(text);
  if (!decimal.isFinite()) return { problem: `"${text}" is not a finite number` };
  // The scale the text states: the mantissa's decimal places shifted by the exponent.
  const scale = Math.max(0, (mantissa.split('.')[1] ?? '').length - exponent);
  const integerDigits = decimal.isZero() ? 1 : Math.max(1, decimal.e + 1);
  if (!Number.isFinite(scale) || scale + integerDigits > MAX_PLAIN_DIGITS) {
    return { problem: `"${text}" is out of range for an amount (at most ${MAX_INTEGER_DIGITS} integer digits and ${MAX_FRACTION_DIGITS} decimal places)` };
  }
  const plain = decimal.toFixed(scale);
  const problem = decimalProblem(plain);
  if (problem) return { problem: plain === text ? problem : `${problem} (written as "${text}")` };
  return { value: canonicalDecimal(plain) };
}

/**
 * Exact fixed-point amounts for the charges engine and the billing-file parsers' running sums.
 *
 * Every amount is validated as lib/domain/money validates it (plain decimals, at most 20 integer and 20
 * fractional digits: read in one pass, or through `canonicalDecimal` for other shapes and for the
 * reason one is refused), then held as a BigInt count of 10^-20 units: integer
 * arithmetic, so exact like lib/domain/money and never a binary float. lib/domain/money's string-in/string-out
 * functions cost about 3.5 µs per addition; the engine's hot loop does several per charge, which
 * would put 1,000,000 charges above ten seconds, so the loop works on units and turns them back
 * into text once, at the end. The text follows lib/domain/money's convention: a result is written with
 * the places of its most precise operand ("5000.00" - "0.5" = "4999.50"), which the callers track
 * as `places`. test/charges/amount.test.ts checks these functions against lib/domain/money.
 */
import { detach } from '../../platform/csv-tokenizer';
import { canonicalDecimal, MAX_FRACTION_DIGITS, scaleOf } from '../money';

/** Fractional digits of a unit: amounts are held as multiples of 10^-UNIT_PLACES. */
export const UNIT_PLACES = MAX_FRACTION_DIGITS;

const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= UNIT_PLACES; i++, p *= 10n) POW10.push(p);

/** An exact amount: `units` of 10^-20, written with `places` decimal places. */
export interface Exact {
  units: bigint;
  places: number;
}

/** An exact amount in units of its own last place: `units` of 10^-places ("4.50": 450, 2). */
export interface Scaled {
  units: bigint;
  places: number;
}

/** Parses a decimal string exactly; throws RangeError (lib/domain/money's reason) when it is not one. */
export function parseExact(text: string): Exact {
  return readExact(text) ?? parseCanonical(text);
}

/**
 * parseExact through lib/domain/money's canonical text: the shapes the one-pass reader leaves to it, and
 * the errors (exported as the reference the one-pass reader is tested against).
 */
export function parseCanonical(text: string): Exact {
  const canonical = canonicalDecimal(text);
  const negative = canonical.startsWith('-');
  const body = negative ? canonical.slice(1) : canonical;
  const point = body.indexOf('.');
  const int = point < 0 ? body : body.slice(0, point);
  const frac = point < 0 ? '' : body.slice(point + 1);
  const units = BigInt(int + frac.padEnd(UNIT_PLACES, '0'));
  return { units: negative ? -units : units, places: scaleOf(canonical) };
}

/** Writes units with the given places (more when the value needs them, so nothing is ever rounded). */
export function formatExact(units: bigint, places: number): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  let p = Math.max(0, Math.min(places, UNIT_PLACES));
  while (p < UNIT_PLACES && abs % POW10[UNIT_PLACES - p] !== 0n) p++;
  const scaled = abs / POW10[UNIT_PLACES - p];
  let text = scaled.toString();
  if (p > 0) {
    text = text.padStart(p + 1, '0');
    text = `${text.slice(0, text.length - p)}.${text.slice(text.length - p)}`;
  }
  return negative && abs !== 0n ? `-${text}` : text;
}

/** A running exact sum that remembers the places of its most precise operand. */
export class ExactSum {
  units = 0n;
  places = 0;

  add(amount: Exact): void {
    this.units += amount.units;
    if (amount.places > this.places) this.places = amount.places;
  }

  addText(text: string): void {
    this.add(parseExact(text));
  }

  toString(): string {
    return formatExact(this.units, this.places);
  }
}

/**
 * An amount in one pass over the characters and one BigInt, or null when the text is not an
 * amount (then `decimalProblem` says why); parseExact is this, throwing instead of null.
 */
export function readExact(text: string): Exact | null {
  const read = readScaled(text);
  return read === null ? null : { units: read.units * POW10[UNIT_PLACES - read.places], places: read.places };
}

/**
 * An amount in units of its own last place (10^-places: "4.50" is 450 hundredths), as readExact
 * reads it: a billing file's amount is then a one-word BigInt. The plain shape (an optional sign,
 * 1 to 20 digits, optionally a point and 1 to 20 digits) is checked by hand, without a pattern's
 * match array and substrings; anything else goes through parseCanonical.
 */
export function readScaled(text: string): Scaled | null {
  const n = text.length;
  const c0 = n > 0 ? text.charCodeAt(0) : -1;
  let i = c0 === 0x2d || c0 === 0x2b ? 1 : 0; // '-' or '+'
  const intStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = -1;
  if (i < n && text.charCodeAt(i) === 0x2e) {
    fracStart = ++i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  const intDigits = intEnd - intStart;
  const fracDigits = fracStart < 0 ? 0 : i - fracStart;
  const plain = i === n && intDigits > 0 && intDigits <= UNIT_PLACES && (fracStart < 0 || (fracDigits > 0 && fracDigits <= UNIT_PLACES));
  if (!plain) {
    try {
      const exact = parseCanonical(text); // e.g. more than 20 integer digits written with leading zeros
      return { units: exact.units / POW10[UNIT_PLACES - exact.places], places: exact.places };
    } catch {
      return null;
    }
  }
  const units = BigInt(fracStart < 0 ? text.slice(intStart, intEnd) : text.slice(intStart, intEnd) + text.slice(fracStart));
  return { units: c0 === 0x2d ? -units : units, places: fracDigits };
}

/**
 * A running exact sum of readScaled amounts, kept in units of its most precise operand's last
 * place (not 10^-20 as ExactSum): a billing file's amounts all have about ten places, so each
 * addition is of one-word BigInts, about twice as fast for the parsers' million rows.
 */
export class ScaledSum {
  units = 0n;
  places = 0;

  add(amount: Scaled): void {
    if (amount.places === this.places) this.units += amount.units;
    else if (amount.places < this.places) this.units += amount.units * POW10[this.places - amount.places];
    else {
      this.units = this.units * POW10[amount.places - this.places] + amount.units;
      this.places = amount.places;
    }
  }

  /** The sum in units of 10^-20, with the places of its most precise operand (as ExactSum holds it). */
  exact(): Exact {
    return { units: this.units * POW10[UNIT_PLACES - this.places], places: this.places };
  }
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** A memo of a pure text -> value function, for the few distinct values a column repeats (dates). */
export function memoized<T>(fn: (text: string) => T, limit = 10_000): (text: string) => T {
  const seen = new Map<string, T>();
  return (text) => {
    let v = seen.get(text);
    if (v === undefined && !seen.has(text)) {
      v = fn(text);
      // A copy of the key: the text may be a view into a large string (a piece of a CSV file).
      if (seen.size < limit) seen.set(detach(text), v);
    }
    return v as T;
  };
}

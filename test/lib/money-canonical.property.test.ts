/**
 * The one way the API writes money (lib/domain/money.ts canonicalMoneyAmount): the examples of the rule,
 * and its properties over random amounts and currencies (fast-check): the same value as the input
 * by lib/domain/money's own comparison, idempotent, at least the currency's minor units, nothing beyond
 * them but significant digits.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalDecimal, canonicalMoneyAmount, compareDecimal, MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, minorUnits, scaleOf } from '../../lib/domain/money';

/** Codes of every kind: 2 places (USD, EUR), 0 (JPY, KRW), 3 (BHD, KWD, JOD), 4 (CLF), unknown (2), lower case. */
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'KRW', 'ISK', 'BHD', 'KWD', 'JOD', 'TND', 'CLF', 'XYZ', 'jpy', 'bhd'];

/** Any plain decimal the API can hold: a sign, up to 20 integer digits (leading zeros too), up to 20 places (trailing zeros too). */
const decimalArb = fc
  .tuple(
    fc.constantFrom('', '-', '+'),
    fc.stringMatching(new RegExp(`^[0-9]{1,${MAX_INTEGER_DIGITS}}$`)),
    fc.option(fc.stringMatching(new RegExp(`^[0-9]{1,${MAX_FRACTION_DIGITS}}$`)), { nil: undefined }),
    fc.nat({ max: 12 }),
  )
  .map(([sign, int, frac, zeros]) => `${sign}${int}${frac === undefined ? '' : `.${frac}`.padEnd(Math.min(frac.length + 1 + zeros, MAX_FRACTION_DIGITS + 1), '0')}`);

describe('money: the canonical form of an amount in a currency', () => {
  it('writes the examples of the rule', () => {
    const cases: [string, string, string][] = [
      ['350.3012345678', 'USD', '350.3012345678'],
      ['0.0000000000', 'USD', '0.00'],
      ['6000', 'USD', '6000.00'],
      ['6000.00', 'USD', '6000.00'],
      ['1.50000', 'EUR', '1.50'],
      ['1200.00', 'JPY', '1200'],
      ['1200.50', 'JPY', '1200.5'],
      ['1200', 'KRW', '1200'],
      ['1.5', 'BHD', '1.500'],
      ['1.23456000', 'KWD', '1.23456'],
      ['2', 'JOD', '2.000'],
      ['1', 'CLF', '1.0000'],
      ['7', 'XYZ', '7.00'],
      ['372.7140072170', 'USD', '372.714007217'],
      ['-640.000', 'USD', '-640.00'],
      ['-0.000', 'USD', '0.00'],
      ['+007.5', 'EUR', '7.50'],
      ['0.0000000001', 'USD', '0.0000000001'],
    ];
    for (const [amount, currency, canonical] of cases) expect(canonicalMoneyAmount(amount, currency), `${amount} ${currency}`).to.equal(canonical);
  });

  it('knows the ISO 4217 minor units that are not 2, and takes 2 for every other code', () => {
    expect(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'XOF'].map(minorUnits)).to.deep.equal([0, 0, 0, 0, 0, 0]);
    expect(['BHD', 'KWD', 'JOD', 'OMR', 'TND', 'IQD', 'LYD'].map(minorUnits)).to.deep.equal([3, 3, 3, 3, 3, 3, 3]);
    expect(['CLF', 'UYW'].map(minorUnits)).to.deep.equal([4, 4]);
    expect(['USD', 'EUR', 'GBP', 'CHF', 'INR', 'XYZ', ''].map(minorUnits)).to.deep.equal([2, 2, 2, 2, 2, 2, 2]);
    expect(minorUnits('jpy')).to.equal(0);
  });

  it('refuses what is not a plain decimal instead of guessing', () => {
    for (const bad of ['1e3', 'NaN', '', '1,5', '0x10']) expect(() => canonicalMoneyAmount(bad, 'USD'), bad).to.throw(RangeError);
  });

  it('is the same value as its input, by lib/domain/money\'s comparison: it never rounds', () => {
    fc.assert(fc.property(decimalArb, fc.constantFrom(...CURRENCIES), (amount, currency) => compareDecimal(canonicalMoneyAmount(amount, currency), amount) === 0), { numRuns: 2000 });
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(decimalArb, fc.constantFrom(...CURRENCIES), (amount, currency) => {
        const once = canonicalMoneyAmount(amount, currency);
        return canonicalMoneyAmount(once, currency) === once;
      }),
      { numRuns: 2000 },
    );
  });

  it('has at least the currency\'s minor units, and beyond them only significant digits', () => {
    fc.assert(
      fc.property(decimalArb, fc.constantFrom(...CURRENCIES), (amount, currency) => {
        const canonical = canonicalMoneyAmount(amount, currency);
        const places = scaleOf(canonical);
        const minor = minorUnits(currency);
        expect(places, canonical).to.be.at.least(minor);
        if (places > minor) expect(canonical.endsWith('0'), `${canonical}: a trailing zero beyond ${minor} places`).to.equal(false);
        if (minor === 0 && places === 0) expect(canonical.includes('.'), canonical).to.equal(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('is one text per value: amounts that are equal come out the same, and it is a plain canonical decimal', () => {
    fc.assert(
      fc.property(decimalArb, fc.nat({ max: 5 }), fc.constantFrom(...CURRENCIES), (amount, extraZeros, currency) => {
        const padded = amount.includes('.') ? amount + '0'.repeat(Math.min(extraZeros, MAX_FRACTION_DIGITS - scaleOf(amount))) : amount;
        const canonical = canonicalMoneyAmount(amount, currency);
        expect(canonicalMoneyAmount(padded, currency)).to.equal(canonical);
        expect(canonicalDecimal(canonical)).to.equal(canonical);
      }),
      { numRuns: 1000 },
    );
  });
});

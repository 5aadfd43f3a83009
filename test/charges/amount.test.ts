import { expect } from 'chai';
import fc from 'fast-check';
import { ExactSum, formatExact, parseExact } from '../../lib/domain/charges';
import { parseCanonical, readExact, readScaled, ScaledSum } from '../../lib/domain/charges/amount';
import { addDecimal, compareDecimal, negateDecimal, sumDecimals } from '../../lib/domain/money';

const decimalArb = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }), fc.integer({ min: 0, max: 20 }))
  .map(([neg, n, places]) => {
    const digits = n.toString().padStart(places + 1, '0');
    const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
    return neg ? `-${text}` : text;
  });

describe('charges exact amounts (against lib/domain/money)', () => {
  it('reads amounts in one pass exactly as through lib/domain/money\'s canonical text, and refuses what it refuses', () => {
    fc.assert(fc.property(decimalArb, fc.constantFrom('', '+', '00'), (a, prefix) => {
      const text = prefix === '+' && !a.startsWith('-') ? `+${a}` : prefix === '00' ? a.replace(/^(-?)/, '$100') : a;
      expect(readExact(text)).to.deep.equal(parseCanonical(text));
      expect(parseExact(text)).to.deep.equal(parseCanonical(text));
    }));
    for (const bad of ['', '1e3', '12,50', '1.', '.5', '--1', '1.000000000000000000001', 'NaN']) expect(readExact(bad), bad).to.equal(null);
    for (const bad of ['', '1e3', '1.', '.5', '1.000000000000000000001']) expect(readScaled(bad), bad).to.equal(null);
    // In units of its own last place, also on the slow path (leading zeros past 20 digits).
    expect(readScaled('-4.50')).to.deep.equal({ units: -450n, places: 2 });
    expect(readScaled(`${'0'.repeat(25)}7.125`)).to.deep.equal({ units: 7125n, places: 3 });
  });

  it('sums amounts read in their own places exactly as ExactSum sums them, places included', () => {
    fc.assert(
      fc.property(fc.array(decimalArb, { maxLength: 20 }), (xs) => {
        const scaled = new ScaledSum();
        const exact = new ExactSum();
        for (const x of xs) {
          scaled.add(readScaled(x)!);
          exact.addText(x);
        }
        expect(scaled.exact()).to.deep.equal({ units: exact.units, places: exact.places });
      }),
    );
  });

  it('round-trips text the way lib/domain/money writes it', () => {
    expect(formatExact(parseExact('10000.00').units, 2)).to.equal('10000.00');
    expect(formatExact(parseExact('-0.000').units, 3)).to.equal('0.000');
    expect(formatExact(parseExact('0.1').units + parseExact('0.2').units, 1)).to.equal('0.3');
    expect(() => parseExact('1e3')).to.throw(RangeError);
    fc.assert(
      fc.property(decimalArb, (a) => {
        expect(formatExact(parseExact(a).units, parseExact(a).places)).to.equal(addDecimal(a, '0'));
      }),
    );
  });

  it('adds, subtracts and compares exactly as lib/domain/money does, with the same places', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, (a, b) => {
        const x = parseExact(a);
        const y = parseExact(b);
        const places = Math.max(x.places, y.places);
        expect(formatExact(x.units + y.units, places)).to.equal(addDecimal(a, b));
        expect(formatExact(x.units - y.units, places)).to.equal(addDecimal(a, negateDecimal(b)));
        expect(Math.sign(Number(x.units - y.units))).to.equal(compareDecimal(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it('sums like sumDecimals', () => {
    fc.assert(
      fc.property(fc.array(decimalArb, { maxLength: 20 }), (xs) => {
        const s = new ExactSum();
        xs.forEach((x) => s.addText(x));
        expect(s.toString()).to.equal(sumDecimals(xs));
      }),
    );
  });
});

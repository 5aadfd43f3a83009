/**
 * compareText (lib/domain/credit-order.ts) orders text as SQLite's BINARY collation does, its UTF-8
 * bytes: the same sign as comparing the encoded bytes, for any texts, surrogates included.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { compareText } from '../../lib/domain/credit-order';

const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

// Units from every range that orders differently in UTF-16 and UTF-8: ASCII, the BMP below and
// above the surrogates, high and low surrogates (in pairs and alone).
const unit = fc.oneof(
  fc.constantFrom(0x41, 0x7a, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xff5a, 0xfffd, 0xffff),
  fc.integer({ min: 0xd800, max: 0xdbff }),
  fc.integer({ min: 0xdc00, max: 0xdfff }),
  fc.integer({ min: 0x20, max: 0x7e }),
);
const text = fc.array(unit, { maxLength: 6 }).map((units) => String.fromCharCode(...units));

describe('compareText', () => {
  it('orders as the UTF-8 bytes do, whatever the texts', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(compareText(a, b), JSON.stringify([a, b])).to.equal(bytewise(a, b));
        expect(compareText(a + 'x', a + b), JSON.stringify([a, b])).to.equal(bytewise(a + 'x', a + b));
      }),
      { numRuns: 5000 },
    );
  });

  it('puts U+FF5A before U+1D7D8 (UTF-16 units order them the other way), a prefix first, equal texts level', () => {
    expect(compareText('ｚ', '𝟘')).to.equal(-1);
    expect('ｚ' < '𝟘').to.equal(false);
    expect(compareText('/providers/a', '/providers/ab')).to.equal(-1);
    expect(compareText('/providers/ab', '/providers/a')).to.equal(1);
    expect(compareText('same', 'same')).to.equal(0);
  });
});

/** The checks every ingested text goes through: control characters and currency codes, at their exact boundaries. */
import { expect } from 'chai';
import { controlCharacterProblem, currencyCodeProblem, hasControlCharacter, isCurrencyCode, quoteText } from '../../lib/platform/text-checks';

describe('text checks', () => {
  it('finds every C0 control, DEL and every C1 control, and nothing else', () => {
    const control = (code: number) => hasControlCharacter(`a${String.fromCharCode(code)}b`);
    const controls: number[] = [];
    for (let code = 0; code <= 0x2ff; code++) if (control(code)) controls.push(code);
    const expected = [...Array.from({ length: 0x20 }, (_, i) => i), 0x7f, ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i)];
    expect(controls).to.deep.equal(expected);
    // Text as providers write it: accents, dashes, non-breaking spaces, emoji, CJK.
    for (const text of ['Crédits – EC2', 'a\u00a0b', 'Σ 🚀 クレジット', '', ' ~']) expect(controlCharacterProblem(text), text).to.equal(null);
  });

  it('says which control character and where', () => {
    expect(controlCharacterProblem('ab\u0000c')).to.equal('holds the control character U+0000 at character 3; text may not hold control characters (C0, DEL or C1)');
    expect(controlCharacterProblem('\u009b31m')).to.match(/^holds the control character U\+009B at character 1;/);
    expect(controlCharacterProblem('line\r\n')).to.match(/U\+000D at character 5/);
  });

  it('takes three capital letters A-Z as a currency code, and nothing else', () => {
    for (const code of ['USD', 'EUR', 'JPY', 'XXX']) expect(isCurrencyCode(code), code).to.equal(true);
    for (const code of ['usd', 'Usd', 'US', 'USDX', 'US$', '840', '', ' USD', 'USD ', 'ÉUR', 'U\u0000D', 'USD\n']) expect(isCurrencyCode(code), JSON.stringify(code)).to.equal(false);
    expect(currencyCodeProblem('usd')).to.equal('"usd" is not an ISO 4217 currency code (three capital letters A-Z, such as "USD")');
    expect(currencyCodeProblem('EUR')).to.equal(null);
  });

  it('quotes a text for a message with its control characters escaped, cut when long', () => {
    expect(quoteText('a\u0007b\u007f\u0085"')).to.equal('"a\\u0007b\\u007f\\u0085""');
    expect(quoteText('x'.repeat(100))).to.equal(`"${'x'.repeat(80)}..."`);
  });
});

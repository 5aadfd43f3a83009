import { expect } from 'chai';
import { addDecimal, amountSortKey, canonicalDecimal, compareDecimal, decimalProblem, negateDecimal, sumDecimals } from '../../lib/domain/money';

describe('money (exact decimals)', () => {
  it('keeps every decimal place the source gave', () => {
    expect(canonicalDecimal('10000.00')).to.equal('10000.00');
    expect(canonicalDecimal('+007.50')).to.equal('7.50');
    expect(canonicalDecimal('-0.000')).to.equal('0.000');
  });

  it('adds without binary rounding', () => {
    expect(addDecimal('0.1', '0.2')).to.equal('0.3');
    expect(sumDecimals(['6250.4012345678', '-350.3012345678', '0.0000000001'])).to.equal('5900.1000000001');
    expect(sumDecimals([])).to.equal('0');
  });

  it('writes results with the places of the most precise operand', () => {
    expect(sumDecimals(['5000.00', '0'])).to.equal('5000.00');
    expect(sumDecimals(['0.1', '0.2', '0.005'])).to.equal('0.305');
    expect(addDecimal('10.10', '0.20')).to.equal('10.30');
    expect(negateDecimal('-640.00')).to.equal('640.00');
    expect(negateDecimal('12.5')).to.equal('-12.5');
    expect(negateDecimal('0.00')).to.equal('0.00');
  });

  it('rejects what is not a plain decimal, saying why', () => {
    expect(decimalProblem('1e400')).to.match(/not a decimal/);
    expect(decimalProblem('NaN')).to.match(/not a decimal/);
    expect(decimalProblem('1.' + '1'.repeat(40))).to.match(/more than 20 decimal places/);
    expect(decimalProblem('12.50')).to.equal(null);
  });

  it('sort keys order amounts numerically as plain text', () => {
    const amounts = ['100', '9.99', '0', '1000.5', '1000.49999', '25'];
    const byKey = [...amounts].sort((a, b) => (amountSortKey(a) < amountSortKey(b) ? -1 : 1));
    const byValue = [...amounts].sort(compareDecimal);
    expect(byKey).to.deep.equal(byValue);
    expect(amountSortKey('1.50')).to.equal(amountSortKey('1.5'));
  });
});

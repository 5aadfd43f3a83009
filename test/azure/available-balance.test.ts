/** A billing profile's available balance and the billing-account summary. */
import { expect } from 'chai';
import { availableBalance, closedBalanceIn, isLotAvailable, profileCreditSummary } from '../../subgraphs/azure/domain/available-balance';
import { AzureBillingProfile } from '../../subgraphs/azure/entities/billing-profile';
import { makeLot, NOW, RESEARCH } from './helpers';

describe('azure available balance', () => {
  it('counts only lots that are Active, started and not expired', () => {
    expect(isLotAvailable(makeLot(), NOW)).to.equal(true);
    expect(isLotAvailable(makeLot({ status: 'Inactive' }), NOW)).to.equal(false);
    expect(isLotAvailable(makeLot({ status: 'Expired' }), NOW)).to.equal(false);
    expect(isLotAvailable(makeLot({ startDate: '2026-12-01T00:00:00.001Z' }), NOW)).to.equal(false);
    expect(isLotAvailable(makeLot({ expirationDate: NOW }), NOW)).to.equal(false);
    expect(isLotAvailable(makeLot({ startDate: null, expirationDate: null }), NOW)).to.equal(true);
  });

  it('takes the closed balance in the profile currency, converted when the credit currency differs', () => {
    const usdOnly = makeLot({ closedBalance: { currency: 'USD', value: '10.50' } });
    const converted = makeLot({
      closedBalance: { currency: 'USD', value: '10.50' },
      closedBalanceInBillingCurrency: { currency: 'EUR', value: '9.66', exchangeRate: '0.92', exchangeRateMonth: 11 },
    });
    expect(closedBalanceIn(usdOnly, 'USD')).to.equal('10.50');
    expect(closedBalanceIn(converted, 'EUR')).to.equal('9.66');
    expect(closedBalanceIn(usdOnly, 'EUR')).to.equal(null);
  });

  it('sums exactly, keeping the scale, and leaves out lots it cannot express in the currency', () => {
    const lots = [
      makeLot({ name: 'A', closedBalance: { currency: 'EUR', value: '0.10' } }),
      makeLot({ name: 'B', closedBalance: { currency: 'EUR', value: '0.20' } }),
      makeLot({ name: 'C', closedBalance: { currency: 'USD', value: '5' }, closedBalanceInBillingCurrency: { currency: 'EUR', value: '4.6', exchangeRate: '0.92', exchangeRateMonth: 1 } }),
      makeLot({ name: 'D', closedBalance: { currency: 'GBP', value: '99' } }),
      makeLot({ name: 'E', closedBalance: { currency: 'EUR', value: '1000' }, status: 'Expired' }),
    ];
    expect(availableBalance('EUR', lots, NOW)).to.deep.equal({ currency: 'EUR', value: '4.90' });
    expect(availableBalance('EUR', [], NOW)).to.deep.equal({ currency: 'EUR', value: '0' });
  });

  it('summarises a profile: balance, counts per status (sorted), lot count', () => {
    const profile = Object.assign(new AzureBillingProfile(), { id: RESEARCH, currency: 'USD' });
    const lots = [makeLot({ name: 'A' }), makeLot({ name: 'B', status: 'Expired' }), makeLot({ name: 'C', closedBalance: { currency: 'USD', value: '1.5' } })];
    const summary = profileCreditSummary(profile, lots, NOW);
    expect(summary.billingProfile).to.equal(profile);
    expect(summary).to.deep.include({
      currency: 'USD',
      availableBalance: { currency: 'USD', value: '101.50' },
      lotCountsByStatus: [
        { status: 'Active', count: 2 },
        { status: 'Expired', count: 1 },
      ],
      lotCount: 3,
    });
  });
});

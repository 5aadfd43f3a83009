/** A billing profile's available balance and the billing-account summary. */
import { expect } from 'chai';
import { availableBalance, closedBalanceIn, isLotAvailable, profileCreditSummary } from '../../subgraphs/azure/domain/available-balance';
import { lotStatus } from '../../subgraphs/azure/domain/normalize-lot';
import { AzureBillingProfile } from '../../subgraphs/azure/entities/billing-profile';
import { makeLot, NOW, RESEARCH } from './helpers';

describe('azure available balance', () => {
  it('counts the lots whose normalized status is ACTIVE: started, not expired, exhausted or canceled', () => {
    expect(isLotAvailable(makeLot(), NOW)).to.equal(true);
    expect(isLotAvailable(makeLot({ status: 'Inactive' }), NOW)).to.equal(false);
    expect(isLotAvailable(makeLot({ status: 'Expired' }), NOW)).to.equal(false);
    expect(isLotAvailable(makeLot({ status: 'Canceled' }), NOW)).to.equal(false);
    expect(isLotAvailable(makeLot({ status: 'Complete' }), NOW)).to.equal(false);
    expect(isLotAvailable(makeLot({ startDate: '2026-12-01T00:00:00.001Z' }), NOW)).to.equal(false);
    expect(isLotAvailable(makeLot({ startDate: NOW }), NOW)).to.equal(true);
    expect(isLotAvailable(makeLot({ expirationDate: NOW }), NOW)).to.equal(false);
    expect(isLotAvailable(makeLot({ startDate: null, expirationDate: null }), NOW)).to.equal(true);
  });

  it('counts a started lot whose Azure status is "None" (or any unknown status), as the credits API shows it ACTIVE', () => {
    for (const status of ['None', 'Suspended']) {
      const lot = makeLot({ status, closedBalance: { currency: 'USD', value: '7.25' } });
      expect(lotStatus(lot, NOW), status).to.equal('ACTIVE');
      expect(isLotAvailable(lot, NOW), status).to.equal(true);
      expect(availableBalance('USD', [lot], NOW), status).to.deep.equal({ currency: 'USD', value: '7.25' });
      const future = makeLot({ status, startDate: '2027-01-01T00:00:00.000Z' });
      expect([lotStatus(future, NOW), isLotAvailable(future, NOW)], status).to.deep.equal(['NOT_STARTED', false]);
    }
  });

  it('counts a paused lot exactly when it would count unpaused (Azure knows nothing of pausing)', () => {
    const paused = makeLot({ paused: true });
    expect([lotStatus(paused, NOW), isLotAvailable(paused, NOW)]).to.deep.equal(['PAUSED', true]);
    const pausedNone = makeLot({ paused: true, status: 'None' });
    expect([lotStatus(pausedNone, NOW), isLotAvailable(pausedNone, NOW)]).to.deep.equal(['PAUSED', true]);
    // PAUSED outranks NOT_STARTED in the status, but a lot that has not started is not available.
    const pausedFuture = makeLot({ paused: true, startDate: '2027-01-01T00:00:00.000Z' });
    expect([lotStatus(pausedFuture, NOW), isLotAvailable(pausedFuture, NOW)]).to.deep.equal(['PAUSED', false]);
    const pausedInactive = makeLot({ paused: true, status: 'Inactive' });
    expect([lotStatus(pausedInactive, NOW), isLotAvailable(pausedInactive, NOW)]).to.deep.equal(['PAUSED', false]);
  });

  it('agrees with the status rule for every combination of facts', () => {
    const statuses = ['None', 'Active', 'Inactive', 'Expired', 'Complete', 'Canceled', 'Suspended'];
    const dates = [null, '2026-06-01T00:00:00.000Z', NOW, '2027-06-01T00:00:00.000Z'];
    let checked = 0;
    for (const status of statuses)
      for (const paused of [false, true])
        for (const value of ['0.00', '12.5'])
          for (const startDate of dates)
            for (const expirationDate of dates) {
              const lot = makeLot({ status, paused, startDate, expirationDate, closedBalance: { currency: 'USD', value } });
              const normalized = lotStatus(lot, NOW);
              const unpaused = lotStatus(makeLot({ status, startDate, expirationDate, closedBalance: { currency: 'USD', value } }), NOW);
              const label = JSON.stringify({ status, paused, value, startDate, expirationDate });
              expect(isLotAvailable(lot, NOW), label).to.equal(unpaused === 'ACTIVE');
              if (normalized === 'ACTIVE') expect(isLotAvailable(lot, NOW), label).to.equal(true);
              if (!['ACTIVE', 'PAUSED'].includes(normalized)) expect(isLotAvailable(lot, NOW), label).to.equal(false);
              checked++;
            }
    expect(checked).to.equal(7 * 2 * 2 * 4 * 4);
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
      makeLot({ name: 'F', closedBalance: { currency: 'EUR', value: '2000' }, status: 'Complete' }),
      makeLot({ name: 'G', closedBalance: { currency: 'EUR', value: '0.005' }, status: 'None' }),
    ];
    expect(availableBalance('EUR', lots, NOW)).to.deep.equal({ currency: 'EUR', value: '4.905' });
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

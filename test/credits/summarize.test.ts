import { expect } from 'chai';
import type { CreditStatus, NormalizedCredit, ProviderName } from '../../lib/provider-contract';
import { summarizeCredits } from '../../subgraphs/credits/domain/summarize';

const NOW = '2026-11-22T12:00:00.000Z';

function credit(provider: ProviderName, currency: string, status: CreditStatus, remaining: string, expiresAt: string | null): NormalizedCredit {
  const m = (amount: string) => ({ amount, currencyCode: currency });
  return {
    provider, providerCreditId: Math.random().toString(), name: 'c', type: 'OTHER', providerType: 'x', status, providerStatus: null,
    originalAmount: m('100.00'), remainingBalance: m(remaining), estimatedBalance: m(remaining), expiredAmount: m('0'),
    originalAmountInBillingCurrency: null, remainingBalanceInBillingCurrency: null, startsAt: null, expiresAt,
    applicableServices: [], owner: { kind: 'AWS_ACCOUNT', id: 'o', name: null },
    sharing: { scope: 'ORGANIZATION', accounts: [], costCategory: null, invoiceSections: [] },
  };
}

describe('credit summary', () => {
  const credits = [
    credit('AWS', 'USD', 'ACTIVE', '10.10', '2026-12-10T00:00:00.000Z'), // 18 days
    credit('AWS', 'USD', 'PAUSED', '0.20', '2027-01-10T00:00:00.000Z'), // 49 days
    credit('AWS', 'USD', 'EXPIRED', '5.00', '2026-11-01T00:00:00.000Z'),
    credit('AZURE', 'EUR', 'ACTIVE', '1.005', '2027-02-10T00:00:00.000Z'), // 80 days
    credit('AZURE', 'USD', 'EXHAUSTED', '0', '2026-12-01T00:00:00.000Z'),
    credit('AZURE', 'EUR', 'NOT_STARTED', '7', null),
  ];
  const summary = summarizeCredits(credits, NOW);

  it('totals per provider and currency, exactly, never across currencies', () => {
    expect(summary.totals.map((t) => [t.provider, t.currencyCode, t.creditCount, t.remainingBalance, t.originalAmount])).to.deep.equal([
      ['AWS', 'USD', 3, '15.30', '300.00'],
      ['AZURE', 'EUR', 2, '8.005', '200.00'],
      ['AZURE', 'USD', 1, '0', '100.00'],
    ]);
  });

  it('counts every status', () => {
    const counts = Object.fromEntries(summary.statusCounts.map((s) => [s.status, s.count]));
    expect(counts).to.deep.equal({ ACTIVE: 2, PAUSED: 1, EXHAUSTED: 1, EXPIRED: 1, NOT_STARTED: 1, CANCELED: 0 });
  });

  it('expiring within 30/60/90 days counts usable credits with balance only', () => {
    const rows = summary.expiring.map((e) => [e.withinDays, e.provider, e.currencyCode, e.creditCount, e.remainingBalance]);
    expect(rows).to.deep.equal([
      [30, 'AWS', 'USD', 1, '10.10'],
      [60, 'AWS', 'USD', 2, '10.30'],
      [90, 'AWS', 'USD', 2, '10.30'],
      [90, 'AZURE', 'EUR', 1, '1.005'],
    ]);
  });
});

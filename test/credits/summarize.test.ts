import { expect } from 'chai';
import { addDecimal, compareDecimal } from '../../lib/domain/money';
import type { CreditStatus, NormalizedCredit, ProviderName } from '../../lib/domain/provider-contract';
import { summarizeCredits } from '../../subgraphs/credits/domain/summarize';

const NOW = '2026-11-22T12:00:00.000Z';

function credit(provider: ProviderName, currency: string, status: CreditStatus, remaining: string, expiresAt: string | null, estimated = remaining): NormalizedCredit {
  const m = (amount: string) => ({ amount, currencyCode: currency });
  return {
    provider, providerCreditId: Math.random().toString(), name: 'c', type: 'OTHER', providerType: 'x', status, providerStatus: null,
    originalAmount: m('100.00'), remainingBalance: m(remaining), estimatedBalance: m(estimated), expiredAmount: m('0'),
    originalAmountInBillingCurrency: null, remainingBalanceInBillingCurrency: null, startsAt: null, expiresAt,
    applicableServices: [], owner: { kind: 'AWS_ACCOUNT', id: 'o', name: null },
    sharing: { scope: 'ORGANIZATION', accounts: [], accountCount: 0, costCategory: null, invoiceSections: [], invoiceSectionCount: 0 },
  };
}

describe('credit summary', () => {
  const credits = [
    credit('AWS', 'USD', 'ACTIVE', '10.10', '2026-12-10T00:00:00.000Z', '8.10'), // 18 days
    credit('AWS', 'USD', 'PAUSED', '0.20', '2027-01-10T00:00:00.000Z'), // 49 days
    credit('AWS', 'USD', 'EXPIRED', '5.00', '2026-11-01T00:00:00.000Z', '4.00'),
    credit('AZURE', 'EUR', 'ACTIVE', '1.005', '2027-02-10T00:00:00.000Z'), // 80 days
    credit('AZURE', 'USD', 'EXHAUSTED', '0', '2026-12-01T00:00:00.000Z'),
    credit('AZURE', 'EUR', 'NOT_STARTED', '7', null),
    // Balances left on credits that can no longer be used, expiring within the windows by their dates:
    // a canceled lot (like the demo's G100200306) and a lot the provider marked expired before its date.
    credit('AZURE', 'USD', 'CANCELED', '3000.00', '2026-12-20T00:00:00.000Z'), // 28 days
    credit('AZURE', 'EUR', 'EXPIRED', '40.00', '2027-01-05T00:00:00.000Z'), // 44 days
  ];
  const summary = summarizeCredits(credits, NOW);
  const total = (provider: string, currency: string) => summary.totals.find((t) => t.provider === provider && t.currencyCode === currency)!;

  it('totals per provider and currency, exactly, never across currencies', () => {
    expect(summary.totals.map((t) => [t.provider, t.currencyCode, t.creditCount, t.remainingBalance, t.originalAmount])).to.deep.equal([
      ['AWS', 'USD', 3, '15.30', '300.00'],
      ['AZURE', 'EUR', 3, '48.005', '300.00'],
      ['AZURE', 'USD', 2, '3000.00', '200.00'],
    ]);
  });

  it('never adds what EXPIRED, CANCELED or EXHAUSTED credits have left into the usable balance', () => {
    expect(summary.totals.map((t) => [t.provider, t.currencyCode, t.usableCreditCount, t.usableBalance, t.usableEstimatedBalance, t.unusableBalance])).to.deep.equal([
      // ACTIVE 10.10 (estimated 8.10) + PAUSED 0.20; the EXPIRED 5.00 (estimated 4.00) is unusable.
      ['AWS', 'USD', 2, '10.30', '8.30', '5.00'],
      // ACTIVE 1.005 + NOT_STARTED 7; the EXPIRED 40.00 is unusable.
      ['AZURE', 'EUR', 2, '8.005', '8.005', '40.00'],
      // Nothing usable: the EXHAUSTED credit has nothing left, the CANCELED one's 3000.00 will never pay.
      ['AZURE', 'USD', 0, '0', '0', '3000.00'],
    ]);
  });

  it('splits every remaining balance into usable and unusable, exactly', () => {
    for (const t of summary.totals) expect(compareDecimal(addDecimal(t.usableBalance, t.unusableBalance), t.remainingBalance), `${t.provider} ${t.currencyCode}`).to.equal(0);
    expect(total('AWS', 'USD').estimatedBalance).to.equal('12.30');
  });

  it('counts every status', () => {
    const counts = Object.fromEntries(summary.statusCounts.map((s) => [s.status, s.count]));
    expect(counts).to.deep.equal({ ACTIVE: 2, PAUSED: 1, EXHAUSTED: 1, EXPIRED: 2, NOT_STARTED: 1, CANCELED: 1 });
  });

  it('expiring within 30/60/90 days counts usable credits with balance only', () => {
    // The CANCELED 3000.00 (28 days) and the EXPIRED 40.00 (44 days) are in the windows by date, but can no longer be used.
    const rows = summary.expiring.map((e) => [e.withinDays, e.provider, e.currencyCode, e.creditCount, e.remainingBalance]);
    expect(rows).to.deep.equal([
      [30, 'AWS', 'USD', 1, '10.10'],
      [60, 'AWS', 'USD', 2, '10.30'],
      [90, 'AWS', 'USD', 2, '10.30'],
      [90, 'AZURE', 'EUR', 1, '1.005'],
    ]);
  });

  it('a filter that selects only unusable credits has nothing usable', () => {
    const lost = summarizeCredits(credits.filter((c) => c.status === 'EXPIRED' || c.status === 'CANCELED'), NOW);
    expect(lost.totals.map((t) => [t.provider, t.currencyCode, t.usableCreditCount, t.usableBalance, t.unusableBalance])).to.deep.equal([
      ['AWS', 'USD', 0, '0', '5.00'],
      ['AZURE', 'EUR', 0, '0', '40.00'],
      ['AZURE', 'USD', 0, '0', '3000.00'],
    ]);
    expect(lost.expiring).to.deep.equal([]);
  });
});

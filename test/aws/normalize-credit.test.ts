/** Unit tests of AWS normalization: credit types, status facts, the normalized record, applications. */
import { expect } from 'chai';
import {
  awsStatusFacts,
  CreditRow,
  normalizeAllocation,
  normalizeCredit,
  normalizeCreditType,
} from '../../subgraphs/aws/domain/normalize-credit';
import type { SharingLookups } from '../../subgraphs/aws/domain/sharing';
import { NOW } from './support';

export function creditRow(overrides: Partial<CreditRow> = {}): CreditRow {
  return {
    creditId: '90000000001',
    accountId: '111122223333',
    creditType: 'Promotion',
    description: 'AWS Activate Founders credits',
    initialCurrencyCode: 'USD',
    initialCurrencyAmount: '10000.00',
    remainingCurrencyCode: 'USD',
    remainingCurrencyAmount: '6250.4012345678',
    estimatedCurrencyCode: 'USD',
    estimatedCurrencyAmount: '5900.1000000000',
    applicableProductNames: ['Amazon Elastic Compute Cloud'],
    startDate: '2026-01-01T00:00:00.000Z',
    endDate: '2027-01-01T00:00:00.000Z',
    creditStatus: 'ENABLED',
    creditSharingType: 'DEFAULT',
    shareableAccounts: null,
    costCategoryArn: null,
    ruleName: null,
    ...overrides,
  };
}

const lookups: SharingLookups = {
  accounts: new Map([['111122223333', { accountId: '111122223333', name: 'Example Corp', payerAccountId: '111122223333' }]]),
  organizations: new Map(),
  categories: new Map(),
};

describe('AWS credit normalization', () => {
  it('maps credit types, keeping anything unknown as OTHER', () => {
    expect(normalizeCreditType('Promotion')).to.equal('PROMOTIONAL');
    expect(normalizeCreditType('Refund')).to.equal('REFUND');
    expect(normalizeCreditType('PurchasedCredit')).to.equal('PURCHASED');
    expect(normalizeCreditType('Prepaid')).to.equal('PURCHASED');
    expect(normalizeCreditType('CommittedSpend')).to.equal('COMMITMENT');
    expect(normalizeCreditType('TrueUp')).to.equal('OTHER');
    expect(normalizeCreditType('SomethingNew')).to.equal('OTHER');
  });

  it('states the status facts AWS gives', () => {
    expect(awsStatusFacts(creditRow())).to.deep.equal({
      canceled: false,
      expiredFlag: false,
      expiresAt: '2027-01-01T00:00:00.000Z',
      exhausted: false,
      paused: false,
      notStartedFlag: false,
      startsAt: '2026-01-01T00:00:00.000Z',
    });
    expect(awsStatusFacts(creditRow({ remainingCurrencyAmount: '0.00' })).exhausted).to.equal(true);
    expect(awsStatusFacts(creditRow({ remainingCurrencyAmount: '0' })).exhausted).to.equal(true);
    expect(awsStatusFacts(creditRow({ remainingCurrencyAmount: '0.0000000001' })).exhausted).to.equal(false);
    expect(awsStatusFacts(creditRow({ creditStatus: 'DISABLED' })).paused).to.equal(true);
    expect(awsStatusFacts(creditRow({ creditStatus: 'SUSPENDED_BY_AWS' })).paused).to.equal(false);
  });

  it('derives each status', () => {
    const status = (o: Partial<CreditRow>) => normalizeCredit(creditRow(o), lookups, NOW).status;
    expect(status({})).to.equal('ACTIVE');
    expect(status({ creditStatus: 'DISABLED' })).to.equal('PAUSED');
    expect(status({ remainingCurrencyAmount: '0' })).to.equal('EXHAUSTED');
    expect(status({ endDate: '2026-06-01T00:00:00.000Z' })).to.equal('EXPIRED');
    expect(status({ endDate: NOW })).to.equal('EXPIRED');
    expect(status({ startDate: '2027-01-01T00:00:00.000Z', endDate: null })).to.equal('NOT_STARTED');
  });

  it('builds the normalized record', () => {
    expect(normalizeCredit(creditRow(), lookups, NOW)).to.deep.equal({
      provider: 'AWS',
      providerCreditId: '90000000001',
      name: 'AWS Activate Founders credits',
      type: 'PROMOTIONAL',
      providerType: 'Promotion',
      status: 'ACTIVE',
      providerStatus: 'ENABLED',
      originalAmount: { amount: '10000.00', currencyCode: 'USD' },
      remainingBalance: { amount: '6250.4012345678', currencyCode: 'USD' },
      estimatedBalance: { amount: '5900.1000000000', currencyCode: 'USD' },
      expiredAmount: { amount: '0', currencyCode: 'USD' },
      originalAmountInBillingCurrency: null,
      remainingBalanceInBillingCurrency: null,
      startsAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2027-01-01T00:00:00.000Z',
      applicableServices: ['Amazon Elastic Compute Cloud'],
      owner: { kind: 'AWS_ACCOUNT', id: '111122223333', name: 'Example Corp' },
      sharing: { scope: 'ORGANIZATION', accounts: [], accountCount: 0, costCategory: null, invoiceSections: [], invoiceSectionCount: 0 },
    });
  });

  it('takes the remaining amount as estimated balance when AWS gives no estimate, and a null owner name when unknown', () => {
    const credit = normalizeCredit(creditRow({ estimatedCurrencyAmount: null, estimatedCurrencyCode: null, accountId: '999999999999' }), lookups, NOW);
    expect(credit.estimatedBalance).to.deep.equal({ amount: '6250.4012345678', currencyCode: 'USD' });
    expect(credit.owner).to.deep.equal({ kind: 'AWS_ACCOUNT', id: '999999999999', name: null });
  });

  it('turns an allocation entry into a positive application', () => {
    const row = {
      creditId: '90000000001',
      accountId: '444455556666',
      appliedServiceName: 'Amazon Elastic Compute Cloud',
      billingMonth: '2026-10',
      productCode: '',
      currencyCode: 'USD',
      currencyAmount: '-350.3012345678',
      isEstimatedBill: true,
    };
    const position = ['2026-10', '90000000001', '444455556666', 'Amazon Elastic Compute Cloud', '', 'IMPORTED'];
    expect(normalizeAllocation(row, 'team-data', position)).to.deep.equal({
      providerCreditId: '90000000001',
      position,
      month: '2026-10',
      consumer: { kind: 'AWS_ACCOUNT', id: '444455556666', name: 'team-data' },
      service: 'Amazon Elastic Compute Cloud',
      productCode: null,
      amount: { amount: '350.3012345678', currencyCode: 'USD' },
      estimated: true,
      invoiceNumber: null,
    });
  });
});

/** Lots as normalized credits: name, type, status facts and the record. */
import { expect } from 'chai';
import {
  creditTypeOfSource,
  lotCreditName,
  lotDerivedColumns,
  lotStatus,
  normalizeLot,
} from '../../subgraphs/azure/domain/normalize-lot';
import { amountWithRateColumns } from '../../subgraphs/azure/entities/amount';
import { AzureBillingProfile } from '../../subgraphs/azure/entities/billing-profile';
import { AzureInvoiceSection } from '../../subgraphs/azure/entities/invoice-section';
import { GENOMICS, lotId, makeLot, NOW, RESEARCH } from './helpers';

describe('azure lot normalization', () => {
  it('names a lot from its source and name', () => {
    expect(lotCreditName('PromotionalCredit', 'G111222333')).to.equal('Promotional credit G111222333');
    expect(lotCreditName('PurchasedCredit', 'G1')).to.equal('Purchased credit G1');
    expect(lotCreditName('ConsumptionCommitment', 'G1')).to.equal('Consumption commitment G1');
    expect(lotCreditName('AzurePrepayment', 'G1')).to.equal('Azure prepayment G1');
    expect(lotCreditName('', 'G1')).to.equal('Credit G1');
  });

  it('maps sources to credit types, unknown ones to OTHER', () => {
    expect(creditTypeOfSource('PromotionalCredit')).to.equal('PROMOTIONAL');
    expect(creditTypeOfSource('PurchasedCredit')).to.equal('PURCHASED');
    expect(creditTypeOfSource('AzurePrepayment')).to.equal('PURCHASED');
    expect(creditTypeOfSource('ConsumptionCommitment')).to.equal('COMMITMENT');
    expect(creditTypeOfSource('MysteryCredit')).to.equal('OTHER');
  });

  it('derives the status from the Azure status, dates, balance and the pause extension', () => {
    expect(lotStatus(makeLot(), NOW)).to.equal('ACTIVE');
    expect(lotStatus(makeLot({ status: 'Canceled' }), NOW)).to.equal('CANCELED');
    expect(lotStatus(makeLot({ status: 'Expired', expirationDate: '2030-01-01T00:00:00.000Z' }), NOW)).to.equal('EXPIRED');
    expect(lotStatus(makeLot({ expirationDate: NOW }), NOW)).to.equal('EXPIRED');
    expect(lotStatus(makeLot({ status: 'Complete' }), NOW)).to.equal('EXHAUSTED');
    expect(lotStatus(makeLot({ closedBalance: { currency: 'USD', value: '0.00' } }), NOW)).to.equal('EXHAUSTED');
    expect(lotStatus(makeLot({ paused: true }), NOW)).to.equal('PAUSED');
    expect(lotStatus(makeLot({ status: 'Inactive' }), NOW)).to.equal('NOT_STARTED');
    expect(lotStatus(makeLot({ startDate: '2027-01-01T00:00:00.000Z' }), NOW)).to.equal('NOT_STARTED');
    expect(lotStatus(makeLot({ status: 'Suspended' }), NOW)).to.equal('ACTIVE');
  });

  it('stores the name and sort keys the provider contract orders by', () => {
    expect(
      lotDerivedColumns({ id: lotId(RESEARCH, 'G9'), source: 'PurchasedCredit', name: 'G9', expirationDate: null, closedBalanceValue: '12.5' }),
    ).to.deep.equal({
      creditName: 'Purchased credit G9',
      searchText: `purchased credit g9\n${lotId(RESEARCH, 'G9').toLowerCase()}\npurchasedcredit`,
      sortExpiresAt: '~',
      sortRemaining: '00000000000000000012.50000000000000000000',
      closedBalanceIsZero: false,
    });
    expect(lotDerivedColumns({ id: 'x', source: 'X', name: 'G', expirationDate: null, closedBalanceValue: '0.000' }).closedBalanceIsZero).to.equal(true);
  });

  it('builds the normalized record with exact amounts, owner and sharing', () => {
    const lot = makeLot({
      name: 'G7',
      closedBalance: { currency: 'USD', value: '3120.55' },
      closedBalanceInBillingCurrency: { currency: 'EUR', value: '2870.906', exchangeRate: '0.92', exchangeRateMonth: 11 },
      sharedInvoiceSectionIds: [GENOMICS],
    });
    const profile = Object.assign(new AzureBillingProfile(), { id: RESEARCH, displayName: 'Research', currency: 'EUR' });
    const section = Object.assign(new AzureInvoiceSection(), { id: GENOMICS, name: 'SEC1', displayName: 'Genomics' });
    const credit = normalizeLot(lot, { profile, sectionsById: new Map([[GENOMICS, section]]) }, NOW);
    expect(credit).to.deep.equal({
      provider: 'AZURE',
      providerCreditId: lot.id,
      name: 'Promotional credit G7',
      type: 'PROMOTIONAL',
      providerType: 'PromotionalCredit',
      status: 'ACTIVE',
      providerStatus: 'Active',
      originalAmount: { amount: '500.00', currencyCode: 'USD' },
      remainingBalance: { amount: '3120.55', currencyCode: 'USD' },
      estimatedBalance: { amount: '3120.55', currencyCode: 'USD' },
      expiredAmount: { amount: '0', currencyCode: 'USD' },
      originalAmountInBillingCurrency: null,
      remainingBalanceInBillingCurrency: { amount: '2870.906', currencyCode: 'EUR', exchangeRate: '0.92', exchangeRateMonth: 11 },
      startsAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2027-01-01T00:00:00.000Z',
      applicableServices: [],
      owner: { kind: 'AZURE_BILLING_PROFILE', id: RESEARCH, name: 'Research' },
      sharing: { scope: 'INVOICE_SECTIONS', accounts: [], accountCount: 0, costCategory: null, invoiceSections: [{ id: GENOMICS, name: 'Genomics' }], invoiceSectionCount: 1 },
    });
  });

  it('owns a lot whose profile is unknown by id only, shared with the whole profile', () => {
    const credit = normalizeLot(makeLot({ originalAmountInBillingCurrencyColumns: amountWithRateColumns(null) }), { profile: null, sectionsById: new Map() }, NOW);
    expect(credit.owner).to.deep.equal({ kind: 'AZURE_BILLING_PROFILE', id: RESEARCH, name: null });
    expect(credit.sharing).to.deep.equal({ scope: 'ORGANIZATION', accounts: [], accountCount: 0, costCategory: null, invoiceSections: [], invoiceSectionCount: 0 });
  });
});

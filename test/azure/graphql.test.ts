/** The Azure subgraph over HTTP: native queries, federation entities, batching, the contract route, docs. */
import { runSql } from '../support/database';
import { expect } from 'chai';
import { GraphQLObjectType, isIntrospectionType, isObjectType } from 'graphql';
import { CONTRACT_PATHS } from '../../lib/domain/provider-contract';
import { startAzureSubgraph } from '../../subgraphs/azure';
import { buildAzureSchema } from '../../subgraphs/azure/schema';
import { gatewayHeaders, TEST_AUTH } from '../support/auth';
import { countStatements, EUROPE, GENOMICS, loadedDataDir, lotId, NOW, OWNER_CLAIMS, removeDir, RESEARCH } from './helpers';

const PROMO = lotId(RESEARCH, 'G-PROMO-1');

describe('azure subgraph GraphQL', () => {
  let dir: string;
  let running: Awaited<ReturnType<typeof startAzureSubgraph>>;

  async function graphql(query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(running.url, {
      method: 'POST',
      headers: { ...(await gatewayHeaders(OWNER_CLAIMS)), 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: any[] };
  }
  async function data(query: string, variables: Record<string, unknown> = {}) {
    const result = await graphql(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    return result.data;
  }

  before(async () => {
    dir = await loadedDataDir();
    running = await startAzureSubgraph({ dataDir: dir, port: 0, clock: () => new Date(NOW), auth: TEST_AUTH });
  });
  after(async () => {
    await running.stop();
    removeDir(dir);
  });

  it('lists billing accounts with profiles, sections, available balances and the credit summary', async () => {
    const { azureBillingAccounts } = await data(`{
      azureBillingAccounts(first: 5) { nodes {
        displayName agreementType
        billingProfiles(first: 10) { nodes { name currency availableBalance { currency value } invoiceSections(first: 10) { nodes { displayName } } } }
        creditSummary(first: 10) { nodes { billingProfile { displayName } currency availableBalance { value } lotCountsByStatus { status count } lotCount } }
      } } }`);
    const unpaged = (connection: { nodes: unknown[] }) => connection.nodes;
    expect(
      unpaged(azureBillingAccounts).map((a: any) => ({
        ...a,
        billingProfiles: unpaged(a.billingProfiles).map((p: any) => ({ ...p, invoiceSections: unpaged(p.invoiceSections) })),
        creditSummary: unpaged(a.creditSummary),
      })),
    ).to.deep.equal([
      {
        displayName: 'Northwind Labs',
        agreementType: 'MicrosoftCustomerAgreement',
        billingProfiles: [
          // E-USD-6 920.46 + E-PROMO-9 79.54 + E-ODD-8 50 (Azure status "Suspended": ACTIVE by the status rule).
          { name: 'EURO-2222-BBB-222', currency: 'EUR', availableBalance: { currency: 'EUR', value: '1050.00' }, invoiceSections: [{ displayName: 'Berlin office' }] },
          {
            name: 'RSCH-1111-AAA-111',
            currency: 'USD',
            availableBalance: { currency: 'USD', value: '3220.675' },
            invoiceSections: [{ displayName: 'Genomics' }, { displayName: 'Imaging' }],
          },
        ],
        creditSummary: [
          {
            billingProfile: { displayName: 'Europe' },
            currency: 'EUR',
            availableBalance: { value: '1050.00' },
            lotCountsByStatus: [{ status: 'Active', count: 2 }, { status: 'Canceled', count: 1 }, { status: 'Suspended', count: 1 }],
            lotCount: 4,
          },
          {
            billingProfile: { displayName: 'Research' },
            currency: 'USD',
            availableBalance: { value: '3220.675' },
            lotCountsByStatus: [
              { status: 'Active', count: 2 },
              { status: 'Complete', count: 1 },
              { status: 'Expired', count: 1 },
              { status: 'Inactive', count: 1 },
            ],
            lotCount: 5,
          },
        ],
      },
    ]);
  });

  it('exposes every lot field with exact amounts and the extension', async () => {
    await runSql(running.dataSource, `UPDATE azure_credit_lot SET sharedInvoiceSectionIds = ? WHERE id = ?`, [JSON.stringify([GENOMICS]), PROMO]);
    const { azureCreditLot } = await data(
      `query ($id: ID!) { azureCreditLot(id: $id) {
        id name type eTag billingProfileId
        originalAmount { currency value } closedBalance { currency value }
        originalAmountInBillingCurrency { currency value exchangeRate exchangeRateMonth }
        closedBalanceInBillingCurrency { currency value exchangeRate exchangeRateMonth }
        source startDate expirationDate purchasedDate poNumber reseller { resellerId } status creditCurrency billingCurrency
        isEstimatedBalance usedAmount { value } organizationType paused
        sharedInvoiceSections { displayName } billingProfile { displayName billingAccount { displayName } }
      } }`,
      { id: PROMO },
    );
    await runSql(running.dataSource, `UPDATE azure_credit_lot SET sharedInvoiceSectionIds = NULL WHERE id = ?`, [PROMO]);
    expect(azureCreditLot).to.deep.equal({
      id: PROMO,
      name: 'G-PROMO-1',
      type: 'Microsoft.Consumption/lots',
      eTag: '"0a1b2c"',
      billingProfileId: RESEARCH,
      originalAmount: { currency: 'USD', value: '5000.00' },
      closedBalance: { currency: 'USD', value: '3120.55' },
      originalAmountInBillingCurrency: { currency: 'USD', value: '5000.00', exchangeRate: '1.0', exchangeRateMonth: 9 },
      closedBalanceInBillingCurrency: { currency: 'USD', value: '3120.55', exchangeRate: '1.0', exchangeRateMonth: 11 },
      source: 'PromotionalCredit',
      startDate: '2026-09-01T00:00:00.000Z',
      expirationDate: '2027-08-31T23:59:59.000Z',
      purchasedDate: '2026-09-01T00:00:00.000Z',
      poNumber: null,
      reseller: null,
      status: 'Active',
      creditCurrency: 'USD',
      billingCurrency: 'USD',
      isEstimatedBalance: false,
      usedAmount: null,
      organizationType: null,
      paused: false,
      sharedInvoiceSections: [{ displayName: 'Genomics' }],
      billingProfile: { displayName: 'Research', billingAccount: { displayName: 'Northwind Labs' } },
    });
  });

  it('lists a profile\'s events in a date range, newest first, with their lots', async () => {
    const query = `query ($p: ID!, $s: DateTime!, $e: DateTime!) {
      azureEvents(billingProfileId: $p, startDate: $s, endDate: $e) { nodes {
        name eventType invoiceNumber billingProfileId charges { value } creditExpired { value } lot { name } billingProfile { displayName }
      } }
      azureBillingProfile(id: $p) { events(startDate: $s, endDate: $e) { nodes { name } } }
    }`;
    const result = await data(query, { p: RESEARCH, s: '2026-06-01T00:00:00Z', e: '2026-10-05T00:00:00Z' });
    expect(result.azureEvents.nodes).to.deep.equal([
      { name: 'ev-settled-2', eventType: 'SettledCharges', invoiceNumber: 'G0000001111', billingProfileId: RESEARCH, charges: { value: '-1879.45' }, creditExpired: null, lot: { name: 'G-PROMO-1' }, billingProfile: { displayName: 'Research' } },
      { name: 'ev-new-1', eventType: 'NewCredit', invoiceNumber: '', billingProfileId: RESEARCH, charges: { value: '0' }, creditExpired: null, lot: { name: 'G-PROMO-1' }, billingProfile: { displayName: 'Research' } },
      { name: 'ev-expired-3', eventType: 'ExpiredCredit', invoiceNumber: 'G0000000999', billingProfileId: RESEARCH, charges: null, creditExpired: { value: '-212.10' }, lot: { name: 'G-PURCH-2' }, billingProfile: { displayName: 'Research' } },
    ]);
    expect(result.azureBillingProfile.events.nodes.map((e: { name: string }) => e.name)).to.deep.equal(['ev-settled-2', 'ev-new-1', 'ev-expired-3']);
    const europe = await data(query, { p: EUROPE, s: '2020-01-01T00:00:00Z', e: '2030-01-01T00:00:00Z' });
    expect(europe.azureEvents.nodes).to.deep.equal([]);
  });

  it('requires both dates and refuses a reversed range without leaking a stack trace', async () => {
    const missing = await graphql(`{ azureEvents(billingProfileId: "x", startDate: "2026-01-01T00:00:00Z") { nodes { name } } }`);
    expect(missing.errors?.[0].message).to.match(/endDate/);
    const reversed = await graphql(`{ azureEvents(billingProfileId: "x", startDate: "2026-02-01T00:00:00Z", endDate: "2026-01-01T00:00:00Z") { nodes { name } } }`);
    expect(reversed.errors?.[0]).to.deep.include({ message: 'startDate must not be after endDate' });
    expect(reversed.errors?.[0].extensions.code).to.equal('BAD_USER_INPUT');
    expect(reversed.errors?.[0].extensions.stacktrace).to.equal(undefined);
  });

  it('resolves federation references of every entity type', async () => {
    const { _entities } = await data(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        __typename
        ... on AzureBillingAccount { displayName }
        ... on AzureBillingProfile { displayName }
        ... on AzureInvoiceSection { displayName }
        ... on AzureCreditLot { name }
        ... on AzureCreditEvent { name }
      } }`,
      {
        r: [
          { __typename: 'AzureCreditLot', id: PROMO },
          { __typename: 'AzureBillingProfile', id: EUROPE },
          { __typename: 'AzureInvoiceSection', id: GENOMICS },
          { __typename: 'AzureCreditEvent', id: `${RESEARCH}/providers/Microsoft.Consumption/events/ev-new-1` },
          { __typename: 'AzureBillingAccount', id: RESEARCH.replace(/\/billingProfiles\/.*/, '') },
          { __typename: 'AzureCreditLot', id: 'unknown' },
        ],
      },
    );
    expect(_entities).to.deep.equal([
      { __typename: 'AzureCreditLot', name: 'G-PROMO-1' },
      { __typename: 'AzureBillingProfile', displayName: 'Europe' },
      { __typename: 'AzureInvoiceSection', displayName: 'Genomics' },
      { __typename: 'AzureCreditEvent', name: 'ev-new-1' },
      { __typename: 'AzureBillingAccount', displayName: 'Northwind Labs' },
      null,
    ]);
  });

  it('loads nested lists with a constant number of SQL statements (no N+1)', async () => {
    const { result, statements } = await countStatements(running.dataSource, () => data(`{ azureBillingAccounts(first: 2) { nodes { billingProfiles(first: 2) { nodes {
      availableBalance { value }
      lots(first: 10) { nodes { name billingProfile { name billingAccount { name } } sharedInvoiceSections { name } } }
      invoiceSections(first: 10) { nodes { billingProfile { name } } }
      events(first: 10, startDate: "2020-01-01T00:00:00Z", endDate: "2030-01-01T00:00:00Z") { nodes { lot { name } billingProfile { name } } }
    } } creditSummary(first: 2) { nodes { lotCount } } } } }`));
    expect(result.azureBillingAccounts.nodes[0].billingProfiles.nodes.flatMap((p: any) => p.lots.nodes)).to.have.length(9);
    // accounts, profiles of accounts, lots of profiles, sections of profiles, events, profiles by id, accounts by id, lots by id:
    // 8 batches. A batch can split in two when its parents resolve in different ticks, never per item: one statement per
    // lot or event (N+1) would be well over 20 here.
    expect(statements).to.be.at.most(12);
  });

  it('serves the provider contract beside GraphQL', async () => {
    const base = running.url.replace(/\/graphql$/, '');
    const response = await fetch(base + CONTRACT_PATHS.searchCredits, {
      method: 'POST',
      headers: { ...(await gatewayHeaders(OWNER_CLAIMS)), 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { ownerIds: [EUROPE], statuses: ['ACTIVE'] }, order: { field: 'NAME', direction: 'ASC' }, after: null, limit: 10, now: NOW }),
    });
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { credits: { name: string }[] };
    expect(body.credits.map((c) => c.name)).to.deep.equal(['Mystery credit E-ODD-8', 'Promotional credit E-PROMO-9', 'Promotional credit E-USD-6']);
    const bad = await fetch(base + CONTRACT_PATHS.searchCredits, {
      method: 'POST',
      headers: { ...(await gatewayHeaders(OWNER_CLAIMS)), 'content-type': 'application/json' },
      body: JSON.stringify({ now: NOW }),
    });
    expect(bad.status).to.equal(400);
  });

  it('documents every type, field and argument of its own schema', async () => {
    const schema = await buildAzureSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type) || !type.name.startsWith('Azure') && type.name !== 'Query') continue;
      if (type.name !== 'Query' && !type.description) missing.push(type.name);
      if (!isObjectType(type)) continue;
      for (const field of Object.values((type as GraphQLObjectType).getFields())) {
        if (field.name.startsWith('_')) continue;
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    expect(missing).to.deep.equal([]);
  });
});

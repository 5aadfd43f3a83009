/**
 * The AWS subgraph served over HTTP: queries of every type, federation references, errors without
 * stack traces, batched loading (no N+1), documentation of the schema, and the provider contract route.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import { GraphQLObjectType, isObjectType } from 'graphql';
import { HttpCreditProvider, ProviderRequestError } from '../../lib/api/provider-http';
import { startAwsSubgraph } from '../../subgraphs/aws';
import { buildAwsSchema } from '../../subgraphs/aws/schema';
import { gatewayHeaders, TEST_AUTH } from '../support/auth';
import { CLAIMS, countQueries, loadFiles, loadFixtures, NOW, readFixture, tempDir, writeFile } from './support';
import { expectOnlyNotFound } from '../support/not-found';

type Running = Awaited<ReturnType<typeof startAwsSubgraph>>;

const FUNDING = 'arn:aws:ce::111122223333:costcategory/7d3a1c52-4b7e-4d8a-9f0e-2c6b5a4e3d21';
const ENVIRONMENT = 'arn:aws:ce::111122223333:costcategory/0a1b2c3d-1111-2222-3333-444455556666';

// These tests read as the management accounts of both organizations, who see everything loaded;
// test/aws/access-http.test.ts covers what other callers see.
describe('AWS subgraph over HTTP', () => {
  let dataDir: string;
  let server: Running;

  async function query(text: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: any[] }> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await gatewayHeaders(CLAIMS.bothPayers)) },
      body: JSON.stringify({ query: text, variables }),
    });
    return (await response.json()) as { data?: any; errors?: any[] };
  }

  async function data(text: string, variables: Record<string, unknown> = {}): Promise<any> {
    const result = await query(text, variables);
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    return result.data;
  }

  before(async () => {
    dataDir = tempDir();
    await loadFixtures(dataDir);
    server = await startAwsSubgraph({ dataDir, port: 0, clock: () => new Date(NOW), auth: TEST_AUTH });
  });
  after(async () => {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves accounts with their credits and history', async () => {
    const { awsAccounts, awsAccount } = await data(`{
      awsAccounts { nodes { accountId name isPayer payerAccountId organizationId } }
      awsAccount(accountId: "444455556666") {
        name email status joinedMethod joinedTimestamp arn
        credits { nodes { creditId } }
        allocationHistory { nodes { creditId billingMonth appliedServiceName creditAmount { currencyAmount } } }
      }
    }`);
    expect(awsAccounts.nodes.map((a: any) => a.accountId)).to.deep.equal([
      '111122223333', '123456789012', '210987654321', '444455556666', '555566667777', '777788889999', '999988887777',
    ]);
    expect(awsAccounts.nodes[0]).to.deep.equal({ accountId: '111122223333', name: 'Example Corp', isPayer: true, payerAccountId: '111122223333', organizationId: 'o-exampleorg1' });
    expect(awsAccount).to.deep.equal({
      name: 'team-data',
      email: 'data@example.com',
      status: 'ACTIVE',
      joinedMethod: 'INVITED',
      joinedTimestamp: '2024-06-01T10:00:00.000Z',
      arn: 'arn:aws:organizations::111122223333:account/o-exampleorg1/444455556666',
      credits: { nodes: [{ creditId: '90000000005' }] },
      allocationHistory: {
        nodes: [
          { creditId: '90000000001', billingMonth: '2026-10', appliedServiceName: 'Amazon Elastic Compute Cloud', creditAmount: { currencyAmount: '-350.3012345678' } },
          { creditId: '90000000001', billingMonth: '2026-09', appliedServiceName: 'Amazon Elastic Compute Cloud', creditAmount: { currencyAmount: '-1200.00' } },
        ],
      },
    });
    expectOnlyNotFound(await query('{ awsAccount(accountId: "000000000000") { name } }'), { awsAccount: { argument: 'accountId', id: '000000000000' } });
  });

  it('serves a credit with every GetCredits field, exact amounts and ISO dates', async () => {
    const { awsCredit } = await data(`{
      awsCredit(creditId: "90000000001") {
        creditId accountId account { name } creditType description
        initialAmount { currencyCode currencyAmount } remainingAmount { currencyCode currencyAmount } estimatedAmount { currencyCode currencyAmount }
        applicableProductNames startDate endDate exhaustDate applicationType creditSharingType costCategoryArn ruleName
        shareableAccounts accountHasCreditSharingEnabled creditConsoleVisibility purchaseTypeApplications creditStatus controlsChangedAt
        allocationHistory { nodes { accountId account { name } billingMonth isEstimatedBill description creditAmount { currencyCode currencyAmount } } }
      }
    }`);
    expect(awsCredit).to.deep.equal({
      creditId: '90000000001',
      accountId: '111122223333',
      account: { name: 'Example Corp' },
      creditType: 'Promotion',
      description: 'AWS Activate Founders credits',
      initialAmount: { currencyCode: 'USD', currencyAmount: '10000.00' },
      remainingAmount: { currencyCode: 'USD', currencyAmount: '6250.4012345678' },
      estimatedAmount: { currencyCode: 'USD', currencyAmount: '5900.1000000000' },
      applicableProductNames: ['Amazon Elastic Compute Cloud', 'Amazon Simple Storage Service'],
      startDate: '2026-01-01T00:00:00.000Z',
      endDate: '2027-01-01T00:00:00.000Z',
      exhaustDate: null,
      applicationType: 'BEFORE_CROSS_SERVICE_DISCOUNTS',
      creditSharingType: 'DEFAULT',
      costCategoryArn: null,
      ruleName: null,
      shareableAccounts: null,
      accountHasCreditSharingEnabled: true,
      creditConsoleVisibility: 'VISIBLE',
      purchaseTypeApplications: ['OnDemand', 'SavingsPlans'],
      creditStatus: 'ENABLED',
      controlsChangedAt: null,
      allocationHistory: {
        nodes: [
          { accountId: '444455556666', account: { name: 'team-data' }, billingMonth: '2026-10', isEstimatedBill: true, description: 'AWS Activate Founders credits', creditAmount: { currencyCode: 'USD', currencyAmount: '-350.3012345678' } },
          { accountId: '444455556666', account: { name: 'team-data' }, billingMonth: '2026-09', isEstimatedBill: false, description: 'AWS Activate Founders credits', creditAmount: { currencyCode: 'USD', currencyAmount: '-1200.00' } },
          { accountId: '777788889999', account: { name: 'team-web' }, billingMonth: '2026-09', isEstimatedBill: false, description: 'AWS Activate Founders credits', creditAmount: { currencyCode: 'USD', currencyAmount: '-49.2987654322' } },
        ],
      },
    });
    const { awsCredits } = await data('{ awsCredits(accountId: "111122223333") { nodes { creditId estimatedAmount { currencyAmount } } } }');
    expect(awsCredits.nodes.map((c: any) => c.creditId)).to.deep.equal(['90000000001', '90000000002', '90000000003', '90000000004', '90000000006']);
    expect(awsCredits.nodes[2].estimatedAmount).to.equal(null);
    expect((await data('{ awsCredits { nodes { creditId } } }')).awsCredits.nodes).to.have.length(7);
  });

  it('serves cost categories with their rules and the accounts of each value', async () => {
    const { awsCostCategories, awsCostCategory } = await data(
      `query ($arn: String!) {
        awsCostCategories { nodes { name } }
        awsCostCategory(costCategoryArn: $arn) {
          costCategoryArn name effectiveStart ruleVersion defaultValue
          rules { value type inheritedValue rule }
          values { nodes { value accounts { nodes { accountId } } } }
          product: accountsForValue(value: "Product") { nodes { name } }
          nothing: accountsForValue(value: "Nope") { nodes { name } }
        }
      }`,
      { arn: FUNDING },
    );
    expect(awsCostCategories.nodes.map((c: any) => c.name)).to.deep.equal(['Environment', 'FundingSource']);
    expect(awsCostCategory).to.deep.include({ costCategoryArn: FUNDING, name: 'FundingSource', effectiveStart: '2026-01-01T00:00:00.000Z', ruleVersion: 'CostCategoryExpression.v1', defaultValue: 'Unallocated' });
    expect(awsCostCategory.rules[0]).to.deep.equal({
      value: 'GrantNSF',
      type: 'REGULAR',
      inheritedValue: null,
      rule: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['123456789012'], MatchOptions: ['EQUALS'] } },
    });
    expect(awsCostCategory.values.nodes).to.deep.equal([
      { value: 'GrantNSF', accounts: { nodes: [{ accountId: '123456789012' }] } },
      { value: 'Product', accounts: { nodes: [{ accountId: '444455556666' }, { accountId: '777788889999' }] } },
      { value: 'Unallocated', accounts: { nodes: [{ accountId: '111122223333' }, { accountId: '210987654321' }] } },
    ]);
    expect(awsCostCategory.product.nodes).to.deep.equal([{ name: 'team-data' }, { name: 'team-web' }]);
    expect(awsCostCategory.nothing.nodes).to.deep.equal([]);
  });

  it('filters the allocation history and rejects a malformed month without a stack trace', async () => {
    const { all, september, credit2 } = await data(`{
      all: awsCreditAllocationHistory { nodes { creditId billingMonth } }
      september: awsCreditAllocationHistory(startMonth: "2026-09", endMonth: "2026-09", accountId: "444455556666") { nodes { creditId billingMonth } }
      credit2: awsCreditAllocationHistory(creditId: "90000000002") { nodes { accountId } }
    }`);
    expect(all.nodes.map((a: any) => a.billingMonth)).to.deep.equal(['2026-10', '2026-09', '2026-09', '2026-09']);
    expect(september.nodes).to.deep.equal([{ creditId: '90000000001', billingMonth: '2026-09' }]);
    expect(credit2.nodes).to.deep.equal([{ accountId: '123456789012' }]);
    const bad = await query('{ awsCreditAllocationHistory(startMonth: "2026-9") { nodes { creditId } } }');
    expect(bad.errors).to.have.length(1);
    expect(bad.errors![0].message).to.equal('startMonth must be a billing month written YYYY-MM, got "2026-9"');
    expect(bad.errors![0].extensions.code).to.equal('BAD_USER_INPUT');
    expect(bad.errors![0].extensions.argument).to.equal('startMonth');
    expect(bad.errors![0].extensions).to.not.have.property('stacktrace');
  });

  it('resolves federation references of every entity', async () => {
    const { _entities } = await data(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on AwsCredit { description }
          ... on AwsAccount { name }
          ... on AwsCostCategory { name }
        }
      }`,
      {
        representations: [
          { __typename: 'AwsCredit', creditId: '90000000003' },
          { __typename: 'AwsAccount', accountId: '777788889999' },
          { __typename: 'AwsCostCategory', costCategoryArn: ENVIRONMENT },
          { __typename: 'AwsCredit', creditId: '404' },
        ],
      },
    );
    expect(_entities).to.deep.equal([{ description: 'Service credit - EC2 SLA event' }, { name: 'team-web' }, { name: 'Environment' }, null]);
  });

  it('answers the provider contract under /provider/v1', async () => {
    const client = new HttpCreditProvider('AWS', server.url, { headers: await gatewayHeaders(CLAIMS.bothPayers) });
    const credits = await client.searchCredits({ filter: { statuses: ['ACTIVE'] }, order: { field: 'NAME', direction: 'ASC' }, after: null, limit: 2, now: NOW });
    expect(credits.map((c) => c.name)).to.deep.equal(['AWS Activate Founders credits', 'Prepaid usage credits']);
    expect((await client.getCredits(['90000000003'], NOW))[0].status).to.equal('PAUSED');
    const failure = await client
      .searchCredits({ filter: {}, order: { field: 'COLOR' as never, direction: 'ASC' }, after: null, limit: null, now: NOW })
      .then(() => null, (e) => e);
    expect(failure).to.be.instanceOf(ProviderRequestError);
    expect(String(failure.message)).to.contain('order must be');
    // Malformed requests are refused by the contract route before the provider sees them.
    const malformed: [Record<string, unknown>, string][] = [
      [{ limit: -1 }, 'limit'],
      [{ now: 'today' }, 'now'],
      [{ filter: { statuses: ['GONE'] } }, 'filter.statuses'],
      [{ filter: { expiresBefore: 'soon' } }, 'filter.expiresBefore'],
    ];
    for (const [extra, field] of malformed) {
      const request = { filter: {}, order: { field: 'NAME', direction: 'ASC' }, after: null, limit: null, now: NOW, ...extra } as never;
      const error = await client.searchCredits(request).then(() => null, (e) => e);
      expect(error, JSON.stringify(extra)).to.be.instanceOf(ProviderRequestError);
      expect(String(error.message)).to.contain(field);
    }
  });

  it('pages applications over the contract after a position, and refuses a page that is none, naming the field', async () => {
    const client = new HttpCreditProvider('AWS', server.url, { headers: await gatewayHeaders(CLAIMS.bothPayers) });
    const [head] = await client.getApplications(['90000000001'], { first: 1, after: null });
    const [next] = await client.getApplications(['90000000001'], { first: 1, after: head.applications[0].position });
    expect(next.applications.map((a) => a.position)).to.not.deep.equal(head.applications.map((a) => a.position));
    expect([head.hasNextPage, head.totalCount, next.totalCount]).to.deep.equal([true, 3, 3]);
    const refused: [unknown, string][] = [
      [{ first: 101, after: null }, 'page.first'],
      [{ first: 1.5, after: null }, 'page.first'],
      // What the contract was: pages by position in the list.
      [{ first: 1, offset: 1 }, 'page.offset'],
      [{ first: 1, after: '2026-10' }, 'page.after'],
      [{ first: 1, after: [] }, 'page.after'],
      [{ first: 1, after: [null] }, 'page.after'],
      [{ first: 1, after: [{}] }, 'page.after'],
      [{ first: 1, after: ['x'.repeat(1025)] }, 'page.after'],
      [{ first: 1, after: Array.from({ length: 17 }, () => 'x') }, 'page.after'],
      // Well-formed, but no position of AWS's order (6 texts): the provider refuses it.
      [{ first: 1, after: ['2026-10'] }, 'page.after'],
      [{ first: 1, after: [1, 2, 3, 4, 5, 6] }, 'page.after'],
    ];
    for (const [page, field] of refused) {
      const error = await client.getApplications(['90000000001'], page as never).then(() => null, (e) => e);
      expect(error, JSON.stringify(page)).to.be.instanceOf(ProviderRequestError);
      expect(error.field, JSON.stringify(page)).to.equal(field);
    }
  });
});

describe('AWS subgraph batching', () => {
  it('reads 50 credits with accounts and history in as many statements as 5', async () => {
    const dataDir = tempDir();
    const template = readFixture('get-credits.json').credits[0];
    const owners = ['111122223333', '444455556666', '777788889999', '123456789012', '210987654321'];
    const credits = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ ...template, creditId: String(80000000000 + i), accountId: owners[i % owners.length] }));
    const history = (n: number) => ({
      creditAllocationHistoryList: Array.from({ length: n }, (_, i) => ({
        creditId: String(80000000000 + i),
        creditAmount: { currencyCode: 'USD', currencyAmount: '-1.00' },
        accountId: owners[(i + 1) % owners.length],
        appliedServiceName: 'Amazon Elastic Compute Cloud',
        billingMonth: '2026-09',
        isEstimatedBill: false,
      })),
    });
    await loadFixtures(dataDir, ['list-accounts.json']);
    const server = await startAwsSubgraph({ dataDir, port: 0, clock: () => new Date(NOW), auth: TEST_AUTH });
    const statements = async (n: number) => {
      await loadFiles(dataDir, [writeFile(dataDir, `credits-${n}.json`, { credits: credits(n) }), writeFile(dataDir, `history-${n}.json`, history(n))]);
      const { result, queries } = await countQueries(server.dataSource, async () => {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(await gatewayHeaders(CLAIMS.payer)) },
          body: JSON.stringify({ query: '{ awsCredits { nodes { creditId account { name credits { nodes { creditId } } } allocationHistory { nodes { account { name } } } } } }' }),
        });
        return (await response.json()) as any;
      });
      expect(result.errors).to.equal(undefined);
      expect(result.data.awsCredits.nodes).to.have.length(n);
      return queries.length;
    };
    try {
      const few = await statements(5);
      const many = await statements(50);
      expect(many).to.equal(few);
      // Two statements resolve the caller's scope; the rest load the credits and their relations.
      expect(many).to.be.at.most(7);
    } finally {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('AWS schema', () => {
  it('documents every type, field and argument of its own', async () => {
    const schema = await buildAwsSchema();
    const undocumented: string[] = [];
    const own = Object.values(schema.getTypeMap()).filter(
      (t): t is GraphQLObjectType => isObjectType(t) && (t.name.startsWith('Aws') || t.name === 'Query'),
    );
    expect(own.map((t) => t.name)).to.include.members(['AwsAccount', 'AwsCredit', 'AwsAmount', 'AwsCreditAllocation', 'AwsCostCategory', 'AwsCostCategoryRule', 'AwsCostCategoryValue',
      'AwsAccountConnection', 'AwsAccountEdge', 'AwsCreditConnection', 'AwsCreditAllocationConnection', 'AwsCostCategoryConnection', 'AwsCostCategoryValueConnection',
    ]);
    for (const type of own) {
      if (type.name !== 'Query' && !type.description) undocumented.push(type.name);
      for (const field of Object.values(type.getFields())) {
        if (field.name.startsWith('_')) continue;
        if (!field.description) undocumented.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    expect(undocumented).to.deep.equal([]);
  });
});

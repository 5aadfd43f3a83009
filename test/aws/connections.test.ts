/**
 * The AWS connections, through the real subgraph over HTTP and through the gateway: every
 * connection paged to its end in small pages gives each item once and in order (against unpaged
 * SQL reads), page info and cursors, bad page arguments, the caller's scope on every page, a
 * constant number of SQL statements for nested pages, and demand control refusing nested pages
 * under aliases before anything runs.
 */
import 'reflect-metadata';
import { expect } from 'chai';
import fs from 'node:fs';
import { encodeCursor } from '../../lib/platform/connection';
import type { RunningProviderSubgraph } from '../../lib/api/provider-subgraph';
import { startAwsSubgraph } from '../../subgraphs/aws';
import { accountsForValue, categoryValues, CostCategoryDefinition } from '../../subgraphs/aws/domain/cost-category-rules';
import { gatewayHeaders, TEST_AUTH, TestClaims, tokenFor } from '../support/auth';
import { graphql, Stack, startStack, TEST_NOW } from '../support/stack';
import { ALL_FIXTURES, CLAIMS, countQueries, fixture, loadFiles, NOW, readFixture, tempDir, writeFile } from './support';
import { runSql } from '../support/database';

const PAYER = '111122223333';
const TEAM_DATA = '444455556666';
const TEAM_WEB = '777788889999';
const RESEARCH = '123456789012';
const OTHER_PAYER = '555566667777';
const ENVIRONMENT = 'arn:aws:ce::111122223333:costcategory/0a1b2c3d-1111-2222-3333-444455556666';
const ALPHA = 'arn:aws:ce::111122223333:costcategory/a1a1a1a1-0000-0000-0000-000000000001';

/** Twelve more accounts of o-exampleorg1, so lists of accounts span many pages. */
const GENERATED_ACCOUNTS = Array.from({ length: 12 }, (_, i) => String(300000000000 + i * 7));

/** Twenty-three more credits, owned across the organizations' accounts, one in four owner-only. */
const GENERATED_CREDITS = Array.from({ length: 23 }, (_, i) => String(81000000000 + i * 3));
const OWNERS = [PAYER, TEAM_DATA, TEAM_WEB, RESEARCH, ...GENERATED_ACCOUNTS.slice(0, 3), OTHER_PAYER];

/** Allocation history with many ties within a month: 4 credits x 3 accounts x 2 services x 3 months. */
const HISTORY_CREDITS = GENERATED_CREDITS.slice(0, 4);
const HISTORY_ACCOUNTS = [TEAM_WEB, TEAM_DATA, PAYER];
const SERVICES = ['Amazon Simple Storage Service', 'Amazon Elastic Compute Cloud'];
const MONTHS = ['2026-09', '2026-08', '2026-10'];

function generatedFiles(dir: string): string[] {
  const accounts = {
    Accounts: GENERATED_ACCOUNTS.map((id, i) => ({
      Id: id,
      Arn: `arn:aws:organizations::${PAYER}:account/o-exampleorg1/${id}`,
      Email: `gen-${i}@example.com`,
      Name: `gen-${String(i).padStart(2, '0')}`,
      Status: 'ACTIVE',
      JoinedMethod: 'CREATED',
      JoinedTimestamp: '2025-06-01T00:00:00Z',
    })),
  };
  const template = readFixture('get-credits.json').credits[0];
  const credits = {
    credits: GENERATED_CREDITS.map((creditId, i) => ({
      ...template,
      creditId,
      accountId: OWNERS[i % OWNERS.length],
      creditSharingType: i % 4 === 3 ? 'DISABLED' : 'DEFAULT',
    })),
  };
  const history = {
    creditAllocationHistoryList: HISTORY_CREDITS.flatMap((creditId) =>
      HISTORY_ACCOUNTS.flatMap((accountId) =>
        SERVICES.flatMap((appliedServiceName) =>
          MONTHS.map((billingMonth) => ({
            creditId,
            creditAmount: { currencyCode: 'USD', currencyAmount: '-1.25' },
            accountId,
            appliedServiceName,
            billingMonth,
            isEstimatedBill: billingMonth === '2026-10',
          })),
        ),
      ),
    ),
  };
  // Nine values (one per rule) give a list of values several pages long; the other
  // organization's "Environment" ties with o-exampleorg1's on the name.
  const alpha = {
    CostCategoryArn: ALPHA,
    Name: 'Alpha',
    RuleVersion: 'CostCategoryExpression.v1',
    Rules: GENERATED_ACCOUNTS.slice(0, 8).map((id, i) => ({ Value: `Team${i}`, Type: 'REGULAR', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [id] } } })),
    DefaultValue: 'Rest',
  };
  const otherEnvironment = {
    CostCategoryArn: `arn:aws:ce::${OTHER_PAYER}:costcategory/0a1b2c3d-9999-2222-3333-444455556666`,
    Name: 'Environment',
    Rules: [{ Value: 'Production', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT_NAME', Values: ['x'], MatchOptions: ['STARTS_WITH'] } } }],
    DefaultValue: 'Other',
  };
  return [
    writeFile(dir, 'generated-accounts.json', accounts),
    writeFile(dir, 'generated-credits.json', credits),
    writeFile(dir, 'generated-history.json', history),
    writeFile(dir, 'alpha-category.json', alpha),
    writeFile(dir, 'other-environment-category.json', otherEnvironment),
  ];
}

/** One allocation history entry as a comparable text: the whole sort key. */
const HISTORY_FIELDS = 'billingMonth creditId accountId appliedServiceName productCode computed';
const historyKey = (h: any) => `${h.billingMonth}|${h.creditId}|${h.accountId}|${h.appliedServiceName}|${h.productCode ?? ''}|${h.computed ? 'COMPUTED' : 'IMPORTED'}`;
const HISTORY_SQL = `SELECT billingMonth, creditId, accountId, appliedServiceName, productCode, origin FROM aws_credit_allocation WHERE superseded = FALSE`;
const HISTORY_ORDER = 'ORDER BY billingMonth DESC, creditId, accountId, appliedServiceName, productCode, origin';
const sqlHistoryKey = (r: any) => `${r.billingMonth}|${r.creditId}|${r.accountId}|${r.appliedServiceName}|${r.productCode}|${r.origin}`;

/** A 20-alias query nesting account -> credits -> account -> credits at the default page sizes. */
const NESTED_UNDER_ALIASES = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: awsAccounts { nodes { credits { nodes { account { credits { nodes { creditId } } } } } } }`).join(' ')} }`;
const NORMAL_NESTED_PAGE = `{ awsAccounts(first: 5) { nodes { accountId credits(first: 5) { nodes { account { credits(first: 5) { nodes { creditId } } } } } } } }`;

describe('AWS connections over HTTP', () => {
  let dataDir: string;
  let server: RunningProviderSubgraph;

  async function post(claims: TestClaims, text: string, variables: Record<string, unknown> = {}): Promise<{ status: number; body: { data?: any; errors?: any[] } }> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await gatewayHeaders(claims)) },
      body: JSON.stringify({ query: text, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
  }

  async function data(claims: TestClaims, text: string, variables: Record<string, unknown> = {}): Promise<any> {
    const { body } = await post(claims, text, variables);
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    return body.data;
  }

  /**
   * Pages a connection to its end: `text` takes $first and $after, `pick` finds the connection in
   * the answer. Checks every page's shape and page info, and returns the nodes of all pages.
   */
  async function walk(claims: TestClaims, text: string, pick: (data: any) => any, first: number, variables: Record<string, unknown> = {}): Promise<any[]> {
    const nodes: any[] = [];
    let after: string | null = null;
    for (let pages = 0; ; pages++) {
      expect(pages, 'pages never end').to.be.below(500);
      const connection = pick(await data(claims, text, { ...variables, first, after }));
      const { edges, pageInfo } = connection;
      expect(connection.nodes, 'nodes are the edges\' nodes').to.deep.equal(edges.map((e: any) => e.node));
      expect(edges.length).to.be.at.most(first);
      expect(pageInfo.hasPreviousPage, 'hasPreviousPage').to.equal(after !== null);
      expect(pageInfo.startCursor).to.equal(edges[0]?.cursor ?? null);
      expect(pageInfo.endCursor).to.equal(edges[edges.length - 1]?.cursor ?? null);
      if (pageInfo.hasNextPage) expect(edges.length, 'a page followed by more is full').to.equal(first);
      nodes.push(...connection.nodes);
      if (!pageInfo.hasNextPage) return nodes;
      after = pageInfo.endCursor;
    }
  }

  const PAGE = (selection: string) => `edges { cursor node { ${selection} } } nodes { ${selection} } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

  async function sql(text: string, params: unknown[] = []): Promise<any[]> {
    return runSql(server.dataSource, text, params);
  }

  before(async () => {
    dataDir = tempDir();
    await loadFiles(dataDir, [...ALL_FIXTURES.map(fixture), ...generatedFiles(dataDir)]);
    server = await startAwsSubgraph({ dataDir, port: 0, clock: () => new Date(NOW), auth: TEST_AUTH });
  });
  after(async () => {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe('paging to the end', () => {
    it('gives every account, credit and cost category of a root list once, in order', async () => {
      const accounts = (await sql('SELECT accountId FROM aws_account ORDER BY accountId')).map((r) => r.accountId);
      const credits = (await sql('SELECT creditId FROM aws_credit ORDER BY creditId')).map((r) => r.creditId);
      const owned = (await sql('SELECT creditId FROM aws_credit WHERE accountId = ? ORDER BY creditId', [TEAM_DATA])).map((r) => r.creditId);
      const categories = (await sql('SELECT costCategoryArn FROM aws_cost_category ORDER BY name, costCategoryArn')).map((r) => r.costCategoryArn);
      expect(accounts).to.have.length(19);
      expect(credits).to.have.length(30);
      expect(categories).to.have.length(4);
      for (const first of [1, 4]) {
        const gotAccounts = await walk(CLAIMS.bothPayers, `query ($first: Int!, $after: String) { awsAccounts(first: $first, after: $after) { ${PAGE('accountId')} } }`, (d) => d.awsAccounts, first);
        expect(gotAccounts.map((a) => a.accountId), `accounts by ${first}`).to.deep.equal(accounts);
        const gotCredits = await walk(CLAIMS.bothPayers, `query ($first: Int!, $after: String) { awsCredits(first: $first, after: $after) { ${PAGE('creditId')} } }`, (d) => d.awsCredits, first);
        expect(gotCredits.map((c) => c.creditId), `credits by ${first}`).to.deep.equal(credits);
        const gotOwned = await walk(
          CLAIMS.bothPayers,
          `query ($first: Int!, $after: String, $owner: ID) { awsCredits(accountId: $owner, first: $first, after: $after) { ${PAGE('creditId')} } }`,
          (d) => d.awsCredits,
          first,
          { owner: TEAM_DATA },
        );
        expect(gotOwned.map((c) => c.creditId), `credits of one owner by ${first}`).to.deep.equal(owned);
        const gotCategories = await walk(
          CLAIMS.bothPayers,
          `query ($first: Int!, $after: String) { awsCostCategories(first: $first, after: $after) { ${PAGE('costCategoryArn name')} } }`,
          (d) => d.awsCostCategories,
          first,
        );
        expect(gotCategories.map((c) => c.costCategoryArn), `categories by ${first}`).to.deep.equal(categories);
      }
    });

    it('gives every allocation history entry once, newest month first, across ties within a month', async () => {
      const all = (await sql(`${HISTORY_SQL} ${HISTORY_ORDER}`)).map(sqlHistoryKey);
      expect(all).to.have.length(76);
      const filtered = (await sql(`${HISTORY_SQL} AND accountId = ? AND billingMonth >= ? AND billingMonth <= ? ${HISTORY_ORDER}`, [TEAM_DATA, '2026-09', '2026-10'])).map(sqlHistoryKey);
      const ofCredit = (await sql(`${HISTORY_SQL} AND creditId = ? ${HISTORY_ORDER}`, [HISTORY_CREDITS[1]])).map(sqlHistoryKey);
      expect(filtered).to.have.length(18);
      const text = `query ($first: Int!, $after: String, $accountId: ID, $creditId: ID, $start: String, $end: String) {
        awsCreditAllocationHistory(first: $first, after: $after, accountId: $accountId, creditId: $creditId, startMonth: $start, endMonth: $end) { ${PAGE(HISTORY_FIELDS)} }
      }`;
      for (const first of [1, 5, 7]) {
        expect((await walk(CLAIMS.bothPayers, text, (d) => d.awsCreditAllocationHistory, first)).map(historyKey), `all by ${first}`).to.deep.equal(all);
        const got = await walk(CLAIMS.bothPayers, text, (d) => d.awsCreditAllocationHistory, first, { accountId: TEAM_DATA, start: '2026-09', end: '2026-10' });
        expect(got.map(historyKey), `filtered by ${first}`).to.deep.equal(filtered);
        const credit = await walk(CLAIMS.bothPayers, text, (d) => d.awsCreditAllocationHistory, first, { creditId: HISTORY_CREDITS[1] });
        expect(credit.map(historyKey), `one credit by ${first}`).to.deep.equal(ofCredit);
      }
    });

    it("gives every item of an account's, a credit's and a cost category's connections once, in order", async () => {
      const owned = (await sql('SELECT creditId FROM aws_credit WHERE accountId = ? ORDER BY creditId', [PAYER])).map((r) => r.creditId);
      const charged = (await sql(`${HISTORY_SQL} AND accountId = ? ${HISTORY_ORDER}`, [TEAM_WEB])).map(sqlHistoryKey);
      const applied = (await sql(`${HISTORY_SQL} AND creditId = ? ${HISTORY_ORDER}`, [HISTORY_CREDITS[2]])).map(sqlHistoryKey);
      const [alphaRow] = await sql('SELECT ruleDefinitions, defaultValue FROM aws_cost_category WHERE costCategoryArn = ?', [ALPHA]);
      const alpha: CostCategoryDefinition = { rules: JSON.parse(alphaRow.ruleDefinitions), defaultValue: alphaRow.defaultValue };
      const [environmentRow] = await sql('SELECT ruleDefinitions, defaultValue FROM aws_cost_category WHERE costCategoryArn = ?', [ENVIRONMENT]);
      const environment: CostCategoryDefinition = { rules: JSON.parse(environmentRow.ruleDefinitions), defaultValue: environmentRow.defaultValue };
      const organization = await sql('SELECT accountId, name FROM aws_account WHERE payerAccountId = ? ORDER BY accountId', [PAYER]);
      const production = accountsForValue(environment, organization, 'Production').map((a) => a.accountId);
      expect(owned.length).to.be.at.least(8);
      expect(charged).to.have.length(25);
      expect(categoryValues(alpha)).to.have.length(9);
      expect(production.length).to.be.at.least(14);

      for (const first of [1, 3]) {
        const credits = await walk(
          CLAIMS.bothPayers,
          `query ($first: Int!, $after: String) { awsAccount(accountId: "${PAYER}") { credits(first: $first, after: $after) { ${PAGE('creditId')} } } }`,
          (d) => d.awsAccount.credits,
          first,
        );
        expect(credits.map((c) => c.creditId), `account credits by ${first}`).to.deep.equal(owned);
        const history = await walk(
          CLAIMS.bothPayers,
          `query ($first: Int!, $after: String) { awsAccount(accountId: "${TEAM_WEB}") { allocationHistory(first: $first, after: $after) { ${PAGE(HISTORY_FIELDS)} } } }`,
          (d) => d.awsAccount.allocationHistory,
          first,
        );
        expect(history.map(historyKey), `account history by ${first}`).to.deep.equal(charged);
        const creditHistory = await walk(
          CLAIMS.bothPayers,
          `query ($first: Int!, $after: String) { awsCredit(creditId: "${HISTORY_CREDITS[2]}") { allocationHistory(first: $first, after: $after) { ${PAGE(HISTORY_FIELDS)} } } }`,
          (d) => d.awsCredit.allocationHistory,
          first,
        );
        expect(creditHistory.map(historyKey), `credit history by ${first}`).to.deep.equal(applied);
        const values = await walk(
          CLAIMS.bothPayers,
          `query ($first: Int!, $after: String) { awsCostCategory(costCategoryArn: "${ALPHA}") { values(first: $first, after: $after) { ${PAGE('value')} } } }`,
          (d) => d.awsCostCategory.values,
          first,
        );
        expect(values.map((v) => v.value), `values by ${first}`).to.deep.equal(categoryValues(alpha));
        const valueAccounts = await walk(
          CLAIMS.bothPayers,
          `query ($first: Int!, $after: String) { awsCostCategory(costCategoryArn: "${ENVIRONMENT}") { values(first: 100) { nodes { value accounts(first: $first, after: $after) { ${PAGE('accountId')} } } } } }`,
          (d) => d.awsCostCategory.values.nodes.find((v: any) => v.value === 'Production').accounts,
          first,
        );
        expect(valueAccounts.map((a) => a.accountId), `accounts of a value by ${first}`).to.deep.equal(production);
        const forValue = await walk(
          CLAIMS.bothPayers,
          `query ($first: Int!, $after: String) { awsCostCategory(costCategoryArn: "${ENVIRONMENT}") { accountsForValue(value: "Production", first: $first, after: $after) { ${PAGE('accountId')} } } }`,
          (d) => d.awsCostCategory.accountsForValue,
          first,
        );
        expect(forValue.map((a) => a.accountId), `accountsForValue by ${first}`).to.deep.equal(production);
      }
    });

    it('gives each parent of a batch its own page of children', async () => {
      const rows = await sql('SELECT accountId, creditId FROM aws_credit ORDER BY creditId');
      const ownedBy = (id: string) => rows.filter((r) => r.accountId === id).map((r) => r.creditId);
      const text = `query ($after: String) { awsAccounts(first: 100) { nodes { accountId credits(first: 2, after: $after) { nodes { creditId } pageInfo { hasNextPage hasPreviousPage } } } } }`;
      const first = await data(CLAIMS.bothPayers, text);
      for (const account of first.awsAccounts.nodes) {
        const owned = ownedBy(account.accountId);
        expect(account.credits.nodes.map((c: any) => c.creditId), account.accountId).to.deep.equal(owned.slice(0, 2));
        expect(account.credits.pageInfo).to.deep.equal({ hasNextPage: owned.length > 2, hasPreviousPage: false });
      }
      // A cursor names a position in the order, so it continues every parent's list after it.
      const middle = GENERATED_CREDITS[11];
      const next = await data(CLAIMS.bothPayers, text, { after: encodeCursor('AwsCredit', [middle]) });
      for (const account of next.awsAccounts.nodes) {
        const after = ownedBy(account.accountId).filter((id) => id > middle);
        expect(account.credits.nodes.map((c: any) => c.creditId), account.accountId).to.deep.equal(after.slice(0, 2));
        expect(account.credits.pageInfo).to.deep.equal({ hasNextPage: after.length > 2, hasPreviousPage: true });
      }
    });
  });

  describe('page info and arguments', () => {
    it('reports empty, exact and last pages', async () => {
      const text = `query ($first: Int!, $after: String) { awsAccounts(first: $first, after: $after) { ${PAGE('accountId')} } }`;
      const empty = (await data(CLAIMS.bothPayers, text, { first: 0 })).awsAccounts;
      expect(empty).to.deep.equal({ edges: [], nodes: [], pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null } });
      const whole = (await data(CLAIMS.bothPayers, text, { first: 19 })).awsAccounts;
      expect(whole.nodes).to.have.length(19);
      expect(whole.pageInfo.hasNextPage, 'a page holding the whole list is the last').to.equal(false);
      const beyond = (await data(CLAIMS.bothPayers, text, { first: 5, after: whole.pageInfo.endCursor })).awsAccounts;
      expect(beyond).to.deep.equal({ edges: [], nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null } });
      const defaults = (await data(CLAIMS.bothPayers, `{ awsCreditAllocationHistory { nodes { creditId } pageInfo { hasNextPage } } }`)).awsCreditAllocationHistory;
      expect(defaults.nodes, 'first defaults to 50').to.have.length(50);
      expect(defaults.pageInfo.hasNextPage).to.equal(true);
    });

    it('refuses a cursor of another list, or none of ours, with BAD_USER_INPUT naming after', async () => {
      const { awsAccounts, awsCredits, awsCreditAllocationHistory, awsCostCategory } = await data(
        CLAIMS.bothPayers,
        `{ awsAccounts(first: 1) { pageInfo { endCursor } } awsCredits(first: 1) { pageInfo { endCursor } }
           awsCreditAllocationHistory(first: 1) { pageInfo { endCursor } }
           awsCostCategory(costCategoryArn: "${ALPHA}") { values(first: 1) { pageInfo { endCursor } } } }`,
      );
      const account = awsAccounts.pageInfo.endCursor;
      const credit = awsCredits.pageInfo.endCursor;
      const entry = awsCreditAllocationHistory.pageInfo.endCursor;
      const value = awsCostCategory.values.pageInfo.endCursor;
      const cases: [string, string][] = [
        [`awsAccounts(after: "${credit}") { nodes { accountId } }`, 'an AwsCredit cursor in awsAccounts'],
        [`awsCredits(after: "${account}") { nodes { creditId } }`, 'an AwsAccount cursor in awsCredits'],
        [`awsCostCategories(after: "${entry}") { nodes { name } }`, 'an AwsCreditAllocation cursor in awsCostCategories'],
        [`awsCreditAllocationHistory(after: "${credit}") { nodes { creditId } }`, 'an AwsCredit cursor in awsCreditAllocationHistory'],
        [`awsAccount(accountId: "${PAYER}") { credits(after: "${entry}") { nodes { creditId } } }`, 'an AwsCreditAllocation cursor in AwsAccount.credits'],
        [`awsAccount(accountId: "${PAYER}") { allocationHistory(after: "${account}") { nodes { creditId } } }`, 'an AwsAccount cursor in AwsAccount.allocationHistory'],
        [`awsCredit(creditId: "${HISTORY_CREDITS[0]}") { allocationHistory(after: "${value}") { nodes { creditId } } }`, 'a value cursor in AwsCredit.allocationHistory'],
        [`awsCostCategory(costCategoryArn: "${ALPHA}") { values(after: "${account}") { nodes { value } } }`, 'an AwsAccount cursor in values'],
        [`awsCostCategory(costCategoryArn: "${ALPHA}") { accountsForValue(value: "Rest", after: "${value}") { nodes { accountId } } }`, 'a value cursor in accountsForValue'],
        [`awsCostCategory(costCategoryArn: "${ALPHA}") { values(first: 1) { nodes { accounts(after: "${credit}") { nodes { accountId } } } } }`, 'an AwsCredit cursor in a value\'s accounts'],
        [`awsAccounts(after: "${encodeCursor('AwsAccount', [PAYER, 'extra'])}") { nodes { accountId } }`, 'a cursor of the right kind with too many values'],
        [`awsCredits(after: "not a cursor!") { nodes { creditId } }`, 'text that is no cursor'],
        [`awsCredits(after: "${Buffer.from('{"a":1}').toString('base64url')}") { nodes { creditId } }`, 'base64 of something else'],
      ];
      for (const [selection, what] of cases) {
        const { body } = await post(CLAIMS.bothPayers, `{ ${selection} }`);
        expect(body.errors, what).to.be.an('array').with.length(1);
        expect(body.errors![0].extensions.code, what).to.equal('BAD_USER_INPUT');
        expect(body.errors![0].extensions.argument, what).to.equal('after');
        expect(body.errors![0].message, what).to.match(/"after" is not a cursor/);
      }
    });

    it('refuses first over 100 or negative on every connection with BAD_USER_INPUT naming first', async () => {
      const fields = (first: number) => [
        `awsAccounts(first: ${first}) { nodes { accountId } }`,
        `awsCredits(first: ${first}) { nodes { creditId } }`,
        `awsCostCategories(first: ${first}) { nodes { name } }`,
        `awsCreditAllocationHistory(first: ${first}) { nodes { creditId } }`,
        `awsAccount(accountId: "${PAYER}") { credits(first: ${first}) { nodes { creditId } } }`,
        `awsAccount(accountId: "${PAYER}") { allocationHistory(first: ${first}) { nodes { creditId } } }`,
        `awsCredit(creditId: "${HISTORY_CREDITS[0]}") { allocationHistory(first: ${first}) { nodes { creditId } } }`,
        `awsCostCategory(costCategoryArn: "${ALPHA}") { values(first: ${first}) { nodes { value } } }`,
        `awsCostCategory(costCategoryArn: "${ALPHA}") { accountsForValue(value: "Rest", first: ${first}) { nodes { accountId } } }`,
        `awsCostCategory(costCategoryArn: "${ALPHA}") { values(first: 1) { nodes { accounts(first: ${first}) { nodes { accountId } } } } }`,
      ];
      for (const first of [101, -1]) {
        for (const selection of fields(first)) {
          const { body } = await post(CLAIMS.bothPayers, `{ ${selection} }`);
          expect(body.errors, selection).to.be.an('array').with.length(1);
          expect(body.errors![0].extensions.code, selection).to.equal('BAD_USER_INPUT');
          expect(body.errors![0].extensions.argument, selection).to.equal('first');
          expect(body.errors![0].message, selection).to.contain(`got ${first}`);
        }
      }
    });
  });

  describe("the caller's scope on every page", () => {
    it("never shows a linked account another account's history, page after page, through any connection", async () => {
      const own = (await sql(`${HISTORY_SQL} AND accountId = ? ${HISTORY_ORDER}`, [TEAM_DATA])).map(sqlHistoryKey);
      expect(own).to.have.length(26);
      const text = `query ($first: Int!, $after: String) { awsCreditAllocationHistory(first: $first, after: $after) { ${PAGE(HISTORY_FIELDS)} } }`;
      expect((await walk(CLAIMS.teamData, text, (d) => d.awsCreditAllocationHistory, 4)).map(historyKey)).to.deep.equal(own);
      const ownAccount = await walk(
        CLAIMS.teamData,
        `query ($first: Int!, $after: String) { awsAccount(accountId: "${TEAM_DATA}") { allocationHistory(first: $first, after: $after) { ${PAGE(HISTORY_FIELDS)} } } }`,
        (d) => d.awsAccount.allocationHistory,
        3,
      );
      expect(ownAccount.map(historyKey)).to.deep.equal(own);

      // Through every credit it sees, page by page: only its own entries of each.
      const credits = await walk(CLAIMS.teamData, `query ($first: Int!, $after: String) { awsCredits(first: $first, after: $after) { ${PAGE('creditId')} } }`, (d) => d.awsCredits, 5);
      const seen: string[] = [];
      const visible = new Set(credits.map((c) => c.creditId));
      for (const { creditId } of credits) {
        const history = await walk(
          CLAIMS.teamData,
          `query ($first: Int!, $after: String) { awsCredit(creditId: "${creditId}") { allocationHistory(first: $first, after: $after) { ${PAGE(HISTORY_FIELDS)} } } }`,
          (d) => d.awsCredit.allocationHistory,
          2,
        );
        seen.push(...history.map(historyKey));
      }
      // Its own entries of the credits it sees (an owner-only credit of another account is not one).
      expect([...seen].sort()).to.deep.equal(own.filter((key) => visible.has(key.split('|')[1])).sort());
      expect(seen.length).to.be.below(own.length);

      // Through the accounts it sees and their credits, in one batch.
      const nested = await data(
        CLAIMS.teamData,
        `{ awsAccounts(first: 10) { nodes { accountId allocationHistory(first: 30) { nodes { accountId } } credits(first: 10) { nodes { allocationHistory(first: 30) { nodes { accountId } } } } } } }`,
      );
      const charged = nested.awsAccounts.nodes.flatMap((a: any) => [...a.allocationHistory.nodes, ...a.credits.nodes.flatMap((c: any) => c.allocationHistory.nodes)]);
      expect(charged.length).to.be.greaterThan(0);
      expect(new Set(charged.map((h: any) => h.accountId))).to.deep.equal(new Set([TEAM_DATA]));

      // A cursor from the payer's view names a position, not a permission.
      const payerPage = (await data(CLAIMS.payer, `{ awsCreditAllocationHistory(first: 9) { pageInfo { endCursor } } }`)).awsCreditAllocationHistory;
      const afterPayer = await data(CLAIMS.teamData, `query ($after: String) { awsCreditAllocationHistory(first: 100, after: $after) { nodes { ${HISTORY_FIELDS} } } }`, { after: payerPage.pageInfo.endCursor });
      const rest = afterPayer.awsCreditAllocationHistory.nodes.map(historyKey);
      expect(rest.length).to.be.greaterThan(0);
      expect(rest).to.deep.equal(own.slice(own.length - rest.length));
      expect((await data(CLAIMS.teamData, `{ awsCreditAllocationHistory(accountId: "${TEAM_WEB}") { nodes { creditId } } }`)).awsCreditAllocationHistory.nodes).to.deep.equal([]);
    });
  });

  describe('bounded work', () => {
    const NESTED = `query ($n: Int!) {
      awsAccounts(first: $n) { nodes { accountId
        credits(first: 3) { nodes { creditId account { name } allocationHistory(first: 3) { nodes { accountId billingMonth } } } }
        allocationHistory(first: 3) { nodes { creditId } } } }
      awsCostCategories(first: $n) { nodes { name
        values(first: 3) { nodes { value accounts(first: 3) { nodes { accountId } } } }
        accountsForValue(value: "Production", first: 3) { nodes { accountId } } } }
    }`;

    it('reads nested connections in as many statements for 2 parents as for all of them', async () => {
      const statements = async (n: number) => {
        const { result, queries } = await countQueries(server.dataSource, () => post(CLAIMS.payer, NESTED, { n }));
        expect(result.body.errors, JSON.stringify(result.body.errors)).to.equal(undefined);
        expect(result.body.data.awsAccounts.nodes).to.have.length(Math.min(n, 17));
        return queries.length;
      };
      const few = await statements(2);
      const all = await statements(100);
      expect(all).to.equal(few);
      // Two resolve the caller's scope; then one per read: the two root lists, the three child
      // pages (credits, each level of history), the credits' owners, the organization's accounts.
      expect(all).to.equal(9);
    });

    it('refuses account -> credits -> account -> credits under 20 aliases before running it, and answers a normal page', async () => {
      const { result, queries } = await countQueries(server.dataSource, () => post(CLAIMS.teamData, NESTED_UNDER_ALIASES));
      expect(result.status).to.equal(400);
      expect(result.body.errors).to.have.length(1);
      expect(result.body.errors![0].extensions.code).to.equal('COST_ESTIMATED_TOO_EXPENSIVE');
      expect(result.body).to.not.have.property('data');
      // Only the caller's scope was read: no credit, history or account list.
      expect(queries.filter((q) => /aws_credit/.test(q))).to.deep.equal([]);
      const normal = await data(CLAIMS.teamData, NORMAL_NESTED_PAGE);
      expect(normal.awsAccounts.nodes.map((a: any) => a.accountId)).to.include(TEAM_DATA);
    });
  });
});

describe('AWS connections through the gateway', () => {
  let stack: Stack;
  let linked: string;

  before(async () => {
    stack = await startStack();
    // The least-privileged AWS persona (aws-linked-engineer).
    linked = await tokenFor({ aws: { accountIds: [TEAM_DATA] } });
  });
  after(() => stack.stop());

  it('refuses nested pages under 20 aliases before asking the AWS subgraph, and answers a normal page', async () => {
    const aws = (stack.aws as RunningProviderSubgraph).dataSource;
    const { result, queries } = await countQueries(aws, () => graphql(stack.gatewayUrl, NESTED_UNDER_ALIASES, {}, linked));
    expect(result.status).to.equal(400);
    expect(result.errors!.map((e) => e.extensions?.code)).to.deep.equal(['COST_ESTIMATED_TOO_EXPENSIVE']);
    expect(result.errors![0].extensions!.cost.estimated).to.be.greaterThan(result.errors![0].extensions!.cost.max);
    expect(queries).to.deep.equal([]);
    const normal = await graphql(stack.gatewayUrl, NORMAL_NESTED_PAGE, {}, linked);
    expect(normal.errors).to.equal(undefined);
    expect(normal.data.awsAccounts.nodes.length).to.be.greaterThan(0);
  });

  it('keeps the other fields of a mixed query when the AWS subgraph is down: AWS roots are nullable', async () => {
    const mixed = `{ awsAccounts(first: 2) { nodes { accountId } } awsCredits(first: 2) { nodes { creditId } } credits(first: 5) { nodes { provider } } }`;
    await stack.aws.stop();
    try {
      const result = await graphql(stack.gatewayUrl, mixed);
      expect(result.data.awsAccounts).to.equal(null);
      expect(result.data.awsCredits).to.equal(null);
      expect(result.data.credits.nodes.length).to.be.greaterThan(0);
      expect(result.data.credits.nodes.every((c: any) => c.provider === 'AZURE')).to.equal(true);
      expect(result.errors!.map((e) => e.extensions?.provider)).to.include('AWS');
    } finally {
      stack.aws = await startAwsSubgraph({ dataDir: stack.dataDir, port: stack.aws.port, clock: () => TEST_NOW, auth: TEST_AUTH });
    }
    const recovered = await graphql(stack.gatewayUrl, mixed);
    expect(recovered.errors).to.equal(undefined);
    expect(recovered.data.awsAccounts.nodes).to.have.length(2);
  });
});

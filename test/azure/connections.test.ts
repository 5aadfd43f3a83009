/**
 * The Azure native connections, through the real subgraph over HTTP and through the gateway:
 * every list paged to its end gives each row exactly once in the SQL order, PageInfo says where a
 * page sits, bad `first`/`after` are BAD_USER_INPUT naming the argument, the caller's scope holds on
 * every page, nested pages cost a constant number of statements, and a query nesting the lists
 * under aliases is refused before it runs.
 */
import 'reflect-metadata';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { findPersona, personaToken } from '../../lib/platform/auth/personas';
import { decodeCursor, encodeCursor } from '../../lib/platform/connection';
import { QUERY_LIMITS } from '../../lib/platform/query-limits';
import type { RunningProviderSubgraph } from '../../lib/api/provider-subgraph';
import { startAzureSubgraph } from '../../subgraphs/azure';
import { gatewayHeaders, TEST_AUTH, TestClaims } from '../support/auth';
import { graphql as viaGateway, Stack, startStack, TEST_NOW } from '../support/stack';
import {
  ACCOUNT,
  countStatements,
  EUROPE,
  FABRIKAM,
  lotId,
  loadedDataDirWithSecondAccount,
  NOW,
  removeDir,
  RESEARCH,
  roleClaims,
} from './helpers';
import { expectOnlyNotFound } from '../support/not-found';
import { runSql } from '../support/database';

const PROMO = lotId(RESEARCH, 'G-PROMO-1');
const EVENT_NEW = `${RESEARCH}/providers/Microsoft.Consumption/events/ev-new-1`;
const EVENT_SETTLED = `${RESEARCH}/providers/Microsoft.Consumption/events/ev-settled-2`;
const RANGE = { s: '2000-01-01T00:00:00Z', e: '2100-01-01T00:00:00Z' };

/** Billing accounts added to the fixtures, so the root list has several pages. */
const EXTRA_ACCOUNTS = [0, 1, 2, 3].map((i) => `/providers/Microsoft.Billing/billingAccounts/XTRA-ACCOUNT-${i}`);
/** Billing profiles added to Northwind, each with one lot. */
const EXTRA_PROFILES = [0, 1, 2, 3, 4, 5, 6].map((i) => `${ACCOUNT}/billingProfiles/XTRA-${i}`);

/** Sees every billing account the test data holds. */
const ALL_ACCOUNTS = roleClaims([ACCOUNT, 'billing_account_owner'], [FABRIKAM, 'billing_account_reader'], ...EXTRA_ACCOUNTS.map((a): [string, string] => [a, 'billing_account_owner']));
const EUROPE_READER = roleClaims([EUROPE, 'billing_profile_reader']);
const RESEARCH_INVOICE_MANAGER = roleClaims([RESEARCH.toLowerCase(), 'invoice_manager']);

const PAGE = 'edges { cursor node { id } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Page {
  edges: { cursor: string; node: any }[];
  nodes: any[];
  pageInfo: PageInfo;
}

/** Copies a row of `table` with some columns changed (test data beyond the fixtures). */
async function cloneRow(db: DataSource, table: string, id: string, changes: Record<string, unknown>): Promise<void> {
  const [row] = await runSql(db, `SELECT * FROM ${table} WHERE id = ?`, [id]);
  expect(row, `${table} ${id}`).to.not.equal(undefined);
  const values = { ...row, ...changes };
  const columns = Object.keys(values);
  await runSql(db, `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, columns.map((c) => values[c]));
}

describe('azure connections', () => {
  let dir: string;
  let running: RunningProviderSubgraph;
  let db: DataSource;

  async function graphql(claims: TestClaims, query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(running.url, {
      method: 'POST',
      headers: { ...(await gatewayHeaders(claims)), 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as { data?: any; errors?: any[] }) };
  }
  async function data(claims: TestClaims, query: string, variables: Record<string, unknown> = {}) {
    const result = await graphql(claims, query, variables);
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    return result.data;
  }

  /**
   * Pages a connection to its end with `first`, checking each page's PageInfo, and returns every
   * node and every page. `query` takes $first and $after; `pick` finds the connection in the data.
   */
  async function pageThrough(claims: TestClaims, query: string, variables: Record<string, unknown>, pick: (data: any) => Page, first: number) {
    const nodes: any[] = [];
    const pages: Page[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = pick(await data(claims, query, { ...variables, first, after }));
      pages.push(page);
      expect(page.nodes).to.deep.equal(page.edges.map((e) => e.node));
      expect(page.pageInfo.hasPreviousPage, 'hasPreviousPage').to.equal(after !== null);
      expect(page.pageInfo.startCursor, 'startCursor').to.equal(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.endCursor, 'endCursor').to.equal(page.edges[page.edges.length - 1]?.cursor ?? null);
      if (page.pageInfo.hasNextPage) expect(page.edges, 'a page followed by more is full').to.have.length(first);
      else expect(page.edges.length, 'the last page').to.be.at.most(first);
      nodes.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(pages.length, 'pages end').to.be.below(200);
    }
    return { nodes, pages };
  }

  before(async () => {
    dir = await loadedDataDirWithSecondAccount();
    running = await startAzureSubgraph({ dataDir: dir, port: 0, clock: () => new Date(NOW), auth: TEST_AUTH });
    db = running.dataSource;
    for (const [i, id] of EXTRA_ACCOUNTS.entries()) await cloneRow(db, 'azure_billing_account', FABRIKAM, { id, name: `XTRA-ACCOUNT-${i}`, displayName: `Extra ${i}` });
    for (const [i, id] of EXTRA_PROFILES.entries()) {
      await cloneRow(db, 'azure_billing_profile', EUROPE, { id, name: `XTRA-${i}`, displayName: `Extra profile ${i}` });
      await cloneRow(db, 'azure_credit_lot', PROMO, { id: lotId(id, `X-${i}`), name: `X-${i}`, billingProfileId: id });
    }
    for (let i = 0; i < 6; i++) {
      await cloneRow(db, 'azure_invoice_section', `${RESEARCH}/invoiceSections/SEC1-AAAA-PJA-TGB`, {
        id: `${RESEARCH}/invoiceSections/XTRA-SEC-${i}`,
        name: `XTRA-SEC-${i}`,
        displayName: `Extra section ${i}`,
      });
    }
    for (let i = 0; i < 12; i++) await cloneRow(db, 'azure_credit_lot', PROMO, { id: lotId(RESEARCH, `X-LOT-${String(i).padStart(2, '0')}`), name: `X-LOT-${i}` });
    // Ties on the transaction date: ten more events the day of ev-new-1, four more the day of ev-settled-2.
    for (let i = 0; i < 14; i++) {
      const source = i < 10 ? EVENT_NEW : EVENT_SETTLED;
      await cloneRow(db, 'azure_credit_event', source, { id: `${RESEARCH}/providers/Microsoft.Consumption/events/tie-${i}`, name: `tie-${i}` });
    }
  });
  after(async () => {
    await running.stop();
    removeDir(dir);
  });

  /** The ids SQL lists, unpaged, in the order the connection promises. */
  const ids = async (sql: string, params: unknown[] = []) => ((await runSql(db, sql, params)) as { id: string }[]).map((r) => r.id);

  const CONNECTIONS: { name: string; claims: TestClaims; query: string; variables?: Record<string, unknown>; pick: (d: any) => Page; expected: () => Promise<string[]> }[] = [
    {
      name: 'Query.azureBillingAccounts',
      claims: ALL_ACCOUNTS,
      query: `query ($first: Int!, $after: String) { c: azureBillingAccounts(first: $first, after: $after) { ${PAGE} } }`,
      pick: (d) => d.c,
      expected: () => ids('SELECT id FROM azure_billing_account ORDER BY id'),
    },
    {
      name: 'Query.azureCreditLots',
      claims: ALL_ACCOUNTS,
      query: `query ($first: Int!, $after: String, $p: ID!) { c: azureCreditLots(billingProfileId: $p, first: $first, after: $after) { ${PAGE} } }`,
      variables: { p: RESEARCH },
      pick: (d) => d.c,
      expected: () => ids('SELECT id FROM azure_credit_lot WHERE billingProfileId = ? ORDER BY id', [RESEARCH]),
    },
    {
      name: 'Query.azureEvents',
      claims: ALL_ACCOUNTS,
      query: `query ($first: Int!, $after: String, $p: ID!, $s: DateTime!, $e: DateTime!) {
        c: azureEvents(billingProfileId: $p, startDate: $s, endDate: $e, first: $first, after: $after) { ${PAGE} } }`,
      variables: { p: RESEARCH, ...RANGE },
      pick: (d) => d.c,
      expected: () => ids('SELECT id FROM azure_credit_event WHERE billingProfileId = ? AND superseded = FALSE ORDER BY transactionDate DESC, id DESC', [RESEARCH]),
    },
    {
      name: 'AzureBillingAccount.billingProfiles',
      claims: ALL_ACCOUNTS,
      query: `query ($first: Int!, $after: String, $a: ID!) { azureBillingAccount(id: $a) { c: billingProfiles(first: $first, after: $after) { ${PAGE} } } }`,
      variables: { a: ACCOUNT },
      pick: (d) => d.azureBillingAccount.c,
      expected: () => ids('SELECT id FROM azure_billing_profile WHERE billingAccountId = ? ORDER BY id', [ACCOUNT]),
    },
    {
      name: 'AzureBillingAccount.creditSummary',
      claims: ALL_ACCOUNTS,
      query: `query ($first: Int!, $after: String, $a: ID!) { azureBillingAccount(id: $a) { c: creditSummary(first: $first, after: $after) {
        edges { cursor node { billingProfile { id } } } nodes { billingProfile { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`,
      variables: { a: ACCOUNT },
      pick: (d) => {
        const flat = (n: any) => ({ id: n.billingProfile.id });
        const c = d.azureBillingAccount.c;
        return { ...c, nodes: c.nodes.map(flat), edges: c.edges.map((e: any) => ({ cursor: e.cursor, node: flat(e.node) })) };
      },
      expected: () => ids('SELECT id FROM azure_billing_profile WHERE billingAccountId = ? ORDER BY id', [ACCOUNT]),
    },
    {
      name: 'AzureBillingProfile.invoiceSections',
      claims: ALL_ACCOUNTS,
      query: `query ($first: Int!, $after: String, $p: ID!) { azureBillingProfile(id: $p) { c: invoiceSections(first: $first, after: $after) { ${PAGE} } } }`,
      variables: { p: RESEARCH },
      pick: (d) => d.azureBillingProfile.c,
      expected: () => ids('SELECT id FROM azure_invoice_section WHERE billingProfileId = ? ORDER BY id', [RESEARCH]),
    },
    {
      name: 'AzureBillingProfile.lots',
      claims: ALL_ACCOUNTS,
      query: `query ($first: Int!, $after: String, $p: ID!) { azureBillingProfile(id: $p) { c: lots(first: $first, after: $after) { ${PAGE} } } }`,
      variables: { p: RESEARCH },
      pick: (d) => d.azureBillingProfile.c,
      expected: () => ids('SELECT id FROM azure_credit_lot WHERE billingProfileId = ? ORDER BY id', [RESEARCH]),
    },
    {
      name: 'AzureBillingProfile.events',
      claims: ALL_ACCOUNTS,
      query: `query ($first: Int!, $after: String, $p: ID!, $s: DateTime!, $e: DateTime!) {
        azureBillingProfile(id: $p) { c: events(startDate: $s, endDate: $e, first: $first, after: $after) { ${PAGE} } } }`,
      variables: { p: RESEARCH, ...RANGE },
      pick: (d) => d.azureBillingProfile.c,
      expected: () => ids('SELECT id FROM azure_credit_event WHERE billingProfileId = ? AND superseded = FALSE ORDER BY transactionDate DESC, id DESC', [RESEARCH]),
    },
  ];

  describe('paging every connection to its end', () => {
    for (const c of CONNECTIONS) {
      it(`${c.name}: every item once, in order, with PageInfo right, for several page sizes`, async () => {
        const expected = await c.expected();
        expect(expected.length, 'several pages of test data').to.be.at.least(6);
        for (const first of [1, 3, 4, 100]) {
          const { nodes, pages } = await pageThrough(c.claims, c.query, c.variables ?? {}, c.pick, first);
          expect(nodes.map((n) => n.id), `first: ${first}`).to.deep.equal(expected);
          // The extra row read says when a full page is the last: never an empty page after it.
          expect(pages.length, `first: ${first}`).to.equal(Math.max(1, Math.ceil(expected.length / first)));
        }
        // One page of everything says nothing precedes or follows it; an empty page has no cursors.
        const whole = c.pick(await data(c.claims, c.query, { ...c.variables, first: 100, after: null }));
        expect(whole.pageInfo).to.include({ hasNextPage: false, hasPreviousPage: false });
        const none = c.pick(await data(c.claims, c.query, { ...c.variables, first: 0, after: null }));
        expect(none).to.deep.equal({ edges: [], nodes: [], pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null } });
        const past = c.pick(await data(c.claims, c.query, { ...c.variables, first: 5, after: whole.pageInfo.endCursor }));
        expect(past).to.deep.equal({ edges: [], nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null } });
      });
    }

    it('pages events sharing a transaction date without repeating or skipping one, the cursor carrying date and id', async () => {
      const query = `query ($first: Int!, $after: String, $p: ID!, $s: DateTime!, $e: DateTime!) {
        c: azureEvents(billingProfileId: $p, startDate: $s, endDate: $e, first: $first, after: $after) {
          edges { cursor node { id transactionDate } } nodes { id transactionDate } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
      const expected = await ids(
        'SELECT id FROM azure_credit_event WHERE billingProfileId = ? AND superseded = FALSE AND transactionDate >= ? AND transactionDate <= ? ORDER BY transactionDate DESC, id DESC',
        [RESEARCH, '2026-09-01T00:00:00.000Z', '2026-10-05T00:00:00.000Z'],
      );
      expect(expected).to.have.length(16); // 11 events on 2026-09-01, 5 on 2026-10-05
      for (const first of [2, 3, 4, 7]) {
        const { nodes, pages } = await pageThrough(ALL_ACCOUNTS, query, { p: RESEARCH, s: '2026-09-01T00:00:00Z', e: '2026-10-05T00:00:00Z' }, (d) => d.c, first);
        expect(nodes.map((n) => n.id), `first: ${first}`).to.deep.equal(expected);
        expect(new Set(nodes.map((n) => n.id)).size).to.equal(nodes.length);
        // The test means something only if a page ends inside a run of events of one date.
        const splitTies = pages.slice(1).some((page, i) => page.nodes.length > 0 && page.nodes[0].transactionDate === pages[i].nodes[pages[i].nodes.length - 1].transactionDate);
        expect(splitTies, `first: ${first} splits a run of ties`).to.equal(true);
      }
      const newest = (await data(ALL_ACCOUNTS, query, { p: RESEARCH, first: 1, after: null, ...RANGE })).c.edges[0];
      expect(decodeCursor('AzureCreditEvent', newest.cursor, 2)).to.deep.equal([newest.node.transactionDate, newest.node.id]);
    });

    it('pages the children of many parents at once, each parent its own page', async () => {
      const result = await data(
        ALL_ACCOUNTS,
        `query ($a: ID!) { azureBillingAccount(id: $a) { billingProfiles(first: 100) { nodes { id lots(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } } } } } }`,
        { a: ACCOUNT },
      );
      for (const profile of result.azureBillingAccount.billingProfiles.nodes) {
        const all = await ids('SELECT id FROM azure_credit_lot WHERE billingProfileId = ? ORDER BY id', [profile.id]);
        expect(profile.lots.nodes.map((l: any) => l.id), profile.id).to.deep.equal(all.slice(0, 2));
        expect(profile.lots.pageInfo.hasNextPage, profile.id).to.equal(all.length > 2);
        if (all.length > 2) {
          const next = await data(ALL_ACCOUNTS, `query ($p: ID!, $after: String) { azureCreditLots(billingProfileId: $p, first: 100, after: $after) { nodes { id } } }`, {
            p: profile.id,
            after: profile.lots.pageInfo.endCursor,
          });
          expect(next.azureCreditLots.nodes.map((l: any) => l.id)).to.deep.equal(all.slice(2));
        }
      }
    });
  });

  describe('bad page arguments', () => {
    const firstOf = async (query: string, variables: Record<string, unknown>) => (await data(ALL_ACCOUNTS, query, variables)) as any;

    it('refuses a cursor of another list (or no cursor at all) as BAD_USER_INPUT naming `after`', async () => {
      const profileCursor = (await firstOf(`query ($a: ID!) { azureBillingAccount(id: $a) { billingProfiles(first: 1) { pageInfo { endCursor } } } }`, { a: ACCOUNT }))
        .azureBillingAccount.billingProfiles.pageInfo.endCursor;
      const summaryCursor = (await firstOf(`query ($a: ID!) { azureBillingAccount(id: $a) { creditSummary(first: 1) { pageInfo { endCursor } } } }`, { a: ACCOUNT }))
        .azureBillingAccount.creditSummary.pageInfo.endCursor;
      const lotCursor = (await firstOf(`query ($p: ID!) { azureCreditLots(billingProfileId: $p, first: 1) { pageInfo { endCursor } } }`, { p: RESEARCH })).azureCreditLots.pageInfo
        .endCursor;
      const eventCursor = (await firstOf(`query ($p: ID!) { azureEvents(billingProfileId: $p, startDate: "2000-01-01T00:00:00Z", endDate: "2100-01-01T00:00:00Z", first: 1) { pageInfo { endCursor } } }`, {
        p: RESEARCH,
      })).azureEvents.pageInfo.endCursor;
      const cases: [string, string, string][] = [
        ['a profile cursor for lots', `query ($after: String) { azureCreditLots(billingProfileId: "${RESEARCH}", after: $after) { nodes { id } } }`, profileCursor],
        ['a lot cursor for events', `query ($after: String) { azureEvents(billingProfileId: "${RESEARCH}", startDate: "2000-01-01T00:00:00Z", endDate: "2100-01-01T00:00:00Z", after: $after) { nodes { id } } }`, lotCursor],
        ['an event cursor for accounts', `query ($after: String) { azureBillingAccounts(after: $after) { nodes { id } } }`, eventCursor],
        ['a summary cursor for profiles', `query ($after: String) { azureBillingAccount(id: "${ACCOUNT}") { billingProfiles(after: $after) { nodes { id } } } }`, summaryCursor],
        ['a profile cursor for the summary', `query ($after: String) { azureBillingAccount(id: "${ACCOUNT}") { creditSummary(after: $after) { nodes { lotCount } } } }`, profileCursor],
        ['a lot cursor for sections', `query ($after: String) { azureBillingProfile(id: "${RESEARCH}") { invoiceSections(after: $after) { nodes { id } } } }`, lotCursor],
        ['an event cursor of one value for events', `query ($after: String) { azureBillingProfile(id: "${RESEARCH}") { events(startDate: "2000-01-01T00:00:00Z", endDate: "2100-01-01T00:00:00Z", after: $after) { nodes { id } } } }`, encodeCursor('AzureCreditEvent', ['2026-09-01T00:00:00.000Z'])],
        ['garbage', `query ($after: String) { azureBillingProfile(id: "${RESEARCH}") { lots(after: $after) { nodes { id } } } }`, 'not a cursor!'],
      ];
      for (const [name, query, after] of cases) {
        const result = await graphql(ALL_ACCOUNTS, query, { after });
        expect(result.errors, name).to.be.an('array').with.length(1);
        expect(result.errors![0].extensions, name).to.deep.include({ code: 'BAD_USER_INPUT', argument: 'after' });
        expect(result.errors![0].message, name).to.match(/"after"/);
        expect(JSON.stringify(result.errors), name).to.not.match(/stacktrace|SQLITE/i);
      }
    });

    it('refuses first over 100 or negative as BAD_USER_INPUT naming `first`, on every connection', async () => {
      for (const c of CONNECTIONS) {
        for (const first of [101, -1, 1000]) {
          const result = await graphql(c.claims, c.query, { ...c.variables, first, after: null });
          expect(result.errors, `${c.name} first: ${first}`).to.be.an('array').that.is.not.empty;
          expect(result.errors![0].extensions, `${c.name} first: ${first}`).to.deep.include({ code: 'BAD_USER_INPUT', argument: 'first' });
          expect(result.errors![0].message).to.match(/"first" must be a whole number from 0 to 100/);
        }
      }
    });
  });

  describe('access on every page', () => {
    it('a profile reader pages only its own profile, however the pages are cut', async () => {
      const own = {
        lots: await ids('SELECT id FROM azure_credit_lot WHERE billingProfileId = ? ORDER BY id', [EUROPE]),
        events: await ids('SELECT id FROM azure_credit_event WHERE billingProfileId = ? AND superseded = FALSE ORDER BY transactionDate DESC, id DESC', [EUROPE]),
        sections: await ids('SELECT id FROM azure_invoice_section WHERE billingProfileId = ? ORDER BY id', [EUROPE]),
      };
      expect(own.lots.length).to.be.at.least(2);
      for (const first of [1, 2]) {
        const accounts = await pageThrough(EUROPE_READER, `query ($first: Int!, $after: String) { c: azureBillingAccounts(first: $first, after: $after) { ${PAGE} } }`, {}, (d) => d.c, first);
        expect(accounts.nodes.map((a) => a.id)).to.deep.equal([ACCOUNT]);
        for (const c of CONNECTIONS.filter((x) => x.name !== 'Query.azureBillingAccounts')) {
          for (const profile of [RESEARCH, EUROPE]) {
            const variables = { ...c.variables, ...(c.variables?.p ? { p: profile } : {}) };
            if (profile === RESEARCH && c.name.startsWith('AzureBillingProfile.')) {
              // The profile itself is not visible: the lookup answers null and NOT_FOUND, so none of its lists is reached.
              expectOnlyNotFound(await graphql(EUROPE_READER, c.query, { ...variables, first, after: null }), { azureBillingProfile: { argument: 'id', id: RESEARCH } });
              continue;
            }
            const { nodes } = await pageThrough(EUROPE_READER, c.query, variables, c.pick, first);
            const seen = nodes.map((n) => n.id);
            if (c.name.endsWith('billingProfiles') || c.name.endsWith('creditSummary')) expect(seen, c.name).to.deep.equal([EUROPE]);
            else if (profile === RESEARCH) expect(seen, `${c.name} of Research`).to.deep.equal([]);
            else if (c.name.endsWith('invoiceSections')) expect(seen, c.name).to.deep.equal(own.sections);
            else if (/[Ee]vents$/.test(c.name)) expect(seen, c.name).to.deep.equal(own.events);
            else expect(seen, c.name).to.deep.equal(own.lots);
          }
        }
      }
      // A cursor cannot open a way into another profile: the scope is in the SQL of every page.
      for (const after of [encodeCursor('AzureCreditLot', ['']), encodeCursor('AzureCreditLot', [PROMO])]) {
        const lots = await data(EUROPE_READER, `query ($after: String) { r: azureCreditLots(billingProfileId: "${RESEARCH}", first: 100, after: $after) { nodes { id } } }`, { after });
        expect(lots.r.nodes).to.deep.equal([]);
      }
      const events = await data(
        EUROPE_READER,
        `query ($after: String) { azureEvents(billingProfileId: "${RESEARCH}", startDate: "2000-01-01T00:00:00Z", endDate: "2100-01-01T00:00:00Z", after: $after) { nodes { id } } }`,
        { after: encodeCursor('AzureCreditEvent', ['9999', '~']) },
      );
      expect(events.azureEvents.nodes).to.deep.equal([]);
    });

    it('an invoice manager of one profile (its id in another case) pages that profile alone, nested too', async () => {
      const result = await data(
        RESEARCH_INVOICE_MANAGER,
        `{ azureBillingAccounts(first: 5) { nodes { billingProfiles(first: 5) { nodes { id lots(first: 50) { nodes { billingProfileId billingProfile { lots(first: 1) { nodes { billingProfileId } } } } } } } } } }`,
      );
      const profiles = result.azureBillingAccounts.nodes.flatMap((a: any) => a.billingProfiles.nodes);
      expect(profiles.map((p: any) => p.id)).to.deep.equal([RESEARCH]);
      const lots = profiles[0].lots.nodes;
      expect(lots.length).to.equal((await ids('SELECT id FROM azure_credit_lot WHERE billingProfileId = ?', [RESEARCH])).length);
      expect(lots.every((l: any) => l.billingProfileId === RESEARCH && l.billingProfile.lots.nodes[0].billingProfileId === RESEARCH)).to.equal(true);
    });
  });

  it('reads nested connections in as many statements whatever the page sizes (no N+1)', async () => {
    const query = `query ($f: Int!) { azureBillingAccounts(first: $f) { nodes { billingProfiles(first: $f) { nodes {
      lots(first: $f) { nodes { billingProfile { lots(first: $f) { nodes { id } } } } }
      invoiceSections(first: $f) { nodes { billingProfile { name } } }
      events(first: $f, startDate: "2000-01-01T00:00:00Z", endDate: "2100-01-01T00:00:00Z") { nodes { lot { name } } }
    } } creditSummary(first: $f) { nodes { lotCount } } } } }`;
    const run = (f: number) => countStatements(db, () => data(ALL_ACCOUNTS, query, { f }));
    const small = await run(1);
    const large = await run(8);
    const count = (r: any, pick: (p: any) => any[]) => r.azureBillingAccounts.nodes.flatMap((a: any) => a.billingProfiles.nodes.flatMap(pick)).length;
    expect(count(small.result, (p) => p.lots.nodes)).to.equal(1);
    expect(count(large.result, (p) => p.lots.nodes)).to.be.at.least(20);
    expect(count(large.result, (p) => p.events.nodes)).to.be.at.least(8);
    expect(count(large.result, (p) => [p])).to.be.at.least(8);
    // Accounts, profiles of accounts, lots of profiles, sections, events, profiles by id, the lots of those, sections' profiles
    // (cached), lots by id (events' lots), the summary's lots: one statement each per batch. A batch may split in two when
    // its parents resolve in different ticks, never per item: one statement per profile or lot would be over 30 here.
    expect(small.statements, 'the counter sees the statements').to.be.at.least(5);
    expect(large.statements).to.be.at.most(small.statements + 2);
    expect(large.statements).to.be.at.most(12);
  });
});

describe('azure connections through the gateway', () => {
  let stack: Stack;
  let reader: string;
  const NESTED = `azureBillingAccounts { nodes { billingProfiles { nodes { lots { nodes { billingProfile { lots { nodes { billingProfile { lots { nodes { id } } } } } } } } } } } }`;
  /** The same lists as deep as the depth limit lets them go: the first profile's lots, their profile's lots, ... */
  const NESTED_WITHIN_DEPTH = `azureBillingAccounts { nodes { billingProfiles { nodes { lots { nodes { billingProfile { lots { nodes { billingProfile { id } } } } } } } } } }`;
  const aliased = (selection: string) => `{ ${Array.from({ length: 20 }, (_, i) => `a${i + 1}: ${selection}`).join(' ')} }`;

  before(async () => {
    stack = await startStack();
    reader = await personaToken(TEST_AUTH, findPersona('azure-profile-reader')!);
  });
  after(() => stack.stop());

  const azureDb = () => (stack.azure as RunningProviderSubgraph).dataSource;

  it('refuses the profile reader\'s 20 aliases of nested lists before anything runs, and answers a normal page', async () => {
    for (const query of [aliased(NESTED_WITHIN_DEPTH), `{ ${'a1: ' + NESTED_WITHIN_DEPTH} }`, `query ($p: ID!) { ${Array.from({ length: 20 }, (_, i) => `a${i}: azureCreditLots(billingProfileId: $p) { nodes { billingProfile { lots { nodes { billingProfile { lots { nodes { billingProfile { lots { nodes { id } } } } } } } } } } }`).join(' ')} }`]) {
      const { result, statements } = await countStatements(azureDb(), () => viaGateway(stack.gatewayUrl, query, { p: 'x' }, reader));
      expect(result.status).to.equal(400);
      expect(result.data).to.equal(undefined);
      expect(result.errors).to.have.length(1);
      expect(result.errors![0].extensions).to.deep.include({ code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
      expect(result.errors![0].extensions!.cost.estimated).to.be.above(QUERY_LIMITS.maxCost);
      expect(statements, 'no SQL ran').to.equal(0);
    }
    // The subgraph refuses it too when called directly (the gateway secret is no licence for it).
    const direct = await countStatements(azureDb(), async () => {
      const response = await fetch(stack.azure.url, {
        method: 'POST',
        headers: { ...(await gatewayHeaders(findPersona('azure-profile-reader')!.claims as TestClaims)), 'content-type': 'application/json' },
        body: JSON.stringify({ query: aliased(NESTED_WITHIN_DEPTH) }),
      });
      return { status: response.status, body: (await response.json()) as any };
    });
    expect(direct.result.status).to.equal(400);
    expect(direct.result.body.errors[0].extensions.code).to.equal('COST_ESTIMATED_TOO_EXPENSIVE');
    expect(direct.statements).to.equal(0);
    // Written out to the third level of lots, the nesting is deeper than any query may be: refused before it is costed.
    const deep = await viaGateway(stack.gatewayUrl, aliased(NESTED), {}, reader);
    expect(deep.status).to.equal(400);
    expect(deep.errors![0].extensions!.code).to.equal('MAX_DEPTH_LIMIT');
    expect(deep.errors![0].message).to.match(/depth/);

    const page = await viaGateway(
      stack.gatewayUrl,
      `{ azureBillingAccounts(first: 2) { nodes { billingProfiles(first: 2) { nodes { lots(first: 5) { nodes { id billingProfile { lots(first: 5) { nodes { id } pageInfo { hasNextPage } } } } } } } } } }`,
      {},
      reader,
    );
    expect(page.errors).to.equal(undefined);
    const profiles = page.data.azureBillingAccounts.nodes.flatMap((a: any) => a.billingProfiles.nodes);
    expect(profiles).to.have.length(1);
    expect(profiles[0].lots.nodes).to.have.length(5);
    expect(profiles[0].lots.nodes.every((l: any) => /billingProfiles\/PBFV-AB12-CD3-EF4\//.test(l.id))).to.equal(true);
  });

  it('passes a bad cursor on as BAD_USER_INPUT naming `after`', async () => {
    const result = await viaGateway(stack.gatewayUrl, `{ azureBillingAccounts(after: "${encodeCursor('AzureCreditLot', ['x'])}") { nodes { id } } }`);
    expect(result.errors![0].extensions).to.deep.include({ code: 'BAD_USER_INPUT' });
    expect(result.errors![0].message).to.match(/"after" is not a cursor of this list \(AzureBillingAccount\)/);
    expect(result.data).to.deep.equal({ azureBillingAccounts: null });
  });

  it('keeps the other cloud\'s root fields of a mixed query when Azure is down: the Azure root connections are null', async () => {
    const query = `{ awsAccount(accountId: "111122223333") { accountId }
      azureBillingAccounts { nodes { id } }
      azureCreditLots(billingProfileId: "x") { nodes { id } }
      azureEvents(billingProfileId: "x", startDate: "2000-01-01T00:00:00Z", endDate: "2100-01-01T00:00:00Z") { nodes { id } } }`;
    const healthy = await viaGateway(stack.gatewayUrl, query);
    expect(healthy.errors).to.equal(undefined);
    expect(healthy.data.azureBillingAccounts.nodes.length).to.be.greaterThan(0);
    await stack.azure.stop();
    try {
      const degraded = await viaGateway(stack.gatewayUrl, query);
      expect(degraded.data).to.deep.equal({ awsAccount: { accountId: '111122223333' }, azureBillingAccounts: null, azureCreditLots: null, azureEvents: null });
      expect(degraded.errors).to.be.an('array').that.is.not.empty;
    } finally {
      stack.azure = await startAzureSubgraph({ dataDir: stack.dataDir, port: stack.azure.port, clock: () => TEST_NOW, auth: TEST_AUTH });
    }
  });
});

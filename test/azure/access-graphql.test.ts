/**
 * The Azure subgraph over HTTP with access rules: only the gateway may call it (shared secret), the
 * caller's token is verified again, and any refusal is one 401 answer that does not say which failed, and native queries and entity references show
 * each persona only what its billing roles allow: lists empty, a single-item lookup null with the same NOT_FOUND as
 * for an unknown id (so existence never leaks), a reference null without an error.
 */
import { runSql } from '../support/database';
import { expect } from 'chai';
import { SignJWT } from 'jose';
import { GATEWAY_SECRET_HEADER } from '../../lib/platform/auth/http';
import { signToken } from '../../lib/platform/auth/tokens';
import { CONTRACT_PATHS } from '../../lib/domain/provider-contract';
import { startAzureSubgraph } from '../../subgraphs/azure';
import { gatewayHeaders, TEST_AUTH, TestClaims, tokenFor } from '../support/auth';
import { expectOnlyNotFound } from '../support/not-found';
import {
  ACCOUNT,
  EUROPE,
  FABRIKAM,
  FABRIKAM_MAIN,
  GENOMICS,
  loadedDataDirWithSecondAccount,
  lotId,
  NOW,
  OWNER_CLAIMS,
  pagesAsLists,
  removeDir,
  RESEARCH,
  roleClaims,
} from './helpers';

const PROMO = lotId(RESEARCH, 'G-PROMO-1');
const EVENT = `${RESEARCH}/providers/Microsoft.Consumption/events/ev-new-1`;
const FABRIKAM_EVENT = `${FABRIKAM_MAIN}/providers/Microsoft.Consumption/events/fev-settled-1`;

const EUROPE_READER = roleClaims([EUROPE, 'billing_profile_reader']);
const RESEARCH_INVOICE_MANAGER = roleClaims([RESEARCH.toLowerCase(), 'invoice_manager']);
const FABRIKAM_OWNER = roleClaims([FABRIKAM, 'billing_account_owner']);
const BOTH = roleClaims([ACCOUNT, 'billing_account_reader'], [FABRIKAM_MAIN, 'billing_profile_contributor']);
const AWS_ONLY: TestClaims = { aws: { accountIds: ['111122223333'] } };
const MISASSIGNED = roleClaims([RESEARCH, 'billing_account_owner'], [ACCOUNT, 'invoice_manager']);

const OVERVIEW = `{
  azureBillingAccounts(first: 5) { nodes {
    displayName
    billingProfiles(first: 10) { nodes { displayName lots(first: 10) { nodes { name } } invoiceSections(first: 10) { nodes { displayName } } } }
    creditSummary(first: 10) { nodes { billingProfile { displayName } lotCount availableBalance { value } } }
  } } }`;

describe('azure subgraph GraphQL: authentication and access', () => {
  let dir: string;
  let running: Awaited<ReturnType<typeof startAzureSubgraph>>;
  let base: string;

  async function post(path: string, headers: Record<string, string>, body: unknown) {
    const response = await fetch(base + path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  }
  /** The whole answer (data with pages as lists, and errors) to a gateway call for `claims`. */
  async function answer(claims: TestClaims, query: string, variables: Record<string, unknown> = {}) {
    const { status, body } = await post('/graphql', await gatewayHeaders(claims), { query, variables });
    expect(status).to.equal(200);
    return { data: pagesAsLists(body.data), errors: body.errors as any[] | undefined };
  }
  async function data(claims: TestClaims, query: string, variables: Record<string, unknown> = {}) {
    const { data, errors } = await answer(claims, query, variables);
    expect(errors, JSON.stringify(errors)).to.equal(undefined);
    return data;
  }

  before(async () => {
    dir = await loadedDataDirWithSecondAccount();
    running = await startAzureSubgraph({ dataDir: dir, port: 0, clock: () => new Date(NOW), auth: TEST_AUTH });
    base = running.url.replace(/\/graphql$/, '');
  });
  after(async () => {
    await running.stop();
    removeDir(dir);
  });

  describe('authentication', () => {
    const query = { query: '{ azureBillingAccounts { nodes { id } } }' };
    const searchBody = { filter: {}, order: { field: 'NAME', direction: 'ASC' }, after: null, limit: 10, now: NOW };
    const contractBodies: Record<keyof typeof CONTRACT_PATHS, unknown> = {
      searchCredits: searchBody,
      getCredits: { providerCreditIds: [PROMO], now: NOW },
      getApplications: { providerCreditIds: [PROMO], page: { first: 10, after: null } },
      summarizeCredits: { filter: {}, now: NOW },
      pauseCredit: { providerCreditId: PROMO, now: NOW },
      activateCredit: { providerCreditId: PROMO, now: NOW },
      shareCredit: { providerCreditId: PROMO, scope: 'ORGANIZATION', now: NOW },
    };

    it('answers 401 with one body on /graphql and every contract route when the secret is missing or wrong, whatever the token', async () => {
      const bearer = { authorization: `Bearer ${await tokenFor(OWNER_CLAIMS)}` };
      const answers = new Set<string>();
      for (const headers of [bearer, { ...bearer, [GATEWAY_SECRET_HEADER]: 'guess' }, { ...bearer, [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret.slice(0, -1) }, {}]) {
        const graphql = await post('/graphql', headers, query);
        expect(graphql.status).to.equal(401);
        expect(graphql.body.errors[0].extensions.code).to.equal('UNAUTHENTICATED');
        answers.add(JSON.stringify(graphql.body));
        for (const [operation, path] of Object.entries(CONTRACT_PATHS)) {
          const response = await post(path, headers, contractBodies[operation as keyof typeof CONTRACT_PATHS]);
          expect(response.status, path).to.equal(401);
          answers.add(JSON.stringify(response.body));
        }
      }
      expect([...answers], 'one body for every refusal').to.have.length(1);
      const [lot] = await runSql(running.dataSource, 'SELECT paused FROM azure_credit_lot WHERE id = ?', [PROMO]);
      expect(Number(lot.paused), 'the lot is not paused').to.equal(0);
    });

    it('answers the same 401 with the secret but no, an expired, a forged, a wrong-audience or a wrong-issuer token', async () => {
      const secret = { [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret };
      const claims = OWNER_CLAIMS as Record<string, unknown>;
      const tokens: Record<string, string | null> = {
        missing: null,
        expired: await tokenFor(OWNER_CLAIMS, 'test-user', '-1h'),
        forged: await signToken({ ...TEST_AUTH, jwtSecret: 'an-attacker-secret-an-attacker-secret-00' }, 'test-user', claims),
        'wrong audience': await signToken({ ...TEST_AUTH, audience: 'another-api' }, 'test-user', claims),
        'wrong issuer': await signToken({ ...TEST_AUTH, issuer: 'someone-else' }, 'test-user', claims),
        'alg none': `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', ...claims })).toString('base64url')}.`,
        'no subject': await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(TEST_AUTH.issuer)
          .setAudience(TEST_AUTH.audience)
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(TEST_AUTH.jwtSecret!)),
        garbage: 'not a token',
      };
      const answers = new Set<string>();
      for (const [name, token] of Object.entries(tokens)) {
        const headers = token === null ? secret : { ...secret, authorization: `Bearer ${token}` };
        const graphql = await post('/graphql', headers, query);
        expect(graphql.status, name).to.equal(401);
        answers.add(JSON.stringify(graphql.body));
        for (const [operation, path] of Object.entries(CONTRACT_PATHS)) {
          const response = await post(path, headers, contractBodies[operation as keyof typeof CONTRACT_PATHS]);
          expect(response.status, `${name} ${path}`).to.equal(401);
          answers.add(JSON.stringify(response.body));
        }
      }
      expect([...answers], 'one body for every refusal, the same as for a bad secret').to.have.length(1);
      const [lot] = await runSql(running.dataSource, 'SELECT paused FROM azure_credit_lot WHERE id = ?', [PROMO]);
      expect(Number(lot.paused), 'the lot is not paused').to.equal(0);
    });

    it('keeps /health open', async () => {
      const response = await fetch(`${base}/health`);
      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({ status: 'ok', service: 'azure' });
    });

    it('serves the contract for the verified caller: a reader is FORBIDDEN to pause, a stranger gets NOT_FOUND', async () => {
      const asReader = await post(CONTRACT_PATHS.pauseCredit, await gatewayHeaders(RESEARCH_INVOICE_MANAGER), { providerCreditId: PROMO, now: NOW });
      expect(asReader.status).to.equal(200);
      expect(asReader.body.userErrors.map((e: any) => [e.code, e.field])).to.deep.equal([['FORBIDDEN', ['creditId']]]);
      const asStranger = await post(CONTRACT_PATHS.pauseCredit, await gatewayHeaders(EUROPE_READER), { providerCreditId: PROMO, now: NOW });
      expect(asStranger.body.userErrors.map((e: any) => e.code)).to.deep.equal(['NOT_FOUND']);
      const search = await post(CONTRACT_PATHS.searchCredits, await gatewayHeaders(EUROPE_READER), searchBody);
      expect(search.body.credits.map((c: any) => c.owner.name)).to.deep.equal(['Europe', 'Europe', 'Europe', 'Europe']);
    });
  });

  describe('native queries per persona', () => {
    it('an account owner sees its account with every profile', async () => {
      const { azureBillingAccounts } = await data(OWNER_CLAIMS, OVERVIEW);
      expect(azureBillingAccounts.map((a: any) => a.displayName)).to.deep.equal(['Northwind Labs']);
      expect(azureBillingAccounts[0].billingProfiles.map((p: any) => [p.displayName, p.lots.length])).to.deep.equal([
        ['Europe', 4],
        ['Research', 5],
      ]);
      expect(azureBillingAccounts[0].creditSummary.map((s: any) => s.billingProfile.displayName)).to.deep.equal(['Europe', 'Research']);
    });

    it('a profile reader sees its account with only that profile, and the summary covers only it', async () => {
      const { azureBillingAccounts } = await data(EUROPE_READER, OVERVIEW);
      expect(azureBillingAccounts).to.deep.equal([
        {
          displayName: 'Northwind Labs',
          billingProfiles: [
            { displayName: 'Europe', lots: ['E-COMMIT-7', 'E-ODD-8', 'E-PROMO-9', 'E-USD-6'].map((name) => ({ name })), invoiceSections: [{ displayName: 'Berlin office' }] },
          ],
          creditSummary: [{ billingProfile: { displayName: 'Europe' }, lotCount: 4, availableBalance: { value: '1050.00' } }],
        },
      ]);
    });

    it('a profile reader gets NOT_FOUND or empty for everything of another profile or account', async () => {
      const json = await answer(
        EUROPE_READER,
        `query ($r: ID!, $lot: ID!, $a: ID!, $f: ID!) {
          research: azureBillingProfile(id: $r) { id }
          lots: azureCreditLots(billingProfileId: $r) { nodes { id } }
          lot: azureCreditLot(id: $lot) { id }
          events: azureEvents(billingProfileId: $r, startDate: "2000-01-01T00:00:00Z", endDate: "2100-01-01T00:00:00Z") { nodes { id } }
          fabrikam: azureBillingAccount(id: $f) { id }
          northwind: azureBillingAccount(id: $a) { billingProfiles { nodes { displayName } } }
        }`,
        { r: RESEARCH, lot: PROMO, a: ACCOUNT, f: FABRIKAM },
      );
      expect(json.data).to.deep.equal({ research: null, lots: [], lot: null, events: [], fabrikam: null, northwind: { billingProfiles: [{ displayName: 'Europe' }] } });
      expectOnlyNotFound(json, { research: { argument: 'id', id: RESEARCH }, lot: { argument: 'id', id: PROMO }, fabrikam: { argument: 'id', id: FABRIKAM } });
    });

    it('an invoice manager reads its profile\'s lots and events (ids in any case), with their profile and account', async () => {
      const result = await data(
        RESEARCH_INVOICE_MANAGER,
        `query ($r: ID!) {
          azureEvents(billingProfileId: $r, startDate: "2000-01-01T00:00:00Z", endDate: "2100-01-01T00:00:00Z") { nodes { name lot { name } } }
          azureBillingProfile(id: $r) { displayName availableBalance { value } billingAccount { displayName billingProfiles { nodes { displayName } } } }
        }`,
        { r: RESEARCH },
      );
      expect(result.azureEvents.length).to.be.greaterThan(0);
      expect(result.azureEvents.find((e: any) => e.name === 'ev-new-1')).to.deep.equal({ name: 'ev-new-1', lot: { name: 'G-PROMO-1' } });
      expect(result.azureBillingProfile).to.deep.equal({
        displayName: 'Research',
        availableBalance: { value: '3220.675' },
        billingAccount: { displayName: 'Northwind Labs', billingProfiles: [{ displayName: 'Research' }] },
      });
    });

    it('an owner of another account sees only that account', async () => {
      const { azureBillingAccounts } = await data(FABRIKAM_OWNER, OVERVIEW);
      expect(azureBillingAccounts).to.deep.equal([
        {
          displayName: 'Fabrikam Retail',
          billingProfiles: [{ displayName: 'Fabrikam Main', lots: [{ name: 'F-PROMO-1' }, { name: 'F-PROMO-2' }], invoiceSections: [{ displayName: 'Stores' }] }],
          creditSummary: [{ billingProfile: { displayName: 'Fabrikam Main' }, lotCount: 2, availableBalance: { value: '350.0' } }],
        },
      ]);
    });

    it('roles in both accounts show both', async () => {
      const { azureBillingAccounts } = await data(BOTH, OVERVIEW);
      expect(azureBillingAccounts.map((a: any) => [a.displayName, a.billingProfiles.map((p: any) => p.displayName)])).to.deep.equal(
        // By id: Northwind's account id sorts first.
        [
          ['Northwind Labs', ['Europe', 'Research']],
          ['Fabrikam Retail', ['Fabrikam Main']],
        ],
      );
    });

    for (const [persona, claims] of Object.entries({ 'AWS only': AWS_ONLY, 'roles on scopes of the wrong kind': MISASSIGNED })) {
      it(`${persona}: sees nothing: empty lists, NOT_FOUND lookups`, async () => {
        const json = await answer(
          claims,
          `query ($r: ID!, $lot: ID!, $a: ID!) {
            azureBillingAccounts { nodes { id } }
            azureBillingAccount(id: $a) { id }
            azureBillingProfile(id: $r) { id }
            azureCreditLots(billingProfileId: $r) { nodes { id } }
            azureCreditLot(id: $lot) { id }
            azureEvents(billingProfileId: $r, startDate: "2000-01-01T00:00:00Z", endDate: "2100-01-01T00:00:00Z") { nodes { id } }
          }`,
          { r: RESEARCH, lot: PROMO, a: ACCOUNT },
        );
        expect(json.data).to.deep.equal({
          azureBillingAccounts: [],
          azureBillingAccount: null,
          azureBillingProfile: null,
          azureCreditLots: [],
          azureCreditLot: null,
          azureEvents: [],
        });
        expectOnlyNotFound(json, {
          azureBillingAccount: { argument: 'id', id: ACCOUNT },
          azureBillingProfile: { argument: 'id', id: RESEARCH },
          azureCreditLot: { argument: 'id', id: PROMO },
        });
      });
    }
  });

  describe('entity references', () => {
    const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) {
      __typename
      ... on AzureBillingAccount { displayName }
      ... on AzureBillingProfile { displayName }
      ... on AzureInvoiceSection { displayName }
      ... on AzureCreditLot { name }
      ... on AzureCreditEvent { name }
    } }`;
    const representations = [
      { __typename: 'AzureBillingAccount', id: ACCOUNT },
      { __typename: 'AzureBillingProfile', id: RESEARCH },
      { __typename: 'AzureInvoiceSection', id: GENOMICS },
      { __typename: 'AzureCreditLot', id: PROMO },
      { __typename: 'AzureCreditEvent', id: EVENT },
      { __typename: 'AzureBillingAccount', id: FABRIKAM },
      { __typename: 'AzureBillingProfile', id: EUROPE },
      { __typename: 'AzureCreditEvent', id: FABRIKAM_EVENT },
    ];

    it('resolves only what the caller may see, null for the rest', async () => {
      const names = async (claims: TestClaims) =>
        ((await data(claims, ENTITIES, { r: representations }))._entities as any[]).map((e) => e && (e.displayName ?? e.name));
      expect(await names(RESEARCH_INVOICE_MANAGER)).to.deep.equal(['Northwind Labs', 'Research', 'Genomics', 'G-PROMO-1', 'ev-new-1', null, null, null]);
      expect(await names(EUROPE_READER)).to.deep.equal(['Northwind Labs', null, null, null, null, null, 'Europe', null]);
      expect(await names(FABRIKAM_OWNER)).to.deep.equal([null, null, null, null, null, 'Fabrikam Retail', null, 'fev-settled-1']);
      expect(await names(BOTH)).to.deep.equal(['Northwind Labs', 'Research', 'Genomics', 'G-PROMO-1', 'ev-new-1', 'Fabrikam Retail', 'Europe', 'fev-settled-1']);
      expect(await names(AWS_ONLY)).to.deep.equal([null, null, null, null, null, null, null, null]);
    });
  });
});

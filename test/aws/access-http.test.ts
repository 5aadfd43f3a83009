/**
 * The AWS subgraph's doors and what each persona sees through its native GraphQL queries: only the
 * gateway may call (shared secret) for a caller with a valid token, every other request gets one
 * and the same 401 UNAUTHENTICATED answer, /health stays open, and native queries and references answer within the
 * caller's scope: lists empty, a single-item lookup null with the same NOT_FOUND as for an unknown id (so existence
 * never leaks), a reference null without an error.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import { SignJWT } from 'jose';
import { GATEWAY_SECRET_HEADER } from '../../lib/platform/auth/http';
import { CONTRACT_PATHS } from '../../lib/domain/provider-contract';
import { HttpCreditProvider } from '../../lib/api/provider-http';
import { startAwsSubgraph } from '../../subgraphs/aws';
import { gatewayHeaders, TEST_AUTH, TestClaims, tokenFor } from '../support/auth';
import { expectOnlyNotFound } from '../support/not-found';
import { CLAIMS, loadFixtures, NOW, tempDir } from './support';

/** Every application of the credits asked for, in one page. */
const ALL_APPLICATIONS = { first: 100, after: null };

type Running = Awaited<ReturnType<typeof startAwsSubgraph>>;

const FUNDING = 'arn:aws:ce::111122223333:costcategory/7d3a1c52-4b7e-4d8a-9f0e-2c6b5a4e3d21';
const ENVIRONMENT = 'arn:aws:ce::111122223333:costcategory/0a1b2c3d-1111-2222-3333-444455556666';

/** A token signed as the tests sign them, with some settings changed. */
function craftToken(change: { secret?: string; audience?: string; issuer?: string; exp?: number; alg?: string }): Promise<string> {
  const jwt = new SignJWT({ aws: { accountIds: ['111122223333'] } })
    .setProtectedHeader({ alg: change.alg ?? 'HS256' })
    .setSubject('intruder')
    .setIssuer(change.issuer ?? TEST_AUTH.issuer)
    .setAudience(change.audience ?? TEST_AUTH.audience)
    .setIssuedAt()
    .setExpirationTime(change.exp ?? Math.floor(Date.now() / 1000) + 3600);
  const secret = change.secret ?? TEST_AUTH.jwtSecret!;
  return jwt.sign(new TextEncoder().encode(change.alg === 'HS512' ? secret.repeat(2) : secret));
}

describe('AWS subgraph access over HTTP', () => {
  let dataDir: string;
  let server: Running;
  let base: string;

  async function post(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(new URL(path, base), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, json: await response.json().catch(() => null) };
  }

  /** The whole GraphQL answer (data and errors) to a gateway call for `claims`. */
  async function answer(claims: TestClaims, text: string, variables: Record<string, unknown> = {}): Promise<any> {
    const { status, json } = await post('/graphql', await gatewayHeaders(claims), { query: text, variables });
    expect(status).to.equal(200);
    return json;
  }

  async function data(claims: TestClaims, text: string, variables: Record<string, unknown> = {}): Promise<any> {
    const json = await answer(claims, text, variables);
    expect(json.errors, JSON.stringify(json.errors)).to.equal(undefined);
    return json.data;
  }

  before(async () => {
    dataDir = tempDir();
    await loadFixtures(dataDir);
    server = await startAwsSubgraph({ dataDir, port: 0, clock: () => new Date(NOW), auth: TEST_AUTH });
    base = new URL('/', server.url).toString();
  });
  after(async () => {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const ENDPOINTS = ['/graphql', ...Object.values(CONTRACT_PATHS)];
  const bodyFor = (path: string) => (path === '/graphql' ? { query: '{ awsCredits { nodes { creditId } } }' } : { providerCreditIds: ['90000000001'], now: NOW });

  describe('doors', () => {
    it('gives every refused request one answer, 401 with the same body, whether the secret or the token is missing or wrong', async () => {
      const authorization = `Bearer ${await tokenFor(CLAIMS.payer)}`;
      const secret = TEST_AUTH.gatewaySecret;
      const badTokens: Record<string, string | undefined> = {
        none: undefined,
        expired: `Bearer ${await craftToken({ exp: Math.floor(Date.now() / 1000) - 60 })}`,
        forged: `Bearer ${await craftToken({ secret: 'not-the-secret-not-the-secret-not-the-secret' })}`,
        'wrong audience': `Bearer ${await craftToken({ audience: 'another-api' })}`,
        'wrong issuer': `Bearer ${await craftToken({ issuer: 'someone-else' })}`,
        'other algorithm': `Bearer ${await craftToken({ alg: 'HS512' })}`,
        malformed: 'Bearer not.a.token',
        'not bearer': `Basic ${Buffer.from('a:b').toString('base64')}`,
        'unsigned payload': `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`,
      };
      const variants: Record<string, Record<string, string>> = {
        'valid token, no secret': { authorization },
        'valid token, guessed secret': { authorization, [GATEWAY_SECRET_HEADER]: 'guessed' },
        'valid token, the secret with one character more': { authorization, [GATEWAY_SECRET_HEADER]: `${secret}x` },
        'nothing at all': {},
      };
      for (const [name, token] of Object.entries(badTokens)) {
        variants[`the secret, ${name} token`] = token ? { [GATEWAY_SECRET_HEADER]: secret, authorization: token } : { [GATEWAY_SECRET_HEADER]: secret };
        variants[`a wrong secret, ${name} token`] = token ? { [GATEWAY_SECRET_HEADER]: 'guessed', authorization: token } : { [GATEWAY_SECRET_HEADER]: 'guessed' };
      }
      const answers = new Set<string>();
      for (const path of ENDPOINTS) {
        for (const [name, headers] of Object.entries(variants)) {
          const { status, json } = await post(path, headers, bodyFor(path));
          expect(status, `${path} ${name}`).to.equal(401);
          expect(json.errors[0].extensions.code, `${path} ${name}`).to.equal('UNAUTHENTICATED');
          expect(JSON.stringify(json)).to.not.contain('90000000001');
          answers.add(JSON.stringify(json));
        }
      }
      expect([...answers], 'one body for every refusal').to.have.length(1);
    });

    it('keeps /health open', async () => {
      const response = await fetch(new URL('/health', base));
      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({ status: 'ok', service: 'aws' });
    });
  });

  describe('native queries per persona', () => {
    const everything = `{
      awsCredits { nodes { creditId } }
      awsAccounts { nodes { accountId name email status joinedMethod joinedTimestamp payerAccountId isPayer } }
      awsCreditAllocationHistory { nodes { creditId accountId billingMonth } }
      awsCostCategories { nodes { costCategoryArn } }
    }`;
    /** The nodes of each connection of `everything`. */
    const everythingOf = async (claims: TestClaims): Promise<Record<string, any[]>> => {
      const result = await data(claims, everything);
      return Object.fromEntries(Object.entries(result).map(([field, connection]: [string, any]) => [field, connection.nodes])) as Record<string, any[]>;
    };

    it('shows the payer its whole organization', async () => {
      const result = await everythingOf(CLAIMS.payer);
      expect(result.awsCredits.map((c: any) => c.creditId)).to.deep.equal(['90000000001', '90000000002', '90000000003', '90000000004', '90000000005', '90000000006', '90000000007']);
      expect(result.awsAccounts.map((a: any) => a.accountId)).to.deep.equal(['111122223333', '123456789012', '210987654321', '444455556666', '777788889999']);
      expect(result.awsAccounts.every((a: any) => a.email !== null)).to.equal(true);
      expect(result.awsCreditAllocationHistory).to.have.length(4);
      expect(result.awsCostCategories.map((c: any) => c.costCategoryArn).sort()).to.deep.equal([ENVIRONMENT, FUNDING].sort());
    });

    it('shows a linked account its credits, its own history, itself, and minimal records of its payer and credit owners', async () => {
      const result = await everythingOf(CLAIMS.teamData);
      expect(result.awsCredits.map((c: any) => c.creditId)).to.deep.equal(['90000000001', '90000000004', '90000000005', '90000000006']);
      expect(result.awsAccounts).to.deep.equal([
        { accountId: '111122223333', name: 'Example Corp', email: null, status: null, joinedMethod: null, joinedTimestamp: null, payerAccountId: '111122223333', isPayer: true },
        { accountId: '444455556666', name: 'team-data', email: 'data@example.com', status: 'ACTIVE', joinedMethod: 'INVITED', joinedTimestamp: '2024-06-01T10:00:00.000Z', payerAccountId: '111122223333', isPayer: false },
      ]);
      expect(result.awsCreditAllocationHistory).to.deep.equal([
        { creditId: '90000000001', accountId: '444455556666', billingMonth: '2026-10' },
        { creditId: '90000000001', accountId: '444455556666', billingMonth: '2026-09' },
      ]);
      expect(result.awsCostCategories).to.deep.equal([]);
    });

    it('lists a linked account only the shareable accounts it may see; the payer sees them all', async () => {
      // 90000000004 is shared with team-data (444455556666) and team-web (777788889999), which team-data may not see.
      const query = `{ awsCredit(creditId: "90000000004") { shareableAccounts } }`;
      const linked = await answer(CLAIMS.teamData, query);
      expect(linked.data.awsCredit.shareableAccounts).to.deep.equal(['444455556666']);
      const payer = await answer(CLAIMS.payer, query);
      expect(payer.data.awsCredit.shareableAccounts).to.deep.equal(['444455556666', '777788889999']);
    });

    it("never shows a linked account another account's history, through any field", async () => {
      const json = await answer(
        CLAIMS.teamData,
        `{
          credit: awsCredit(creditId: "90000000001") {
            allocationHistory { nodes { accountId } }
            account { email credits { nodes { creditId } } allocationHistory { nodes { accountId } } }
          }
          asked: awsCreditAllocationHistory(accountId: "777788889999") { nodes { creditId } }
          other: awsAccount(accountId: "777788889999") { name email credits { nodes { creditId } } allocationHistory { nodes { creditId } } }
          hidden: awsAccount(accountId: "123456789012") { name }
        }`,
      );
      const result = json.data;
      expect(result.credit.allocationHistory.nodes.map((a: any) => a.accountId)).to.deep.equal(['444455556666', '444455556666']);
      expect(result.credit.account).to.deep.equal({
        email: null,
        credits: { nodes: [{ creditId: '90000000001' }, { creditId: '90000000004' }, { creditId: '90000000006' }] },
        allocationHistory: { nodes: [] },
      });
      expect(result.asked.nodes).to.deep.equal([]);
      // team-web owns only 90000000007, whose unknown sharing type keeps it owner-only: nothing of team-web is visible.
      expectOnlyNotFound(json, { other: { argument: 'accountId', id: '777788889999' }, hidden: { argument: 'accountId', id: '123456789012' } });
    });

    it('answers credits, accounts and cost categories the caller may not see with null and NOT_FOUND, as unknown ones, and references with null', async () => {
      const json = await answer(
        CLAIMS.teamData,
        `query ($reps: [_Any!]!) {
          shared: awsCredit(creditId: "90000000002") { creditId }
          disabled: awsCredit(creditId: "90000000003") { creditId }
          unknown: awsCredit(creditId: "404") { creditId }
          category: awsCostCategory(costCategoryArn: "${FUNDING}") { name }
          byOwner: awsCredits(accountId: "123456789012") { nodes { creditId } }
          _entities(representations: $reps) { ... on AwsCredit { creditId } ... on AwsAccount { accountId } ... on AwsCostCategory { name } }
        }`,
        {
          reps: [
            { __typename: 'AwsCredit', creditId: '90000000002' },
            { __typename: 'AwsCredit', creditId: '90000000004' },
            { __typename: 'AwsAccount', accountId: '123456789012' },
            { __typename: 'AwsAccount', accountId: '444455556666' },
            { __typename: 'AwsCostCategory', costCategoryArn: FUNDING },
          ],
        },
      );
      expect(json.data).to.deep.equal({
        shared: null,
        disabled: null,
        unknown: null,
        category: null,
        byOwner: { nodes: [] },
        _entities: [null, { creditId: '90000000004' }, null, { accountId: '444455556666' }, null],
      });
      // Only the lookups fail, each the same way; the references answer null without an error.
      expectOnlyNotFound(json, {
        shared: { argument: 'creditId', id: '90000000002' },
        disabled: { argument: 'creditId', id: '90000000003' },
        unknown: { argument: 'creditId', id: '404' },
        category: { argument: 'costCategoryArn', id: FUNDING },
      });
      const said = (key: string, id: string) => json.errors.find((e: any) => e.path[0] === key).message.replace(JSON.stringify(id), '<id>');
      expect(said('disabled', '90000000003')).to.equal(said('unknown', '404'));
    });

    it("shows a linked account the cost category of a credit it sees, with only the accounts it may see", async () => {
      const { awsCostCategories, awsCostCategory } = await data(
        CLAIMS.research,
        `{ awsCostCategories { nodes { name } } awsCostCategory(costCategoryArn: "${FUNDING}") { name values { nodes { value accounts { nodes { accountId email } } } } } }`,
      );
      expect(awsCostCategories.nodes).to.deep.equal([{ name: 'FundingSource' }]);
      expect(awsCostCategory.values.nodes).to.deep.equal([
        { value: 'GrantNSF', accounts: { nodes: [{ accountId: '123456789012', email: 'grants@example.com' }] } },
        // team-web owns no credit research may see (its 90000000007 is owner-only), so it is not listed.
        { value: 'Product', accounts: { nodes: [] } },
        { value: 'Unallocated', accounts: { nodes: [{ accountId: '111122223333', email: null }] } },
      ]);
    });

    it("gives a cost category's rules to the payer of its organization only, an empty list to a linked account", async () => {
      const text = `{ awsCostCategory(costCategoryArn: "${FUNDING}") { name rules { value type inheritedValue rule } values { nodes { value } } } }`;
      const payer = (await data(CLAIMS.payer, text)).awsCostCategory;
      expect(payer.rules.map((r: any) => r.value)).to.deep.equal(['GrantNSF', 'Product']);
      expect(payer.rules[0]).to.deep.equal({
        value: 'GrantNSF',
        type: 'REGULAR',
        inheritedValue: null,
        rule: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['123456789012'], MatchOptions: ['EQUALS'] } },
      });
      // research sees the category (it shares a credit research sees) but not which accounts its rules name.
      const linked = (await data(CLAIMS.research, text)).awsCostCategory;
      expect(linked).to.deep.equal({ name: 'FundingSource', rules: [], values: { nodes: [{ value: 'GrantNSF' }, { value: 'Product' }, { value: 'Unallocated' }] } });
      // The same through a federation reference and the list.
      const viaList = await data(
        CLAIMS.research,
        // Rules are costed at the 500 AWS allows per category, so a page of categories with their rules is a small one.
        `query ($reps: [_Any!]!) { awsCostCategories(first: 10) { nodes { rules { value } } } _entities(representations: $reps) { ... on AwsCostCategory { rules { value } } } }`,
        { reps: [{ __typename: 'AwsCostCategory', costCategoryArn: FUNDING }] },
      );
      expect(viaList).to.deep.equal({ awsCostCategories: { nodes: [{ rules: [] }] }, _entities: [{ rules: [] }] });
      const payerList = await data(CLAIMS.payer, '{ awsCostCategories(first: 10) { nodes { name rules { value } } } }');
      expect(payerList.awsCostCategories.nodes.every((c: any) => c.rules.length > 0)).to.equal(true);
    });

    it('shows nothing to unknown accounts and principals without AWS accounts: empty lists, NOT_FOUND lookups', async () => {
      for (const claims of [CLAIMS.unknown, CLAIMS.azureOnly, {}]) {
        const result = await everythingOf(claims);
        expect(result, JSON.stringify(claims)).to.deep.equal({ awsCredits: [], awsAccounts: [], awsCreditAllocationHistory: [], awsCostCategories: [] });
        expectOnlyNotFound(await answer(claims, '{ awsCredit(creditId: "90000000001") { creditId } }'), { awsCredit: { argument: 'creditId', id: '90000000001' } });
      }
    });
  });

  describe('provider contract per persona', () => {
    const client = async (claims: TestClaims) => new HttpCreditProvider('AWS', server.url, { headers: await gatewayHeaders(claims) });

    it('searches within the caller scope and refuses a linked account any change', async () => {
      const teamData = await client(CLAIMS.teamData);
      const credits = await teamData.searchCredits({ filter: {}, order: { field: 'NAME', direction: 'ASC' }, after: null, limit: null, now: NOW });
      expect(credits.map((c) => c.providerCreditId).sort()).to.deep.equal(['90000000001', '90000000004', '90000000005', '90000000006']);
      expect((await teamData.getApplications(['90000000001'], ALL_APPLICATIONS)).flatMap((p) => p.applications).map((a) => a.consumer.id)).to.deep.equal(['444455556666', '444455556666']);
      expect((await teamData.pauseCredit('90000000005', NOW)).userErrors.map((e) => e.code)).to.deep.equal(['FORBIDDEN']);
      expect((await teamData.shareCredit({ providerCreditId: '90000000001', scope: 'OWNER_ONLY', now: NOW })).userErrors.map((e) => e.code)).to.deep.equal(['FORBIDDEN']);
      expect((await teamData.activateCredit('90000000003', NOW)).userErrors.map((e) => e.code)).to.deep.equal(['NOT_FOUND']);
      const unchanged = await (await client(CLAIMS.payer)).getCredits(['90000000005', '90000000001', '90000000003'], NOW);
      expect(unchanged.map((c) => [c.providerCreditId, c.providerStatus, c.sharing.scope])).to.have.deep.members([
        ['90000000005', 'ENABLED', 'OWNER_ONLY'],
        ['90000000001', 'ENABLED', 'ORGANIZATION'],
        ['90000000003', 'DISABLED', 'OWNER_ONLY'],
      ]);
    });
  });
});

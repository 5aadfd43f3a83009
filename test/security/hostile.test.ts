/**
 * The hostile-input corpus: bad tokens, forbidden actions, direct subgraph calls, abusive queries,
 * injection attempts, malformed ids and files. Each gets a clear typed error, the servers keep
 * running, and the data is unchanged afterwards.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { GATEWAY_SECRET_HEADER } from '../../lib/platform/auth/http';
import { signToken } from '../../lib/platform/auth/tokens';
import { ingestFiles } from '../../lib/store/ingest';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { TEST_AUTH, tokenFor } from '../support/auth';
import { expectOnlyNotFound } from '../support/not-found';
import { graphql, query, Stack, startStack, tempDir } from '../support/stack';

const SNAPSHOT = `{
  credits(first: 100) { nodes { id status remainingBalance { amount } estimatedBalance { amount } sharing { scope accounts { id } invoiceSections { id } } } }
  creditSummary { creditCount totals { provider currencyCode remainingBalance { amount } } }
  awsCreditAllocationHistory(first: 100) { nodes { creditId accountId billingMonth creditAmount { currencyAmount } } }
  awsAccounts(first: 100) { nodes { accountId name } }
}`;

const DEVELOPMENT =
  '/providers/Microsoft.Billing/billingAccounts/5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31/billingProfiles/PBFV-AB12-CD3-EF4';

describe('hostile input', () => {
  let stack: Stack;
  let snapshot: unknown;
  let someCredit: string;

  const expectCode = (result: { errors?: { extensions?: Record<string, any> }[] }, code: string) => {
    expect(result.errors, JSON.stringify(result)).to.be.an('array').that.is.not.empty;
    expect(result.errors![0].extensions?.code).to.equal(code);
    for (const e of result.errors!) expect(JSON.stringify(e)).to.not.match(/at .*\.js:\d+|SQLITE|stacktrace/i);
  };

  before(async () => {
    stack = await startStack();
    snapshot = await query(stack.gatewayUrl, SNAPSHOT);
    someCredit = (snapshot as any).credits.nodes[0].id;
  });

  after(async () => {
    const health = await fetch(new URL('/health', stack.gatewayUrl));
    expect(health.status, 'the gateway still runs').to.equal(200);
    expect(await query(stack.gatewayUrl, SNAPSHOT), 'nothing changed').to.deep.equal(snapshot);
    await stack.stop();
  });

  describe('tokens', () => {
    const LIST = `{ credits(first: 1) { nodes { id } } }`;

    it('no token, a garbage token, a non-bearer scheme: 401 UNAUTHENTICATED', async () => {
      for (const header of [null, 'not-a-jwt', 'a.b.c']) {
        const result = await graphql(stack.gatewayUrl, LIST, {}, header);
        expect(result.status).to.equal(401);
        expectCode(result, 'UNAUTHENTICATED');
      }
      const basic = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' },
        body: JSON.stringify({ query: LIST }),
      });
      expect(basic.status).to.equal(401);
    });

    it('expired, forged, wrong-audience, wrong-issuer and unsigned tokens are refused, saying why', async () => {
      const cases: [string, string, RegExp][] = [
        ['expired', await signToken(TEST_AUTH, 'x', {}, '-1m'), /expired/],
        ['forged', await signToken({ ...TEST_AUTH, jwtSecret: 'another-secret-another-secret-0123456' }, 'x', {}), /signature/],
        ['wrong audience', await signToken({ ...TEST_AUTH, audience: 'someone-else' }, 'x', {}), /aud/],
        ['wrong issuer', await signToken({ ...TEST_AUTH, issuer: 'evil' }, 'x', {}), /iss/],
        [
          'alg none',
          `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', iss: TEST_AUTH.issuer, aud: TEST_AUTH.audience, exp: 9999999999 })).toString('base64url')}.`,
          /malformed|cannot be verified/,
        ],
        [
          'no issue time',
          await new SignJWT({})
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('x')
            .setIssuer(TEST_AUTH.issuer)
            .setAudience(TEST_AUTH.audience)
            .setExpirationTime('1h')
            .sign(new TextEncoder().encode(TEST_AUTH.jwtSecret!)),
          /issue time/,
        ],
        [
          'bad claims',
          await new SignJWT({ aws: { accountIds: ["1' OR 1=1 --"] } })
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('x')
            .setIssuedAt()
            .setIssuer(TEST_AUTH.issuer)
            .setAudience(TEST_AUTH.audience)
            .setExpirationTime('1h')
            .sign(new TextEncoder().encode(TEST_AUTH.jwtSecret!)),
          /claims are invalid/,
        ],
      ];
      for (const [name, token, reason] of cases) {
        const result = await graphql(stack.gatewayUrl, LIST, {}, token);
        expect(result.status, name).to.equal(401);
        expectCode(result, 'UNAUTHENTICATED');
        expect(result.errors![0].message, name).to.match(reason);
      }
    });
  });

  describe('access', () => {
    it('a reader pausing gets FORBIDDEN', async () => {
      const reader = await tokenFor({ azure: { roleAssignments: [{ scope: DEVELOPMENT, role: 'billing_profile_reader' }] } });
      const lots = await query(stack.gatewayUrl, `{ credits(first: 1) { nodes { id } } }`, {}, reader);
      const result = await query(stack.gatewayUrl, `mutation($id: ID!) { pauseCredit(input: { creditId: $id }) { userErrors { code } } }`, { id: lots.credits.nodes[0].id }, reader);
      expect(result.pauseCredit.userErrors).to.deep.equal([{ code: 'FORBIDDEN' }]);
    });

    it('a linked account reading another account\'s history gets nothing', async () => {
      const linked = await tokenFor({ aws: { accountIds: ['444455556666'] } });
      const result = await graphql(stack.gatewayUrl, `{ awsCreditAllocationHistory(accountId: "123456789012") { nodes { accountId } } awsAccount(accountId: "123456789012") { accountId } }`, {}, linked);
      expect(result.data).to.deep.equal({ awsCreditAllocationHistory: { nodes: [] }, awsAccount: null });
      expectOnlyNotFound(result, { awsAccount: { argument: 'accountId', id: '123456789012' } });
    });

    it('calling a subgraph directly gains nothing: no secret, a wrong secret or no token all get the same 401', async () => {
      const admin = `Bearer ${await tokenFor({ aws: { accountIds: ['111122223333'] } })}`;
      const attempts: Record<string, Record<string, string>> = {
        'no secret, no token': {},
        'a valid token, no secret': { authorization: admin },
        'a valid token, a wrong secret': { authorization: admin, [GATEWAY_SECRET_HEADER]: 'test-gateway-secreT' },
        'the secret, no token': { [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret },
        'the secret, a garbage token': { [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret, authorization: 'Bearer a.b.c' },
      };
      const answers = new Set<string>();
      for (const url of [stack.aws.url, stack.azure.url]) {
        for (const [name, headers] of Object.entries(attempts)) {
          for (const [target, body] of [
            [url, JSON.stringify({ query: '{ __typename }' })],
            [new URL('/provider/v1/credits/search', url).toString(), '{}'],
          ]) {
            const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
            expect(response.status, `${target} ${name}`).to.equal(401);
            const json: any = await response.json();
            expectCode(json, 'UNAUTHENTICATED');
            answers.add(JSON.stringify(json));
          }
        }
      }
      expect([...answers], 'the same body whatever was wrong').to.have.length(1);
    });
  });

  describe('abusive queries', () => {
    it('refuses a deep query, an alias bomb and a huge document before running them', async () => {
      const depth = await graphql(stack.gatewayUrl, `{ awsAccounts(first: 1) { nodes { credits(first: 1) { nodes { account { credits(first: 1) { nodes { account { credits(first: 1) { nodes { account { credits(first: 1) { nodes { creditId } } } } } } } } } } } } } }`);
      expectCode(depth, 'MAX_DEPTH_LIMIT');
      const aliases = await graphql(stack.gatewayUrl, `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: creditSummary { creditCount }`).join(' ')} }`);
      expectCode(aliases, 'MAX_ALIASES_LIMIT');
      const tokens = await graphql(stack.gatewayUrl, `{ creditSummary { ${'creditCount '.repeat(6000)} } }`);
      expectCode(tokens, 'MAX_TOKENS_LIMIT');
    });

    it('costs a fragment spread many times at every level once, so it cannot stall a service', async () => {
      // 100 spreads of the next fragment at each of four levels: walked spread by spread, 100^4 walks
      // would block the gateway's event loop for seconds (100^5 for hours); costed once each, it runs at once.
      const spreads = (n: number) => Array.from({ length: 100 }, () => `...F${n}`).join(' ');
      const bomb = `query Q { ...F0 } ${[0, 1, 2, 3].map((n) => `fragment F${n} on Query { ${spreads(n + 1)} }`).join(' ')} fragment F4 on Query { __typename }`;
      const viaGateway = await graphql(stack.gatewayUrl, bomb);
      expect(viaGateway.status).to.equal(200);
      expect(viaGateway.data).to.deep.equal({ __typename: 'Query' });
      const direct = await fetch(stack.aws.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret, authorization: `Bearer ${await tokenFor({})}` },
        body: JSON.stringify({ query: bomb }),
      });
      expect(direct.status).to.equal(200);
    });

    it('caps first, refuses batches, oversized bodies and CSRF-style requests', async () => {
      const huge = await graphql(stack.gatewayUrl, `{ credits(first: 100000) { nodes { id } } }`);
      expectCode(huge, 'COST_ESTIMATED_TOO_EXPENSIVE'); // refused by the cost budget (@listSize) before it runs
      expect(huge.status).to.equal(400);
      expect(huge.errors![0].extensions?.cost).to.deep.equal({ estimated: 100001, max: 10000 });
      expectCode(await graphql(stack.gatewayUrl, `{ credits(first: 101) { nodes { id } } }`), 'BAD_USER_INPUT');
      expectCode(await graphql(stack.gatewayUrl, `{ credits(first: -1) { nodes { id } } }`), 'BAD_USER_INPUT');
      const auth = { authorization: `Bearer ${await tokenFor({})}` };
      const batch = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify([{ query: '{ creditSummary { creditCount } }' }, { query: '{ creditSummary { creditCount } }' }]),
      });
      expect(batch.status).to.equal(400);
      const oversized = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ query: `{ creditSummary { creditCount } }`, variables: { pad: 'x'.repeat(2_000_000) } }),
      });
      expect(oversized.status).to.equal(413);
      expect(await oversized.json()).to.deep.equal({ errors: [{ message: 'The request body is larger than 1mb.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
      const notJson = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: '{"query": "{ credits' });
      expect(notJson.status).to.equal(400);
      expect(await notJson.json()).to.deep.equal({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
      const longList = await graphql(stack.gatewayUrl, `query($o: [ID!]) { credits(first: 1, filter: { ownerIds: $o }) { nodes { id } } }`, {
        o: Array.from({ length: 40_000 }, (_, i) => String(i)),
      });
      expectCode(longList, 'BAD_USER_INPUT');
      expect(longList.errors![0].message).to.match(/ownerIds/);
      // A request a page on another site could make without a CORS preflight: no bearer token
      // (a browser never adds one by itself), no preflight header, a simple content type.
      const csrf = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ creditSummary { creditCount } }')}`);
      expect(csrf.status).to.equal(400);
      expectCode((await csrf.json()) as any, 'BAD_REQUEST');
      const form = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth }, body: 'query=%7B__typename%7D' });
      expect(form.status).to.equal(415);
    });
  });

  describe('injection, control characters and malformed ids', () => {
    it('treats filter text as text', async () => {
      // `_` and `%` are LIKE wildcards; they must match only themselves (no credit text has `%`).
      for (const search of ["'; DROP TABLE aws_credit; --", '%', '%%_%%', '\u0000\u0007\u001b[31m', '" OR ""="', '\\']) {
        const result = await query(stack.gatewayUrl, `query($s: String) { credits(first: 100, filter: { search: $s }) { nodes { id } } }`, { s: search });
        expect(result.credits.nodes, JSON.stringify(search)).to.deep.equal([]);
      }
      const owners = await query(stack.gatewayUrl, `{ credits(first: 10, filter: { ownerIds: ["1 OR 1=1", "%"], currencyCodes: ["USD' --"] }) { nodes { id } } }`);
      expect(owners.credits.nodes).to.deep.equal([]);
    });

    // Every single-item lookup of the API, each by the id in $id (a cost category's ARN is a String).
    const LOOKUPS = `query($id: ID!, $arn: String!) {
      credit(id: $id) { id } node(id: $id) { id }
      awsAccount(accountId: $id) { accountId } awsCredit(creditId: $id) { creditId } awsCostCategory(costCategoryArn: $arn) { name }
      azureBillingAccount(id: $id) { id } azureBillingProfile(id: $id) { id } azureCreditLot(id: $id) { id }
    }`;
    const notFoundEverywhere = (id: string) => ({
      credit: { argument: 'id', id }, node: { argument: 'id', id },
      awsAccount: { argument: 'accountId', id }, awsCredit: { argument: 'creditId', id }, awsCostCategory: { argument: 'costCategoryArn', id },
      azureBillingAccount: { argument: 'id', id }, azureBillingProfile: { argument: 'id', id }, azureCreditLot: { argument: 'id', id },
    });

    it('answers malformed and foreign ids with null and NOT_FOUND at the field, never an internal error', async () => {
      const ids = ['', ' ', '\u0000', 'Q3JlZGl0OkdDUDox', Buffer.from("Credit:AWS:' OR 1=1 --").toString('base64url'), 'x'.repeat(5000), someCredit + '=', '../../etc/passwd', "1' OR '1'='1", '%'];
      for (const id of ids) {
        const read = await graphql(stack.gatewayUrl, LOOKUPS, { id, arn: id });
        expect(read.status, JSON.stringify(id)).to.equal(200);
        expectOnlyNotFound(read, notFoundEverywhere(id));
        // A huge id is not echoed back whole.
        for (const error of read.errors!) expect(error.message.length).to.be.below(700);
        const pause = await query(stack.gatewayUrl, `mutation($id: ID!) { pauseCredit(input: { creditId: $id }) { userErrors { code } } }`, { id });
        expect(pause.pauseCredit.userErrors).to.deep.equal([{ code: 'NOT_FOUND' }]);
      }
    });

    it('answers ids the caller may not see exactly as ids that name nothing', async () => {
      // A linked account sees neither the payer's owner-only credit 90000000003, nor account 123456789012, nor any Azure lot.
      const linked = await tokenFor({ aws: { accountIds: ['444455556666'] } });
      const admin = (await query(stack.gatewayUrl, `{ credits(first: 100) { nodes { id provider providerCreditId } } }`)).credits.nodes as any[];
      const hiddenAws = admin.find((c) => c.providerCreditId === '90000000003');
      const hiddenLot = admin.find((c) => c.provider === 'AZURE');
      const cases: [string, string, string, string][] = [
        // [query, field, argument, an id the caller may not see]; each is compared with an id of the same shape that names nothing.
        ['query($id: ID!) { credit(id: $id) { id } }', 'credit', 'id', hiddenAws.id],
        ['query($id: ID!) { node(id: $id) { id } }', 'node', 'id', hiddenLot.id],
        ['query($id: ID!) { awsCredit(creditId: $id) { creditId } }', 'awsCredit', 'creditId', '90000000003'],
        ['query($id: ID!) { awsAccount(accountId: $id) { accountId } }', 'awsAccount', 'accountId', '123456789012'],
        ['query($id: ID!) { azureCreditLot(id: $id) { id } }', 'azureCreditLot', 'id', hiddenLot.providerCreditId],
        ['query($id: ID!) { azureBillingProfile(id: $id) { id } }', 'azureBillingProfile', 'id', DEVELOPMENT],
      ];
      const unknownLike = (id: string) => id.replace(/.$/, (c) => (c === '9' ? '8' : '9'));
      for (const [text, field, argument, foreign] of cases) {
        const hidden = await graphql(stack.gatewayUrl, text, { id: foreign }, linked);
        expectOnlyNotFound(hidden, { [field]: { argument, id: foreign } });
        const nothing = field === 'credit' || field === 'node' ? Buffer.from('Credit:AWS:90000000999').toString('base64url') : unknownLike(foreign);
        const unknown = await graphql(stack.gatewayUrl, text, { id: nothing }, linked);
        expectOnlyNotFound(unknown, { [field]: { argument, id: nothing } });
        expect(hidden.errors![0].message.replace(JSON.stringify(foreign), '<id>'), field).to.equal(unknown.errors![0].message.replace(JSON.stringify(nothing), '<id>'));
        expect(hidden.errors![0].extensions, field).to.deep.equal(unknown.errors![0].extensions);
      }
    });

    it('entity resolution keeps answering a reference it has nothing for with null, without an error', async () => {
      // The query planner asks a subgraph for entities it was given; a vanished or invisible one is null there, not an error.
      const token = await tokenFor({ aws: { accountIds: ['444455556666'] } });
      const calls: [string, string, object[]][] = [
        [
          stack.aws.url,
          '... on AwsCredit { creditId } ... on AwsAccount { accountId } ... on AwsCostCategory { name }',
          [
            { __typename: 'AwsCredit', creditId: '90000000003' },
            { __typename: 'AwsCredit', creditId: 'nope' },
            { __typename: 'AwsAccount', accountId: '123456789012' },
            { __typename: 'AwsCostCategory', costCategoryArn: 'arn:aws:ce::111122223333:costcategory/none' },
          ],
        ],
        [
          stack.azure.url,
          '... on AzureCreditLot { id } ... on AzureBillingProfile { id } ... on AzureBillingAccount { id }',
          [
            { __typename: 'AzureCreditLot', id: `${DEVELOPMENT}/providers/Microsoft.Consumption/lots/G100200301` },
            { __typename: 'AzureBillingProfile', id: DEVELOPMENT },
            { __typename: 'AzureBillingAccount', id: 'x' },
          ],
        ],
      ];
      for (const [url, selection, representations] of calls) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret },
          body: JSON.stringify({ query: `query($r: [_Any!]!) { _entities(representations: $r) { __typename ${selection} } }`, variables: { r: representations } }),
        });
        const body: any = await response.json();
        expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
        expect(body.data._entities).to.deep.equal(representations.map(() => null));
      }
    });

    it('passes a subgraph\'s refusal of bad input on as BAD_USER_INPUT, without internal URLs', async () => {
      const result = await graphql(stack.gatewayUrl, `{ azureEvents(billingProfileId: "x", startDate: "2000-01-01", endDate: "2001-01-01T00:00:00Z") { nodes { id } } }`);
      expectCode(result, 'BAD_USER_INPUT');
      expect(result.errors![0].message).to.match(/2000-01-01/);
      expect(JSON.stringify(result)).to.not.match(/127\.0\.0\.1|response/);
    });

    it('refuses wrong enum values and wrong types with typed errors', async () => {
      expectCode(await graphql(stack.gatewayUrl, `{ credits(first: 1, filter: { statuses: [BOGUS] }) { nodes { id } } }`), 'GRAPHQL_VALIDATION_FAILED');
      expectCode(await graphql(stack.gatewayUrl, `query($f: CreditFilter) { credits(first: 1, filter: $f) { nodes { id } } }`, { f: { statuses: ['BOGUS'] } }), 'BAD_USER_INPUT');
      expectCode(await graphql(stack.gatewayUrl, `{ credits(first: "ten") { nodes { id } } }`), 'GRAPHQL_VALIDATION_FAILED');
    });
  });

  describe('hostile files', () => {
    it('rejects bad amounts, malformed JSON, wrong types and truncated files, loading nothing', async () => {
      const dir = tempDir('hostile-files');
      const credit = (amount: unknown) => ({
        creditId: '99900000009',
        accountId: '111122223333',
        creditType: 'Promotion',
        description: 'Hostile',
        initialAmount: { currencyCode: 'USD', currencyAmount: amount },
        remainingAmount: { currencyCode: 'USD', currencyAmount: '1' },
        startDate: 1767225600,
        creditStatus: 'ENABLED',
      });
      const files: Record<string, string> = {
        'negative.json': JSON.stringify({ credits: [credit('-5.00')] }),
        'nan.json': JSON.stringify({ credits: [credit('NaN')] }),
        'huge.json': JSON.stringify({ credits: [credit('1e400')] }),
        'places.json': JSON.stringify({ credits: [credit('1.' + '1'.repeat(40))] }),
        'number.json': JSON.stringify({ credits: [credit(12.5)] }),
        'malformed.json': '{ "credits": [ { "creditId": ',
        'wrong-type.json': JSON.stringify({ credits: [{ ...credit('1'), creditStatus: 7, applicableProductNames: 'all' }] }),
        'not-a-format.json': JSON.stringify({ hello: 'world' }),
        'control.json': JSON.stringify({ credits: [{ ...credit('1'), creditId: '123\u0000456' }] }),
      };
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
      const result = await ingestFiles([dir], stack.dataDir, PROVIDER_INGESTS);
      expect(result.ok).to.equal(false);
      const problems = result.ok ? [] : result.problems;
      const byFile = new Set(problems.map((p) => path.basename(p.file)));
      for (const name of Object.keys(files)) expect(byFile, `${name} is reported`).to.include(name);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
});

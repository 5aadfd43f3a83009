/**
 * The hostile-input corpus: bad tokens, forbidden actions, direct subgraph calls, abusive queries,
 * injection attempts, malformed ids and files. Each gets a clear typed error, the servers keep
 * running, and the data is unchanged afterwards.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { GATEWAY_SECRET_HEADER } from '../../lib/auth/http';
import { signToken } from '../../lib/auth/tokens';
import { ingestFiles } from '../../lib/ingest';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { TEST_AUTH, tokenFor } from '../support/auth';
import { graphql, query, Stack, startStack, tempDir } from '../support/stack';

const SNAPSHOT = `{
  credits(first: 100) { nodes { id status remainingBalance { amount } estimatedBalance { amount } sharing { scope accounts { id } invoiceSections { id } } } }
  creditSummary { creditCount totals { provider currencyCode remainingBalance { amount } } }
  awsCreditAllocationHistory { creditId accountId billingMonth creditAmount { currencyAmount } }
  awsAccounts { accountId name }
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
      const result = await query(stack.gatewayUrl, `{ awsCreditAllocationHistory(accountId: "123456789012") { accountId } awsAccount(accountId: "123456789012") { accountId } }`, {}, linked);
      expect(result).to.deep.equal({ awsCreditAllocationHistory: [], awsAccount: null });
    });

    it('calling a subgraph directly gains nothing: no secret 403, secret without token 401', async () => {
      for (const url of [stack.aws.url, stack.azure.url]) {
        const direct = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
        expect(direct.status).to.equal(403);
        const contract = await fetch(new URL('/provider/v1/credits/search', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        expect(contract.status).to.equal(403);
        const noToken = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        expect(noToken.status).to.equal(401);
      }
    });
  });

  describe('abusive queries', () => {
    it('refuses a deep query, an alias bomb and a huge document before running them', async () => {
      const depth = await graphql(stack.gatewayUrl, `{ awsAccounts { credits { account { credits { account { credits { account { credits { account { credits { account { credits { account { creditId } } } } } } } } } } } } }`);
      expectCode(depth, 'GRAPHQL_VALIDATION_FAILED');
      const aliases = await graphql(stack.gatewayUrl, `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: creditSummary { creditCount }`).join(' ')} }`);
      expectCode(aliases, 'GRAPHQL_VALIDATION_FAILED');
      const tokens = await graphql(stack.gatewayUrl, `{ creditSummary { ${'creditCount '.repeat(6000)} } }`);
      expect(tokens.errors).to.be.an('array').that.is.not.empty;
    });

    it('caps first, refuses batches, oversized bodies and CSRF-style requests', async () => {
      const huge = await graphql(stack.gatewayUrl, `{ credits(first: 100000) { nodes { id } } }`);
      expectCode(huge, 'GRAPHQL_VALIDATION_FAILED'); // refused by the cost limit before it runs
      expect(huge.errors![0].message).to.match(/Cost limit/);
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
      const csrf = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ creditSummary { creditCount } }')}`, { headers: auth });
      expect(csrf.status).to.equal(400);
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

    it('answers malformed and foreign ids with null or NOT_FOUND, never an internal error', async () => {
      const ids = ['', ' ', '\u0000', 'Q3JlZGl0OkdDUDox', Buffer.from("Credit:AWS:' OR 1=1 --").toString('base64url'), 'x'.repeat(5000), someCredit + '=', '../../etc/passwd'];
      for (const id of ids) {
        const read = await graphql(stack.gatewayUrl, `query($id: ID!) { credit(id: $id) { id } node(id: $id) { id } }`, { id });
        expect(read.errors, JSON.stringify(id)).to.equal(undefined);
        expect(read.data).to.deep.equal({ credit: null, node: null });
        const pause = await query(stack.gatewayUrl, `mutation($id: ID!) { pauseCredit(input: { creditId: $id }) { userErrors { code } } }`, { id });
        expect(pause.pauseCredit.userErrors).to.deep.equal([{ code: 'NOT_FOUND' }]);
      }
    });

    it('passes a subgraph\'s refusal of bad input on as BAD_USER_INPUT, without internal URLs', async () => {
      const result = await graphql(stack.gatewayUrl, `{ azureEvents(billingProfileId: "x", startDate: "2000-01-01", endDate: "2001-01-01T00:00:00Z") { id } }`);
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

/**
 * GraphQL over HTTP: a client's mistake is a 4xx with a typed code, never a 500 (lib/platform/server.ts,
 * lib/platform/graphql-over-http.ts, lib/platform/query-limits.ts). Each case through the gateway and against the
 * AWS subgraph called directly (with the gateway secret and a token), which share that code;
 * then graphql-http's own audit of the gateway, schema suggestions when introspection is off, and
 * what production shows of an internal error.
 */
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serverAudits } from 'graphql-http';
import { startGateway } from '../../gateway';
import { isRequestErrorResponse } from '../../lib/platform/graphql-over-http';
import { LIMIT_CODES, limitsFor, QUERY_LIMITS } from '../../lib/platform/query-limits';
import { gatewayHeaders, TEST_AUTH, tokenFor } from '../support/auth';
import { Stack, startStack } from '../support/stack';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

interface Answer {
  status: number;
  type: string;
  body: any;
  text: string;
}

async function post(url: string, body: string | Blob, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return answerOf(response);
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, type: response.headers.get('content-type') ?? '', body, text };
}

/** No stack trace, no RangeError, no internal detail in an answer. */
function expectNoInternals(answer: Answer) {
  expect(answer.text).to.not.match(/RangeError|Maximum call stack|at .*\.js:\d+|stacktrace|SQLITE/i);
}

/** A refusal before running: `status`, one error first with `code`, no data. */
function expectRefusal(answer: Answer, status: number, code: string, message?: RegExp) {
  expect(answer.status, answer.text).to.equal(status);
  expect(answer.body?.errors?.[0]?.extensions?.code, answer.text).to.equal(code);
  expect(answer.body).to.not.have.property('data');
  if (message) expect(answer.body.errors[0].message).to.match(message);
  expectNoInternals(answer);
}

/** `{ ... on Query { ... on Query { __typename } } }`, `levels` deep: valid on any schema. */
function nested(levels: number): string {
  return `{ ${'... on Query { '.repeat(levels - 1)}__typename${' }'.repeat(levels - 1)} }`;
}

/** Objects nested `levels` deep, as JSON text (built as text: JSON.stringify would recurse). */
function deepJson(levels: number): string {
  return `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
}

describe('GraphQL over HTTP: status codes and typed errors for every client mistake', () => {
  let stack: Stack;
  let bearer: Record<string, string>;
  let direct: Record<string, string>;

  before(async () => {
    stack = await startStack({ loadDemo: false });
    bearer = { authorization: `Bearer ${await tokenFor({})}` };
    direct = await gatewayHeaders({});
  });
  after(() => stack.stop());

  const targets: { name: string; subgraph: boolean; url: () => string; headers: () => Record<string, string> }[] = [
    { name: 'the gateway', subgraph: false, url: () => stack.gatewayUrl, headers: () => bearer },
    { name: 'the AWS subgraph called directly', subgraph: true, url: () => stack.aws.url, headers: () => direct },
  ];

  for (const target of targets) {
    describe(target.name, () => {
      const send = (payload: unknown, headers: Record<string, string> = {}) =>
        post(target.url(), JSON.stringify(payload), { accept: GRAPHQL_RESPONSE, ...target.headers(), ...headers });

      it('a syntax error: 400 GRAPHQL_PARSE_FAILED as application/graphql-response+json; a legacy application/json client gets 200', async () => {
        const modern = await send({ query: '{' });
        expectRefusal(modern, 400, 'GRAPHQL_PARSE_FAILED', /Syntax Error/);
        expect(modern.type).to.contain(GRAPHQL_RESPONSE);
        expectRefusal(await send({ query: '{' }, { accept: '*/*' }), 400, 'GRAPHQL_PARSE_FAILED');
        const noAccept = await post(target.url(), JSON.stringify({ query: '{' }), target.headers());
        expectRefusal(noAccept, 400, 'GRAPHQL_PARSE_FAILED');
        const legacy = await send({ query: '{' }, { accept: 'application/json' });
        expect(legacy.status).to.equal(200);
        expect(legacy.type).to.contain('application/json');
        expect(legacy.body.errors[0].extensions.code).to.equal('GRAPHQL_PARSE_FAILED');
        expect(legacy.body).to.not.have.property('data');
      });

      it('every query limit: 400 with its own code and a message naming the limit', async () => {
        const { maxDepth, maxTokens } = limitsFor(target.subgraph);
        expect((await send({ query: nested(maxDepth) })).status, 'at the depth limit').to.equal(200);
        expectRefusal(await send({ query: nested(maxDepth + 1) }), 400, LIMIT_CODES.depth, new RegExp(`depth limit of ${maxDepth} exceeded`));
        const aliases = `{ ${Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: __type(name: "Query") { name }`).join(' ')} }`;
        expectRefusal(await send({ query: aliases }), 400, LIMIT_CODES.aliases, new RegExp(`Aliases limit of ${QUERY_LIMITS.maxAliases} exceeded`));
        const directives = `{ ${'__typename @include(if: true) '.repeat(QUERY_LIMITS.maxDirectives + 1)}}`;
        expectRefusal(await send({ query: directives }), 400, LIMIT_CODES.directives, new RegExp(`Directives limit of ${QUERY_LIMITS.maxDirectives} exceeded`));
        // `{`, `}` and the fields: one token over the limit.
        const tokens = `{ ${'__typename '.repeat(maxTokens - 1)}}`;
        expectRefusal(await send({ query: tokens }), 400, LIMIT_CODES.tokens, new RegExp(`Token limit of ${maxTokens} exceeded`));
        const brackets = `{ __typename(x: ${'['.repeat(QUERY_LIMITS.maxNesting)}${']'.repeat(QUERY_LIMITS.maxNesting)}) }`;
        expectRefusal(await send({ query: brackets }), 400, LIMIT_CODES.nesting, new RegExp(`Nesting limit of ${QUERY_LIMITS.maxNesting} exceeded`));
        const costly = target.subgraph
          ? {
              query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
              variables: { r: Array.from({ length: QUERY_LIMITS.maxCost + 1 }, (_, i) => ({ __typename: 'AwsAccount', accountId: String(i) })) },
            }
          : { query: '{ credits(first: 100000) { nodes { id } } }' };
        expectRefusal(await send(costly), 400, 'COST_ESTIMATED_TOO_EXPENSIVE', new RegExp(`maximum cost of ${QUERY_LIMITS.maxCost}`));
        const legacy = await send({ query: nested(maxDepth + 1) }, { accept: 'application/json' });
        expect(legacy.status, 'a legacy client').to.equal(200);
        expect(legacy.body.errors[0].extensions.code).to.equal(LIMIT_CODES.depth);
        for (const code of Object.values(LIMIT_CODES)) expect(isRequestErrorResponse(JSON.stringify({ errors: [{ message: '', extensions: { code } }] })), code).to.equal(true);
      });

      it('an unknown operation name, or several operations and none named: 400 OPERATION_RESOLUTION_FAILURE', async () => {
        expectRefusal(await send({ query: 'query A { __typename }', operationName: 'B' }), 400, 'OPERATION_RESOLUTION_FAILURE', /Unknown operation named "B"/);
        expectRefusal(await send({ query: 'query A { __typename } query B { __typename }' }), 400, 'OPERATION_RESOLUTION_FAILURE', /operationName/);
        expect((await send({ query: 'query A { __typename } query B { __typename }', operationName: 'B' })).body).to.deep.equal({ data: { __typename: 'Query' } });
      });

      it('a subscription: 400, saying the API has none', async () => {
        expectRefusal(await send({ query: 'subscription { __typename }' }), 400, 'GRAPHQL_VALIDATION_FAILED', /no subscriptions/);
      });

      it('a body that is not valid UTF-8: 400 BAD_REQUEST', async () => {
        const body = new Blob([Buffer.from('{"query":"{ __typename }","operationName":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
        expectRefusal(await post(target.url(), body, { accept: GRAPHQL_RESPONSE, ...target.headers() }), 400, 'BAD_REQUEST', /not valid UTF-8/);
        const utf8 = await send({ query: '{ __type(name: "Run🏃Swim🏊") { name } }' }, { 'content-type': 'application/json; charset=utf-8' });
        expect(utf8.body).to.deep.equal({ data: { __type: null } });
      });

      it('variables or extensions nested past the limit: 400 naming it, never a RangeError', async () => {
        const at = (levels: number, where = 'variables') =>
          post(target.url(), `{"query":"{ __typename }","${where}":{"x":${deepJson(levels - 1)}}}`, { accept: GRAPHQL_RESPONSE, ...target.headers() });
        expect((await at(QUERY_LIMITS.maxNesting)).status, 'at the limit').to.equal(200);
        const pattern = new RegExp(`Nesting limit of ${QUERY_LIMITS.maxNesting} exceeded: the variables`);
        expectRefusal(await at(QUERY_LIMITS.maxNesting + 1), 400, LIMIT_CODES.nesting, pattern);
        expectRefusal(await at(100_000), 400, LIMIT_CODES.nesting, pattern);
        expectRefusal(await at(100_000, 'extensions'), 400, LIMIT_CODES.nesting, /the extensions/);
        const declared = `{"query":"query($f: CreditFilter) { __typename }","variables":{"f":${deepJson(50_000)}}}`;
        expectRefusal(await post(target.url(), declared, { accept: GRAPHQL_RESPONSE, ...target.headers() }), 400, LIMIT_CODES.nesting);
      });

      it('a POST that is not application/json in UTF-8 is 415, another method 405 with Allow, an Accept header allowing no JSON 406', async () => {
        const query = JSON.stringify({ query: '{ __typename }' });
        const raw = (headers: Record<string, string>, method = 'POST') => fetch(target.url(), { method, headers: { ...target.headers(), ...headers }, body: query }).then(answerOf);
        // fetch adds text/plain to a string body without a Content-Type: send an untyped Blob instead.
        const none = await fetch(target.url(), { method: 'POST', headers: target.headers(), body: new Blob([query]) }).then(answerOf);
        expectRefusal(none, 415, 'UNSUPPORTED_MEDIA_TYPE', /Content-Type: application\/json/);
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/graphql', 'application/json; charset=iso-8859-1']) {
          expectRefusal(await raw({ 'content-type': type }), 415, 'UNSUPPORTED_MEDIA_TYPE');
        }
        const put = await raw({ 'content-type': 'application/json' }, 'PUT');
        expect(put.status).to.equal(405);
        const allow = (await fetch(target.url(), { method: 'DELETE', headers: target.headers() })).headers.get('allow');
        expect(allow).to.match(/POST/);
        expectRefusal(await raw({ 'content-type': 'application/json', accept: 'application/xml' }), 406, 'NOT_ACCEPTABLE');
        const getMutation = await fetch(`${target.url()}?query=${encodeURIComponent('mutation { __typename }')}`, { headers: { ...target.headers(), accept: GRAPHQL_RESPONSE } });
        expect(getMutation.status).to.equal(405);
        expect(getMutation.headers.get('allow')).to.equal('POST');
      });

      it('a GET query with a bearer token runs; a GET that no browser would have preflighted is refused before anything else', async () => {
        const url = `${target.url()}?query=${encodeURIComponent('{ __typename }')}`;
        const get = await fetch(url, { headers: target.headers() }).then(answerOf);
        expect(get.status, get.text).to.equal(200);
        expect(get.body).to.deep.equal({ data: { __typename: 'Query' } });
        const { authorization: _token, ...withoutToken } = target.headers();
        const forged = await fetch(url, { headers: withoutToken }).then(answerOf);
        // A subgraph refuses a caller without a token before anything else (one answer for a bad
        // secret or token); the gateway refuses the GET as a forgery before it looks for a caller.
        if (target.subgraph) expectRefusal(forged, 401, 'UNAUTHENTICATED');
        else expectRefusal(forged, 400, 'BAD_REQUEST', /Cross-Site Request Forgery/);
      });
    });
  }

  it("passes every one of graphql-http's server audits against the gateway, with no warning", async function () {
    this.timeout(60_000);
    const fetchFn = (input: RequestInfo | URL, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', bearer.authorization);
      return fetch(input, { ...init, headers });
    };
    const failed: string[] = [];
    for (const audit of serverAudits({ url: stack.gatewayUrl, fetchFn })) {
      const result = await audit.fn();
      if (result.status !== 'ok') failed.push(`${result.status} ${result.id} ${result.name}: ${result.reason}`);
    }
    expect(failed).to.deep.equal([]);
  });

  describe('schema suggestions', () => {
    const typo = { query: '{ creditSumary { creditCount } }' };
    const enumValue = { query: 'query($f: CreditFilter) { credits(first: 1, filter: $f) { nodes { id } } }', variables: { f: { statuses: ['ACTIV'] } } };
    const inputField = { query: enumValue.query, variables: { f: { statuse: ['ACTIVE'] } } };
    const messages = async (url: string) => {
      const all: string[] = [];
      for (const payload of [typo, enumValue, inputField]) {
        const answer = await post(url, JSON.stringify(payload), bearer);
        expect(answer.status, answer.text).to.equal(400);
        all.push(answer.body.errors[0].message);
      }
      return all;
    };

    it('are hidden whenever introspection is off (not only in production), in validation and variable coercion errors alike', async () => {
      for (const message of await messages(stack.gatewayUrl)) expect(message, 'introspection on').to.match(/Did you mean/);
      const gateway = await startGateway({ port: 0, subgraphUrls: { aws: stack.aws.url, azure: stack.azure.url }, auth: TEST_AUTH, introspection: false });
      try {
        const hidden = await messages(gateway.url);
        for (const message of hidden) expect(message).to.not.match(/Did you mean|"creditSummary"|"statuses"/);
        expect(hidden[0]).to.match(/Cannot query field "creditSumary" on type "Query"/);
        expect(hidden[1]).to.match(/Value "ACTIV" does not exist in "CreditStatus" enum/);
      } finally {
        await gateway.stop();
      }
    });
  });

  describe('production', () => {
    /** A stand-in AWS subgraph that fails the way a broken service does, showing internals. */
    let failure: { status: number; type: string; body: string };
    let fake: http.Server;
    let fakeUrl: string;
    const LEAK = 'SQLITE_CORRUPT: database disk image is malformed (at /srv/subgraphs/aws/repository.js:42)';
    const FAILURES = [
      { status: 200, type: 'application/json', body: JSON.stringify({ data: null, errors: [{ message: LEAK }] }) },
      { status: 200, type: 'application/json', body: JSON.stringify({ data: null, errors: [{ message: LEAK, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }) },
      { status: 502, type: 'text/html', body: `<html><body>${LEAK}</body></html>` },
      { status: 200, type: 'text/html', body: `<html><body>${LEAK}</body></html>` },
    ];

    before(async () => {
      fake = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(failure.status, { 'content-type': failure.type }).end(failure.body));
      });
      await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
      fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/graphql`;
    });
    after(() => new Promise<void>((resolve) => fake.close(() => resolve())));

    const withGateway = async (production: boolean, run: (url: string) => Promise<void>) => {
      const gateway = await startGateway({ port: 0, subgraphUrls: { aws: fakeUrl, azure: stack.azure.url }, auth: { ...TEST_AUTH, production } });
      try {
        await run(gateway.url);
      } finally {
        await gateway.stop();
      }
    };

    it("masks every internal error as 'Internal server error' (outside production the detail shows)", async () => {
      const ACCOUNTS = JSON.stringify({ query: '{ awsAccounts { nodes { accountId } } }' });
      await withGateway(false, async (url) => {
        failure = FAILURES[0];
        expect((await post(url, ACCOUNTS, bearer)).text, 'development shows the detail').to.contain('SQLITE_CORRUPT');
      });
      await withGateway(true, async (url) => {
        for (const f of FAILURES) {
          failure = f;
          const answer = await post(url, ACCOUNTS, bearer);
          if (f.type !== 'application/json') {
            // A subgraph that fails as a whole (an error status, an answer that is no GraphQL) is a
            // provider missing from the answer, said so without its detail.
            expect(answer.body.errors.map((e: any) => e.extensions)).to.deep.equal([{ code: 'PROVIDER_UNAVAILABLE', provider: 'AWS', reason: 'FAILED' }]);
            const why = f.status === 502 ? 'it answered with HTTP 502' : 'its answer was not a GraphQL response';
            expect(answer.body.errors[0].message).to.equal(`The AWS provider is unavailable (${why}); what it holds is missing from this answer. Try again shortly.`);
            expect(answer.text).to.not.match(/SQLITE|repository|127\.0\.0\.1|html/);
            continue;
          }
          const errors = answer.body.errors.map((e: any) => ({ message: e.message, code: e.extensions.code, keys: Object.keys(e).sort() }));
          expect(errors, `${f.status} ${f.type}`).to.deep.equal([{ message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR', keys: errors[0].keys.includes('path') ? ['extensions', 'message', 'path'] : ['extensions', 'message'] }]);
          expect(answer.body.errors[0].extensions).to.deep.equal({ code: 'INTERNAL_SERVER_ERROR' });
          expect(answer.text).to.not.match(/SQLITE|repository|127\.0\.0\.1|html/);
        }
      });
    });

    it('keeps the messages of client errors, and hides schema suggestions', async () => {
      await withGateway(true, async (url) => {
        expectRefusal(await post(url, JSON.stringify({ query: '{' }), bearer), 400, 'GRAPHQL_PARSE_FAILED', /Syntax Error: Expected Name/);
        expectRefusal(await post(url, JSON.stringify({ query: '{ creditSumary { creditCount } }' }), bearer), 400, 'GRAPHQL_VALIDATION_FAILED', /^Cannot query field "creditSumary" on type "Query"\.$/);
        expectRefusal(await post(url, JSON.stringify({ query: nested(QUERY_LIMITS.maxDepth + 1) }), bearer), 400, LIMIT_CODES.depth, /depth limit of 12/);
        expectRefusal(await post(url, JSON.stringify({ query: 'query A { __typename }', operationName: 'B' }), bearer), 400, 'OPERATION_RESOLUTION_FAILURE', /Unknown operation named "B"/);
        expectRefusal(await post(url, `{"query":"{ __typename }","variables":{"x":${deepJson(100_000)}}}`, bearer), 400, LIMIT_CODES.nesting, /Nesting limit of 64/);
        expectRefusal(await post(url, JSON.stringify({ query: '{ __typename }' }), {}), 401, 'UNAUTHENTICATED', /token/i);
      });
    });
  });
});

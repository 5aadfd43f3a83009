/**
 * Hive Gateway's CLI (`hive-gateway supergraph`, a child process) with the shipped
 * routers/hive/gateway.config.ts, on the committed supergraph, in front of the AWS, Azure and
 * standalone credits subgraphs: it answers what our gateway answers for the same caller, refuses
 * what our gateway refuses with the same status and codes, and keeps a provider's absence visible.
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { signToken } from '../../lib/platform/auth/tokens';
import type { RunningServer } from '../../lib/platform/server';
import { TEST_AUTH, tokenFor } from '../support/auth';
import { freePort } from '../support/product';
import { ADMIN_CLAIMS, REPO_ROOT, Stack, startStack, startStandaloneCredits } from '../support/stack';

interface CliGateway {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `hive-gateway supergraph --config-path routers/hive/gateway.config.ts` from the
 * repository root, as docs/ROUTERS.md says to, with only `env` (and PATH) in its environment,
 * and waits for it to listen.
 */
async function startHiveGatewayCli(env: Record<string, string>): Promise<CliGateway> {
  const port = await freePort();
  const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'hive-gateway');
  const child: ChildProcess = spawn(bin, ['supergraph', '--config-path', 'routers/hive/gateway.config.ts', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`hive-gateway did not listen within 60 s:\n${output}`)), 60_000);
    const onData = () => {
      if (!new RegExp(`Listening on http://127\\.0\\.0\\.1:${port}\\b`).test(output)) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      resolve();
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      void stop();
      reject(error);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => fail(new Error(`hive-gateway exited (${signal ?? code}) before it listened:\n${output}`)));
  });
  return { url: `http://127.0.0.1:${port}/graphql`, output: () => output, stop };
}

interface Answer {
  status: number;
  body: any;
}

/** A GraphQL POST as the GraphQL-over-HTTP spec's clients send it (so request errors are 4xx on both gateways). */
async function post(url: string, query: string, authorization: string | null): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

const codes = (answer: Answer): string[] => (answer.body.errors ?? []).map((e: any) => e.extensions?.code);

const CROSS_CLOUD_QUERY = `query CrossCloud {
  credits(first: 50, orderBy: { field: EXPIRES_AT, direction: ASC }) {
    nodes {
      id provider name type status expiringSoon expiresAt
      remainingBalance { amount currencyCode }
      owner { kind id name }
      aws { creditId creditStatus creditSharingType account { accountId name } }
      azure { name source status closedBalance { value currency } billingProfile { displayName } }
    }
    pageInfo { hasNextPage endCursor }
  }
  creditSummary {
    creditCount
    totals { provider currencyCode creditCount remainingBalance { amount } }
  }
}`;

describe('Hive Gateway CLI with routers/hive/gateway.config.ts', function () {
  this.timeout(120_000);
  let stack: Stack;
  let credits: RunningServer;
  let hive: CliGateway;
  let bearer: string;

  before(async () => {
    stack = await startStack();
    credits = await startStandaloneCredits(stack);
    hive = await startHiveGatewayCli({
      AUTH_JWT_SECRET: TEST_AUTH.jwtSecret!,
      AUTH_ISSUER: TEST_AUTH.issuer,
      AUTH_AUDIENCE: TEST_AUTH.audience,
      GATEWAY_SECRET: TEST_AUTH.gatewaySecret,
      CREDITS_SUBGRAPH_URL: credits.url,
      AWS_SUBGRAPH_URL: stack.aws.url,
      AZURE_SUBGRAPH_URL: stack.azure.url,
    });
    bearer = `Bearer ${await tokenFor(ADMIN_CLAIMS)}`;
  });

  after(async () => {
    await hive?.stop();
    await credits?.stop();
    await stack?.stop();
  });

  it('answers the cross-cloud credits query, both clouds\' native fields included, as our gateway does', async () => {
    const [ours, theirs] = await Promise.all([post(stack.gatewayUrl, CROSS_CLOUD_QUERY, bearer), post(hive.url, CROSS_CLOUD_QUERY, bearer)]);
    expect(ours.status).to.equal(200);
    expect(ours.body.errors).to.equal(undefined);
    expect(theirs.status, hive.output()).to.equal(200);
    expect(theirs.body.errors, JSON.stringify(theirs.body.errors)).to.equal(undefined);
    expect(theirs.body.data).to.deep.equal(ours.body.data);

    // Both clouds, each credit with its provider's own record fetched from that provider's subgraph.
    const nodes: any[] = theirs.body.data.credits.nodes;
    const aws = nodes.filter((n) => n.provider === 'AWS');
    const azure = nodes.filter((n) => n.provider === 'AZURE');
    expect(aws).to.not.be.empty;
    expect(azure).to.not.be.empty;
    expect(aws.every((n) => n.aws?.creditId && n.aws.account?.name && n.azure === null)).to.equal(true);
    expect(azure.every((n) => n.azure?.name && n.azure.billingProfile?.displayName && n.aws === null)).to.equal(true);
  });

  it('refuses a missing or invalid token with our gateway\'s 401 before calling any subgraph', async () => {
    const otherSecret = await signToken({ ...TEST_AUTH, jwtSecret: 'another-secret-another-secret-another-0123' }, 'mallory', {});
    const expired = await tokenFor(ADMIN_CLAIMS, 'test-user', '-1m');
    for (const authorization of [null, 'Bearer not-a-token', `Bearer ${otherSecret}`, `Bearer ${expired}`, 'Basic dXNlcjpwYXNz']) {
      const [ours, theirs] = await Promise.all([post(stack.gatewayUrl, '{ creditSummary { creditCount } }', authorization), post(hive.url, '{ creditSummary { creditCount } }', authorization)]);
      expect(ours.status, String(authorization)).to.equal(401);
      expect(theirs.status, String(authorization)).to.equal(401);
      expect(theirs.body, String(authorization)).to.deep.equal(ours.body);
      expect(codes(theirs)).to.deep.equal(['UNAUTHENTICATED']);
    }
  });

  it('refuses what our gateway\'s limits refuse, with the same codes', async () => {
    // Depth 14 (limit 12), through valid fields.
    const levels = ['awsAccounts(first: 1)', 'nodes', 'credits(first: 1)', 'nodes', 'account', 'credits(first: 1)', 'nodes', 'account', 'credits(first: 1)', 'nodes', 'account', 'credits(first: 1)', 'pageInfo'];
    const deep = `{ ${levels.map((field) => `${field} {`).join(' ')} hasNextPage ${'} '.repeat(levels.length)}}`;
    // 21 aliases (limit 20).
    const aliased = `{ ${Array.from({ length: 21 }, (_, i) => `a${i}: awsAccounts(first: 1) { nodes { name } }`).join(' ')} }`;
    // More than 5,000 tokens.
    const long = `query Long(${Array.from({ length: 1300 }, (_, i) => `$v${i}: Int`).join(', ')}) { __typename }`;
    for (const [query, code] of [
      [deep, 'MAX_DEPTH_LIMIT'],
      [aliased, 'MAX_ALIASES_LIMIT'],
      [long, 'MAX_TOKENS_LIMIT'],
    ]) {
      const [ours, theirs] = await Promise.all([post(stack.gatewayUrl, query, bearer), post(hive.url, query, bearer)]);
      expect(ours.status, code).to.equal(400);
      expect(theirs.status, code).to.equal(400);
      expect(codes(ours), code).to.include(code);
      expect(codes(theirs), code).to.include(code);
      expect(theirs.body.data, code).to.equal(undefined);
    }

    // Over the cost budget: the same estimate from the supergraph's @cost / @listSize. Hive
    // Gateway refuses it when it would call the subgraph, as a field error (status 200, no data),
    // itself: the credits subgraph would refuse it too, and its error would name it (serviceName).
    const costly = '{ credits(first: 100) { nodes { applications(first: 100) { nodes { month } } sharing { accounts(first: 100) { id } } } } }';
    const [ours, theirs] = await Promise.all([post(stack.gatewayUrl, costly, bearer), post(hive.url, costly, bearer)]);
    expect(ours.status).to.equal(400);
    expect(codes(ours)).to.deep.equal(['COST_ESTIMATED_TOO_EXPENSIVE']);
    expect(codes(theirs)).to.deep.equal(['COST_ESTIMATED_TOO_EXPENSIVE']);
    expect(theirs.body.errors[0].extensions.cost).to.deep.equal(ours.body.errors[0].extensions.cost);
    expect(theirs.body.errors[0].extensions.serviceName).to.equal(undefined);
    expect(theirs.body.data).to.equal(null);
  });

  it('keeps the credits subgraph\'s PROVIDER_UNAVAILABLE error when a provider is down, as our gateway sends it', async () => {
    await stack.aws.stop();
    const stopped = stack.aws;
    stack.aws = { ...stopped, stop: async () => undefined };
    const query = '{ creditSummary { creditCount totals { provider } } credits(first: 50) { nodes { id provider } } }';
    const [ours, theirs] = await Promise.all([post(stack.gatewayUrl, query, bearer), post(hive.url, query, bearer)]);
    expect(theirs.status).to.equal(200);
    expect(theirs.body.data).to.deep.equal(ours.body.data);
    expect(theirs.body.data.credits.nodes.map((n: any) => n.provider)).to.not.include('AWS');
    expect(theirs.body.data.creditSummary.creditCount).to.be.greaterThan(0);
    const unavailable = (answer: Answer) =>
      answer.body.errors.map((e: any) => ({ message: e.message, code: e.extensions.code, provider: e.extensions.provider, reason: e.extensions.reason }));
    expect(unavailable(ours)).to.deep.equal([{ message: ours.body.errors[0].message, code: 'PROVIDER_UNAVAILABLE', provider: 'AWS', reason: 'UNREACHABLE' }]);
    expect(unavailable(theirs)).to.deep.equal(unavailable(ours));
  });
});

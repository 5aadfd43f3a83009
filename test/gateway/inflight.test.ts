/**
 * Identical reads in flight at once reach a provider subgraph once (lib/platform/inflight.ts), through the
 * real gateway: a counting proxy in front of each subgraph sees what the gateway sends.
 */
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway } from '../../gateway';
import type { RunningServer } from '../../lib/platform/server';
import { TEST_AUTH, tokenFor } from '../support/auth';
import { ADMIN_CLAIMS, graphql, query, Stack, startStack, TEST_NOW } from '../support/stack';

/** Forwards everything to `target`, counting requests per path, holding each for `delayMs` first (so concurrent ones overlap). */
async function countingProxy(target: string, delayMs: number) {
  const counts = new Map<string, number>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url!, target);
    counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
    await new Promise((r) => setTimeout(r, delayMs));
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name))) as Record<string, string>;
    const answer = await fetch(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}${new URL(target).pathname}`,
    count: (path: string) => counts.get(path) ?? 0,
    reset: () => counts.clear(),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const PAGE = `{ credits(first: 20, orderBy: { field: EXPIRES_AT, direction: ASC }) {
  nodes { id provider aws { creditId description } azure { name status } } } }`;

describe('identical reads in flight at once', () => {
  let stack: Stack;
  let aws: Awaited<ReturnType<typeof countingProxy>>;
  let azure: Awaited<ReturnType<typeof countingProxy>>;
  let gateway: RunningServer;

  before(async () => {
    stack = await startStack();
    aws = await countingProxy(stack.aws.url, 400);
    azure = await countingProxy(stack.azure.url, 400);
    gateway = await startGateway({ port: 0, subgraphUrls: { aws: aws.url, azure: azure.url }, clock: () => TEST_NOW, auth: TEST_AUTH });
  });
  after(async () => {
    await gateway.stop();
    await aws.close();
    await azure.close();
    await stack.stop();
  });
  beforeEach(() => {
    aws.reset();
    azure.reset();
  });

  it('reach each subgraph once and every caller gets the whole answer', async () => {
    const alone = await query(gateway.url, PAGE);
    const sentAlone = { search: aws.count('/provider/v1/credits/search'), graphql: aws.count('/graphql'), azure: azure.count('/graphql') };
    expect(sentAlone.search).to.equal(1);
    expect(sentAlone.graphql).to.equal(1);
    expect(sentAlone.azure).to.equal(1);
    aws.reset();
    azure.reset();

    const answers = await Promise.all(Array.from({ length: 8 }, () => query(gateway.url, PAGE)));
    for (const answer of answers) expect(answer).to.deep.equal(alone);
    expect(aws.count('/provider/v1/credits/search')).to.equal(1);
    expect(aws.count('/graphql')).to.equal(1);
    expect(azure.count('/provider/v1/credits/search')).to.equal(1);
    expect(azure.count('/graphql')).to.equal(1);
  });

  it('never share between callers with different tokens', async () => {
    const awsOnly = await tokenFor({ aws: ADMIN_CLAIMS.aws }, 'aws-reader');
    const [admin, reader] = await Promise.all([graphql(gateway.url, PAGE), graphql(gateway.url, PAGE, {}, awsOnly)]);
    expect(admin.errors).to.equal(undefined);
    expect(reader.errors).to.equal(undefined);
    expect(admin.data.credits.nodes.some((n: any) => n.provider === 'AZURE')).to.equal(true);
    expect(reader.data.credits.nodes.every((n: any) => n.provider === 'AWS')).to.equal(true);
    expect(aws.count('/provider/v1/credits/search')).to.equal(2);
  });

  it('never share mutations: two identical pauses both reach the provider', async () => {
    const [credit] = (await query(gateway.url, `{ credits(first: 1, filter: { providers: [AWS], statuses: [ACTIVE] }) { nodes { id } } }`)).credits.nodes;
    aws.reset();
    const pause = `mutation($id: ID!) { pauseCredit(input: { creditId: $id }) { credit { status } userErrors { code } } }`;
    const results = await Promise.all([query(gateway.url, pause, { id: credit.id }), query(gateway.url, pause, { id: credit.id })]);
    for (const r of results) expect(r.pauseCredit).to.deep.equal({ credit: { status: 'PAUSED' }, userErrors: [] });
    expect(aws.count('/provider/v1/credits/pause')).to.equal(2);
    await query(gateway.url, `mutation($id: ID!) { activateCredit(input: { creditId: $id }) { userErrors { code } } }`, { id: credit.id });
  });
});

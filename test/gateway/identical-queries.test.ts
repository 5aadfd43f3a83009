/**
 * Identical queries in flight at once are answered once (gateway/identical-queries.ts), on a real
 * Apollo server whose resolvers count how often they run and wait at a gate the test opens once
 * every request it sent has arrived (no timing assumptions).
 */
import { expect } from 'chai';
import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import { identicalQueriesPlugin } from '../../gateway/identical-queries';
import { RunningServer, serveGraphQL } from '../../lib/platform/server';

const TYPE_DEFS = `
  type Query { balance(account: String!): Balance! }
  type Balance { account: String! amount: String! run: Int! }
  type Mutation { spend(account: String!): Balance! }
`;

describe('identical queries in flight at once, answered once', () => {
  let server: RunningServer;
  let runs = 0;
  let spends = 0;
  /** Resolvers that have started (each waits at the gate until the test opens it). */
  let started = 0;
  let open: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const plugin = identicalQueriesPlugin<BaseContext>();

  before(async () => {
    const atGate = async () => {
      started++;
      await gate;
    };
    server = await serveGraphQL<BaseContext>({
      name: 'test',
      port: 0,
      apollo: {
        typeDefs: TYPE_DEFS,
        resolvers: {
          Query: { balance: async (_: unknown, { account }: { account: string }) => (await atGate(), { account, amount: `${100 - spends}.00`, run: ++runs }) },
          Mutation: { spend: async (_: unknown, { account }: { account: string }) => (await atGate(), spends++, { account, amount: `${100 - spends}.00`, run: ++runs }) },
        },
        plugins: [plugin],
      } as ApolloServerOptions<BaseContext>,
      context: async () => ({}),
    });
  });
  after(() => server.stop());
  beforeEach(() => {
    runs = 0;
    spends = 0;
    started = 0;
    gate = new Promise((resolve) => (open = resolve));
  });
  afterEach(() => open());

  /** Waits (up to 2 s) for `condition`: whether it came true. */
  const until = async (condition: () => boolean) => {
    for (const deadline = Date.now() + 2000; !condition(); ) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  };
  /** Queries the plugin has seen so far. */
  const seen = () => plugin.stats.sent + plugin.stats.shared;

  const send = async (query: string, variables: Record<string, unknown>, token = 'alice') => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const BALANCE = 'query($a: String!) { balance(account: $a) { account amount run } }';
  const SPEND = 'mutation($a: String!) { spend(account: $a) { amount run } }';

  it('runs one of several identical concurrent queries and gives every caller the whole answer', async () => {
    const before = seen();
    const pending = Promise.all(Array.from({ length: 6 }, () => send(BALANCE, { a: 'team-a' })));
    expect(await until(() => seen() - before === 6)).to.equal(true);
    open();
    const answers = await pending;
    expect(runs).to.equal(1);
    for (const answer of answers) expect(answer).to.deep.equal({ status: 200, body: { data: { balance: { account: 'team-a', amount: '100.00', run: 1 } } } });
    // Nothing is kept: the next one runs again.
    expect((await send(BALANCE, { a: 'team-a' })).body.data.balance.run).to.equal(2);
  });

  it('never shares across callers, variables or documents', async () => {
    const pending = Promise.all([
      send(BALANCE, { a: 'team-a' }, 'alice'),
      send(BALANCE, { a: 'team-a' }, 'bob'),
      send(BALANCE, { a: 'team-b' }, 'alice'),
      send('query($a: String!) { balance(account: $a) { amount run } }', { a: 'team-a' }, 'alice'),
    ]);
    // All four run at once: none waits for another.
    expect(await until(() => started === 4)).to.equal(true);
    open();
    const answers = await pending;
    expect(runs).to.equal(4);
    expect(new Set(answers.map((a) => a.body.data.balance.run)).size).to.equal(4);
  });

  it('never shares a mutation, and a query sent after a mutation started does not join one sent before it', async () => {
    const before = send(BALANCE, { a: 'team-a' });
    expect(await until(() => started === 1)).to.equal(true);
    const spending = [send(SPEND, { a: 'team-a' }), send(SPEND, { a: 'team-a' })];
    expect(await until(() => started === 3)).to.equal(true); // both mutations run
    const after = send(BALANCE, { a: 'team-a' });
    expect(await until(() => started === 4)).to.equal(true); // and so does the later query
    open();
    const [b, s1, s2, a] = await Promise.all([before, ...spending, after]);
    expect(spends).to.equal(2);
    expect(new Set([s1.body.data.spend.run, s2.body.data.spend.run]).size).to.equal(2);
    expect(a.body.data.balance.run).to.not.equal(b.body.data.balance.run);
    expect(runs).to.equal(4);
  });

  it('counts what it sent and what it shared', async () => {
    const before = { ...plugin.stats };
    const pending = Promise.all(Array.from({ length: 4 }, () => send(BALANCE, { a: 'team-c' })));
    expect(await until(() => seen() - before.sent - before.shared === 4)).to.equal(true);
    open();
    await pending;
    expect({ sent: plugin.stats.sent - before.sent, shared: plugin.stats.shared - before.shared }).to.deep.equal({ sent: 1, shared: 3 });
  });
});

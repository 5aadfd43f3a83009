/**
 * The gateway's per-caller rate limit (gateway/rate-limit.ts): over N requests in a window, a
 * caller gets 429 with Retry-After and a RATE_LIMITED error naming the limit; other callers are
 * still served, and the caller is served again once the window is over. Callers are verified
 * tokens (issuer + subject); requests without one count against their IP.
 */
import { expect } from 'chai';
import { signToken } from '../../lib/platform/auth/tokens';
import { DEFAULT_RATE_LIMIT, loadConfig } from '../../lib/platform/config';
import { RunningGateway, startGateway } from '../../gateway';
import { TEST_AUTH, tokenFor } from '../support/auth';
import { Stack, startStack, TEST_NOW } from '../support/stack';

const LIMIT = { requests: 3, windowSeconds: 2 };

describe('rate limit per caller', () => {
  let stack: Stack;
  let gateway: RunningGateway;

  before(async () => {
    stack = await startStack({ loadDemo: false });
    gateway = await startGateway({ port: 0, subgraphUrls: { aws: stack.aws.url, azure: stack.azure.url }, clock: () => TEST_NOW, auth: TEST_AUTH, rateLimit: LIMIT });
  });
  after(async () => {
    await gateway.stop();
    await stack.stop();
  });

  async function send(authorization: string | null) {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query: '{ creditSummary { creditCount } }' }),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
  }

  it('answers the (n+1)th request of a caller within the window 429 with Retry-After, serves another caller, and the first again after the window', async () => {
    const alice = `Bearer ${await tokenFor({}, 'alice')}`;
    // Another token of the same subject is the same caller.
    const aliceAgain = `Bearer ${await tokenFor({ aws: { accountIds: ['111122223333'] } }, 'alice')}`;
    const bob = `Bearer ${await tokenFor({}, 'bob')}`;
    const started = Date.now();
    for (const token of [alice, aliceAgain, alice]) expect((await send(token)).status).to.equal(200);
    const refused = await send(aliceAgain);
    expect(Date.now() - started, 'the test ran within one window').to.be.below(LIMIT.windowSeconds * 1000);
    expect(refused.status).to.equal(429);
    expect(Number(refused.retryAfter)).to.be.within(1, LIMIT.windowSeconds);
    expect(refused.body.data).to.equal(undefined);
    expect(refused.body.errors).to.have.length(1);
    expect(refused.body.errors[0].extensions).to.deep.equal({ code: 'RATE_LIMITED', limit: LIMIT, retryAfterSeconds: Number(refused.retryAfter) });
    expect(refused.body.errors[0].message).to.contain('3 requests every 2 s');

    const other = await send(bob);
    expect(other.status).to.equal(200);
    expect(other.body.data.creditSummary.creditCount).to.equal(0);

    await new Promise((resolve) => setTimeout(resolve, Number(refused.retryAfter) * 1000 + 100));
    const later = await send(alice);
    expect(later.status).to.equal(200);
    expect(later.body.errors).to.equal(undefined);
  });

  it('counts requests without a valid token against the client address, and a forged token spends no one\'s allowance', async () => {
    const carol = `Bearer ${await tokenFor({}, 'carol')}`;
    const forged = `Bearer ${await signToken({ ...TEST_AUTH, jwtSecret: 'an-attacker-secret-an-attacker-secret-00' }, 'carol', {})}`;
    for (const token of [null, forged, 'Bearer not.a.token']) expect((await send(token)).status).to.equal(401);
    const refused = await send(forged);
    expect(refused.status).to.equal(429);
    expect(refused.retryAfter).to.match(/^[12]$/);
    expect(refused.body.errors[0].extensions.code).to.equal('RATE_LIMITED');
    for (let i = 0; i < LIMIT.requests; i++) expect((await send(carol)).status, 'carol is served').to.equal(200);
  });

  it('is off with 0 requests', async () => {
    const unlimited = await startGateway({ port: 0, subgraphUrls: { aws: stack.aws.url, azure: stack.azure.url }, clock: () => TEST_NOW, auth: TEST_AUTH, rateLimit: { requests: 0, windowSeconds: 1 } });
    try {
      const token = `Bearer ${await tokenFor({}, 'dave')}`;
      const statuses = await Promise.all(Array.from({ length: 20 }, () => fetch(unlimited.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: '{"query":"{ __typename }"}' }).then((r) => r.status)));
      expect(new Set(statuses)).to.deep.equal(new Set([200]));
    } finally {
      await unlimited.stop();
    }
  });
});

describe('rate limit settings', () => {
  const saved = { requests: process.env.RATE_LIMIT_REQUESTS, window: process.env.RATE_LIMIT_WINDOW_SECONDS };
  const set = (requests: string | undefined, window: string | undefined) => {
    for (const [name, value] of [['RATE_LIMIT_REQUESTS', requests], ['RATE_LIMIT_WINDOW_SECONDS', window]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  afterEach(() => set(saved.requests, saved.window));

  it('defaults to a limit no developer meets, reads both variables, and 0 turns it off', () => {
    set(undefined, undefined);
    expect(loadConfig().rateLimit).to.deep.equal(DEFAULT_RATE_LIMIT);
    expect(DEFAULT_RATE_LIMIT.requests / DEFAULT_RATE_LIMIT.windowSeconds).to.be.at.least(10);
    set('50', '10');
    expect(loadConfig().rateLimit).to.deep.equal({ requests: 50, windowSeconds: 10 });
    set('0', undefined);
    expect(loadConfig().rateLimit.requests).to.equal(0);
  });

  it('refuses values that are not whole numbers, naming the variable', () => {
    set('-1', undefined);
    expect(() => loadConfig()).to.throw('RATE_LIMIT_REQUESTS must be a whole number of at least 0 (0: off), got "-1"');
    set('10', '0');
    expect(() => loadConfig()).to.throw('RATE_LIMIT_WINDOW_SECONDS must be a whole number above 0, got "0"');
    set('ten', undefined);
    expect(() => loadConfig()).to.throw(/RATE_LIMIT_REQUESTS/);
  });
});

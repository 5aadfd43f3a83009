/**
 * The credits subgraph on its own port, as another federation router (Apollo Router, Hive
 * Gateway) would call it: only with the router's secret, for a verified caller whose token it
 * forwards to the providers.
 */
import { expect } from 'chai';
import { GATEWAY_SECRET_HEADER } from '../../lib/auth/http';
import type { RunningServer } from '../../lib/server';
import { startCreditsSubgraph } from '../../subgraphs/credits';
import { TEST_AUTH, tokenFor } from '../support/auth';
import { ADMIN_CLAIMS, Stack, startStack, TEST_NOW } from '../support/stack';

describe('the credits subgraph served on its own', () => {
  let stack: Stack;
  let credits: RunningServer;

  before(async () => {
    stack = await startStack();
    credits = await startCreditsSubgraph({
      port: 0,
      providerUrls: { aws: stack.aws.url, azure: stack.azure.url },
      auth: TEST_AUTH,
      clock: () => TEST_NOW,
    });
  });
  after(async () => {
    await credits.stop();
    await stack.stop();
  });

  const post = async (headers: Record<string, string>, query: string) =>
    fetch(credits.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

  it('answers a router that sends the secret and the caller\'s token, with what that caller may see', async () => {
    const query = `{ creditSummary { creditCount totals { provider } } }`;
    const admin = await post({ [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret, authorization: `Bearer ${await tokenFor(ADMIN_CLAIMS)}` }, query);
    const adminBody: any = await admin.json();
    expect(adminBody.data.creditSummary.creditCount).to.be.greaterThan(10);
    expect(new Set(adminBody.data.creditSummary.totals.map((t: any) => t.provider))).to.deep.equal(new Set(['AWS', 'AZURE']));

    const linked = await post(
      { [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret, authorization: `Bearer ${await tokenFor({ aws: { accountIds: ['444455556666'] } })}` },
      query,
    );
    expect(((await linked.json()) as any).data.creditSummary.creditCount).to.equal(4);
  });

  it('refuses a caller without the router secret (403) or without a token (401)', async () => {
    expect((await post({ authorization: `Bearer ${await tokenFor(ADMIN_CLAIMS)}` }, '{ __typename }')).status).to.equal(403);
    expect((await post({ [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret }, '{ __typename }')).status).to.equal(401);
  });
});

/**
 * The credits subgraph on its own port, as another federation router (Apollo Router, Hive
 * Gateway) would call it: only with the router's secret, for a verified caller whose token it
 * forwards to the providers.
 */
import { expect } from 'chai';
import { GATEWAY_SECRET_HEADER } from '../../lib/platform/auth/http';
import { encodeCreditId } from '../../lib/api/global-id';
import type { RunningServer } from '../../lib/platform/server';
import { TEST_AUTH, tokenFor } from '../support/auth';
import { expectOnlyNotFound } from '../support/not-found';
import { ADMIN_CLAIMS, Stack, startStack, startStandaloneCredits } from '../support/stack';

describe('the credits subgraph served on its own', () => {
  let stack: Stack;
  let credits: RunningServer;

  before(async () => {
    stack = await startStack();
    credits = await startStandaloneCredits(stack);
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

  it('resolves Credit references for the router with null for one it has nothing for, while credit(id:) says NOT_FOUND', async () => {
    const headers = { [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret, authorization: `Bearer ${await tokenFor({ aws: { accountIds: ['444455556666'] } })}` };
    const hidden = encodeCreditId({ provider: 'AWS', providerCreditId: '90000000003' });
    const visible = encodeCreditId({ provider: 'AWS', providerCreditId: '90000000001' });
    const entities = await post(
      headers,
      `{ _entities(representations: [{ __typename: "Credit", id: "${hidden}" }, { __typename: "Credit", id: "nope" }, { __typename: "Credit", id: "${visible}" }]) { ... on Credit { id } } }`,
    );
    const body: any = await entities.json();
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    expect(body.data._entities).to.deep.equal([null, null, { id: visible }]);
    const lookup: any = await (await post(headers, `{ credit(id: "${hidden}") { id } }`)).json();
    expectOnlyNotFound(lookup, { credit: { argument: 'id', id: hidden } });
  });

  it('refuses a caller without the router secret or without a token with the same 401 answer', async () => {
    const noSecret = await post({ authorization: `Bearer ${await tokenFor(ADMIN_CLAIMS)}` }, '{ __typename }');
    const noToken = await post({ [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret }, '{ __typename }');
    expect([noSecret.status, noToken.status]).to.deep.equal([401, 401]);
    const [a, b] = [await noSecret.json(), await noToken.json()] as any[];
    expect(a).to.deep.equal(b);
    expect(a.errors[0].extensions.code).to.equal('UNAUTHENTICATED');
  });
});

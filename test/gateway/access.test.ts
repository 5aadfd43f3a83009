/** Who sees and changes what, through the gateway, for each demo persona. */
import { expect } from 'chai';
import { encodeCreditId } from '../../lib/api/global-id';
import { expectNotFound } from '../support/not-found';
import { ADMIN_CLAIMS, graphql, query, Stack, startStack } from '../support/stack';
import { tokenFor, TestClaims } from '../support/auth';

const BILLING_ACCOUNT =
  '/providers/Microsoft.Billing/billingAccounts/5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31';
const DEVELOPMENT = `${BILLING_ACCOUNT}/billingProfiles/PBFV-AB12-CD3-EF4`;

const LIST = `{ credits(first: 100) { nodes { id provider providerCreditId owner { id } } } creditSummary { creditCount totals { provider currencyCode creditCount } } }`;
const PAUSE = `mutation($id: ID!) { pauseCredit(input: { creditId: $id }) { credit { status } userErrors { code field message } } }`;

describe('access rules through the gateway', () => {
  let stack: Stack;
  let all: { id: string; provider: string; providerCreditId: string; owner: { id: string } }[];
  const as = async (claims: TestClaims) => tokenFor(claims, 'persona');

  before(async () => {
    stack = await startStack();
    all = (await query(stack.gatewayUrl, LIST)).credits.nodes;
  });
  after(() => stack.stop());

  it('the AWS payer sees every credit of its organization and no Azure credit', async () => {
    const token = await as({ aws: { accountIds: ['111122223333'] } });
    const data = await query(stack.gatewayUrl, LIST, {}, token);
    const expected = all.filter((c) => c.provider === 'AWS');
    expect(data.credits.nodes.map((c: any) => c.id).sort()).to.deep.equal(expected.map((c) => c.id).sort());
    expect(data.creditSummary.creditCount).to.equal(expected.length);
  });

  it('a linked account sees only the credits that can pay for its usage, and only its own history', async () => {
    // team-data (444455556666): DEFAULT credits 90000000001 and 90000000005, CUSTOM 90000000004
    // (team-data, team-web), COST_CATEGORY_RULE "Product" 90000000006 (team-data is a Product account).
    const token = await as({ aws: { accountIds: ['444455556666'] } });
    const data = await query(stack.gatewayUrl, LIST, {}, token);
    expect(data.credits.nodes.map((c: any) => c.providerCreditId).sort()).to.deep.equal(['90000000001', '90000000004', '90000000005', '90000000006']);
    expect(data.creditSummary.totals).to.deep.equal([{ provider: 'AWS', currencyCode: 'USD', creditCount: 4 }]);
    const history = await query(
      stack.gatewayUrl,
      `query($id: ID!) { credit(id: $id) { applications(first: 100) { totalCount nodes { consumer { id } } } } }`,
      { id: data.credits.nodes.find((c: any) => c.providerCreditId === '90000000001').id },
      token,
    );
    expect(history.credit.applications.totalCount).to.be.greaterThan(0);
    expect(new Set(history.credit.applications.nodes.map((a: any) => a.consumer.id))).to.deep.equal(new Set(['444455556666']));
    const other = await query(stack.gatewayUrl, `{ awsCreditAllocationHistory(accountId: "777788889999") { nodes { accountId } } }`, {}, token);
    expect(other.awsCreditAllocationHistory.nodes).to.deep.equal([]);
  });

  it('a linked account cannot pause, and a credit it cannot see is not found', async () => {
    const token = await as({ aws: { accountIds: ['444455556666'] } });
    const visible = all.find((c) => c.providerCreditId === '90000000001')!;
    const hidden = all.find((c) => c.providerCreditId === '90000000003')!;
    const refused = await query(stack.gatewayUrl, PAUSE, { id: visible.id }, token);
    expect(refused.pauseCredit.credit).to.equal(null);
    expect(refused.pauseCredit.userErrors[0]).to.deep.include({ code: 'FORBIDDEN', field: ['creditId'] });
    const unseen = await query(stack.gatewayUrl, PAUSE, { id: hidden.id }, token);
    expect(unseen.pauseCredit.userErrors[0].code).to.equal('NOT_FOUND');
    // Reading it is the same NOT_FOUND as for an id that names nothing: its existence does not leak.
    const read = await graphql(stack.gatewayUrl, `query($id: ID!) { credit(id: $id) { id } }`, { id: hidden.id }, token);
    expectNotFound(read, 'credit', 'id', hidden.id);
    const nothing = encodeCreditId({ provider: 'AWS', providerCreditId: '90000000999' });
    const unknown = await graphql(stack.gatewayUrl, `query($id: ID!) { credit(id: $id) { id } }`, { id: nothing }, token);
    expect(unknown.errors![0].message.replace(nothing, '<id>')).to.equal(read.errors![0].message.replace(hidden.id, '<id>'));
  });

  it('an Azure profile reader sees that profile\'s lots only, and cannot pause them', async () => {
    const token = await as({ azure: { roleAssignments: [{ scope: DEVELOPMENT, role: 'billing_profile_reader' }] } });
    const data = await query(stack.gatewayUrl, LIST, {}, token);
    const expected = all.filter((c) => c.provider === 'AZURE' && c.owner.id === DEVELOPMENT);
    expect(expected.length).to.be.greaterThan(0);
    expect(data.credits.nodes.map((c: any) => c.id).sort()).to.deep.equal(expected.map((c) => c.id).sort());
    const refused = await query(stack.gatewayUrl, PAUSE, { id: expected[0].id }, token);
    expect(refused.pauseCredit.userErrors[0]).to.deep.include({ code: 'FORBIDDEN' });
    const accounts = await query(stack.gatewayUrl, `{ azureBillingAccounts { nodes { billingProfiles { nodes { id } } } } }`, {}, token);
    expect(accounts.azureBillingAccounts.nodes.flatMap((a: any) => a.billingProfiles.nodes.map((p: any) => p.id))).to.deep.equal([DEVELOPMENT]);
  });

  it('an Azure billing account owner sees and controls every lot of the account', async () => {
    const token = await as({ azure: ADMIN_CLAIMS.azure });
    const data = await query(stack.gatewayUrl, LIST, {}, token);
    expect(data.credits.nodes.map((c: any) => c.id).sort()).to.deep.equal(all.filter((c) => c.provider === 'AZURE').map((c) => c.id).sort());
    const lot = all.find((c) => c.provider === 'AZURE')!;
    const paused = await query(stack.gatewayUrl, PAUSE, { id: lot.id }, token);
    expect(paused.pauseCredit.userErrors).to.deep.equal([]);
    await query(stack.gatewayUrl, `mutation($id: ID!) { activateCredit(input: { creditId: $id }) { userErrors { code } } }`, { id: lot.id }, token);
  });

  it('a principal with no rights sees nothing, without errors', async () => {
    const token = await as({});
    const data = await graphql(stack.gatewayUrl, LIST, {}, token);
    expect(data.errors).to.equal(undefined);
    expect(data.data.credits.nodes).to.deep.equal([]);
    expect(data.data.creditSummary.creditCount).to.equal(0);
  });
});

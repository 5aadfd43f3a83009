/** pauseCredit, activateCredit, shareCredit through the gateway, on both clouds. */
import { expect } from 'chai';
import { graphql, query, Stack, startStack } from '../support/stack';

const CREDIT = `id status sharing { scope accounts { id } costCategory { arn value } invoiceSections { id } }
  aws { creditStatus creditSharingType shareableAccounts costCategoryArn ruleName }
  azure { paused sharedInvoiceSections { id } }`;
const PAYLOAD = `credit { ${CREDIT} } userErrors { code field message }`;

const PAUSE = `mutation($id: ID!) { pauseCredit(input: { creditId: $id }) { ${PAYLOAD} } }`;
const ACTIVATE = `mutation($id: ID!) { activateCredit(input: { creditId: $id }) { ${PAYLOAD} } }`;
const SHARE = `mutation($input: ShareCreditInput!) { shareCredit(input: $input) { ${PAYLOAD} } }`;

describe('credits through the gateway: mutations', () => {
  let stack: Stack;
  let awsId: string;
  let azureId: string;
  let linkedAccounts: string[];
  let costCategory: { costCategoryArn: string; values: { value: string }[] };
  let sections: { id: string; name: string }[];

  const credit = async (id: string) => (await query(stack.gatewayUrl, `query($id: ID!) { credit(id: $id) { ${CREDIT} } }`, { id })).credit;

  before(async () => {
    stack = await startStack();
    const data: any = await query(
      stack.gatewayUrl,
      `{ credits(first: 100, filter: { statuses: [ACTIVE] }) { nodes { id provider owner { id } } }
         awsAccounts { nodes { accountId isPayer } }
         awsCostCategories { nodes { costCategoryArn values { nodes { value } } } } }`,
    );
    awsId = data.credits.nodes.find((c: any) => c.provider === 'AWS').id;
    const lot = data.credits.nodes.find((c: any) => c.provider === 'AZURE');
    azureId = lot.id;
    linkedAccounts = data.awsAccounts.nodes.filter((a: any) => !a.isPayer).map((a: any) => a.accountId);
    const category = data.awsCostCategories.nodes[0];
    costCategory = { costCategoryArn: category.costCategoryArn, values: category.values.nodes };
    const profile: any = await query(stack.gatewayUrl, `query($id: ID!) { azureBillingProfile(id: $id) { invoiceSections { nodes { id name } } } }`, { id: lot.owner.id });
    sections = profile.azureBillingProfile.invoiceSections.nodes;
    expect(linkedAccounts.length).to.be.at.least(3);
    expect(sections.length).to.be.at.least(2);
  });
  after(() => stack.stop());

  it('pauses and activates an AWS credit (creditStatus DISABLED / ENABLED), idempotently', async () => {
    const paused: any = await query(stack.gatewayUrl, PAUSE, { id: awsId });
    expect(paused.pauseCredit.userErrors).to.deep.equal([]);
    expect(paused.pauseCredit.credit).to.deep.include({ status: 'PAUSED' });
    expect(paused.pauseCredit.credit.aws.creditStatus).to.equal('DISABLED');
    const again: any = await query(stack.gatewayUrl, PAUSE, { id: awsId });
    expect(again.pauseCredit).to.deep.equal(paused.pauseCredit);
    expect((await credit(awsId)).status).to.equal('PAUSED');

    const active: any = await query(stack.gatewayUrl, ACTIVATE, { id: awsId });
    expect(active.activateCredit.userErrors).to.deep.equal([]);
    expect(active.activateCredit.credit.status).to.equal('ACTIVE');
    expect(active.activateCredit.credit.aws.creditStatus).to.equal('ENABLED');
    expect((await query(stack.gatewayUrl, ACTIVATE, { id: awsId })).activateCredit).to.deep.equal(active.activateCredit);
  });

  it('pauses and activates an Azure lot (this product\'s extension), idempotently', async () => {
    const paused: any = await query(stack.gatewayUrl, PAUSE, { id: azureId });
    expect(paused.pauseCredit.userErrors).to.deep.equal([]);
    expect(paused.pauseCredit.credit.status).to.equal('PAUSED');
    expect(paused.pauseCredit.credit.azure.paused).to.equal(true);
    expect((await query(stack.gatewayUrl, PAUSE, { id: azureId })).pauseCredit).to.deep.equal(paused.pauseCredit);
    const active: any = await query(stack.gatewayUrl, ACTIVATE, { id: azureId });
    expect(active.activateCredit.credit.status).to.equal('ACTIVE');
    expect(active.activateCredit.credit.azure.paused).to.equal(false);
  });

  it('shares an AWS credit with listed accounts (CUSTOM), idempotently', async () => {
    const input = { creditId: awsId, scope: 'ACCOUNTS', accountIds: linkedAccounts.slice(0, 2) };
    const shared: any = await query(stack.gatewayUrl, SHARE, { input });
    expect(shared.shareCredit.userErrors).to.deep.equal([]);
    expect(shared.shareCredit.credit.sharing.scope).to.equal('ACCOUNTS');
    expect(shared.shareCredit.credit.sharing.accounts.map((a: any) => a.id).sort()).to.deep.equal(linkedAccounts.slice(0, 2).sort());
    expect(shared.shareCredit.credit.aws.creditSharingType).to.equal('CUSTOM');
    expect([...shared.shareCredit.credit.aws.shareableAccounts].sort()).to.deep.equal(linkedAccounts.slice(0, 2).sort());
    expect((await query(stack.gatewayUrl, SHARE, { input })).shareCredit).to.deep.equal(shared.shareCredit);
    // The sharing lists show as many as asked, and say how many there are in all.
    const few: any = await query(stack.gatewayUrl, `query($id: ID!) { credit(id: $id) { sharing { accounts(first: 1) { id } accountCount invoiceSectionCount } } }`, { id: awsId });
    expect(few.credit.sharing.accounts).to.have.length(1);
    expect(few.credit.sharing).to.include({ accountCount: 2, invoiceSectionCount: 0 });
    const tooMany = await graphql(stack.gatewayUrl, `query($id: ID!) { credit(id: $id) { sharing { accounts(first: 101) { id } } } }`, { id: awsId });
    expect(tooMany.errors?.[0].extensions).to.include({ code: 'BAD_USER_INPUT', argument: 'first' });
    const overList = await query(stack.gatewayUrl, SHARE, { input: { ...input, accountIds: Array.from({ length: 101 }, (_, i) => String(100000000000 + i)) } });
    expect(overList.shareCredit.userErrors).to.deep.equal([{ code: 'INVALID_INPUT', field: ['accountIds'], message: 'accountIds lists 101 values; a credit may be shared with at most 100.' }]);
  });

  it('shares an AWS credit by cost category value (COST_CATEGORY_RULE)', async () => {
    const value = costCategory.values[0].value;
    const shared: any = await query(stack.gatewayUrl, SHARE, {
      input: { creditId: awsId, scope: 'COST_CATEGORY', costCategoryArn: costCategory.costCategoryArn, costCategoryValue: value },
    });
    expect(shared.shareCredit.userErrors).to.deep.equal([]);
    expect(shared.shareCredit.credit.sharing.scope).to.equal('COST_CATEGORY');
    expect(shared.shareCredit.credit.sharing.costCategory).to.deep.equal({ arn: costCategory.costCategoryArn, value });
    expect(shared.shareCredit.credit.aws).to.include({ creditSharingType: 'COST_CATEGORY_RULE', costCategoryArn: costCategory.costCategoryArn, ruleName: value });
  });

  it('refuses invalid AWS scopes with user errors naming the field, and changes nothing', async () => {
    const before = await credit(awsId);
    const badAccount: any = await query(stack.gatewayUrl, SHARE, { input: { creditId: awsId, scope: 'ACCOUNTS', accountIds: [linkedAccounts[0], '000000000000'] } });
    expect(badAccount.shareCredit.credit).to.equal(null);
    expect(badAccount.shareCredit.userErrors).to.have.length(1);
    expect(badAccount.shareCredit.userErrors[0]).to.include({ code: 'INVALID_SCOPE' });
    expect(badAccount.shareCredit.userErrors[0].field).to.deep.equal(['accountIds', '1']);
    expect(badAccount.shareCredit.userErrors[0].message).to.contain('000000000000');

    const badValue: any = await query(stack.gatewayUrl, SHARE, {
      input: { creditId: awsId, scope: 'COST_CATEGORY', costCategoryArn: costCategory.costCategoryArn, costCategoryValue: 'NoSuchValue' },
    });
    expect(badValue.shareCredit.userErrors[0]).to.deep.include({ code: 'INVALID_SCOPE', field: ['costCategoryValue'] });

    const stray: any = await query(stack.gatewayUrl, SHARE, { input: { creditId: awsId, scope: 'ORGANIZATION', accountIds: ['999999999999'] } });
    expect(stray.shareCredit.userErrors).to.deep.equal([
      { code: 'INVALID_INPUT', field: ['accountIds'], message: 'accountIds does not apply to scope ORGANIZATION; leave it out.' },
    ]);

    const sections: any = await query(stack.gatewayUrl, SHARE, { input: { creditId: awsId, scope: 'INVOICE_SECTIONS', invoiceSectionIds: ['x'] } });
    expect(sections.shareCredit.userErrors[0]).to.deep.include({ code: 'UNSUPPORTED', field: ['scope'] });
    expect(await credit(awsId)).to.deep.equal(before);
  });

  it('shares an Azure lot with invoice sections and back with the whole profile', async () => {
    const shared: any = await query(stack.gatewayUrl, SHARE, { input: { creditId: azureId, scope: 'INVOICE_SECTIONS', invoiceSectionIds: [sections[0].id] } });
    expect(shared.shareCredit.userErrors).to.deep.equal([]);
    expect(shared.shareCredit.credit.sharing.scope).to.equal('INVOICE_SECTIONS');
    expect(shared.shareCredit.credit.sharing.invoiceSections.map((s: any) => s.id)).to.deep.equal([sections[0].id]);
    expect(shared.shareCredit.credit.azure.sharedInvoiceSections.map((s: any) => s.id)).to.deep.equal([sections[0].id]);

    const whole: any = await query(stack.gatewayUrl, SHARE, { input: { creditId: azureId, scope: 'ORGANIZATION' } });
    expect(whole.shareCredit.credit.sharing).to.deep.equal({ scope: 'ORGANIZATION', accounts: [], costCategory: null, invoiceSections: [] });
    expect(whole.shareCredit.credit.azure.sharedInvoiceSections).to.equal(null);
  });

  it('takes concurrent mutations on both clouds without losing any', async () => {
    const data: any = await query(stack.gatewayUrl, `{ credits(first: 100, filter: { statuses: [ACTIVE, PAUSED] }) { nodes { id } } }`);
    const ids: string[] = data.credits.nodes.map((c: any) => c.id);
    expect(ids.length).to.be.at.least(4);
    const results = await Promise.all(ids.flatMap((id) => [query(stack.gatewayUrl, PAUSE, { id }), query(stack.gatewayUrl, PAUSE, { id })]));
    for (const r of results) expect(r.pauseCredit.userErrors).to.deep.equal([]);
    const after: any = await query(stack.gatewayUrl, `{ credits(first: 100, filter: { statuses: [PAUSED] }) { nodes { id } } }`);
    expect(after.credits.nodes.map((c: any) => c.id).sort()).to.deep.equal([...ids].sort());
    await Promise.all(ids.map((id) => query(stack.gatewayUrl, ACTIVATE, { id })));
  });

  it('refuses invalid Azure scopes and unknown credits', async () => {
    const badSection: any = await query(stack.gatewayUrl, SHARE, { input: { creditId: azureId, scope: 'INVOICE_SECTIONS', invoiceSectionIds: ['NOPE-0000'] } });
    expect(badSection.shareCredit.userErrors[0]).to.deep.include({ code: 'INVALID_SCOPE', field: ['invoiceSectionIds', '0'] });
    const unsupported: any = await query(stack.gatewayUrl, SHARE, { input: { creditId: azureId, scope: 'ACCOUNTS', accountIds: ['111122223333'] } });
    expect(unsupported.shareCredit.userErrors[0]).to.deep.include({ code: 'UNSUPPORTED', field: ['scope'] });
    for (const id of ['nope', 'Q3JlZGl0OkFXUzo5OTk5']) {
      const missing: any = await query(stack.gatewayUrl, PAUSE, { id });
      expect(missing.pauseCredit.credit).to.equal(null);
      expect(missing.pauseCredit.userErrors[0]).to.deep.include({ code: 'NOT_FOUND', field: ['creditId'] });
    }
  });
});

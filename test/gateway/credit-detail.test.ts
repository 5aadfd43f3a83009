/** One credit through the gateway: normalized fields, the provider's native record, history, node(id). */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseLossless } from 'lossless-json';
import { canonicalDecimal } from '../../lib/money';
import { DEMO_DIR, graphql, query, Stack, startStack } from '../support/stack';

function demoJson(...parts: string[]): any {
  return parseLossless(fs.readFileSync(path.join(DEMO_DIR, ...parts), 'utf8'));
}
function demoFiles(provider: string, prefix: string): any[] {
  return fs
    .readdirSync(path.join(DEMO_DIR, provider))
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .map((f) => demoJson(provider, f));
}

describe('credits through the gateway: one credit', () => {
  let stack: Stack;
  let ids: { aws: string; azure: string; awsCreditId: string; lotId: string };

  before(async () => {
    stack = await startStack();
    const data: any = await query(stack.gatewayUrl, `{ credits(first: 100) { nodes { id provider providerCreditId } } }`);
    const history = demoFiles('aws', 'credit-allocation-history').flatMap((f) => f.creditAllocationHistoryList);
    const withHistory = data.credits.nodes.find((c: any) => c.provider === 'AWS' && history.some((h: any) => h.creditId === c.providerCreditId));
    const lot = data.credits.nodes.find((c: any) => c.provider === 'AZURE');
    ids = { aws: withHistory.id, awsCreditId: withHistory.providerCreditId, azure: lot.id, lotId: lot.providerCreditId };
  });
  after(() => stack.stop());

  it('returns an AWS credit with its native GetCredits fields, amounts exact to the last digit', async () => {
    const data: any = await query(
      stack.gatewayUrl,
      `query($id: ID!) { credit(id: $id) {
        id provider providerCreditId name providerType
        originalAmount { amount currencyCode } remainingBalance { amount currencyCode } estimatedBalance { amount }
        owner { kind id name }
        aws { creditId description creditType creditStatus creditSharingType
              initialAmount { currencyCode currencyAmount } remainingAmount { currencyAmount }
              account { accountId name } }
      } }`,
      { id: ids.aws },
    );
    const credit = data.credit;
    const source = demoJson('aws', 'get-credits.json').credits.find((c: any) => c.creditId === ids.awsCreditId);
    expect(credit.provider).to.equal('AWS');
    expect(credit.aws.creditId).to.equal(source.creditId);
    expect(credit.aws.description).to.equal(source.description);
    expect(credit.name).to.equal(source.description);
    expect(credit.aws.initialAmount).to.deep.equal({ currencyCode: source.initialAmount.currencyCode, currencyAmount: canonicalDecimal(source.initialAmount.currencyAmount) });
    expect(credit.aws.remainingAmount.currencyAmount).to.equal(canonicalDecimal(source.remainingAmount.currencyAmount));
    expect(credit.originalAmount.amount).to.equal(canonicalDecimal(source.initialAmount.currencyAmount));
    expect(credit.remainingBalance.amount).to.equal(canonicalDecimal(source.remainingAmount.currencyAmount));
    expect(credit.owner).to.include({ kind: 'AWS_ACCOUNT', id: source.accountId });
    expect(credit.aws.account.accountId).to.equal(source.accountId);
    expect(credit.aws.account.name).to.be.a('string');
  });

  it('lists its applications from the allocation history, newest month first, as positive amounts', async () => {
    const data: any = await query(
      stack.gatewayUrl,
      `query($id: ID!) { credit(id: $id) { applications(first: 100) { totalCount
         nodes { month consumer { kind id name } service amount { amount currencyCode } estimated } } } }`,
      { id: ids.aws },
    );
    const history = demoFiles('aws', 'credit-allocation-history')
      .flatMap((f) => f.creditAllocationHistoryList)
      .filter((h: any) => h.creditId === ids.awsCreditId);
    const apps = data.credit.applications;
    expect(apps.totalCount).to.equal(history.length);
    const months = apps.nodes.map((a: any) => a.month);
    expect(months).to.deep.equal([...months].sort().reverse());
    const expected = history.map((h: any) => `${h.billingMonth}|${h.accountId}|${h.appliedServiceName}|${canonicalDecimal(h.creditAmount.currencyAmount.replace(/^-/, ''))}|${h.isEstimatedBill}`);
    const actual = apps.nodes.map((a: any) => `${a.month}|${a.consumer.id}|${a.service}|${a.amount.amount}|${a.estimated}`);
    expect(actual.sort()).to.deep.equal(expected.sort());
  });

  it('pages applications with a cursor', async () => {
    const q = `query($id: ID!, $after: String) { credit(id: $id) { applications(first: 2, after: $after) {
      totalCount nodes { month consumer { id } service } pageInfo { hasNextPage endCursor } } } }`;
    const first: any = await query(stack.gatewayUrl, q, { id: ids.aws });
    const second: any = await query(stack.gatewayUrl, q, { id: ids.aws, after: first.credit.applications.pageInfo.endCursor });
    const all: any = await query(stack.gatewayUrl, `query($id: ID!) { credit(id: $id) { applications(first: 4) { nodes { month consumer { id } service } } } }`, { id: ids.aws });
    expect([...first.credit.applications.nodes, ...second.credit.applications.nodes]).to.deep.equal(all.credit.applications.nodes.slice(0, 4));
  });

  it('returns an Azure lot with its native fields, JSON-number amounts kept exact', async () => {
    const data: any = await query(
      stack.gatewayUrl,
      `query($id: ID!) { credit(id: $id) {
        provider providerCreditId originalAmount { amount currencyCode } remainingBalance { amount }
        owner { kind id name }
        azure { id name source status originalAmount { currency value } closedBalance { currency value } billingProfile { id displayName currency } }
      } }`,
      { id: ids.azure },
    );
    const lots = demoFiles('azure', 'lots').flatMap((f) => f.value);
    const source = lots.find((l: any) => l.id === ids.lotId);
    const credit = data.credit;
    expect(credit.azure.id).to.equal(source.id);
    expect(credit.azure.name).to.equal(source.name);
    expect(credit.azure.source).to.equal(source.properties.source);
    expect(credit.azure.originalAmount.value).to.equal(canonicalDecimal(source.properties.originalAmount.value.value));
    expect(credit.azure.closedBalance.value).to.equal(canonicalDecimal(source.properties.closedBalance.value.value));
    expect(credit.remainingBalance.amount).to.equal(canonicalDecimal(source.properties.closedBalance.value.value));
    expect(credit.owner.kind).to.equal('AZURE_BILLING_PROFILE');
    expect(source.id.startsWith(credit.owner.id + '/')).to.equal(true);
    expect(credit.azure.billingProfile.id).to.equal(credit.owner.id);
  });

  it('fetches the same credit by node(id)', async () => {
    const data: any = await query(stack.gatewayUrl, `query($id: ID!) { node(id: $id) { id ... on Credit { provider providerCreditId } } }`, { id: ids.azure });
    expect(data.node).to.deep.equal({ id: ids.azure, provider: 'AZURE', providerCreditId: ids.lotId });
  });

  it('answers null for unknown and malformed IDs, never an internal error', async () => {
    for (const id of ['Q3JlZGl0OkFXUzo5OTk5', 'not-an-id', "' OR 1=1 --", '']) {
      const result = await graphql(stack.gatewayUrl, `query($id: ID!) { credit(id: $id) { id } node(id: $id) { id } }`, { id });
      expect(result.errors, id).to.equal(undefined);
      expect(result.data).to.deep.equal({ credit: null, node: null });
    }
  });
});

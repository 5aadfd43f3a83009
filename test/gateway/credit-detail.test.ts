/** One credit through the gateway: normalized fields, the provider's native record, history, node(id). */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseLossless } from 'lossless-json';
import { addDecimal, canonicalDecimal, canonicalMoneyAmount, compareDecimal, negateDecimal, sumDecimals } from '../../lib/domain/money';
import { expectOnlyNotFound } from '../support/not-found';
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

const BALANCES = `originalAmount { amount currencyCode } remainingBalance { amount currencyCode } estimatedBalance { amount } expiredAmount { amount }
  applications(first: 100) { totalCount nodes { month consumer { kind id name } service productCode amount { amount currencyCode } estimated invoiceNumber } }`;

/** Sum of the applications' amounts, final or estimated ones. */
function applied(credit: any, estimated: boolean): string {
  return sumDecimals(credit.applications.nodes.filter((a: any) => a.estimated === estimated).map((a: any) => a.amount.amount));
}

/** The invariant every credit keeps: original = remaining + final applications + expired; estimated = remaining - estimated applications. */
function expectBalanced(credit: any): void {
  expect(credit.applications.totalCount).to.equal(credit.applications.nodes.length);
  expect(compareDecimal(credit.originalAmount.amount, addDecimal(addDecimal(credit.remainingBalance.amount, applied(credit, false)), credit.expiredAmount.amount))).to.equal(0);
  expect(compareDecimal(credit.estimatedBalance.amount, addDecimal(credit.remainingBalance.amount, negateDecimal(applied(credit, true))))).to.equal(0);
}

describe('credits through the gateway: one credit', () => {
  let stack: Stack;
  let ids: Record<string, string>;

  before(async () => {
    stack = await startStack();
    const data: any = await query(stack.gatewayUrl, `{ credits(first: 100) { nodes { id provider providerCreditId } } }`);
    ids = Object.fromEntries(data.credits.nodes.map((c: any) => [c.providerCreditId.slice(c.providerCreditId.lastIndexOf('/') + 1), c.id]));
  });
  after(() => stack.stop());

  it('returns an AWS credit with its native GetCredits fields and the balances computed from 12 months of billing files', async () => {
    const data: any = await query(
      stack.gatewayUrl,
      `query($id: ID!) { credit(id: $id) {
        id provider providerCreditId name providerType ${BALANCES}
        owner { kind id name }
        aws { creditId description creditType creditStatus creditSharingType
              initialAmount { currencyCode currencyAmount } remainingAmount { currencyAmount } estimatedAmount { currencyAmount }
              account { accountId name } }
      } }`,
      { id: ids['90000000001'] },
    );
    const credit = data.credit;
    const source = demoJson('aws', 'get-credits.json').credits.find((c: any) => c.creditId === '90000000001');
    expect(credit.aws.creditId).to.equal(source.creditId);
    expect(credit.aws.description).to.equal(source.description);
    expect(credit.name).to.equal(source.description);
    expect(credit.aws.initialAmount).to.deep.equal({ currencyCode: 'USD', currencyAmount: canonicalDecimal(source.initialAmount.currencyAmount) });
    // demo/README.md: 25000.00 granted, 11559.9810363054 left after the final months 2025-12..2026-10,
    // 9434.1711455225 after the estimated 2026-11; the native record says the same.
    expect(credit.remainingBalance).to.deep.equal({ amount: '11559.9810363054', currencyCode: 'USD' });
    expect(credit.estimatedBalance.amount).to.equal('9434.1711455225');
    expect(credit.aws.remainingAmount.currencyAmount).to.equal(credit.remainingBalance.amount);
    expect(credit.aws.estimatedAmount.currencyAmount).to.equal(credit.estimatedBalance.amount);
    expect(credit.owner).to.include({ kind: 'AWS_ACCOUNT', id: source.accountId });
    expect(credit.aws.account.name).to.equal('Example Corp');
    expectBalanced(credit);
  });

  it('lists its applications computed per month, account, service and product code, as the native allocation history does', async () => {
    const data: any = await query(
      stack.gatewayUrl,
      `query($id: ID!) { credit(id: $id) { ${BALANCES} aws { allocationHistory(first: 100) { pageInfo { hasNextPage } nodes { billingMonth accountId appliedServiceName productCode computed isEstimatedBill creditAmount { currencyAmount } } } } } }`,
      { id: ids['90000000001'] },
    );
    const credit = data.credit;
    const months = credit.applications.nodes.map((a: any) => a.month);
    expect(months).to.deep.equal([...months].sort().reverse());
    expect(new Set(months).size).to.equal(12);
    // Only 2026-11 is estimated; every entry names a product code and was computed here.
    expect(credit.applications.nodes.filter((a: any) => a.estimated).map((a: any) => a.month)).to.satisfy((m: string[]) => m.length > 0 && m.every((x) => x === '2026-11'));
    expect(credit.applications.nodes.every((a: any) => a.productCode !== null && a.consumer.kind === 'AWS_ACCOUNT')).to.equal(true);
    expect(credit.aws.allocationHistory.pageInfo.hasNextPage).to.equal(false);
    const history = credit.aws.allocationHistory.nodes;
    expect(history.every((h: any) => h.computed)).to.equal(true);
    // The native record keeps AWS's ten places; the normalized amount is the same value in the API's money form.
    const native = history.map((h: any) => `${h.billingMonth}|${h.accountId}|${h.appliedServiceName}|${h.productCode}|${canonicalMoneyAmount(negateDecimal(h.creditAmount.currencyAmount), 'USD')}|${h.isEstimatedBill}`);
    const normalized = credit.applications.nodes.map((a: any) => `${a.month}|${a.consumer.id}|${a.service}|${a.productCode}|${a.amount.amount}|${a.estimated}`);
    expect(normalized.sort()).to.deep.equal(native.sort());
  });

  it('shows a credit that ran out and one that expired with a balance, each balanced', async () => {
    const q = `query($id: ID!) { credit(id: $id) { status ${BALANCES} aws { exhaustDate } } }`;
    const exhausted = (await query(stack.gatewayUrl, q, { id: ids['90000000004'] })).credit;
    expect(exhausted.status).to.equal('EXHAUSTED');
    expect(compareDecimal(exhausted.remainingBalance.amount, '0')).to.equal(0);
    expect(exhausted.aws.exhaustDate).to.equal('2026-07-31T00:00:00.000Z');
    expectBalanced(exhausted);
    const expired = (await query(stack.gatewayUrl, q, { id: ids['90000000005'] })).credit;
    expect(expired.status).to.equal('EXPIRED');
    // demo/README.md: 263.2397883302 was left when it expired on 2026-06-01; usage after that day is not paid.
    expect(expired.expiredAmount.amount).to.equal('263.2397883302');
    expect(expired.applications.nodes.every((a: any) => a.month <= '2026-06')).to.equal(true);
    expectBalanced(expired);
  });

  it('returns Azure lots with native fields, applications per invoice section with invoice numbers, and balances kept', async () => {
    const q = `query($id: ID!) { credit(id: $id) { status providerCreditId owner { kind id } ${BALANCES}
        azure { id name status originalAmount { currency value } closedBalance { currency value } estimatedBalance { value } billingProfile { id displayName currency } } } }`;
    const active = (await query(stack.gatewayUrl, q, { id: ids.G100200302 })).credit;
    const source = demoFiles('azure', 'lots').flatMap((f) => f.value).find((l: any) => l.name === 'G100200302');
    expect(active.azure.id).to.equal(source.id);
    expect(active.azure.originalAmount.value).to.equal(canonicalDecimal(source.properties.originalAmount.value.value));
    expect(active.remainingBalance.amount).to.equal('18107.4128605023');
    expect(active.azure.closedBalance.value).to.equal(active.remainingBalance.amount);
    expect(active.owner.kind).to.equal('AZURE_BILLING_PROFILE');
    expect(active.azure.billingProfile.id).to.equal(active.owner.id);
    expect(active.applications.nodes.every((a: any) => a.consumer.kind === 'AZURE_INVOICE_SECTION' && a.consumer.name !== null)).to.equal(true);
    expect(active.applications.nodes.filter((a: any) => !a.estimated).every((a: any) => /^G1\d+$/.test(a.invoiceNumber))).to.equal(true);
    expectBalanced(active);

    const used = (await query(stack.gatewayUrl, q, { id: ids.G100200305 })).credit;
    expect([used.status, used.azure.status]).to.deep.equal(['EXHAUSTED', 'Complete']);
    expectBalanced(used);
    const expired = (await query(stack.gatewayUrl, q, { id: ids.G100200303 })).credit;
    expect([expired.status, expired.azure.status, expired.expiredAmount.amount]).to.deep.equal(['EXPIRED', 'Expired', '2665.2546874854']);
    expectBalanced(expired);
  });

  it('pages applications with a cursor', async () => {
    const q = `query($id: ID!, $after: String) { credit(id: $id) { applications(first: 2, after: $after) {
      totalCount nodes { month consumer { id } service } pageInfo { hasNextPage endCursor } } } }`;
    const first: any = await query(stack.gatewayUrl, q, { id: ids['90000000001'] });
    const second: any = await query(stack.gatewayUrl, q, { id: ids['90000000001'], after: first.credit.applications.pageInfo.endCursor });
    const all: any = await query(stack.gatewayUrl, `query($id: ID!) { credit(id: $id) { applications(first: 4) { nodes { month consumer { id } service } } } }`, { id: ids['90000000001'] });
    expect([...first.credit.applications.nodes, ...second.credit.applications.nodes]).to.deep.equal(all.credit.applications.nodes.slice(0, 4));
  });

  it('returns a lot no billing month reaches as the lots file gives it, JSON-number amounts kept exact', async () => {
    const data: any = await query(
      stack.gatewayUrl,
      `query($id: ID!) { credit(id: $id) {
        provider providerCreditId status originalAmount { amount currencyCode } remainingBalance { amount } estimatedBalance { amount }
        owner { kind id name }
        azure { id name source status originalAmount { currency value } closedBalance { currency value } billingProfile { id displayName currency } }
      } }`,
      { id: ids.G100200304 },
    );
    const source = demoFiles('azure', 'lots').flatMap((f) => f.value).find((l: any) => l.name === 'G100200304');
    const credit = data.credit;
    expect(credit.status).to.equal('NOT_STARTED');
    expect(credit.azure.id).to.equal(source.id);
    expect(credit.azure.source).to.equal(source.properties.source);
    expect(credit.azure.originalAmount.value).to.equal(canonicalDecimal(source.properties.originalAmount.value.value));
    expect(credit.azure.closedBalance.value).to.equal(canonicalDecimal(source.properties.closedBalance.value.value));
    expect(credit.remainingBalance.amount).to.equal(credit.azure.closedBalance.value);
    expect(credit.estimatedBalance.amount).to.equal(credit.azure.closedBalance.value);
    expect(source.id.startsWith(credit.owner.id + '/')).to.equal(true);
  });

  it('fetches the same credit by node(id)', async () => {
    const data: any = await query(stack.gatewayUrl, `query($id: ID!) { node(id: $id) { id ... on Credit { provider providerCreditId } } }`, { id: ids.G100200304 });
    expect(data.node.id).to.equal(ids.G100200304);
    expect(data.node.provider).to.equal('AZURE');
    expect(data.node.providerCreditId.endsWith('/G100200304')).to.equal(true);
  });

  it('answers unknown and malformed IDs with null and a NOT_FOUND error at the field, never an internal error', async () => {
    for (const id of ['Q3JlZGl0OkFXUzo5OTk5', 'not-an-id', "' OR 1=1 --", '']) {
      const result = await graphql(stack.gatewayUrl, `query($id: ID!) { credit(id: $id) { id } node(id: $id) { id } }`, { id });
      expect(result.status, id).to.equal(200);
      expectOnlyNotFound(result, { credit: { argument: 'id', id }, node: { argument: 'id', id } });
    }
    // The error's path is the response key, so an aliased lookup among others names the one that failed.
    const mixed = await graphql(stack.gatewayUrl, `query($a: ID!, $b: ID!) { found: credit(id: $a) { id } missing: credit(id: $b) { id } }`, { a: ids['90000000001'], b: 'not-an-id' });
    expect(mixed.data!.found).to.deep.equal({ id: ids['90000000001'] });
    expectOnlyNotFound(mixed, { missing: { argument: 'id', id: 'not-an-id' } });
  });
});

/**
 * Mutations and ingestion on the same credits at the same time: nothing fails, no update is
 * lost, and the amounts stay exactly those of the provider file.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseLossless } from 'lossless-json';
import { ingestFiles } from '../../lib/store/ingest';
import { canonicalDecimal } from '../../lib/domain/money';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { DEMO_DIR, query, Stack, startStack } from '../support/stack';

const CREDIT = `query($id: ID!) { credit(id: $id) { status sharing { scope accounts { id } } originalAmount { amount } remainingBalance { amount } } }`;

describe('concurrent pause, share and ingest', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.stop());

  it('loses no update and keeps every amount exact', async () => {
    const nodes = (await query(stack.gatewayUrl, `{ credits(first: 100, filter: { providers: [AWS], statuses: [ACTIVE] }) { nodes { id providerCreditId } } }`)).credits.nodes;
    const [first, second] = nodes;
    const balancesBefore = await Promise.all([first, second].map(async (c: any) => (await query(stack.gatewayUrl, CREDIT, { id: c.id })).credit));
    const accounts = ['444455556666', '777788889999'];
    const files = [path.join(DEMO_DIR, 'aws', 'get-credits.json'), path.join(DEMO_DIR, 'azure')];
    const mutations: Promise<any>[] = [];
    const ingests: Promise<any>[] = [];
    for (let round = 0; round < 5; round++) {
      ingests.push(ingestFiles(files, stack.dataDir, PROVIDER_INGESTS));
      mutations.push(query(stack.gatewayUrl, `mutation($id: ID!) { pauseCredit(input: { creditId: $id }) { userErrors { code } } }`, { id: first.id }));
      mutations.push(
        query(stack.gatewayUrl, `mutation($id: ID!, $a: [String!]) { shareCredit(input: { creditId: $id, scope: ACCOUNTS, accountIds: $a }) { userErrors { code } } }`, {
          id: second.id,
          a: accounts,
        }),
      );
    }
    for (const result of await Promise.all(ingests)) expect(result.ok, JSON.stringify(result)).to.equal(true);
    for (const result of await Promise.all(mutations)) expect(Object.values(result)[0]).to.deep.equal({ userErrors: [] });

    // A last load after the mutations must not undo them either.
    expect((await ingestFiles(files, stack.dataDir, PROVIDER_INGESTS)).ok).to.equal(true);
    const paused = (await query(stack.gatewayUrl, CREDIT, { id: first.id })).credit;
    const shared = (await query(stack.gatewayUrl, CREDIT, { id: second.id })).credit;
    expect(paused.status).to.equal('PAUSED');
    expect(shared.sharing.scope).to.equal('ACCOUNTS');
    expect(shared.sharing.accounts.map((a: any) => a.id).sort()).to.deep.equal(accounts);

    const source: any = parseLossless(fs.readFileSync(path.join(DEMO_DIR, 'aws', 'get-credits.json'), 'utf8'));
    for (const [credit, id, before] of [[paused, first.providerCreditId, balancesBefore[0]], [shared, second.providerCreditId, balancesBefore[1]]]) {
      const entry = source.credits.find((c: any) => c.creditId === id);
      expect(credit.originalAmount.amount).to.equal(canonicalDecimal(entry.initialAmount.currencyAmount));
      // Closed months keep the controls they had: pausing and sharing now change no final balance.
      expect(credit.remainingBalance.amount).to.equal(before.remainingBalance.amount);
    }
  });
});

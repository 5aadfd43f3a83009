/** Loading provider files while the product runs: visible through the gateway, exact, idempotent, all-or-nothing. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isDatabaseEmpty } from '../../lib/platform/database';
import { ingestFiles } from '../../lib/store/ingest';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { query, REPO_ROOT, Stack, startStack, tempDir } from '../support/stack';

const NEW_CREDIT = {
  creditId: '99900000001',
  accountId: '111122223333',
  creditType: 'Promotion',
  description: 'Ingest test credit',
  initialAmount: { currencyCode: 'USD', currencyAmount: '1234.56789012345678901' },
  remainingAmount: { currencyCode: 'USD', currencyAmount: '1000.00000000000000001' },
  // A service no demo account uses, so the demo's billing files leave the balance as the file says.
  applicableProductNames: ['Amazon Neptune'],
  startDate: 1767225600,
  endDate: 1830297600,
  creditSharingType: 'DEFAULT',
  creditStatus: 'ENABLED',
};

const COUNT = `{ creditSummary { creditCount } }`;
const FIND = `{ credits(first: 10, filter: { search: "Ingest test credit" }) { nodes { name originalAmount { amount } remainingBalance { amount } } } }`;

describe('loading provider files while the product runs', () => {
  let stack: Stack;
  let dir: string;

  before(async () => {
    stack = await startStack();
    dir = tempDir('ingest-files');
  });
  after(async () => {
    await stack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a batch with a bad file whole, listing every problem, and changes nothing', async () => {
    const before = (await query(stack.gatewayUrl, COUNT)).creditSummary.creditCount;
    const good = path.join(dir, 'good', 'get-credits.json');
    const badDir = path.join(dir, 'bad');
    fs.mkdirSync(path.dirname(good), { recursive: true });
    fs.mkdirSync(badDir, { recursive: true });
    fs.writeFileSync(good, JSON.stringify({ credits: [NEW_CREDIT] }));
    fs.writeFileSync(
      path.join(badDir, 'get-credits.json'),
      JSON.stringify({ credits: [{ ...NEW_CREDIT, creditId: '99900000002', initialAmount: { currencyCode: 'USD', currencyAmount: 12.5 } }, { ...NEW_CREDIT, creditId: 'abc', description: undefined }] }),
    );
    fs.writeFileSync(path.join(badDir, 'truncated.json'), '{ "credits": [ { "creditId": "1"');

    const result = await ingestFiles([good, badDir], stack.dataDir, PROVIDER_INGESTS);
    expect(result.ok).to.equal(false);
    const problems = result.ok ? [] : result.problems;
    const text = problems.map((p) => `${path.basename(p.file)} ${p.entry ?? ''} ${p.field ?? ''} ${p.line ?? ''}`);
    expect(text).to.include.members([
      'get-credits.json credits[0] initialAmount.currencyAmount ',
      'get-credits.json credits[1] creditId ',
      'get-credits.json credits[1] description ',
    ]);
    expect(problems.some((p) => p.file.endsWith('truncated.json') && p.line === 1)).to.equal(true);
    expect((await query(stack.gatewayUrl, COUNT)).creditSummary.creditCount).to.equal(before);
    expect((await query(stack.gatewayUrl, FIND)).credits.nodes).to.deep.equal([]);
  });

  it('loads a good file, keeps every decimal place, and loading it again changes nothing', async () => {
    const before = (await query(stack.gatewayUrl, COUNT)).creditSummary.creditCount;
    const good = path.join(dir, 'good', 'get-credits.json');
    for (let i = 0; i < 2; i++) {
      const result = await ingestFiles([good], stack.dataDir, PROVIDER_INGESTS);
      expect(result.ok).to.equal(true);
      expect((await query(stack.gatewayUrl, COUNT)).creditSummary.creditCount).to.equal(before + 1);
    }
    expect((await query(stack.gatewayUrl, FIND)).credits.nodes).to.deep.equal([
      { name: 'Ingest test credit', originalAmount: { amount: '1234.56789012345678901' }, remainingBalance: { amount: '1000.00000000000000001' } },
    ]);
  });

  it('keeps unknown enum values from real payloads (Azure eventType "ExpiredCredit") beside the events it computes', async () => {
    const profile = '/providers/Microsoft.Billing/billingAccounts/5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31/billingProfiles/PBFV-AB12-CD3-EF4';
    const file = path.join(dir, 'events-real-payload.json');
    fs.writeFileSync(
      file,
      `{ "value": [ { "id": "${profile}/providers/Microsoft.Consumption/events/ev-real-1", "name": "ev-real-1", "type": "Microsoft.Consumption/events",
         "properties": { "transactionDate": "2025-06-01T00:00:00Z", "description": "Credit expired", "eventType": "ExpiredCredit",
           "lotId": "G099", "lotSource": "AzurePrepayment", "creditExpired": { "currency": "USD", "value": -1.00 }, "invoiceNumber": "G0000000001" } } ] }`,
    );
    expect((await ingestFiles([file], stack.dataDir, PROVIDER_INGESTS)).ok).to.equal(true);
    const profiles = (await query(stack.gatewayUrl, `{ azureBillingAccounts { nodes { billingProfiles { nodes { id } } } } }`)).azureBillingAccounts.nodes.flatMap(
      (a: any) => a.billingProfiles.nodes,
    );
    const types = new Set<string>();
    for (const profile of profiles) {
      const data = await query(
        stack.gatewayUrl,
        `query($id: ID!) { azureEvents(billingProfileId: $id, first: 100, startDate: "2025-01-01T00:00:00Z", endDate: "2027-01-01T00:00:00Z") {
          nodes { eventType lotSource } pageInfo { hasNextPage } } }`,
        { id: profile.id },
      );
      expect(data.azureEvents.pageInfo.hasNextPage, 'every event of the profile on one page').to.equal(false);
      for (const e of data.azureEvents.nodes) types.add(e.eventType).add(e.lotSource);
    }
    expect([...types]).to.include.members(['ExpiredCredit', 'AzurePrepayment', 'SettledCharges', 'PendingCharges', 'NewCredit', 'CreditExpired']);
  });

  it('`npm run ingest` prints every problem and exits 1 on a bad file', () => {
    const bad = path.join(dir, 'bad');
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'scripts', 'ingest.js'), bad], {
      env: { ...process.env, DATA_DIR: tempDir('ingest-cli') },
      encoding: 'utf8',
    });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.match(/Nothing was loaded: \d+ problem/);
    expect(run.stderr).to.contain('credits[0] initialAmount.currencyAmount');
    expect(run.stderr).to.match(/truncated\.json:1:\d+/);
  });
});

describe('an empty provider database', () => {
  it('is told apart from a loaded one (npm start loads the demo into empty ones only)', async () => {
    const dataDir = tempDir('empty-check');
    for (const ingest of PROVIDER_INGESTS) {
      const fresh = await ingest.openDatabase(dataDir);
      expect(await isDatabaseEmpty(fresh), `${ingest.provider} fresh`).to.equal(true);
      await fresh.destroy();
    }
    const result = await ingestFiles([path.join(REPO_ROOT, 'demo', 'aws')], dataDir, PROVIDER_INGESTS);
    expect(result.ok).to.equal(true);
    const [aws, azure] = await Promise.all(PROVIDER_INGESTS.map((i) => i.openDatabase(dataDir)));
    expect(await isDatabaseEmpty(aws)).to.equal(false);
    expect(await isDatabaseEmpty(azure)).to.equal(true);
    await aws.destroy();
    await azure.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});

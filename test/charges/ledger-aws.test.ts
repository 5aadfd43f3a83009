/**
 * Billing files through `ingestFiles` into real SQLite, applied to AWS credits: every expected
 * number below is worked out by hand in the comments, never by calling the engine.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../lib/platform/auth/principal';
import { BillingPeriodRow, ConsumerMonthRow, CreditBalanceRow } from '../../lib/store/storage';
import { ingestFiles, IngestResult } from '../../lib/store/ingest';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { openAwsDatabase } from '../../subgraphs/aws/store';
import { AwsCredit } from '../../subgraphs/aws/entities/credit';
import { AwsCreditAllocation } from '../../subgraphs/aws/entities/credit-allocation';
import { AwsCreditProvider } from '../../subgraphs/aws/provider';
import { tempDir } from '../support/stack';
import { PAYER, storedCharges, writeAwsBillingCsv } from './billing-files';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/aws');
const A = '444455556666'; // team-data (cost category value Product)
const B = '777788889999'; // team-web (Product)
const R = '123456789012'; // research-grant (GrantNSF)
const EC2 = { service: 'Amazon Elastic Compute Cloud', productCode: 'AmazonEC2' };
const S3 = { service: 'Amazon Simple Storage Service', productCode: 'AmazonS3' };
const FUNDING = 'arn:aws:ce::111122223333:costcategory/7d3a1c52-4b7e-4d8a-9f0e-2c6b5a4e3d21';
const PAYER_CALLER: Principal = { subject: 'payer', awsAccountIds: [PAYER], azureRoleAssignments: [] };

const epoch = (iso: string) => Date.parse(iso) / 1000;

function credit(id: string, amount: string, extra: Record<string, unknown> = {}) {
  return {
    creditId: id,
    accountId: PAYER,
    creditType: 'Promotion',
    description: `Test credit ${id}`,
    initialAmount: { currencyCode: 'USD', currencyAmount: amount },
    remainingAmount: { currencyCode: 'USD', currencyAmount: amount },
    applicableProductNames: [],
    startDate: epoch('2026-01-01T00:00:00Z'),
    endDate: epoch('2027-01-01T00:00:00Z'),
    creditSharingType: 'DEFAULT',
    creditStatus: 'ENABLED',
    ...extra,
  };
}

interface State {
  credits: Map<string, AwsCredit>;
  balances: Map<string, CreditBalanceRow>;
  allocations: AwsCreditAllocation[];
}

async function withDb<T>(dataDir: string, work: (db: DataSource) => Promise<T>): Promise<T> {
  const db = await openAwsDatabase(dataDir);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

function state(dataDir: string): Promise<State> {
  return withDb(dataDir, async (db) => ({
    credits: new Map((await db.manager.find(AwsCredit)).map((c) => [c.creditId, c])),
    balances: new Map((await db.manager.find(CreditBalanceRow)).map((b) => [b.creditId, b])),
    allocations: await db.manager.find(AwsCreditAllocation, { where: { superseded: false }, order: { billingMonth: 'ASC', creditId: 'ASC', accountId: 'ASC', appliedServiceName: 'ASC' } }),
  }));
}

/** remaining / estimated of a credit, as served. */
const served = (s: State, id: string) => [s.credits.get(id)!.remainingCurrencyAmount, s.credits.get(id)!.estimatedCurrencyAmount];
const rows = (s: State, id: string) =>
  s.allocations.filter((a) => a.creditId === id).map((a) => `${a.billingMonth} ${a.accountId} ${a.productCode} ${a.currencyAmount} ${a.isEstimatedBill ? 'est' : 'final'} ${a.origin}`);

function ok(result: IngestResult): void {
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
}

describe('applying AWS billing files to credits (ingest, SQLite)', () => {
  let dataDir: string;
  let files: string;

  const load = async (...paths: string[]) => ok(await ingestFiles(paths, dataDir, PROVIDER_INGESTS));
  const provider = <T>(work: (p: AwsCreditProvider) => Promise<T>) => withDb(dataDir, (db) => work(new AwsCreditProvider(db)));
  const writeCredits = (name: string, credits: unknown[]) => {
    const file = path.join(files, name);
    fs.writeFileSync(file, JSON.stringify({ credits }));
    return file;
  };

  beforeEach(async () => {
    dataDir = tempDir('ledger-aws');
    files = tempDir('ledger-aws-files');
    await load(path.join(FIXTURES, 'list-accounts.json'), path.join(FIXTURES, 'cost-category.json'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(files, { recursive: true, force: true });
  });

  it('replaces an overwritten estimate instead of adding to it, then moves the remaining balance when the month is final', async () => {
    await load(writeCredits('credits.json', [credit('91000000001', '1000.00')]));
    const month = (invoice: string | null, ec2: string) => writeAwsBillingCsv(files, '2026-10', invoice, [
      { account: A, ...EC2, day: 5, cost: ec2 },
      { account: B, ...S3, day: 6, cost: '50.00' },
    ]);

    // Estimated: 100.00 + 50.00 = 150.00 estimated, nothing final: remaining 1000.00, estimated 850.00.
    await load(month(null, '100.00'));
    let s = await state(dataDir);
    expect(served(s, '91000000001')).to.deep.equal(['1000.00', '850.00']);
    expect(rows(s, '91000000001')).to.deep.equal([`2026-10 ${A} AmazonEC2 -100.00 est COMPUTED`, `2026-10 ${B} AmazonS3 -50.00 est COMPUTED`]);

    // AWS overwrites the file during the month: 120.00 + 50.00 = 170.00 replaces 150.00 (never 320.00): 830.00.
    await load(month(null, '120.00'));
    s = await state(dataDir);
    expect(served(s, '91000000001')).to.deep.equal(['1000.00', '830.00']);
    expect(rows(s, '91000000001')).to.have.length(2);

    // The final file: 130.00 + 50.00 = 180.00 leaves 820.00 remaining, and no open month: estimated = remaining.
    await load(month('EUINUS26-000042', '130.00'));
    s = await state(dataDir);
    expect(served(s, '91000000001')).to.deep.equal(['820.00', '820.00']);
    expect(rows(s, '91000000001')).to.deep.equal([`2026-10 ${A} AmazonEC2 -130.00 final COMPUTED`, `2026-10 ${B} AmazonS3 -50.00 final COMPUTED`]);
    expect(s.balances.get('91000000001')).to.include({ openingBalance: '1000.00', remaining: '820.00', appliedFinal: '180.00', expired: '0.00' });

    // Loading the final file again changes nothing at all.
    const before = JSON.stringify(await state(dataDir), (_k, v) => (v instanceof Map ? [...v.entries()] : v));
    await load(month('EUINUS26-000042', '130.00'));
    expect(JSON.stringify(await state(dataDir), (_k, v) => (v instanceof Map ? [...v.entries()] : v))).to.equal(before);
    const periods = await withDb(dataDir, (db) => Promise.all([db.manager.count(BillingPeriodRow), storedCharges(db.manager).then((c) => c.length)]));
    expect(periods).to.deep.equal([1, 2]);
  });

  it('skips a paused credit at once, uses it again after activation, and keeps closed months as they were', async () => {
    // Both expire on the same day; C3 is restricted (CUSTOM: account A only), so it is used first.
    await load(writeCredits('credits.json', [credit('91000000001', '1000.00'), credit('91000000003', '300.00', { creditSharingType: 'CUSTOM', shareableAccounts: [A] })]));
    await load(writeAwsBillingCsv(files, '2026-10', 'INV-10', [{ account: A, ...EC2, day: 3, cost: '200.00' }]));
    await load(writeAwsBillingCsv(files, '2026-11', null, [{ account: A, ...EC2, day: 4, cost: '150.00' }]));
    // October (final): C3 pays 200.00 -> 100.00. November (estimated) 150.00: C3 its 100.00, C1 the other 50.00.
    let s = await state(dataDir);
    expect(served(s, '91000000003')).to.deep.equal(['100.00', '0.00']);
    expect(served(s, '91000000001')).to.deep.equal(['1000.00', '950.00']);

    // Paused on 2026-11-10: from the first open month (2026-11) C3 pays nothing, so C1 pays all 150.00.
    const paused = await provider((p) => p.pauseCredit(PAYER_CALLER, '91000000003', '2026-11-10T00:00:00.000Z'));
    expect(paused.userErrors).to.deep.equal([]);
    expect(paused.credit).to.deep.include({ status: 'PAUSED', estimatedBalance: { amount: '100.00', currencyCode: 'USD' } });
    s = await state(dataDir);
    expect(served(s, '91000000003')).to.deep.equal(['100.00', '100.00']);
    expect(served(s, '91000000001')).to.deep.equal(['1000.00', '850.00']);
    // The closed month keeps what C3 paid while it was active.
    expect(rows(s, '91000000003')).to.deep.equal([`2026-10 ${A} AmazonEC2 -200.00 final COMPUTED`]);

    // Activated again: back to 100.00 from C3 and 50.00 from C1.
    await provider((p) => p.activateCredit(PAYER_CALLER, '91000000003', '2026-11-12T00:00:00.000Z'));
    s = await state(dataDir);
    expect(served(s, '91000000003')).to.deep.equal(['100.00', '0.00']);
    expect(served(s, '91000000001')).to.deep.equal(['1000.00', '950.00']);

    // Paused again, then November becomes final: the pause holds for November, which it was made in.
    await provider((p) => p.pauseCredit(PAYER_CALLER, '91000000003', '2026-11-20T00:00:00.000Z'));
    await load(writeAwsBillingCsv(files, '2026-11', 'INV-11', [{ account: A, ...EC2, day: 4, cost: '150.00' }]));
    s = await state(dataDir);
    expect(served(s, '91000000003')).to.deep.equal(['100.00', '100.00']);
    expect(served(s, '91000000001')).to.deep.equal(['850.00', '850.00']);
  });

  it('lets a cost-category-shared credit pay only for the accounts its rule value holds', async () => {
    // C4 pays for GrantNSF (account R only) and expires first, so it would pay anything it may.
    await load(
      writeCredits('credits.json', [
        credit('91000000001', '1000.00'),
        credit('91000000004', '400.00', { creditSharingType: 'COST_CATEGORY_RULE', costCategoryArn: FUNDING, ruleName: 'GrantNSF', endDate: epoch('2026-12-01T00:00:00Z') }),
      ]),
    );
    await load(
      writeAwsBillingCsv(files, '2026-10', 'INV-10', [
        { account: R, ...EC2, day: 2, cost: '300.00' },
        { account: A, ...EC2, day: 2, cost: '200.00' },
        { account: B, ...S3, day: 2, cost: '25.50' },
        { account: PAYER, ...EC2, day: 2, cost: '10.00', payer: true },
      ]),
    );
    const s = await state(dataDir);
    // C4: R's 300.00 -> 100.00 left. C1: A 200.00 + B 25.50 + payer 10.00 = 235.50 -> 764.50.
    expect(served(s, '91000000004')).to.deep.equal(['100.00', '100.00']);
    expect(served(s, '91000000001')).to.deep.equal(['764.50', '764.50']);
    expect(rows(s, '91000000004')).to.deep.equal([`2026-10 ${R} AmazonEC2 -300.00 final COMPUTED`]);
    const months = await withDb(dataDir, (db) => db.manager.find(ConsumerMonthRow, { order: { consumerId: 'ASC' } }));
    expect(months.map((m) => [m.consumerId, m.charges, m.creditsApplied, m.net])).to.deep.equal([
      [PAYER, '10.00', '10.00', '0.00'],
      [R, '300.00', '300.00', '0.00'],
      [A, '200.00', '200.00', '0.00'],
      [B, '25.50', '25.50', '0.00'],
    ]);
  });

  it('pays partly when a balance runs out, stops paying after expiry, and moves what is left to expired', async () => {
    await load(
      writeCredits('credits.json', [
        credit('91000000005', '100.00', { endDate: epoch('2026-10-15T00:00:00Z') }),
        credit('91000000006', '50.00', { applicableProductNames: [S3.service] }),
      ]),
    );
    await load(
      writeAwsBillingCsv(files, '2026-10', 'INV-10', [
        { account: A, ...EC2, day: 1, cost: '30.00' },
        { account: A, ...S3, day: 3, cost: '70.00' },
        { account: A, ...EC2, day: 20, cost: '40.00' },
      ]),
    );
    const s = await state(dataDir);
    // C5 expires first, so it pays first: EC2 30.00 on the 1st -> 70.00 left; S3 70.00 on the 3rd -> 0.00 (C6 gets nothing).
    // The EC2 charge of the 20th comes after C5 expired, and C6 pays only S3: nobody pays it. C6 keeps 50.00.
    expect(served(s, '91000000005')).to.deep.equal(['0.00', '0.00']);
    expect(s.balances.get('91000000005')).to.include({ appliedFinal: '100.00', expired: '0.00' });
    expect(served(s, '91000000006')).to.deep.equal(['50.00', '50.00']);
    expect(s.credits.get('91000000005')!.exhaustDate).to.equal('2026-10-31T00:00:00.000Z');

    // With less usage before the expiry, the rest expires: 100.00 - 30.00 = 70.00 expired, remaining 0.
    await load(writeAwsBillingCsv(files, '2026-10', 'INV-10', [{ account: A, ...EC2, day: 1, cost: '30.00' }, { account: A, ...EC2, day: 20, cost: '40.00' }]));
    const t = await state(dataDir);
    expect(t.balances.get('91000000005')).to.include({ remaining: '0.00', appliedFinal: '30.00', expired: '70.00' });
    expect(t.credits.get('91000000005')!.expiredAmount).to.equal('70.00');
  });

  it('never applies the months an imported allocation history covers a second time', async () => {
    // GetCredits says 600.00 left of 1000.00, and the history has its final September: the snapshot covers up to 2026-09.
    await load(writeCredits('credits.json', [credit('91000000001', '1000.00', { remainingAmount: { currencyCode: 'USD', currencyAmount: '600.00' } })]));
    const history = path.join(files, 'history.json');
    fs.writeFileSync(
      history,
      JSON.stringify({
        creditAllocationHistoryList: [
          { creditId: '91000000001', creditAmount: { currencyCode: 'USD', currencyAmount: '-400.00' }, accountId: A, appliedServiceName: EC2.service, billingMonth: '2026-09', isEstimatedBill: false },
          { creditId: '91000000001', creditAmount: { currencyCode: 'USD', currencyAmount: '-10.00' }, accountId: A, appliedServiceName: EC2.service, billingMonth: '2026-10', isEstimatedBill: true },
        ],
      }),
    );
    await load(history);
    await load(writeAwsBillingCsv(files, '2026-09', 'INV-09', [{ account: A, ...EC2, day: 3, cost: '400.00' }]));
    await load(writeAwsBillingCsv(files, '2026-10', null, [{ account: A, ...EC2, day: 3, cost: '25.00' }]));
    const s = await state(dataDir);
    // September is the snapshot's: not applied again. October's billing file replaces the imported 10.00 estimate: 600.00 - 25.00.
    expect(served(s, '91000000001')).to.deep.equal(['600.00', '575.00']);
    expect(rows(s, '91000000001')).to.deep.equal([`2026-09 ${A}  -400.00 final IMPORTED`, `2026-10 ${A} AmazonEC2 -25.00 est COMPUTED`]);
    expect(s.balances.get('91000000001')!.openingMonth).to.equal('2026-10');
    // Month-to-date is this product's only for the months it computed: September is the snapshot's.
    const months = await withDb(dataDir, (db) => db.manager.find(ConsumerMonthRow));
    expect(months.map((m) => m.month)).to.deep.equal(['2026-10']);
  });

  it('holds a newer GetCredits snapshot as of the last closed month loaded, and a reload of it changes nothing', async () => {
    await load(writeCredits('credits.json', [credit('91000000001', '1000.00')]));
    await load(writeAwsBillingCsv(files, '2026-10', 'INV-10', [{ account: A, ...EC2, day: 3, cost: '200.00' }]));
    // AWS's own figure after October's bill: 800.00. It includes October, so October is not applied again (not 600.00).
    const newer = writeCredits('newer.json', [credit('91000000001', '1000.00', { remainingAmount: { currencyCode: 'USD', currencyAmount: '800.00' } })]);
    await load(newer);
    let s = await state(dataDir);
    // No billing month after the snapshot yet: the file's figures are served (it gives no estimate).
    expect(served(s, '91000000001')).to.deep.equal(['800.00', null]);
    expect(s.credits.get('91000000001')!.snapshotThrough).to.equal('2026-10');
    // November (estimated) 50.00 applies to the new snapshot: 750.00.
    await load(writeAwsBillingCsv(files, '2026-11', null, [{ account: A, ...EC2, day: 3, cost: '50.00' }]));
    await load(newer);
    s = await state(dataDir);
    expect(served(s, '91000000001')).to.deep.equal(['800.00', '750.00']);
    expect(s.balances.get('91000000001')).to.include({ openingMonth: '2026-11', openingBalance: '800.00' });
  });

  it('keeps closed months when a file pauses a credit: the pause holds from the first open month', async () => {
    await load(writeCredits('credits.json', [credit('91000000001', '1000.00'), credit('91000000002', '500.00', { endDate: epoch('2026-12-31T00:00:00Z') })]));
    // October: C2 expires first and pays A's 200.00 -> 300.00.
    await load(writeAwsBillingCsv(files, '2026-10', 'INV-10', [{ account: A, ...EC2, day: 3, cost: '200.00' }]));
    await load(writeCredits('paused.json', [credit('91000000001', '1000.00'), credit('91000000002', '500.00', { endDate: epoch('2026-12-31T00:00:00Z'), creditStatus: 'DISABLED' })]));
    await load(writeAwsBillingCsv(files, '2026-11', null, [{ account: A, ...EC2, day: 3, cost: '100.00' }]));
    const s = await state(dataDir);
    // October keeps what C2 paid while active; November's 100.00 goes to C1.
    expect(served(s, '91000000002')).to.deep.equal(['300.00', '300.00']);
    expect(served(s, '91000000001')).to.deep.equal(['1000.00', '900.00']);
  });

  it('keeps closed months when a pause arrives with a clock before them', async () => {
    await load(writeCredits('credits.json', [credit('91000000001', '1000.00')]));
    await load(writeAwsBillingCsv(files, '2026-09', 'INV-09', [{ account: A, ...EC2, day: 3, cost: '100.00' }]));
    await load(writeAwsBillingCsv(files, '2026-10', 'INV-10', [{ account: A, ...EC2, day: 3, cost: '200.00' }]));
    await provider((p) => p.pauseCredit(PAYER_CALLER, '91000000001', '2026-09-15T00:00:00.000Z'));
    // 1000.00 - 100.00 - 200.00: both closed months stay applied; the pause holds from 2026-11.
    const s = await state(dataDir);
    expect(served(s, '91000000001')).to.deep.equal(['700.00', '700.00']);
  });

  it('refuses an estimated file for a month that is already final, changing nothing', async () => {
    await load(writeCredits('credits.json', [credit('91000000001', '1000.00')]));
    await load(writeAwsBillingCsv(files, '2026-10', 'INV-10', [{ account: A, ...EC2, day: 3, cost: '200.00' }]));
    const result = await ingestFiles([writeAwsBillingCsv(files, '2026-10', null, [{ account: A, ...EC2, day: 3, cost: '100.00' }], 'old-estimate.csv')], dataDir, PROVIDER_INGESTS);
    expect(result.ok).to.equal(false);
    expect(result.ok ? '' : result.problems[0].reason).to.match(/2026-10 of 111122223333 is already final \(invoice INV-10/);
    expect(served(await state(dataDir), '91000000001')).to.deep.equal(['800.00', '800.00']);
  });

  it('gives back the snapshot balances of a credit whose account moves to an organization without billing files', async () => {
    await load(writeCredits('credits.json', [credit('91000000009', '1000.00', { accountId: A })]));
    await load(writeAwsBillingCsv(files, '2026-10', 'INV-10', [{ account: A, ...EC2, day: 3, cost: '100.00' }]));
    expect(served(await state(dataDir), '91000000009')).to.deep.equal(['900.00', '900.00']);
    const moved = path.join(files, 'moved.json');
    fs.writeFileSync(
      moved,
      JSON.stringify({ Accounts: [{ Id: A, Arn: `arn:aws:organizations::555566667777:account/o-otherorg22/${A}`, Name: 'team-data', Email: 'data@example.com', Status: 'ACTIVE' }] }),
    );
    await load(moved);
    const s = await state(dataDir);
    // The file's figures again (it gives no estimate), and no computed history.
    expect(served(s, '91000000009')).to.deep.equal(['1000.00', null]);
    expect(rows(s, '91000000009')).to.deep.equal([]);
  });

  it('rejects a malformed billing file whole, with line and column, and changes nothing', async () => {
    await load(writeCredits('credits.json', [credit('91000000001', '1000.00')]));
    await load(writeAwsBillingCsv(files, '2026-10', 'INV-10', [{ account: A, ...EC2, day: 3, cost: '200.00' }]));
    const before = await state(dataDir);
    const good = writeAwsBillingCsv(files, '2026-11', null, [{ account: A, ...EC2, day: 3, cost: '1.00' }]);
    const bad = writeAwsBillingCsv(files, '2026-11', null, [{ account: A, ...EC2, day: 3, cost: '1.00' }, { account: B, ...EC2, day: 4, cost: '12,50' }], 'broken.csv');
    const result = await ingestFiles([good, bad], dataDir, PROVIDER_INGESTS);
    expect(result.ok).to.equal(false);
    const problems = result.ok ? [] : result.problems;
    // Line 3 (header, then the first line item), column 25 (CostBeforeTax).
    expect(problems.some((p) => p.file === bad && p.line === 3 && p.column === 25 && p.field === 'CostBeforeTax')).to.equal(true, JSON.stringify(problems));
    expect(JSON.stringify(await state(dataDir), (_k, v) => (v instanceof Map ? [...v.entries()] : v))).to.equal(
      JSON.stringify(before, (_k, v) => (v instanceof Map ? [...v.entries()] : v)),
    );
    const stored = await withDb(dataDir, (db) => Promise.all([db.manager.find(BillingPeriodRow), storedCharges(db.manager).then((c) => c.length), db.manager.count(ConsumerMonthRow)]));
    expect([stored[0].map((p) => p.month), stored[1], stored[2]]).to.deep.equal([['2026-10'], 1, 1]);
  });
});

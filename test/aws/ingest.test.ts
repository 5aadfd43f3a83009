/** Ingest tests of every AWS format: exact values, idempotent reloads, replacement, lenient enums, whole-file rejection. */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { formatProblem, ingestFiles, IngestProblem } from '../../lib/store/ingest';
import { openAwsDatabase } from '../../subgraphs/aws/store';
import { AwsAccount } from '../../subgraphs/aws/entities/account';
import { AwsCostCategory } from '../../subgraphs/aws/entities/cost-category';
import { AwsCredit } from '../../subgraphs/aws/entities/credit';
import { AwsCreditAllocation } from '../../subgraphs/aws/entities/credit-allocation';
import { awsIngest } from '../../subgraphs/aws/ingest';
import { AwsCreditProvider } from '../../subgraphs/aws/provider';
import { ALL_FIXTURES, CALLERS, fixture, loadFiles, loadFixtures, NOW, readFixture, tempDir, writeFile } from './support';

async function withDatabase<T>(dataDir: string, read: (db: DataSource) => Promise<T>): Promise<T> {
  const db = await openAwsDatabase(dataDir);
  try {
    return await read(db);
  } finally {
    await db.destroy();
  }
}

async function rowCounts(dataDir: string): Promise<number[]> {
  return withDatabase(dataDir, (db) => Promise.all([AwsAccount, AwsCredit, AwsCreditAllocation, AwsCostCategory].map((e) => db.manager.count(e))));
}

/** Ingests the files expecting rejection; returns the problems as "file entry field: reason" lines without the folder. */
async function rejected(dataDir: string, files: string[]): Promise<{ problems: IngestProblem[]; lines: string[] }> {
  const result = await ingestFiles(files, dataDir, [awsIngest]);
  expect(result.ok, 'the ingest should have been rejected').to.equal(false);
  const problems = result.ok ? [] : result.problems;
  return { problems, lines: problems.map((p) => formatProblem({ ...p, file: p.file.split('/').pop()! })) };
}

describe('AWS ingest', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDir();
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('recognises every format by its shape and reports entry counts', async () => {
    const result = await ingestFiles(ALL_FIXTURES.map(fixture), dataDir, [awsIngest]);
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.loaded.map((l) => [l.file.split('/').pop(), l.format, l.entries])).to.deep.equal([
      ['list-accounts.json', 'AWS Organizations ListAccounts output', 5],
      ['other-org-accounts.json', 'AWS Organizations ListAccounts output', 2],
      ['cost-category.json', 'AWS Cost Explorer cost category definition', 1],
      ['cost-category-wrapped.json', 'AWS Cost Explorer cost category definition', 1],
      ['get-credits.json', 'AWS Billing GetCredits response', 7],
      ['get-credit-allocation-history.json', 'AWS Billing GetCreditAllocationHistory response', 4],
    ]);
  });

  it('reads epoch timestamps with a fraction, as AWS\'s JSON protocol writes them, to the millisecond', async () => {
    const accounts = readFixture('list-accounts.json');
    accounts.Accounts = [{ ...accounts.Accounts[0], JoinedTimestamp: 1706779800.1234567 }];
    await loadFiles(dataDir, [writeFile(dataDir, 'raw-accounts.json', accounts)]);
    const [account] = await withDatabase(dataDir, (db) => db.manager.find(AwsAccount));
    expect(account.joinedTimestamp).to.equal('2024-02-01T09:30:00.123Z');
    // The exponent form AWS's API reference examples use (JSON.stringify would not write it).
    const exponent = path.join(dataDir, 'exponent-accounts.json');
    fs.writeFileSync(exponent, JSON.stringify(accounts).replace('1706779800.1234567', '1.7067798001234567E9'));
    expect(fs.readFileSync(exponent, 'utf8')).to.contain('1.7067798001234567E9');
    await loadFiles(dataDir, [exponent]);
    const [again] = await withDatabase(dataDir, (db) => db.manager.find(AwsAccount));
    expect(again.joinedTimestamp).to.equal('2024-02-01T09:30:00.123Z');
    const { lines } = await rejected(dataDir, [writeFile(dataDir, 'bad.json', { ...accounts, Accounts: [{ ...accounts.Accounts[0], JoinedTimestamp: -5 }] })]);
    expect(lines[0], lines[0]).to.match(/JoinedTimestamp: must be a date in epoch seconds \(e\.g\. 1767225600, 1767225600\.123 or 1\.767225600123E9\), got the number -5/);
  });

  describe('ListAccounts', () => {
    it('derives the payer and organization from the ARN and accepts ISO and epoch timestamps', async () => {
      await loadFixtures(dataDir, ['list-accounts.json', 'other-org-accounts.json']);
      const accounts = await withDatabase(dataDir, (db) => db.manager.find(AwsAccount, { order: { accountId: 'ASC' } }));
      const payer = accounts.find((a) => a.accountId === '111122223333')!;
      expect(payer).to.deep.include({
        name: 'Example Corp',
        email: 'billing@example.com',
        status: 'ACTIVE',
        joinedMethod: 'CREATED',
        joinedTimestamp: '2024-02-01T09:30:00.000Z',
        payerAccountId: '111122223333',
        organizationId: 'o-exampleorg1',
        isPayer: true,
      });
      const data = accounts.find((a) => a.accountId === '444455556666')!;
      expect(data).to.deep.include({ payerAccountId: '111122223333', isPayer: false, joinedTimestamp: '2024-06-01T10:00:00.000Z' });
      expect(accounts.find((a) => a.accountId === '210987654321')!.status).to.equal('PENDING_CLOSURE');
      expect(accounts.find((a) => a.accountId === '999988887777')).to.deep.include({ status: 'ACTIVE', organizationId: 'o-otherorg22' });
    });

    it('rejects bad ids and ARNs, naming entry and field', async () => {
      const file = writeFile(dataDir, 'accounts.json', {
        Accounts: [
          { Id: '12345', Arn: 'arn:aws:organizations::111122223333:account/o-exampleorg1/12345', Name: 'short' },
          { Id: '444455556666', Arn: 'arn:aws:organizations::111122223333:account/o-exampleorg1/777788889999', Name: 'mismatch' },
          { Id: '777788889999', Arn: 'not-an-arn', Name: 'bad arn', JoinedTimestamp: 'yesterday' },
          { Id: '777788889999', Arn: 'arn:aws:organizations::111122223333:account/o-exampleorg1/777788889999' },
        ],
      });
      const { lines } = await rejected(dataDir, [file]);
      expect(lines).to.deep.equal([
        'accounts.json Accounts[0] Id: must be a 12-digit AWS account id, got "12345"',
        'accounts.json Accounts[0] Arn: must be arn:aws:organizations::<management account>:account/<o-organization>/<account>, got "arn:aws:organizations::111122223333:account/o-exampleorg1/12345"',
        'accounts.json Accounts[1] Arn: names account 777788889999, not the entry\'s Id 444455556666',
        'accounts.json Accounts[2] JoinedTimestamp: is not an ISO-8601 date: "yesterday"',
        'accounts.json Accounts[2] Arn: must be arn:aws:organizations::<management account>:account/<o-organization>/<account>, got "not-an-arn"',
        'accounts.json Accounts[3] Name: is required',
      ]);
    });
  });

  describe('GetCredits', () => {
    it('keeps every field exactly, unknown enum values included', async () => {
      await loadFixtures(dataDir, ['get-credits.json']);
      const credits = await withDatabase(dataDir, (db) => db.manager.find(AwsCredit, { order: { creditId: 'ASC' } }));
      expect(credits).to.have.length(7);
      const first = credits[0];
      expect(first.initialAmount).to.deep.equal({ currencyCode: 'USD', currencyAmount: '10000.00' });
      expect(first.remainingAmount).to.deep.equal({ currencyCode: 'USD', currencyAmount: '6250.4012345678' });
      expect(first.estimatedAmount).to.deep.equal({ currencyCode: 'USD', currencyAmount: '5900.1000000000' });
      expect(first).to.deep.include({
        creditType: 'Promotion',
        startDate: '2026-01-01T00:00:00.000Z',
        endDate: '2027-01-01T00:00:00.000Z',
        exhaustDate: null,
        applicationType: 'BEFORE_CROSS_SERVICE_DISCOUNTS',
        accountHasCreditSharingEnabled: true,
        creditConsoleVisibility: 'VISIBLE',
        sortExpiresAt: '2027-01-01T00:00:00.000Z',
      });
      expect(first.purchaseTypeApplications).to.deep.equal(['OnDemand', 'SavingsPlans']);
      expect(first.applicableProductNames).to.deep.equal(['Amazon Elastic Compute Cloud', 'Amazon Simple Storage Service']);
      expect(credits[1]).to.deep.include({ creditSharingType: 'COST_CATEGORY_RULE', ruleName: 'GrantNSF', purchaseTypeApplications: null });
      expect(credits[3].shareableAccounts).to.deep.equal(['444455556666', '777788889999']);
      expect(credits[4]).to.deep.include({ exhaustDate: '2026-09-15T00:00:00.000Z', remainingCurrencyAmount: '0.00' });
      expect(credits[5].initialAmount).to.deep.equal({ currencyCode: 'EUR', currencyAmount: '2000.000' });
      expect(credits[6]).to.deep.include({ creditType: 'PurchasedCredit', creditSharingType: 'SHARED_WITH_PARTNERS', endDate: null, sortExpiresAt: '~' });
    });

    it('loads the same file twice without change and replaces an entry by a newer version', async () => {
      await loadFixtures(dataDir);
      const before = await rowCounts(dataDir);
      await loadFixtures(dataDir);
      expect(await rowCounts(dataDir)).to.deep.equal(before);
      expect(before).to.deep.equal([7, 7, 4, 2]);

      const newer = readFixture('get-credits.json');
      newer.credits = [{ ...newer.credits[0], remainingAmount: { currencyCode: 'USD', currencyAmount: '6000.10' }, creditStatus: 'DISABLED' }];
      await ingestFiles([writeFile(dataDir, 'newer.json', newer)], dataDir, [awsIngest]);
      const credit = await withDatabase(dataDir, (db) => db.manager.findOneByOrFail(AwsCredit, { creditId: '90000000001' }));
      expect(credit).to.deep.include({ remainingCurrencyAmount: '6000.10', creditStatus: 'DISABLED', sortRemaining: '00000000000000006000.10000000000000000000' });
      expect(await rowCounts(dataDir)).to.deep.equal(before);
    });

    it('keeps the status and sharing a user set through this product when reloading, and updates everything else', async () => {
      await loadFixtures(dataDir);
      await withDatabase(dataDir, async (db) => {
        const provider = new AwsCreditProvider(db);
        expect((await provider.pauseCredit(CALLERS.payer, '90000000001', NOW)).userErrors).to.deep.equal([]);
        expect((await provider.activateCredit(CALLERS.payer, '90000000003', NOW)).userErrors).to.deep.equal([]);
        const shared = await provider.shareCredit(CALLERS.payer, { providerCreditId: '90000000002', scope: 'ACCOUNTS', accountIds: ['444455556666'], now: NOW });
        expect(shared.userErrors).to.deep.equal([]);
      });
      const newer = readFixture('get-credits.json');
      const changed = (c: any) => ({ ...c, description: `${c.description} (renewed)`, remainingAmount: { currencyCode: c.remainingAmount.currencyCode, currencyAmount: '10.00' } });
      newer.credits = newer.credits.map(changed);
      await loadFiles(dataDir, [writeFile(dataDir, 'newer.json', newer)]);
      const rows = await withDatabase(dataDir, (db) => db.manager.find(AwsCredit, { order: { creditId: 'ASC' } }));
      const byId = new Map(rows.map((r) => [r.creditId, r]));
      // Product-set controls stay; everything else follows the file.
      expect(byId.get('90000000001')).to.deep.include({ creditStatus: 'DISABLED', creditSharingType: 'DEFAULT', controlsChangedAt: NOW, remainingCurrencyAmount: '10.00' });
      expect(byId.get('90000000003')).to.deep.include({ creditStatus: 'ENABLED', controlsChangedAt: NOW, description: 'Service credit - EC2 SLA event (renewed)' });
      expect(byId.get('90000000002')).to.deep.include({
        creditStatus: 'ENABLED',
        creditSharingType: 'CUSTOM',
        shareableAccounts: ['444455556666'],
        costCategoryArn: null,
        ruleName: null,
        controlsChangedAt: NOW,
        sortRemaining: '00000000000000000010.00000000000000000000',
        searchText: 'research credits - nsf grant 2026 (renewed)\n90000000002\npromotion',
      });
      // A credit never changed here takes the file's status and sharing.
      newer.credits = [{ ...newer.credits[3], creditStatus: 'DISABLED', creditSharingType: 'DISABLED', shareableAccounts: undefined }];
      await loadFiles(dataDir, [writeFile(dataDir, 'newest.json', newer)]);
      const untouched = await withDatabase(dataDir, (db) => db.manager.findOneByOrFail(AwsCredit, { creditId: '90000000004' }));
      expect(untouched).to.deep.include({ creditStatus: 'DISABLED', creditSharingType: 'DISABLED', shareableAccounts: null, controlsChangedAt: null });
    });

    it('keeps the stored creditStatus when an entry has none, and reads ENABLED for a new credit', async () => {
      await loadFixtures(dataDir, ['get-credits.json']);
      const doc = readFixture('get-credits.json');
      const withoutStatus = ({ creditStatus: _, ...c }: any) => c;
      doc.credits = [withoutStatus(doc.credits[2]), withoutStatus({ ...doc.credits[0], creditId: '90000000099' })];
      await loadFiles(dataDir, [writeFile(dataDir, 'no-status.json', doc)]);
      const [paused, fresh] = await withDatabase(dataDir, (db) => db.manager.find(AwsCredit, { where: [{ creditId: '90000000003' }, { creditId: '90000000099' }], order: { creditId: 'ASC' } }));
      expect(paused.creditStatus).to.equal('DISABLED');
      expect(fresh.creditStatus).to.equal('ENABLED');
    });

    it('rejects negative credit amounts and accepts zero', async () => {
      const doc = readFixture('get-credits.json');
      const amount = (currencyAmount: string) => ({ currencyCode: 'USD', currencyAmount });
      doc.credits = [
        { ...doc.credits[0], initialAmount: amount('-10000.00'), remainingAmount: amount('-0.01'), estimatedAmount: amount('-5') },
        { ...doc.credits[1], remainingAmount: amount('-0.00'), estimatedAmount: amount('0') },
      ];
      const { lines } = await rejected(dataDir, [writeFile(dataDir, 'negative.json', doc)]);
      expect(lines).to.deep.equal([
        'negative.json credits[0] initialAmount.currencyAmount: must not be negative (AWS writes credit amounts as zero or more), got "-10000.00"',
        'negative.json credits[0] remainingAmount.currencyAmount: must not be negative (AWS writes credit amounts as zero or more), got "-0.01"',
        'negative.json credits[0] estimatedAmount.currencyAmount: must not be negative (AWS writes credit amounts as zero or more), got "-5"',
      ]);
      doc.credits = [doc.credits[1]];
      await loadFiles(dataDir, [writeFile(dataDir, 'zero.json', doc)]);
      const credit = await withDatabase(dataDir, (db) => db.manager.findOneByOrFail(AwsCredit, { creditId: '90000000002' }));
      expect(credit).to.deep.include({ remainingCurrencyAmount: '0.00', estimatedCurrencyAmount: '0' });
    });

    it('refuses a remaining or estimated amount above the initial one, and accepts them equal', async () => {
      const doc = readFixture('get-credits.json');
      const amount = (currencyAmount: string) => ({ currencyCode: 'USD', currencyAmount });
      const [first, second] = doc.credits;
      doc.credits = [
        { ...first, initialAmount: amount('100.00'), remainingAmount: amount('100.01'), estimatedAmount: amount('250') },
        { ...second, initialAmount: amount('100.00'), remainingAmount: amount('100.000'), estimatedAmount: amount('100') },
      ];
      const { lines } = await rejected(dataDir, [writeFile(dataDir, 'above.json', doc)]);
      expect(lines).to.deep.equal([
        'above.json credits[0] remainingAmount.currencyAmount: is 100.01, above initialAmount.currencyAmount (100.00): a credit never holds more than it was given',
        'above.json credits[0] estimatedAmount.currencyAmount: is 250, above initialAmount.currencyAmount (100.00): a credit never holds more than it was given',
      ]);
      expect(await rowCounts(dataDir)).to.deep.equal([0, 0, 0, 0]);
      doc.credits = [doc.credits[1]];
      await loadFiles(dataDir, [writeFile(dataDir, 'equal.json', doc)]);
    });

    it('refuses the amounts of one credit in different currencies', async () => {
      const doc = readFixture('get-credits.json');
      const [first, second] = doc.credits;
      doc.credits = [
        { ...first, remainingAmount: { ...first.remainingAmount, currencyCode: 'EUR' }, estimatedAmount: { ...first.estimatedAmount, currencyCode: 'GBP' } },
        // Amounts that do not agree are not compared: 900 JPY is not above 10 USD, nor below it.
        { ...second, initialAmount: { currencyCode: 'USD', currencyAmount: '10' }, remainingAmount: { currencyCode: 'JPY', currencyAmount: '900' } },
      ];
      const { lines } = await rejected(dataDir, [writeFile(dataDir, 'currencies.json', doc)]);
      expect(lines).to.deep.equal([
        'currencies.json credits[0] remainingAmount.currencyCode: is "EUR" but initialAmount.currencyCode is "USD" (the amounts of one credit are in one currency)',
        'currencies.json credits[0] estimatedAmount.currencyCode: is "GBP" but initialAmount.currencyCode is "USD" (the amounts of one credit are in one currency)',
        'currencies.json credits[1] remainingAmount.currencyCode: is "JPY" but initialAmount.currencyCode is "USD" (the amounts of one credit are in one currency)',
      ]);
    });

    it('refuses an end or an exhaust date before the start, and accepts an end on the start', async () => {
      const doc = readFixture('get-credits.json');
      const [first, second, third] = doc.credits;
      doc.credits = [
        { ...first, startDate: 1767225600, endDate: 1767225599 },
        { ...second, startDate: '2026-03-01T00:00:00Z', endDate: '2026-02-28T23:59:59Z', exhaustDate: '2026-01-15T00:00:00Z' },
        { ...third, startDate: 1775001600, endDate: '2026-04-01T00:00:00Z', exhaustDate: 1775001600 },
      ];
      const { lines } = await rejected(dataDir, [writeFile(dataDir, 'dates.json', doc)]);
      expect(lines).to.deep.equal([
        'dates.json credits[0] endDate: is 2025-12-31T23:59:59.000Z, before startDate (2026-01-01T00:00:00.000Z): a range cannot end before it starts',
        'dates.json credits[1] endDate: is 2026-02-28T23:59:59.000Z, before startDate (2026-03-01T00:00:00.000Z): a range cannot end before it starts',
        'dates.json credits[1] exhaustDate: is 2026-01-15T00:00:00.000Z, before startDate (2026-03-01T00:00:00.000Z): a range cannot end before it starts',
      ]);
      doc.credits = [doc.credits[2]];
      await loadFiles(dataDir, [writeFile(dataDir, 'same-day.json', doc)]);
    });

    it('refuses currency codes not shaped as ISO 4217 codes, in credits and in allocation history', async () => {
      const doc = readFixture('get-credits.json');
      const [first, second] = doc.credits;
      const code = (c: any, currencyCode: string) => ({ ...c, initialAmount: { ...c.initialAmount, currencyCode }, remainingAmount: { ...c.remainingAmount, currencyCode }, estimatedAmount: undefined });
      doc.credits = [code(first, 'usd'), code(second, 'US$')];
      const history = readFixture('get-credit-allocation-history.json');
      history.creditAllocationHistoryList = [{ ...history.creditAllocationHistoryList[0], creditAmount: { currencyCode: 'DOLLAR', currencyAmount: '-1.00' } }];
      const { lines } = await rejected(dataDir, [writeFile(dataDir, 'codes.json', doc), writeFile(dataDir, 'history.json', history)]);
      const reason = (text: string) => `${JSON.stringify(text)} is not an ISO 4217 currency code (three capital letters A-Z, such as "USD")`;
      expect(lines).to.deep.equal([
        `codes.json credits[0] initialAmount.currencyCode: ${reason('usd')}`,
        `codes.json credits[0] remainingAmount.currencyCode: ${reason('usd')}`,
        `codes.json credits[1] initialAmount.currencyCode: ${reason('US$')}`,
        `codes.json credits[1] remainingAmount.currencyCode: ${reason('US$')}`,
        `history.json creditAllocationHistoryList[0] creditAmount.currencyCode: ${reason('DOLLAR')}`,
      ]);
    });

    it('refuses control characters (C0, DEL, C1) in any text field, and keeps other Unicode text', async () => {
      const doc = readFixture('get-credits.json');
      const [first, second, third] = doc.credits;
      doc.credits = [
        { ...first, description: 'Founders\ncredits', creditType: 'Promo\u0000tion' },
        { ...second, applicableProductNames: ['Amazon EC2', 'Amazon\tS3'], creditConsoleVisibility: 'VISIBLE\u007f' },
        { ...third, ruleName: 'rule\u0085', description: 'Crédits de service – EC2 ✓' },
      ];
      const accounts = readFixture('list-accounts.json');
      accounts.Accounts[1].Name = '\u001b[31mteam-data';
      const { lines } = await rejected(dataDir, [writeFile(dataDir, 'accounts.json', accounts), writeFile(dataDir, 'control.json', doc)]);
      const reason = (code: string, at: number) => `holds the control character U+${code} at character ${at}; text may not hold control characters (C0, DEL or C1)`;
      expect(lines).to.deep.equal([
        `accounts.json Accounts[1] Name: ${reason('001B', 1)}`,
        `control.json credits[0] creditType: ${reason('0000', 6)}`,
        `control.json credits[0] description: ${reason('000A', 9)}`,
        `control.json credits[1] applicableProductNames[1]: ${reason('0009', 7)}`,
        `control.json credits[1] creditConsoleVisibility: ${reason('007F', 8)}`,
        `control.json credits[2] ruleName: ${reason('0085', 5)}`,
      ]);
      doc.credits = [{ ...third, description: 'Crédits de service – EC2 ✓' }];
      await loadFiles(dataDir, [writeFile(dataDir, 'unicode.json', doc)]);
      const credit = await withDatabase(dataDir, (db) => db.manager.findOneByOrFail(AwsCredit, { creditId: third.creditId }));
      expect(credit.description).to.equal('Crédits de service – EC2 ✓');
    });

    it('accepts ISO timestamps as the AWS CLI prints them', async () => {
      const doc = readFixture('get-credits.json');
      doc.credits = [{ ...doc.credits[0], startDate: '2026-01-01T00:00:00+00:00', endDate: '2027-01-01T00:00:00Z' }];
      await ingestFiles([writeFile(dataDir, 'cli.json', doc)], dataDir, [awsIngest]);
      const credit = await withDatabase(dataDir, (db) => db.manager.findOneByOrFail(AwsCredit, { creditId: '90000000001' }));
      expect([credit.startDate, credit.endDate]).to.deep.equal(['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    });

    it('rejects a bad file whole, listing every problem, and writes nothing', async () => {
      const good = readFixture('get-credits.json').credits[0];
      const bad = writeFile(
        dataDir,
        'bad-credits.json',
        `{ "credits": [
          ${JSON.stringify(good)},
          { "creditId": "CR-1", "accountId": "1111", "creditType": "Promotion", "description": "x",
            "initialAmount": { "currencyCode": "USD", "currencyAmount": 100.5 },
            "remainingAmount": { "currencyCode": "USD", "currencyAmount": "1e3" }, "startDate": "soon" },
          { "creditId": "90000000002", "accountId": "111122223333", "creditType": "Promotion",
            "initialAmount": { "currencyCode": "USD" }, "remainingAmount": { "currencyCode": "USD", "currencyAmount": "1.00" },
            "startDate": 1767225600, "creditSharingType": "COST_CATEGORY_RULE", "shareableAccounts": ["123"] },
          ${JSON.stringify(good)}
        ] }`,
      );
      const { lines } = await rejected(dataDir, [fixture('list-accounts.json'), bad]);
      expect(lines).to.deep.equal([
        'bad-credits.json credits[1] creditId: must be a numeric credit id written as a string, got "CR-1"',
        'bad-credits.json credits[1] accountId: must be a 12-digit AWS account id, got "1111"',
        'bad-credits.json credits[1] initialAmount.currencyAmount: must be a decimal string such as "12.50", got the number 100.5',
        'bad-credits.json credits[1] remainingAmount.currencyAmount: "1e3" is not a decimal number (digits, an optional point and fraction)',
        'bad-credits.json credits[1] startDate: is not an ISO-8601 date: "soon"',
        'bad-credits.json credits[2] description: is required',
        'bad-credits.json credits[2] initialAmount.currencyAmount: is required',
        'bad-credits.json credits[2] costCategoryArn: is required when creditSharingType is COST_CATEGORY_RULE',
        'bad-credits.json credits[2] ruleName: is required when creditSharingType is COST_CATEGORY_RULE',
        'bad-credits.json credits[2] shareableAccounts[0]: must be a 12-digit AWS account id, got "123"',
        'bad-credits.json credits[3]: repeats credit 90000000001 of credits[0]',
      ]);
      expect(await rowCounts(dataDir)).to.deep.equal([0, 0, 0, 0]);
    });
  });

  describe('GetCreditAllocationHistory', () => {
    it('keeps negative amounts exactly and replaces an estimated entry by the final one', async () => {
      await loadFixtures(dataDir, ['get-credit-allocation-history.json']);
      const doc = readFixture('get-credit-allocation-history.json');
      doc.creditAllocationHistoryList = [{ ...doc.creditAllocationHistoryList[0], creditAmount: { currencyCode: 'USD', currencyAmount: '-360.00' }, isEstimatedBill: false }];
      await ingestFiles([writeFile(dataDir, 'final.json', doc)], dataDir, [awsIngest]);
      const rows = await withDatabase(dataDir, (db) => db.manager.find(AwsCreditAllocation, { order: { billingMonth: 'DESC', accountId: 'ASC' } }));
      expect(rows).to.have.length(4);
      expect(rows[0]).to.deep.include({ billingMonth: '2026-10', accountId: '444455556666', isEstimatedBill: false });
      expect(rows[0].creditAmount).to.deep.equal({ currencyCode: 'USD', currencyAmount: '-360.00' });
      expect(rows.map((r) => r.currencyAmount)).to.deep.equal(['-360.00', '-900.00', '-1200.00', '-49.2987654322']);
    });

    it('rejects bad entries and repeated keys', async () => {
      const file = writeFile(dataDir, 'history.json', {
        creditAllocationHistoryList: [
          { creditId: '90000000001', creditAmount: { currencyCode: 'USD', currencyAmount: '-1.00' }, accountId: '444455556666', appliedServiceName: 'EC2', billingMonth: '2026-13', isEstimatedBill: 'yes' },
          { creditId: '90000000001', creditAmount: { currencyCode: 'USD', currencyAmount: '-1.00' }, accountId: '444455556666', appliedServiceName: 'EC2', billingMonth: '2026-09', isEstimatedBill: false },
          { creditId: '90000000001', creditAmount: { currencyCode: 'USD', currencyAmount: '-2.00' }, accountId: '444455556666', appliedServiceName: 'EC2', billingMonth: '2026-09', isEstimatedBill: true },
        ],
      });
      const { lines } = await rejected(dataDir, [file]);
      expect(lines).to.deep.equal([
        'history.json creditAllocationHistoryList[0] billingMonth: must be a month written YYYY-MM, got "2026-13"',
        'history.json creditAllocationHistoryList[0] isEstimatedBill: must be true or false, got "yes"',
        'history.json creditAllocationHistoryList[2]: repeats credit 90000000001 for account 444455556666, EC2, 2026-09 of creditAllocationHistoryList[1]',
      ]);
    });
  });

  describe('cost category definitions', () => {
    it('loads bare and wrapped definitions, keeping rules as given', async () => {
      await loadFixtures(dataDir, ['cost-category.json', 'cost-category-wrapped.json']);
      const categories = await withDatabase(dataDir, (db) => db.manager.find(AwsCostCategory, { order: { name: 'ASC' } }));
      expect(categories.map((c) => [c.name, c.payerAccountId, c.effectiveStart, c.defaultValue])).to.deep.equal([
        ['Environment', '111122223333', '2026-02-01T00:00:00.000Z', 'Shared'],
        ['FundingSource', '111122223333', '2026-01-01T00:00:00.000Z', 'Unallocated'],
      ]);
      expect(categories[0].rules).to.deep.equal([
        { value: 'Sandbox', type: 'REGULAR', inheritedValue: null, rule: { Dimensions: { Key: 'LINKED_ACCOUNT_NAME', Values: ['sandbox'], MatchOptions: ['EQUALS', 'CASE_INSENSITIVE'] } } },
        { value: 'Tagged', type: 'REGULAR', inheritedValue: null, rule: { Tags: { Key: 'env', Values: ['prod'] } } },
        { value: 'FromTag', type: 'INHERITED_VALUE', inheritedValue: { DimensionName: 'TAG', DimensionKey: 'team' }, rule: null },
        { value: 'Production', type: 'REGULAR', inheritedValue: null, rule: { Not: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['111122223333'] } } } },
      ]);
      expect(categories[1].rules[1].rule).to.deep.equal(readFixture('cost-category.json').Rules[1].Rule);
    });

    it('rejects malformed definitions with the path inside each rule', async () => {
      const file = writeFile(dataDir, 'category.json', {
        CostCategory: {
          CostCategoryArn: 'arn:aws:ce::111122223333:category/x',
          Name: 'x'.repeat(51),
          Rules: [
            { Value: 'A', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['1'] }, Tags: { Key: 'k', Values: ['v'] } } },
            { Value: 'B', Rule: { Or: [] } },
            { Value: 'C' },
            { Rule: { And: [{ Not: { Dimensions: { Values: ['x'] } } }, { Dimension: {} }] } },
          ],
        },
      });
      const { lines } = await rejected(dataDir, [file]);
      expect(lines).to.deep.equal([
        'category.json CostCategory.CostCategoryArn: must be a cost category ARN (arn:aws:ce::<account>:costcategory/<id>), got "arn:aws:ce::111122223333:category/x"',
        'category.json CostCategory.Name: must be 1 to 50 characters long, got 51',
        'category.json CostCategory.Rules[0] Rule: must have exactly one of And, Or, Not, Dimensions, Tags, CostCategories, got 2',
        'category.json CostCategory.Rules[1] Rule.Or: must be a non-empty list of expressions',
        'category.json CostCategory.Rules[2] Rule: is required for a REGULAR rule',
        'category.json CostCategory.Rules[3] Value: is required',
        'category.json CostCategory.Rules[3] Rule.And[0].Not.Dimensions.Key: is required',
        'category.json CostCategory.Rules[3] Rule.And[1]: has unknown members Dimension (expected one of And, Or, Not, Dimensions, Tags, CostCategories)',
      ]);
      expect(await rowCounts(dataDir)).to.deep.equal([0, 0, 0, 0]);
    });
  });

  describe('cost category rule quota', () => {
    const rule = (i: number) => ({ Value: `V${i}`, Type: 'REGULAR', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [String(100000000000 + i)] } } });
    const definition = (rules: unknown[]) => ({ ...readFixture('cost-category.json'), Rules: rules });

    it('loads a definition with the 500 rules AWS allows', async () => {
      await loadFiles(dataDir, [writeFile(dataDir, 'category.json', definition(Array.from({ length: 500 }, (_, i) => rule(i))))]);
      const [category] = await withDatabase(dataDir, (db) => db.manager.find(AwsCostCategory));
      expect(category.rules).to.have.length(500);
    });

    it('refuses a definition with more than 500 rules, naming the file and field, before reading any rule', async () => {
      const bare = writeFile(dataDir, 'category.json', definition(Array.from({ length: 501 }, (_, i) => rule(i))));
      // Malformed rules past the quota are not each reported: the count is refused first.
      const wrapped = writeFile(dataDir, 'wrapped.json', { CostCategory: definition(Array.from({ length: 2000 }, () => ({}))) });
      const { lines } = await rejected(dataDir, [bare, wrapped]);
      expect(lines).to.deep.equal([
        'category.json Rules: must hold 1 to 500 rules (AWS allows at most 500 per cost category), got 501',
        'wrapped.json CostCategory.Rules: must hold 1 to 500 rules (AWS allows at most 500 per cost category), got 2000',
      ]);
      expect(await rowCounts(dataDir)).to.deep.equal([0, 0, 0, 0]);
    });
  });

  describe('several files of one load', () => {
    it('refuses two files giving different versions of one credit, naming both files and the fields that differ', async () => {
      const doc = readFixture('get-credits.json');
      const older = writeFile(dataDir, 'a-older.json', doc);
      const changed = { ...doc.credits[0], description: 'Renewed', remainingAmount: { currencyCode: 'USD', currencyAmount: '6000.10' } };
      const newer = writeFile(dataDir, 'b-newer.json', { credits: [doc.credits[1], changed] });
      const { problems, lines } = await rejected(dataDir, [older, newer]);
      expect(lines).to.deep.equal([
        `b-newer.json credits[1] description, remainingAmount.currencyAmount: AWS credit 90000000001 differs from the one in ${older} credits[0] ` +
          '(description is "Renewed" here, "AWS Activate Founders credits" there; remainingAmount.currencyAmount is "6000.10" here, "6250.4012345678" there): ' +
          'the files of one load must agree on an entry (the same content twice is fine)',
      ]);
      expect(problems[0].file).to.equal(newer);
      expect(await rowCounts(dataDir)).to.deep.equal([0, 0, 0, 0]);
    });

    it('loads the same content given by two files (a folder and a copy), once', async () => {
      const doc = readFixture('get-credits.json');
      // The same credit, its fields in another order and its dates written another way: the same content.
      const { startDate, endDate, ...rest } = doc.credits[0];
      const same = { endDate: new Date(endDate * 1000).toISOString(), ...rest, startDate };
      await loadFiles(dataDir, [fixture('get-credits.json'), writeFile(dataDir, 'copy.json', { credits: [same] })]);
      expect((await rowCounts(dataDir))[1]).to.equal(7);
    });

    it('refuses different versions of one account, one allocation and one cost category', async () => {
      const accounts = readFixture('list-accounts.json');
      accounts.Accounts = [{ ...accounts.Accounts[1], Name: 'renamed' }];
      const history = readFixture('get-credit-allocation-history.json');
      history.creditAllocationHistoryList = [{ ...history.creditAllocationHistoryList[1], creditAmount: { currencyCode: 'USD', currencyAmount: '-1000.00' } }];
      const category = readFixture('cost-category.json');
      category.DefaultValue = 'Elsewhere';
      const files = [
        fixture('list-accounts.json'),
        fixture('get-credit-allocation-history.json'),
        fixture('cost-category.json'),
        writeFile(dataDir, 'accounts.json', accounts),
        writeFile(dataDir, 'history.json', history),
        writeFile(dataDir, 'category.json', category),
      ];
      const { problems } = await rejected(dataDir, files);
      expect(problems.map((p) => [path.basename(p.file), p.entry, p.field])).to.deep.equal([
        ['accounts.json', 'Accounts[0]', 'Name'],
        ['history.json', 'creditAllocationHistoryList[0]', 'creditAmount.currencyAmount'],
        ['category.json', undefined, 'DefaultValue'],
      ]);
      expect(problems.map((p) => p.reason.replace(/ differs from the one in .*/, ''))).to.deep.equal([
        'AWS account 444455556666',
        'AWS credit allocation of credit 90000000001 to account 444455556666, Amazon Elastic Compute Cloud, 2026-09',
        `AWS cost category ${category.CostCategoryArn}`,
      ]);
      expect(problems[0].reason).to.contain(`differs from the one in ${fixture('list-accounts.json')} Accounts[1] (Name is "renamed" here, "team-data" there)`);
    });
  });

  it('names a document it does not recognise', async () => {
    const { lines } = await rejected(dataDir, [writeFile(dataDir, 'other.json', { Items: [] })]);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^other\.json: not a recognised provider format/);
  });
});

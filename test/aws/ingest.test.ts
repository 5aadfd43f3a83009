/** Ingest tests of every AWS format: exact values, idempotent reloads, replacement, lenient enums, whole-file rejection. */
import { expect } from 'chai';
import fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { formatProblem, ingestFiles, IngestProblem } from '../../lib/ingest';
import { openAwsDatabase } from '../../subgraphs/aws/database';
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

  it('names a document it does not recognise', async () => {
    const { lines } = await rejected(dataDir, [writeFile(dataDir, 'other.json', { Items: [] })]);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^other\.json: not a recognised provider format/);
  });
});

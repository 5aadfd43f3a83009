/** Provider-contract tests of the AWS subgraph against a real SQLite database in a temporary folder. */
import { asMadeBeforeMigrations, onPostgres } from '../support/database';
import { expect } from 'chai';
import fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { compareCredits, positionOf } from '../../lib/domain/credit-order';
import { CREDIT_STATUSES, CreditFilter, CreditOrder, MutationResult, NormalizedCredit, ORDER_FIELDS, SearchCreditsRequest } from '../../lib/domain/provider-contract';
import { ContractRequestError, parseSearchRequest } from '../../lib/api/provider-http';
import { openAwsDatabase } from '../../subgraphs/aws/store';
import { normalizeCredit } from '../../subgraphs/aws/domain/normalize-credit';
import { AwsCredit } from '../../subgraphs/aws/entities/credit';
import { AwsCreditProvider } from '../../subgraphs/aws/provider';
import { CALLERS, countQueries, loadFiles, loadFixtures, NOW, readFixture, tempDir, writeFile } from './support';

/** Every application of the credits asked for, in one page. */
const ALL_APPLICATIONS = { first: 100, after: null };

const payer = CALLERS.payer;

const FUNDING = 'arn:aws:ce::111122223333:costcategory/7d3a1c52-4b7e-4d8a-9f0e-2c6b5a4e3d21';
const ENVIRONMENT = 'arn:aws:ce::111122223333:costcategory/0a1b2c3d-1111-2222-3333-444455556666';
/** A cost category of the other organization (management account 555566667777). */
const FOREIGN = 'arn:aws:ce::555566667777:costcategory/0f0f0f0f-1111-2222-3333-444455556666';
const ids = (credits: NormalizedCredit[]) => credits.map((c) => c.providerCreditId);
const byName: CreditOrder = { field: 'NAME', direction: 'ASC' };

describe('AWS provider contract', () => {
  let dataDir: string;
  let db: DataSource;
  let provider: AwsCreditProvider;

  // Requests go through the contract route's parser, as over HTTP (it normalises dates to ISO).
  const search = (filter: CreditFilter, extra: Partial<SearchCreditsRequest> = {}) =>
    provider.searchCredits(payer, parseSearchRequest({ filter, order: byName, after: null, limit: null, now: NOW, ...extra }));

  beforeEach(async () => {
    dataDir = tempDir();
    // A credit tying credit 90000000003 on every sort key, so pages must break ties by id.
    const credits = readFixture('get-credits.json');
    const tie = writeFile(dataDir, 'tie.json', { credits: [{ ...credits.credits[2], creditId: '90000000008', creditStatus: 'ENABLED' }] });
    const foreign = writeFile(dataDir, 'foreign-category.json', {
      CostCategoryArn: FOREIGN,
      Name: 'OtherOrg',
      RuleVersion: 'CostCategoryExpression.v1',
      Rules: [{ Value: 'Any', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT_NAME', Values: ['o'], MatchOptions: ['CONTAINS'] } } }],
    });
    await loadFixtures(dataDir);
    await loadFiles(dataDir, [tie, foreign]);
    db = await openAwsDatabase(dataDir);
    provider = new AwsCreditProvider(db);
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe('searchCredits', () => {
    it('filters by each status, as deriveStatus says, at several moments', async () => {
      expect(ids(await search({ statuses: ['ACTIVE'] }))).to.have.members(['90000000001', '90000000002', '90000000007', '90000000008']);
      expect(ids(await search({ statuses: ['PAUSED'] }))).to.deep.equal(['90000000003']);
      expect(ids(await search({ statuses: ['EXPIRED'] }))).to.deep.equal(['90000000004']);
      expect(ids(await search({ statuses: ['EXHAUSTED'] }))).to.deep.equal(['90000000005']);
      expect(ids(await search({ statuses: ['NOT_STARTED'] }))).to.deep.equal(['90000000006']);
      expect(ids(await search({ statuses: ['CANCELED'] }))).to.deep.equal([]);
      for (const now of ['2025-01-01T00:00:00.000Z', NOW, '2027-02-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z']) {
        const all = await search({}, { now });
        for (const status of CREDIT_STATUSES) {
          const expected = all.filter((c) => c.status === status).map((c) => c.providerCreditId);
          expect(ids(await search({ statuses: [status] }, { now })), `${status} at ${now}`).to.deep.equal(expected);
        }
      }
    });

    it('filters by currency, owner, expiry and text', async () => {
      expect(ids(await search({ currencyCodes: ['EUR'] }))).to.deep.equal(['90000000006']);
      expect(ids(await search({ ownerIds: ['444455556666', '777788889999'] }))).to.deep.equal(['90000000007', '90000000005']);
      expect(ids(await search({ expiresBefore: '2027-03-01T00:00:00Z' }))).to.deep.equal(['90000000001', '90000000004']);
      expect(ids(await search({ search: 'nsf' }))).to.deep.equal(['90000000002']);
      expect(ids(await search({ search: '0000007' }))).to.deep.equal(['90000000007']);
      expect(ids(await search({ search: 'TRUEUP' }))).to.deep.equal(['90000000004']);
      expect(ids(await search({ search: 'refund' }))).to.deep.equal(['90000000003', '90000000008']);
      expect(ids(await search({ statuses: ['ACTIVE', 'PAUSED'], currencyCodes: ['USD'], search: 'credit' }))).to.deep.equal([
        '90000000001',
        '90000000007',
        '90000000002',
        '90000000003',
        '90000000008',
      ]);
    });

    it('matches nothing for an empty filter list or a zero limit', async () => {
      expect(await search({ statuses: [] })).to.deep.equal([]);
      expect(await search({ currencyCodes: [] })).to.deep.equal([]);
      expect(await search({ ownerIds: [] })).to.deep.equal([]);
      expect(await search({}, { limit: 0 })).to.deep.equal([]);
      expect(await search({ statuses: null, currencyCodes: null, ownerIds: null })).to.have.length(8);
    });

    for (const field of ORDER_FIELDS) {
      for (const direction of ['ASC', 'DESC'] as const) {
        const order: CreditOrder = { field, direction };
        it(`orders by ${field} ${direction} as compareCredits does, and pages without repeats or gaps`, async () => {
          const all = await search({}, { order });
          expect(all).to.have.length(8);
          expect(ids(all)).to.deep.equal(ids([...all].sort((a, b) => compareCredits(a, b, order))));
          for (const size of [1, 2, 3]) {
            const paged: NormalizedCredit[] = [];
            let after = null;
            for (;;) {
              const page: NormalizedCredit[] = await search({}, { order, after, limit: size });
              expect(page.length).to.be.at.most(size);
              if (page.length === 0) break;
              paged.push(...page);
              after = positionOf(page[page.length - 1], field);
            }
            expect(ids(paged), `pages of ${size}`).to.deep.equal(ids(all));
          }
        });
      }
    }

    it('places its credits around another provider cursor with the same key', async () => {
      const key = '2027-04-01T00:00:00.000Z';
      const afterAzure = { key, provider: 'AZURE' as const, providerCreditId: 'lot-1' };
      const asc = await search({}, { order: { field: 'EXPIRES_AT', direction: 'ASC' }, after: afterAzure });
      expect(ids(asc)).to.deep.equal(['90000000005', '90000000006', '90000000007']);
      const desc = await search({}, { order: { field: 'EXPIRES_AT', direction: 'DESC' }, after: afterAzure });
      expect(ids(desc)).to.deep.equal(['90000000008', '90000000003', '90000000002', '90000000001', '90000000004']);
    });

    it('costs a constant number of statements however many credits it returns', async () => {
      // Two statements for the caller's scope (its accounts, the organizations it manages), one for
      // the page, then at most three batched lookups (accounts, categories, organizations). A text
      // search on SQLite first asks its index how many credits match (text-search-sql.ts textSearchCondition).
      const one = await countQueries(db, () => search({ search: 'NSF' }));
      const all = await countQueries(db, () => search({}));
      expect(one.result).to.have.length(1);
      expect(all.result).to.have.length(8);
      expect(one.queries).to.have.length(onPostgres() ? 6 : 7);
      expect(all.queries).to.have.length(6);
    });

    it('finds non-ASCII names whatever their case', async () => {
      const template = readFixture('get-credits.json').credits[0];
      await db.destroy();
      await loadFiles(dataDir, [writeFile(dataDir, 'school.json', { credits: [{ ...template, creditId: '90000000009', description: 'Subvention ÉCOLE Numérique' }] })]);
      db = await openAwsDatabase(dataDir);
      provider = new AwsCreditProvider(db);
      for (const term of ['école', 'ÉCOLE', 'École', 'NUMÉRIQUE', 'subvention école']) {
        expect(ids(await search({ search: term })), term).to.deep.equal(['90000000009']);
      }
      expect(ids(await search({ search: 'ecole' }))).to.deep.equal([]);
      expect(ids(await search({ search: 'promotion' }))).to.include('90000000009');
    });

    it('fills the search text of credits stored before the column existed', async function () {
    if (onPostgres()) this.skip(); // databases of earlier releases are SQLite files
      await db.query("UPDATE aws_credit SET searchText = ''");
      await asMadeBeforeMigrations(db);
      expect(await search({ search: 'nsf' })).to.deep.equal([]);
      await db.destroy();
      db = await openAwsDatabase(dataDir);
      provider = new AwsCreditProvider(db);
      expect(ids(await search({ search: 'nsf' }))).to.deep.equal(['90000000002']);
    });

    it('filters each status in SQL exactly as normalizeCredit derives it, for every combination of facts', async () => {
      // Every combination of the facts CREDIT_STATUS_COLUMNS (store/status-sql.ts) reads: creditStatus, remaining amount,
      // start and end before, at or after now (and no end), but an end before the start (ingest refuses it).
      const template = readFixture('get-credits.json').credits[0];
      const before = '2026-06-01T00:00:00.000Z';
      const after = '2027-06-01T00:00:00.000Z';
      const combinations: unknown[] = [];
      let n = 0;
      for (const creditStatus of ['ENABLED', 'DISABLED', 'SUSPENDED_BY_AWS'])
        for (const remaining of ['0.00', '0', '0.0000000001', '75.50'])
          for (const start of [before, NOW, after])
            for (const end of [before, NOW, after, null]) {
              if (end !== null && end < start) continue;
              const { endDate: _, ...base } = template;
              combinations.push({
                ...base,
                creditId: String(70000000000 + n++),
                creditStatus,
                remainingAmount: { currencyCode: 'USD', currencyAmount: remaining },
                startDate: start,
                ...(end === null ? {} : { endDate: end }),
              });
            }
      await db.destroy();
      await loadFiles(dataDir, [writeFile(dataDir, 'combinations.json', { credits: combinations })]);
      db = await openAwsDatabase(dataDir);
      provider = new AwsCreditProvider(db);

      const rows = await db.manager.find(AwsCredit);
      expect(rows).to.have.length(8 + combinations.length);
      const noLookups = { accounts: new Map(), organizations: new Map(), categories: new Map() };
      const seen = new Set<string>();
      for (const status of CREDIT_STATUSES) {
        const expected = rows.filter((row) => normalizeCredit(row, noLookups, NOW).status === status).map((row) => row.creditId);
        expected.forEach(() => seen.add(status));
        expect(ids(await search({ statuses: [status] })).sort(), status).to.deep.equal(expected.sort());
      }
      expect([...seen].sort()).to.deep.equal(['ACTIVE', 'EXHAUSTED', 'EXPIRED', 'NOT_STARTED', 'PAUSED']);
    });
  });

  describe('getCredits and getApplications', () => {
    it('returns the normalized credits that exist, with their sharing', async () => {
      const credits = await provider.getCredits(payer, ['90000000002', '90000000004', '123', '90000000007'], NOW);
      const byId = new Map(credits.map((c) => [c.providerCreditId, c]));
      expect([...byId.keys()].sort()).to.deep.equal(['90000000002', '90000000004', '90000000007']);
      expect(byId.get('90000000002')!.sharing).to.deep.equal({
        scope: 'COST_CATEGORY',
        accounts: [{ id: '123456789012', name: 'research-grant' }],
        accountCount: 1,
        costCategory: { arn: FUNDING, name: 'FundingSource', value: 'GrantNSF' },
        invoiceSections: [],
        invoiceSectionCount: 0,
      });
      expect(byId.get('90000000004')!.sharing.accounts).to.deep.equal([
        { id: '444455556666', name: 'team-data' },
        { id: '777788889999', name: 'team-web' },
      ]);
      expect(byId.get('90000000007')).to.deep.include({ type: 'PURCHASED', providerType: 'PurchasedCredit', expiresAt: null, status: 'ACTIVE' });
      expect(byId.get('90000000007')!.owner).to.deep.equal({ kind: 'AWS_ACCOUNT', id: '777788889999', name: 'team-web' });
    });

    it('returns applications as positive amounts with consumer names', async () => {
      const applications = (await provider.getApplications(payer, ['90000000001', '90000000002'], ALL_APPLICATIONS)).flatMap((p) => p.applications);
      expect(applications.map((a) => [a.providerCreditId, a.month, a.consumer.id, a.consumer.name, a.amount.amount, a.estimated])).to.deep.equal([
        ['90000000001', '2026-10', '444455556666', 'team-data', '350.3012345678', true],
        ['90000000001', '2026-09', '444455556666', 'team-data', '1200.00', false],
        ['90000000001', '2026-09', '777788889999', 'team-web', '49.2987654322', false],
        ['90000000002', '2026-09', '123456789012', 'research-grant', '900.00', false],
      ]);
      expect(await provider.getApplications(payer, [], ALL_APPLICATIONS)).to.deep.equal([]);
    });

    it('pages each credit\'s applications in SQL after a position, in the contract\'s order, with their counts', async () => {
      const [head] = await provider.getApplications(payer, ['90000000001'], { first: 1, after: null });
      expect([head.applications.map((a) => a.month), head.hasNextPage, head.totalCount]).to.deep.equal([['2026-10'], true, 3]);
      // The position is the entry's ALLOCATION_ORDER values: month, credit, account, service, product code ('' on imported entries), origin.
      const [first] = head.applications;
      expect(first.position).to.deep.equal([first.month, '90000000001', first.consumer.id, first.service, '', 'IMPORTED']);
      // One position for every credit of the batch: 90000000002's only entry (2026-09) comes after it too.
      const pages = await provider.getApplications(payer, ['90000000001', '90000000002', 'unknown'], { first: 2, after: first.position });
      expect(pages.map((p) => [p.providerCreditId, p.totalCount, p.hasNextPage, p.applications.map((a) => `${a.month} ${a.consumer.id}`)])).to.deep.equal([
        ['90000000001', 3, false, ['2026-09 444455556666', '2026-09 777788889999']],
        ['90000000002', 1, false, ['2026-09 123456789012']],
      ]);
      const [last] = await provider.getApplications(payer, ['90000000001'], { first: 5, after: pages[0].applications[1].position });
      expect([last.applications, last.hasNextPage, last.totalCount]).to.deep.equal([[], false, 3]);
    });

    it('refuses an `after` that is no position of its applications order, naming page.after', async () => {
      for (const after of [['2026-10'], ['2026-10', '90000000001', '444455556666', 'x', '', 1]]) {
        const refused = await provider.getApplications(payer, ['90000000001'], { first: 1, after }).then(
          () => null,
          (error) => error,
        );
        expect(refused, JSON.stringify(after)).to.be.instanceOf(ContractRequestError);
        expect(refused.field).to.equal('page.after');
      }
    });
  });

  describe('pause and activate', () => {
    it('pauses and activates idempotently', async () => {
      const paused = await provider.pauseCredit(payer, '90000000001', NOW);
      expect(paused.credit).to.deep.include({ status: 'PAUSED', providerStatus: 'DISABLED' });
      expect(await provider.pauseCredit(payer, '90000000001', NOW)).to.deep.equal(paused);
      expect((await db.manager.findOneByOrFail(AwsCredit, { creditId: '90000000001' })).creditStatus).to.equal('DISABLED');
      const active = await provider.activateCredit(payer, '90000000001', NOW);
      expect(active).to.deep.include({ userErrors: [] });
      expect(active.credit).to.deep.include({ status: 'ACTIVE', providerStatus: 'ENABLED' });
      expect(await provider.activateCredit(payer, '90000000001', NOW)).to.deep.equal(active);
    });

    it('runs 20 concurrent pause, activate and share calls, each succeeding, the last of each kind winning', async () => {
      const credits = ['90000000001', '90000000002', '90000000004'];
      const shares = [
        { scope: 'OWNER_ONLY' as const },
        { scope: 'ACCOUNTS' as const, accountIds: ['444455556666'] },
        { scope: 'COST_CATEGORY' as const, costCategoryArn: ENVIRONMENT, costCategoryValue: 'Production' },
        { scope: 'ORGANIZATION' as const },
      ];
      const calls: { creditId: string; kind: 'pause' | 'activate' | 'share'; share?: (typeof shares)[number] }[] = [];
      for (let i = 0; i < 20; i++) {
        const creditId = credits[i % credits.length];
        const kind = (['pause', 'activate', 'share'] as const)[Math.floor(i / 3) % 3];
        calls.push({ creditId, kind, share: kind === 'share' ? shares[i % shares.length] : undefined });
      }
      const results: MutationResult[] = await Promise.all(
        calls.map((c) =>
          c.kind === 'pause'
            ? provider.pauseCredit(payer, c.creditId, NOW)
            : c.kind === 'activate'
              ? provider.activateCredit(payer, c.creditId, NOW)
              : provider.shareCredit(payer, { providerCreditId: c.creditId, now: NOW, ...c.share! }),
        ),
      );
      results.forEach((result, i) => {
        expect(result.userErrors, `call ${i}`).to.deep.equal([]);
        expect(result.credit!.providerCreditId).to.equal(calls[i].creditId);
        if (calls[i].kind === 'share') expect(result.credit!.sharing.scope, `call ${i}`).to.equal(calls[i].share!.scope);
        else expect(result.credit!.providerStatus, `call ${i}`).to.equal(calls[i].kind === 'pause' ? 'DISABLED' : 'ENABLED');
      });
      const sharingType = { OWNER_ONLY: 'DISABLED', ACCOUNTS: 'CUSTOM', COST_CATEGORY: 'COST_CATEGORY_RULE', ORGANIZATION: 'DEFAULT' };
      for (const creditId of credits) {
        const mine = calls.filter((c) => c.creditId === creditId);
        const lastStatus = mine.filter((c) => c.kind !== 'share').pop()!;
        const lastShare = mine.filter((c) => c.kind === 'share').pop()!;
        const row = await db.manager.findOneByOrFail(AwsCredit, { creditId });
        expect(row.creditStatus, creditId).to.equal(lastStatus.kind === 'pause' ? 'DISABLED' : 'ENABLED');
        expect(row.creditSharingType, creditId).to.equal(sharingType[lastShare.share!.scope]);
        expect(row.controlsChangedAt).to.equal(NOW);
        const [normalized] = await provider.getCredits(payer, [creditId], NOW);
        expect(normalized.sharing.scope).to.equal(lastShare.share!.scope);
      }
    });

    it('reports an unknown credit', async () => {
      for (const result of [await provider.pauseCredit(payer, '404', NOW), await provider.activateCredit(payer, '404', NOW)]) {
        expect(result.credit).to.equal(null);
        expect(result.userErrors).to.have.length(1);
        expect(result.userErrors[0]).to.deep.include({ code: 'NOT_FOUND', field: ['creditId'] });
        expect(result.userErrors[0].message).to.contain('"404"');
      }
    });
  });

  describe('shareCredit', () => {
    const share = (r: Record<string, unknown>) => provider.shareCredit(payer, { providerCreditId: '90000000001', scope: 'ORGANIZATION', now: NOW, ...r });
    const stored = () => db.manager.findOneByOrFail(AwsCredit, { creditId: '90000000001' });

    it('shares with accounts, idempotently', async () => {
      const first = await share({ scope: 'ACCOUNTS', accountIds: ['777788889999', '210987654321'] });
      expect(first.credit!.sharing).to.deep.equal({
        scope: 'ACCOUNTS',
        accounts: [
          { id: '777788889999', name: 'team-web' },
          { id: '210987654321', name: 'Sandbox' },
        ],
        accountCount: 2,
        costCategory: null,
        invoiceSections: [],
        invoiceSectionCount: 0,
      });
      expect(await share({ scope: 'ACCOUNTS', accountIds: ['777788889999', '210987654321'] })).to.deep.equal(first);
      expect(await stored()).to.deep.include({ creditSharingType: 'CUSTOM', shareableAccounts: ['777788889999', '210987654321'] });
    });

    it('shares with a cost category value, then switching scope clears the other fields', async () => {
      const result = await share({ scope: 'COST_CATEGORY', costCategoryArn: ENVIRONMENT, costCategoryValue: 'Production' });
      expect(result.credit!.sharing.costCategory).to.deep.equal({ arn: ENVIRONMENT, name: 'Environment', value: 'Production' });
      // Environment: Sandbox by name first, Tags and INHERITED_VALUE never decide, then every account but the payer.
      expect(result.credit!.sharing.accounts.map((a) => a.id)).to.deep.equal(['123456789012', '444455556666', '777788889999']);
      expect(await stored()).to.deep.include({ creditSharingType: 'COST_CATEGORY_RULE', costCategoryArn: ENVIRONMENT, ruleName: 'Production' });

      await share({ scope: 'ACCOUNTS', accountIds: ['444455556666'] });
      expect(await stored()).to.deep.include({ creditSharingType: 'CUSTOM', costCategoryArn: null, ruleName: null, shareableAccounts: ['444455556666'] });
      const owner = await share({ scope: 'OWNER_ONLY' });
      expect(owner.credit!.sharing.scope).to.equal('OWNER_ONLY');
      expect(await stored()).to.deep.include({ creditSharingType: 'DISABLED', costCategoryArn: null, ruleName: null, shareableAccounts: null });
      expect((await share({ scope: 'ORGANIZATION' })).credit!.sharing.scope).to.equal('ORGANIZATION');
      expect((await stored()).creditSharingType).to.equal('DEFAULT');
    });

    it('reports every user error and changes nothing', async () => {
      const cases: [Record<string, unknown>, string, string[]][] = [
        [{ providerCreditId: '404', scope: 'OWNER_ONLY' }, 'NOT_FOUND', ['creditId']],
        [{ scope: 'INVOICE_SECTIONS', invoiceSectionIds: ['s1'] }, 'UNSUPPORTED', ['scope']],
        [{ scope: 'ACCOUNTS', accountIds: ['444455556666', '999988887777'] }, 'INVALID_SCOPE', ['accountIds', '1']],
        [{ scope: 'ACCOUNTS', accountIds: [] }, 'INVALID_INPUT', ['accountIds']],
        [{ scope: 'ACCOUNTS' }, 'INVALID_INPUT', ['accountIds']],
        [{ scope: 'ORGANIZATION', costCategoryValue: 'Production' }, 'INVALID_INPUT', ['costCategoryValue']],
        [{ scope: 'COST_CATEGORY', costCategoryArn: ENVIRONMENT }, 'INVALID_INPUT', ['costCategoryValue']],
        [{ scope: 'COST_CATEGORY', costCategoryArn: FOREIGN, costCategoryValue: 'Any' }, 'INVALID_SCOPE', ['costCategoryArn']],
        [{ scope: 'COST_CATEGORY', costCategoryArn: ENVIRONMENT, costCategoryValue: 'Shared' }, 'INVALID_SCOPE', ['costCategoryValue']],
        [{ scope: 'COST_CATEGORY', costCategoryArn: 'arn:aws:ce::111122223333:costcategory/none', costCategoryValue: 'x' }, 'INVALID_SCOPE', ['costCategoryArn']],
        [{ scope: 'COST_CATEGORY', costCategoryArn: FUNDING, costCategoryValue: 'Unallocated' }, 'INVALID_SCOPE', ['costCategoryValue']],
      ];
      for (const [request, code, field] of cases) {
        const result = await share(request);
        expect(result.credit, JSON.stringify(request)).to.equal(null);
        expect(result.userErrors.map((e) => [e.code, e.field]), JSON.stringify(request)).to.deep.equal([[code, field]]);
      }
      expect(await stored()).to.deep.include({ creditSharingType: 'DEFAULT', shareableAccounts: null, costCategoryArn: null, controlsChangedAt: null });
    });

    it("shares with a cost category only of the owner's organization", async () => {
      // FOREIGN belongs to management account 555566667777, whose account 999988887777 owns credit 90000000010.
      const template = readFixture('get-credits.json').credits[0];
      await db.destroy();
      await loadFiles(dataDir, [writeFile(dataDir, 'other-credit.json', { credits: [{ ...template, creditId: '90000000010', accountId: '999988887777' }] })]);
      db = await openAwsDatabase(dataDir);
      provider = new AwsCreditProvider(db);
      const ours = await provider.shareCredit(CALLERS.bothPayers, { providerCreditId: '90000000010', scope: 'COST_CATEGORY', costCategoryArn: FOREIGN, costCategoryValue: 'Any', now: NOW });
      expect(ours.userErrors).to.deep.equal([]);
      expect(ours.credit!.sharing.accounts.map((a) => a.id)).to.deep.equal(['555566667777', '999988887777']);
      const theirs = await share({ scope: 'COST_CATEGORY', costCategoryArn: FOREIGN, costCategoryValue: 'Any' });
      expect(theirs.userErrors[0].message).to.contain('management account 555566667777').and.contain('management account 111122223333');
    });
  });
});

/** Provider-contract tests of the AWS subgraph against a real SQLite database in a temporary folder. */
import { expect } from 'chai';
import fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { compareCredits, positionOf } from '../../lib/credit-order';
import { CREDIT_STATUSES, CreditFilter, CreditOrder, NormalizedCredit, ORDER_FIELDS, SearchCreditsRequest } from '../../lib/provider-contract';
import { ContractRequestError } from '../../lib/provider-http';
import { openAwsDatabase } from '../../subgraphs/aws/database';
import { AwsCredit } from '../../subgraphs/aws/entities/credit';
import { AwsCreditProvider } from '../../subgraphs/aws/provider';
import { countQueries, loadFiles, loadFixtures, NOW, readFixture, tempDir, writeFile } from './support';

const FUNDING = 'arn:aws:ce::111122223333:costcategory/7d3a1c52-4b7e-4d8a-9f0e-2c6b5a4e3d21';
const ENVIRONMENT = 'arn:aws:ce::111122223333:costcategory/0a1b2c3d-1111-2222-3333-444455556666';
const ids = (credits: NormalizedCredit[]) => credits.map((c) => c.providerCreditId);
const byName: CreditOrder = { field: 'NAME', direction: 'ASC' };

describe('AWS provider contract', () => {
  let dataDir: string;
  let db: DataSource;
  let provider: AwsCreditProvider;

  const search = (filter: CreditFilter, extra: Partial<SearchCreditsRequest> = {}) =>
    provider.searchCredits({ filter, order: byName, after: null, limit: null, now: NOW, ...extra });

  beforeEach(async () => {
    dataDir = tempDir();
    // A credit tying credit 90000000003 on every sort key, so pages must break ties by id.
    const credits = readFixture('get-credits.json');
    const tie = writeFile(dataDir, 'tie.json', { credits: [{ ...credits.credits[2], creditId: '90000000008', creditStatus: 'ENABLED' }] });
    await loadFixtures(dataDir);
    await loadFiles(dataDir, [tie]);
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
      // One statement for the page, then at most three batched lookups (accounts, categories, organizations).
      const one = await countQueries(db, () => search({ search: 'NSF' }));
      const all = await countQueries(db, () => search({}));
      expect(one.result).to.have.length(1);
      expect(all.result).to.have.length(8);
      expect(one.queries).to.have.length(4);
      expect(all.queries).to.have.length(4);
    });

    it('refuses malformed requests', async () => {
      const bad: Partial<SearchCreditsRequest>[] = [
        { order: { field: 'PRICE' as never, direction: 'ASC' } },
        { order: { field: 'NAME', direction: 'UP' as never } },
        { limit: -1 },
        { now: 'today' },
      ];
      for (const extra of bad) {
        const error = await search({}, extra).then(() => null, (e) => e);
        expect(error, JSON.stringify(extra)).to.be.instanceOf(ContractRequestError);
      }
      const badStatus = await search({ statuses: ['GONE' as never] }).then(() => null, (e) => e);
      expect(badStatus).to.be.instanceOf(ContractRequestError);
    });
  });

  describe('getCredits and getApplications', () => {
    it('returns the normalized credits that exist, with their sharing', async () => {
      const credits = await provider.getCredits(['90000000002', '90000000004', '123', '90000000007'], NOW);
      const byId = new Map(credits.map((c) => [c.providerCreditId, c]));
      expect([...byId.keys()].sort()).to.deep.equal(['90000000002', '90000000004', '90000000007']);
      expect(byId.get('90000000002')!.sharing).to.deep.equal({
        scope: 'COST_CATEGORY',
        accounts: [{ id: '123456789012', name: 'research-grant' }],
        costCategory: { arn: FUNDING, name: 'FundingSource', value: 'GrantNSF' },
        invoiceSections: [],
      });
      expect(byId.get('90000000004')!.sharing.accounts).to.deep.equal([
        { id: '444455556666', name: 'team-data' },
        { id: '777788889999', name: 'team-web' },
      ]);
      expect(byId.get('90000000007')).to.deep.include({ type: 'PURCHASED', providerType: 'PurchasedCredit', expiresAt: null, status: 'ACTIVE' });
      expect(byId.get('90000000007')!.owner).to.deep.equal({ kind: 'AWS_ACCOUNT', id: '777788889999', name: 'team-web' });
    });

    it('returns applications as positive amounts with consumer names', async () => {
      const applications = await provider.getApplications(['90000000001', '90000000002']);
      expect(applications.map((a) => [a.providerCreditId, a.month, a.consumer.id, a.consumer.name, a.amount.amount, a.estimated])).to.deep.equal([
        ['90000000001', '2026-10', '444455556666', 'team-data', '350.3012345678', true],
        ['90000000001', '2026-09', '444455556666', 'team-data', '1200.00', false],
        ['90000000001', '2026-09', '777788889999', 'team-web', '49.2987654322', false],
        ['90000000002', '2026-09', '123456789012', 'research-grant', '900.00', false],
      ]);
      expect(await provider.getApplications([])).to.deep.equal([]);
    });
  });

  describe('pause and activate', () => {
    it('pauses and activates idempotently', async () => {
      const paused = await provider.pauseCredit('90000000001', NOW);
      expect(paused.credit).to.deep.include({ status: 'PAUSED', providerStatus: 'DISABLED' });
      expect(await provider.pauseCredit('90000000001', NOW)).to.deep.equal(paused);
      expect((await db.manager.findOneByOrFail(AwsCredit, { creditId: '90000000001' })).creditStatus).to.equal('DISABLED');
      const active = await provider.activateCredit('90000000001', NOW);
      expect(active).to.deep.include({ userErrors: [] });
      expect(active.credit).to.deep.include({ status: 'ACTIVE', providerStatus: 'ENABLED' });
      expect(await provider.activateCredit('90000000001', NOW)).to.deep.equal(active);
    });

    it('reports an unknown credit', async () => {
      for (const result of [await provider.pauseCredit('404', NOW), await provider.activateCredit('404', NOW)]) {
        expect(result.credit).to.equal(null);
        expect(result.userErrors).to.have.length(1);
        expect(result.userErrors[0]).to.deep.include({ code: 'NOT_FOUND', field: ['creditId'] });
        expect(result.userErrors[0].message).to.contain('"404"');
      }
    });
  });

  describe('shareCredit', () => {
    const share = (r: Record<string, unknown>) => provider.shareCredit({ providerCreditId: '90000000001', scope: 'ORGANIZATION', now: NOW, ...r });
    const stored = () => db.manager.findOneByOrFail(AwsCredit, { creditId: '90000000001' });

    it('shares with accounts, idempotently', async () => {
      const first = await share({ scope: 'ACCOUNTS', accountIds: ['777788889999', '210987654321'] });
      expect(first.credit!.sharing).to.deep.equal({
        scope: 'ACCOUNTS',
        accounts: [
          { id: '777788889999', name: 'team-web' },
          { id: '210987654321', name: 'Sandbox' },
        ],
        costCategory: null,
        invoiceSections: [],
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
        [{ scope: 'COST_CATEGORY', costCategoryArn: 'arn:aws:ce::111122223333:costcategory/none', costCategoryValue: 'x' }, 'INVALID_SCOPE', ['costCategoryArn']],
        [{ scope: 'COST_CATEGORY', costCategoryArn: FUNDING, costCategoryValue: 'Unallocated' }, 'INVALID_SCOPE', ['costCategoryValue']],
      ];
      for (const [request, code, field] of cases) {
        const result = await share(request);
        expect(result.credit, JSON.stringify(request)).to.equal(null);
        expect(result.userErrors.map((e) => [e.code, e.field]), JSON.stringify(request)).to.deep.equal([[code, field]]);
      }
      expect(await stored()).to.deep.include({ creditSharingType: 'DEFAULT', shareableAccounts: null, costCategoryArn: null });
    });
  });
});

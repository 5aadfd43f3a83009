/** What each AWS persona sees and may change through the provider contract, over the fixtures. */
import { expect } from 'chai';
import fs from 'node:fs';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../lib/platform/auth/principal';
import { positionOf } from '../../lib/domain/credit-order';
import type { NormalizedCredit, SearchCreditsRequest } from '../../lib/domain/provider-contract';
import { parseSearchRequest } from '../../lib/api/provider-http';
import { openAwsDatabase } from '../../subgraphs/aws/store';
import { AwsCredit } from '../../subgraphs/aws/entities/credit';
import { AwsCreditProvider } from '../../subgraphs/aws/provider';
import { CALLERS, loadFiles, loadFixtures, NOW, readFixture, tempDir, writeFile } from './support';

/** Every application of the credits asked for, in one page. */
const ALL_APPLICATIONS = { first: 100, after: null };

const ENVIRONMENT = 'arn:aws:ce::111122223333:costcategory/0a1b2c3d-1111-2222-3333-444455556666';
const FUNDING = 'arn:aws:ce::111122223333:costcategory/7d3a1c52-4b7e-4d8a-9f0e-2c6b5a4e3d21';
const ids = (credits: NormalizedCredit[]) => credits.map((c) => c.providerCreditId).sort();
const ALL_OF_ORG = ['90000000001', '90000000002', '90000000003', '90000000004', '90000000005', '90000000006', '90000000007'];
/** A credit of the other organization (o-otherorg22), shared organization-wide. */
const OTHER_ORG_CREDIT = '90000000010';

/**
 * The fixtures' credits: 1 payer DEFAULT; 2 payer COST_CATEGORY_RULE FundingSource=GrantNSF
 * (research-grant); 3 payer DISABLED; 4 payer CUSTOM [team-data, team-web]; 5 team-data DISABLED;
 * 6 payer DEFAULT; 7 team-web with an unknown sharing type (organization-wide).
 */
const VISIBLE: Record<string, string[]> = {
  payer: ALL_OF_ORG,
  bothPayers: [...ALL_OF_ORG, OTHER_ORG_CREDIT],
  // 90000000007 (owned by team-web) has an unknown sharing type, which fails closed: owner only.
  teamData: ['90000000001', '90000000004', '90000000005', '90000000006'],
  teamWeb: ['90000000001', '90000000004', '90000000006', '90000000007'],
  research: ['90000000001', '90000000002', '90000000006'],
  sandbox: ['90000000001', '90000000006'],
  otherLinked: [OTHER_ORG_CREDIT],
  unknown: [],
  azureOnly: [],
};

describe('AWS provider access per persona', () => {
  let dataDir: string;
  let db: DataSource;
  let provider: AwsCreditProvider;

  const search = (caller: Principal, extra: Partial<SearchCreditsRequest> = {}) =>
    provider.searchCredits(caller, parseSearchRequest({ filter: {}, order: { field: 'NAME', direction: 'ASC' }, after: null, limit: null, now: NOW, ...extra }));
  const storedCredits = () => db.manager.find(AwsCredit, { order: { creditId: 'ASC' } });

  beforeEach(async () => {
    dataDir = tempDir();
    const template = readFixture('get-credits.json').credits[0];
    await loadFixtures(dataDir);
    await loadFiles(dataDir, [writeFile(dataDir, 'other.json', { credits: [{ ...template, creditId: OTHER_ORG_CREDIT, accountId: '999988887777' }] })]);
    db = await openAwsDatabase(dataDir);
    provider = new AwsCreditProvider(db);
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [name, expected] of Object.entries(VISIBLE)) {
    it(`${name} searches and gets exactly the credits it may see`, async () => {
      const caller = CALLERS[name as keyof typeof CALLERS];
      expect(ids(await search(caller)), 'search').to.deep.equal(expected);
      expect(ids(await provider.getCredits(caller, [...ALL_OF_ORG, OTHER_ORG_CREDIT, '404'], NOW)), 'get').to.deep.equal(expected);
    });
  }

  it('filters, orders and pages within what the caller sees', async () => {
    const caller = CALLERS.teamWeb;
    expect(ids(await search(caller, { filter: { statuses: ['PAUSED'] } }))).to.deep.equal([]);
    expect(ids(await search(caller, { filter: { ownerIds: ['111122223333'] } }))).to.deep.equal(['90000000001', '90000000004', '90000000006']);
    const pages: string[] = [];
    let after: ReturnType<typeof positionOf> | null = null;
    for (;;) {
      const page: NormalizedCredit[] = await search(caller, { limit: 1, after });
      if (page.length === 0) break;
      pages.push(page[0].providerCreditId);
      after = positionOf(page[0], 'NAME');
    }
    expect(pages.sort()).to.deep.equal(VISIBLE.teamWeb);
  });

  it('gives a payer all allocation history of its credits, a linked account only its own rows', async () => {
    const rows = async (caller: Principal) =>
      (await provider.getApplications(caller, ['90000000001', '90000000002'], ALL_APPLICATIONS)).flatMap((p) => p.applications).map((a) => `${a.providerCreditId}/${a.month}/${a.consumer.id}`);
    expect(await rows(CALLERS.payer)).to.deep.equal([
      '90000000001/2026-10/444455556666',
      '90000000001/2026-09/444455556666',
      '90000000001/2026-09/777788889999',
      '90000000002/2026-09/123456789012',
    ]);
    expect(await rows(CALLERS.teamData)).to.deep.equal(['90000000001/2026-10/444455556666', '90000000001/2026-09/444455556666']);
    expect(await rows(CALLERS.teamWeb)).to.deep.equal(['90000000001/2026-09/777788889999']);
    expect(await rows(CALLERS.research)).to.deep.equal(['90000000002/2026-09/123456789012']);
    expect(await rows(CALLERS.sandbox)).to.deep.equal([]);
    expect(await rows(CALLERS.otherLinked)).to.deep.equal([]);
    expect(await rows(CALLERS.unknown)).to.deep.equal([]);
  });

  it('lets the payer pause, activate and share its organization’s credits', async () => {
    const caller = CALLERS.payer;
    expect((await provider.pauseCredit(caller, '90000000005', NOW)).credit).to.deep.include({ providerStatus: 'DISABLED' });
    expect((await provider.activateCredit(caller, '90000000005', NOW)).credit).to.deep.include({ providerStatus: 'ENABLED' });
    const shared = await provider.shareCredit(caller, { providerCreditId: '90000000007', scope: 'COST_CATEGORY', costCategoryArn: ENVIRONMENT, costCategoryValue: 'Production', now: NOW });
    expect(shared.userErrors).to.deep.equal([]);
  });

  it('refuses a linked account every change with FORBIDDEN, even of its own credit, and changes nothing', async () => {
    const before = await storedCredits();
    for (const [name, creditId] of [['teamData', '90000000005'], ['teamData', '90000000001'], ['teamWeb', '90000000004'], ['research', '90000000002']] as const) {
      const caller = CALLERS[name];
      const results = [
        await provider.pauseCredit(caller, creditId, NOW),
        await provider.activateCredit(caller, creditId, NOW),
        await provider.shareCredit(caller, { providerCreditId: creditId, scope: 'OWNER_ONLY', now: NOW }),
        await provider.shareCredit(caller, { providerCreditId: creditId, scope: 'COST_CATEGORY', costCategoryArn: ENVIRONMENT, costCategoryValue: 'Nope', now: NOW }),
      ];
      for (const result of results) {
        expect(result.credit, `${name} ${creditId}`).to.equal(null);
        expect(result.userErrors.map((e) => [e.code, e.field]), `${name} ${creditId}`).to.deep.equal([['FORBIDDEN', ['creditId']]]);
        expect(result.userErrors[0].message).to.contain(creditId);
      }
    }
    expect(await storedCredits()).to.deep.equal(before);
  });

  it('answers NOT_FOUND, exactly as for an unknown id, for a credit the caller may not see', async () => {
    const before = await storedCredits();
    const cases: [Principal, string][] = [
      [CALLERS.teamData, '90000000002'],
      [CALLERS.teamData, '90000000003'],
      [CALLERS.sandbox, '90000000004'],
      [CALLERS.payer, OTHER_ORG_CREDIT],
      [CALLERS.otherLinked, '90000000001'],
      [CALLERS.unknown, '90000000001'],
      [CALLERS.azureOnly, '90000000001'],
    ];
    for (const [caller, creditId] of cases) {
      const unknown = await provider.pauseCredit(caller, '12345', NOW);
      const hidden = await provider.pauseCredit(caller, creditId, NOW);
      expect(hidden.userErrors.map((e) => e.code), `${caller.subject} ${creditId}`).to.deep.equal(['NOT_FOUND']);
      expect(hidden.userErrors[0].message.replace(creditId, 'ID')).to.equal(unknown.userErrors[0].message.replace('12345', 'ID'));
      expect((await provider.activateCredit(caller, creditId, NOW)).userErrors.map((e) => e.code)).to.deep.equal(['NOT_FOUND']);
      expect((await provider.shareCredit(caller, { providerCreditId: creditId, scope: 'ORGANIZATION', now: NOW })).userErrors.map((e) => e.code)).to.deep.equal(['NOT_FOUND']);
    }
    expect(await storedCredits()).to.deep.equal(before);
  });

  it('lets a caller acting for several accounts see the union, and control only where it is the payer', async () => {
    const both = { subject: 'both', awsAccountIds: ['444455556666', '777788889999'], azureRoleAssignments: [] };
    // team-web adds the credit it owns (90000000007, owner-only by its unknown sharing type).
    expect(ids(await search(both))).to.deep.equal([...VISIBLE.teamData, '90000000007']);
    const mixed = { subject: 'mixed', awsAccountIds: ['111122223333', '999988887777'], azureRoleAssignments: [] };
    expect(ids(await search(mixed))).to.deep.equal([...ALL_OF_ORG, OTHER_ORG_CREDIT]);
    expect((await provider.pauseCredit(mixed, '90000000001', NOW)).userErrors).to.deep.equal([]);
    expect((await provider.pauseCredit(mixed, OTHER_ORG_CREDIT, NOW)).userErrors.map((e) => e.code)).to.deep.equal(['FORBIDDEN']);
  });

  it('lists in a sharing only the accounts a linked caller may see, and every account to the payer', async () => {
    // FundingSource assigns Product to team-data and team-web.
    const shared = await provider.shareCredit(CALLERS.payer, { providerCreditId: '90000000006', scope: 'COST_CATEGORY', costCategoryArn: FUNDING, costCategoryValue: 'Product', now: NOW });
    expect(shared.userErrors).to.deep.equal([]);
    const sharingAccounts = async (caller: Principal) => {
      const searched = await search(caller);
      const got = await provider.getCredits(caller, ['90000000002', '90000000004', '90000000006'], NOW);
      const of = (credits: NormalizedCredit[]) =>
        Object.fromEntries(
          credits
            .filter((c) => ['90000000002', '90000000004', '90000000006'].includes(c.providerCreditId))
            .map((c) => [c.providerCreditId, `${c.sharing.scope} ${c.sharing.accounts.map((a) => a.id).join(',')}`]),
        );
      expect(of(got), `${caller.subject}: getCredits as searchCredits`).to.deep.equal(of(searched));
      return of(searched);
    };
    expect(await sharingAccounts(CALLERS.payer)).to.deep.equal({
      '90000000002': 'COST_CATEGORY 123456789012',
      '90000000004': 'ACCOUNTS 444455556666,777788889999',
      '90000000006': 'COST_CATEGORY 444455556666,777788889999',
    });
    // team-web is hidden from team-data (awsAccounts, AwsCostCategory.values), and so from its sharings.
    expect(await sharingAccounts(CALLERS.teamData)).to.deep.equal({
      '90000000004': 'ACCOUNTS 444455556666',
      '90000000006': 'COST_CATEGORY 444455556666',
    });
    expect(await sharingAccounts(CALLERS.teamWeb)).to.deep.equal({
      '90000000004': 'ACCOUNTS 777788889999',
      '90000000006': 'COST_CATEGORY 777788889999',
    });
    expect(await sharingAccounts(CALLERS.research)).to.deep.equal({ '90000000002': 'COST_CATEGORY 123456789012' });
    // A caller acting for both linked accounts sees both; the names come with them.
    const both = { subject: 'both', awsAccountIds: ['444455556666', '777788889999'], azureRoleAssignments: [] };
    expect(await sharingAccounts(both)).to.deep.equal({
      '90000000004': 'ACCOUNTS 444455556666,777788889999',
      '90000000006': 'COST_CATEGORY 444455556666,777788889999',
    });
    const [credit6] = await provider.getCredits(CALLERS.teamData, ['90000000006'], NOW);
    expect(credit6.sharing).to.deep.include({ accounts: [{ id: '444455556666', name: 'team-data' }], costCategory: { arn: FUNDING, name: 'FundingSource', value: 'Product' } });
  });

  it('follows sharing changes: a linked account sees a credit once the payer shares it, and no longer after', async () => {
    expect(ids(await search(CALLERS.sandbox))).to.not.include('90000000003');
    await provider.shareCredit(CALLERS.payer, { providerCreditId: '90000000003', scope: 'COST_CATEGORY', costCategoryArn: ENVIRONMENT, costCategoryValue: 'Sandbox', now: NOW });
    expect(ids(await search(CALLERS.sandbox))).to.include('90000000003');
    expect(ids(await search(CALLERS.teamData))).to.not.include('90000000003');
    await provider.shareCredit(CALLERS.payer, { providerCreditId: '90000000003', scope: 'ACCOUNTS', accountIds: ['444455556666'], now: NOW });
    expect(ids(await search(CALLERS.sandbox))).to.not.include('90000000003');
    expect(ids(await search(CALLERS.teamData))).to.include('90000000003');
  });
});

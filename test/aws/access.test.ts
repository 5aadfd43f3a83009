/**
 * The AWS access rules (subgraphs/aws/domain/access.ts) as plain functions, and their SQL
 * conditions (subgraphs/aws/store/access-sql.ts) checked against the same functions over every combination of facts.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../lib/platform/auth/principal';
import {
  accountAsSeen,
  AwsScope,
  canControlCredit,
  canSeeAccount,
  canSeeAllocation,
  canSeeCostCategory,
  canSeeCredit,
  categoryValuesOf,
  classifyCallerAccounts,
  EMPTY_SCOPE,
  inOrganization,
  ScopeAccount,
  ScopeCategory,
  scopeOf,
  seesFullAccount,
} from '../../subgraphs/aws/domain/access';
import { creditScopeSql } from '../../subgraphs/aws/store/access-sql';
import { AwsAccount } from '../../subgraphs/aws/entities/account';
import { AwsCostCategory } from '../../subgraphs/aws/entities/cost-category';
import { AwsCredit } from '../../subgraphs/aws/entities/credit';
import { AwsCreditAllocation } from '../../subgraphs/aws/entities/credit-allocation';
import { AwsRepository, openAwsDatabase, scopeOfCaller } from '../../subgraphs/aws/store';
import { principal } from '../support/auth';
import { tempDir } from './support';

const P1 = '100000000001'; // management account of organization 1 (loaded)
const L1A = '100000000002'; // linked, organization 1
const L1B = '100000000003'; // linked, organization 1
const P2 = '200000000001'; // management account of organization 2 (NOT loaded itself)
const L2A = '200000000002'; // linked, organization 2
const UNKNOWN = '900000000000'; // never loaded

const account = (accountId: string, payerAccountId: string, name = `acct-${accountId}`): ScopeAccount => ({
  accountId,
  name,
  payerAccountId,
  isPayer: accountId === payerAccountId,
});
const ACCOUNTS = [account(P1, P1), account(L1A, P1, 'team-a'), account(L1B, P1, 'team-b'), account(L2A, P2, 'other-a')];
const C1 = 'arn:aws:ce::100000000001:costcategory/c1';
const C2 = 'arn:aws:ce::200000000001:costcategory/c2';
const rule = (Value: string, ids: string[]) => ({ Value, Type: 'REGULAR', InheritedValue: null, Rule: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ids } } });
const CATEGORIES: ScopeCategory[] = [
  { costCategoryArn: C1, payerAccountId: P1, definition: { rules: [rule('A', [L1A]), rule('B', [L1B])], defaultValue: 'D' } },
  { costCategoryArn: C2, payerAccountId: P2, definition: { rules: [rule('X', [L2A])], defaultValue: null } },
];
const who = (...ids: string[]): Principal => principal({ aws: { accountIds: ids } });
const scopeFor = (caller: Principal): AwsScope => {
  const managing = new Set(ACCOUNTS.map((a) => a.payerAccountId).filter((p) => caller.awsAccountIds.includes(p)));
  return scopeOf(classifyCallerAccounts(caller, ACCOUNTS.filter((a) => caller.awsAccountIds.includes(a.accountId)), managing), CATEGORIES);
};
const owners = new Map(ACCOUNTS.map((a) => [a.accountId, a]));
const credit = (accountId: string, creditSharingType: string | null, extra: Partial<{ shareableAccounts: string[]; costCategoryArn: string; ruleName: string }> = {}) => ({
  accountId,
  creditSharingType,
  shareableAccounts: extra.shareableAccounts ?? null,
  costCategoryArn: extra.costCategoryArn ?? null,
  ruleName: extra.ruleName ?? null,
});
const sees = (scope: AwsScope, c: ReturnType<typeof credit>) => canSeeCredit(scope, c, owners.get(c.accountId));

describe('AWS access rules', () => {
  describe('the caller scope', () => {
    it('counts an account as payer when it is isPayer or the payerAccountId of loaded accounts, even when not loaded itself', () => {
      expect(scopeFor(who(P1))).to.deep.equal({ payerIds: [P1], linked: [] });
      expect(scopeFor(who(P2))).to.deep.equal({ payerIds: [P2], linked: [] });
      const alone = account('300000000001', '300000000001');
      expect(classifyCallerAccounts(who(alone.accountId), [alone], new Set())).to.deep.equal({ payerIds: [alone.accountId], linked: [] });
    });

    it('gives a linked account the value each category of its organization assigns it', () => {
      expect(scopeFor(who(L1A))).to.deep.equal({
        payerIds: [],
        linked: [{ accountId: L1A, payerAccountId: P1, categoryValues: [{ costCategoryArn: C1, value: 'A' }] }],
      });
      expect(scopeFor(who(L2A)).linked[0].categoryValues).to.deep.equal([{ costCategoryArn: C2, value: 'X' }]);
      // The default value counts (credits can only be shared by rule values, but a loaded file may say otherwise).
      expect(categoryValuesOf(account('100000000009', P1), CATEGORIES)).to.deep.equal([{ costCategoryArn: C1, value: 'D' }]);
      // No value when the category has no default and no rule matches; other organizations' categories are skipped.
      expect(categoryValuesOf(account('200000000009', P2), CATEGORIES)).to.deep.equal([]);
    });

    it('gives unknown accounts and principals without AWS accounts no rights', () => {
      expect(scopeFor(who(UNKNOWN))).to.deep.equal(EMPTY_SCOPE);
      expect(scopeFor(who())).to.deep.equal(EMPTY_SCOPE);
    });

    it('drops a linked account of an organization the caller manages, and keeps linked accounts of others', () => {
      expect(scopeFor(who(L1A, P1))).to.deep.equal({ payerIds: [P1], linked: [] });
      expect(scopeFor(who(P1, L2A, UNKNOWN))).to.deep.equal({
        payerIds: [P1],
        linked: [{ accountId: L2A, payerAccountId: P2, categoryValues: [{ costCategoryArn: C2, value: 'X' }] }],
      });
    });
  });

  describe('credits', () => {
    it('lets the payer see and control every credit of its organization, and nothing of another', () => {
      const scope = scopeFor(who(P1));
      for (const owner of [P1, L1A, L1B]) {
        for (const type of ['DEFAULT', 'DISABLED', 'CUSTOM', 'COST_CATEGORY_RULE', null]) {
          expect(sees(scope, credit(owner, type)), `${owner} ${type}`).to.equal(true);
          expect(canControlCredit(scope, credit(owner, type), owners.get(owner))).to.equal(true);
        }
      }
      expect(sees(scope, credit(L2A, 'DEFAULT'))).to.equal(false);
      expect(sees(scope, credit(UNKNOWN, 'DEFAULT'))).to.equal(false);
      // A payer that is not loaded itself still owns its organization's credits, and its own.
      expect(canControlCredit(scopeFor(who(P2)), credit(P2, 'DISABLED'), undefined)).to.equal(true);
      expect(canControlCredit(scopeFor(who(P2)), credit(L2A, 'DEFAULT'), owners.get(L2A))).to.equal(true);
    });

    it('lets a linked account see the credits it owns, whatever their sharing', () => {
      const scope = scopeFor(who(L1A));
      for (const type of ['DEFAULT', 'DISABLED', 'CUSTOM', 'COST_CATEGORY_RULE']) expect(sees(scope, credit(L1A, type)), type).to.equal(true);
    });

    it('lets a linked account see organization-wide credits of its organization (DEFAULT or no type)', () => {
      const scope = scopeFor(who(L1A));
      for (const type of ['DEFAULT', null]) {
        expect(sees(scope, credit(P1, type)), String(type)).to.equal(true);
        expect(sees(scope, credit(L1B, type)), String(type)).to.equal(true);
        expect(sees(scope, credit(L2A, type)), `other organization ${type}`).to.equal(false);
      }
    });

    it('fails closed on an unknown sharing type: only the owner sees it', () => {
      expect(sees(scopeFor(who(L1A)), credit(P1, 'SHARED_WITH_PARTNERS'))).to.equal(false);
      expect(sees(scopeFor(who(L1A)), credit(L1A, 'SHARED_WITH_PARTNERS'))).to.equal(true);
    });

    it("hides a DISABLED credit from every account but its owner's", () => {
      expect(sees(scopeFor(who(L1A)), credit(P1, 'DISABLED'))).to.equal(false);
      expect(sees(scopeFor(who(L1A)), credit(L1B, 'DISABLED'))).to.equal(false);
    });

    it('shows a CUSTOM credit to the accounts it lists, within the organization', () => {
      expect(sees(scopeFor(who(L1A)), credit(P1, 'CUSTOM', { shareableAccounts: [L1B, L1A] }))).to.equal(true);
      expect(sees(scopeFor(who(L1A)), credit(P1, 'CUSTOM', { shareableAccounts: [L1B] }))).to.equal(false);
      expect(sees(scopeFor(who(L1A)), credit(P1, 'CUSTOM', {}))).to.equal(false);
      expect(sees(scopeFor(who(L2A)), credit(P1, 'CUSTOM', { shareableAccounts: [L2A] })), 'outside the organization').to.equal(false);
    });

    it('shows a COST_CATEGORY_RULE credit to the accounts the category assigns ruleName', () => {
      expect(sees(scopeFor(who(L1A)), credit(P1, 'COST_CATEGORY_RULE', { costCategoryArn: C1, ruleName: 'A' }))).to.equal(true);
      expect(sees(scopeFor(who(L1B)), credit(P1, 'COST_CATEGORY_RULE', { costCategoryArn: C1, ruleName: 'A' }))).to.equal(false);
      expect(sees(scopeFor(who(L1B)), credit(P1, 'COST_CATEGORY_RULE', { costCategoryArn: C1, ruleName: 'B' }))).to.equal(true);
      expect(sees(scopeFor(who(L1A)), credit(P1, 'COST_CATEGORY_RULE', { costCategoryArn: C2, ruleName: 'A' }))).to.equal(false);
      expect(sees(scopeFor(who(L1A)), credit(P1, 'COST_CATEGORY_RULE', {})), 'no category').to.equal(false);
    });

    it('never lets a linked account control a credit, not even its own', () => {
      const scope = scopeFor(who(L1A));
      expect(canControlCredit(scope, credit(L1A, 'DEFAULT'), owners.get(L1A))).to.equal(false);
      expect(canControlCredit(scope, credit(P1, 'DEFAULT'), owners.get(P1))).to.equal(false);
    });

    it('gives unknown accounts nothing', () => {
      expect(sees(scopeFor(who(UNKNOWN)), credit(UNKNOWN, 'DEFAULT'))).to.equal(false);
      expect(sees(EMPTY_SCOPE, credit(P1, 'DEFAULT'))).to.equal(false);
    });

    it('reads organization membership from the owner record, or the owner id for a management account', () => {
      expect(inOrganization(P2, P2, undefined)).to.equal(true);
      expect(inOrganization(P2, L2A, { payerAccountId: P2 })).to.equal(true);
      expect(inOrganization(P2, L2A, null)).to.equal(false);
    });
  });

  describe('accounts, allocation history and cost categories', () => {
    it('shows a payer its whole organization in full', () => {
      const scope = scopeFor(who(P1));
      for (const a of ACCOUNTS.slice(0, 3)) expect(seesFullAccount(scope, a)).to.equal(true);
      expect(canSeeAccount(scope, owners.get(L2A)!, false)).to.equal(false);
    });

    it('shows a linked account itself in full, and its payer and the owners of its credits minimally', () => {
      const scope = scopeFor(who(L1A));
      expect(seesFullAccount(scope, owners.get(L1A)!)).to.equal(true);
      expect(seesFullAccount(scope, owners.get(P1)!)).to.equal(false);
      expect(canSeeAccount(scope, owners.get(P1)!, false)).to.equal(true);
      expect(canSeeAccount(scope, owners.get(L1B)!, false)).to.equal(false);
      expect(canSeeAccount(scope, owners.get(L1B)!, true)).to.equal(true);
      const full = { accountId: P1, payerAccountId: P1, name: 'Payer', email: 'p@example.com', status: 'ACTIVE', joinedMethod: 'CREATED', joinedTimestamp: '2024-01-01T00:00:00.000Z' };
      expect(accountAsSeen(scope, full)).to.deep.equal({ ...full, email: null, status: null, joinedMethod: null, joinedTimestamp: null });
      expect(full.email).to.equal('p@example.com');
      expect(accountAsSeen(scopeFor(who(P1)), full)).to.equal(full);
    });

    it('shows a payer every allocation of its organization, a linked account only its own rows', () => {
      const payer = scopeFor(who(P1));
      const linked = scopeFor(who(L1A));
      const ofPayerCredit = { accountId: P1, owner: owners.get(P1) };
      expect(canSeeAllocation(payer, { accountId: L1B }, ofPayerCredit, owners.get(L1B))).to.equal(true);
      expect(canSeeAllocation(payer, { accountId: UNKNOWN }, ofPayerCredit, undefined), 'charged outside, credit inside').to.equal(true);
      expect(canSeeAllocation(payer, { accountId: L1A }, null, owners.get(L1A)), 'credit not loaded').to.equal(true);
      expect(canSeeAllocation(payer, { accountId: L2A }, { accountId: L2A, owner: owners.get(L2A) }, owners.get(L2A))).to.equal(false);
      expect(canSeeAllocation(linked, { accountId: L1A }, ofPayerCredit, owners.get(L1A))).to.equal(true);
      expect(canSeeAllocation(linked, { accountId: L1B }, ofPayerCredit, owners.get(L1B)), "a sibling's row").to.equal(false);
      expect(canSeeAllocation(linked, { accountId: L1B }, { accountId: L1A, owner: owners.get(L1A) }, owners.get(L1B)), "its own credit's row for a sibling").to.equal(false);
    });

    it("shows a payer its organization's cost categories, anyone those of the credits it sees", () => {
      expect(canSeeCostCategory(scopeFor(who(P1)), { payerAccountId: P1 }, false)).to.equal(true);
      expect(canSeeCostCategory(scopeFor(who(P1)), { payerAccountId: P2 }, false)).to.equal(false);
      expect(canSeeCostCategory(scopeFor(who(L1A)), { payerAccountId: P1 }, false)).to.equal(false);
      expect(canSeeCostCategory(scopeFor(who(L1A)), { payerAccountId: P1 }, true)).to.equal(true);
    });
  });

  describe('in SQL', () => {
    let dataDir: string;
    let db: DataSource;
    const SHARINGS = [
      credit('', 'DEFAULT'),
      credit('', null),
      credit('', 'SHARED_WITH_PARTNERS'),
      credit('', 'DISABLED'),
      credit('', 'CUSTOM', { shareableAccounts: [L1A] }),
      credit('', 'CUSTOM', { shareableAccounts: [L1B, L2A] }),
      credit('', 'CUSTOM', { shareableAccounts: [] }),
      credit('', 'CUSTOM'),
      credit('', 'COST_CATEGORY_RULE', { costCategoryArn: C1, ruleName: 'A' }),
      credit('', 'COST_CATEGORY_RULE', { costCategoryArn: C1, ruleName: 'B' }),
      credit('', 'COST_CATEGORY_RULE', { costCategoryArn: C1, ruleName: 'D' }),
      credit('', 'COST_CATEGORY_RULE', { costCategoryArn: C1, ruleName: "Z') OR 1=1 --" }),
      credit('', 'COST_CATEGORY_RULE', { costCategoryArn: C2, ruleName: 'X' }),
      credit('', 'COST_CATEGORY_RULE'),
    ];
    const OWNERS = [P1, L1A, L1B, P2, L2A, UNKNOWN];
    const CALLERS: Principal[] = [who(P1), who(L1A), who(L1B), who(P2), who(L2A), who(L1A, L2A), who(P1, L2A), who(L1A, P1), who(UNKNOWN), who()];

    before(async () => {
      dataDir = tempDir();
      db = await openAwsDatabase(dataDir);
      await db.manager.insert(
        AwsAccount,
        ACCOUNTS.map((a) => ({ ...a, arn: `arn:aws:organizations::${a.payerAccountId}:account/o-x/${a.accountId}`, name: a.name!, organizationId: `o-${a.payerAccountId}`, email: `${a.accountId}@example.com`, status: 'ACTIVE', joinedMethod: 'CREATED', joinedTimestamp: null })),
      );
      await db.manager.save(
        CATEGORIES.map((c) =>
          Object.assign(new AwsCostCategory(), { costCategoryArn: c.costCategoryArn, name: c.costCategoryArn, payerAccountId: c.payerAccountId, ruleDefinitions: c.definition.rules, defaultValue: c.definition.defaultValue, effectiveStart: null, ruleVersion: null }),
        ),
      );
      let n = 0;
      const credits: Partial<AwsCredit>[] = [];
      for (const owner of OWNERS) {
        for (const sharing of SHARINGS) {
          credits.push({
            ...sharing,
            accountId: owner,
            creditId: String(50000000000 + n++),
            creditType: 'Promotion',
            description: 'credit',
            initialCurrencyCode: 'USD',
            initialCurrencyAmount: '1',
            remainingCurrencyCode: 'USD',
            remainingCurrencyAmount: '1',
            applicableProductNames: [],
            startDate: '2026-01-01T00:00:00.000Z',
            creditStatus: 'ENABLED',
            searchText: 'credit',
            sortExpiresAt: '~',
            sortRemaining: '1',
          });
        }
      }
      for (const c of credits) await db.manager.insert(AwsCredit, c);
      const allocations: Partial<AwsCreditAllocation>[] = [];
      // Every owner's first credit, and a credit that is not loaded, charged to every account.
      const charged = [...OWNERS.map((_, i) => String(50000000000 + i * SHARINGS.length)), '59999999999'];
      for (const creditId of charged) {
        for (const accountId of OWNERS) {
          allocations.push({ creditId, accountId, appliedServiceName: 'EC2', billingMonth: '2026-09', productCode: '', origin: 'IMPORTED', currencyCode: 'USD', currencyAmount: '-1', isEstimatedBill: false, description: null });
        }
      }
      await db.manager.insert(AwsCreditAllocation, allocations);
    });
    after(async () => {
      await db.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('resolves the same scope from the database as from the facts', async () => {
      for (const caller of CALLERS) expect(await scopeOfCaller(db.manager, caller), caller.awsAccountIds.join(',')).to.deep.equal(scopeFor(caller));
    });

    it('selects exactly the credits, accounts, allocations and cost categories the predicates allow, for every caller', async () => {
      const credits = await db.manager.find(AwsCredit);
      const accounts = await db.manager.find(AwsAccount);
      const allocations = await db.manager.find(AwsCreditAllocation);
      const categories = await db.manager.find(AwsCostCategory);
      const creditsById = new Map(credits.map((c) => [c.creditId, c]));
      const sorted = (ids: string[]) => [...ids].sort();
      let seenSomething = 0;
      for (const caller of CALLERS) {
        const label = caller.awsAccountIds.join(',') || 'nobody';
        const scope = await scopeOfCaller(db.manager, caller);
        const repository = new AwsRepository(db.manager, scope);
        const visible = credits.filter((c) => canSeeCredit(scope, c, owners.get(c.accountId)));
        seenSomething += visible.length;
        expect(sorted((await repository.credits()).map((c) => c.creditId)), `credits of ${label}`).to.deep.equal(sorted(visible.map((c) => c.creditId)));

        const visibleOwners = new Set(visible.map((c) => c.accountId));
        const expectedAccounts = accounts.filter((a) => canSeeAccount(scope, a, visibleOwners.has(a.accountId)));
        const gotAccounts = await repository.accounts();
        expect(gotAccounts.map((a) => a.accountId), `accounts of ${label}`).to.deep.equal(sorted(expectedAccounts.map((a) => a.accountId)));
        for (const a of gotAccounts) expect(a.email === null, `${a.accountId} minimal for ${label}`).to.equal(!seesFullAccount(scope, a));

        const key = (a: AwsCreditAllocation) => `${a.creditId}/${a.accountId}`;
        const expectedAllocations = allocations.filter((a) => {
          const c = creditsById.get(a.creditId);
          return canSeeAllocation(scope, a, c ? { accountId: c.accountId, owner: owners.get(c.accountId) } : null, owners.get(a.accountId));
        });
        expect(sorted((await repository.allocations({})).map(key)), `allocations of ${label}`).to.deep.equal(sorted(expectedAllocations.map(key)));

        const usedArns = new Set(visible.filter((c) => c.creditSharingType === 'COST_CATEGORY_RULE').map((c) => c.costCategoryArn));
        const expectedCategories = categories.filter((k) => canSeeCostCategory(scope, k, usedArns.has(k.costCategoryArn)));
        expect(sorted((await repository.costCategories()).map((k) => k.costCategoryArn)), `categories of ${label}`).to.deep.equal(
          sorted(expectedCategories.map((k) => k.costCategoryArn)),
        );
      }
      expect(seenSomething).to.be.greaterThan(0);
    });

    it('builds parameters, never values, into the SQL text', () => {
      const scope: AwsScope = { payerIds: [], linked: [{ accountId: L1A, payerAccountId: P1, categoryValues: [{ costCategoryArn: C1, value: "x' OR '1'='1" }] }] };
      const condition = creditScopeSql('sqlite', scope, 'credit');
      expect(condition.sql).to.not.contain("x'");
      expect(condition.sql).to.not.contain(L1A);
      expect(Object.values(condition.params)).to.deep.include("x' OR '1'='1");
      expect(creditScopeSql('sqlite', EMPTY_SCOPE, 'credit').sql).to.equal('1 = 0');
    });
  });
});

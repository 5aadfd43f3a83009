/**
 * The AWS side of the charges ledger (lib/store/ledger.ts): an organization's credits as the
 * engine takes them, and the engine's results as AWS records: each credit's remaining and
 * estimated amounts (GetCredits), and computed GetCreditAllocationHistory entries per credit,
 * linked account, service, product code and month.
 *
 * The billing group is the organization's management (payer) account: a Programmatic Billing
 * file is one payer's. A credit belongs to the group of its owner account's organization.
 *
 * What the provider's snapshot covers stays authoritative: a credit's opening month is the month
 * after the later of the organization's last final month in imported allocation history and the
 * last closed month its GetCredits snapshot was loaded at (`snapshotThrough`), and not before the
 * credit starts; its opening balance is the GetCredits remaining amount. docs/CHARGES.md.
 */
import { lockBillingGroups } from '../../../lib/platform/database';
import type { EntityManager } from 'typeorm';
import { parseExact } from '../../../lib/domain/charges/amount';
import {
  controlChangeMonth,
  creditsWithBalances,
  recomputableGroups,
  noteCoverage,
  readControls,
  recomputeGroups,
  recordControlChange,
  type ChargeBook,
  type ControlState,
  type GroupComputation,
  type RecomputeSummary,
} from '../../../lib/store/ledger';
import { daysInMonth, laterMonth, monthOf, openingMonthOf } from '../../../lib/domain/charges/months';
import type { IngestTouches } from '../../../lib/store/ingest';
import type { CreditControls, EngineCredit } from '../../../lib/domain/charges/types';
import { creditSortKeys } from '../../../lib/domain/credit-order';
import { negateDecimal } from '../../../lib/domain/money';
import type { CostCategoryDefinition } from '../domain/cost-category-rules';
import { chargeScopeOf, SharingColumns, SharingLookups } from '../domain/sharing';
import { AwsCredit } from '../entities/credit';
import type { AwsCreditAllocation } from '../entities/credit-allocation';
import * as store from '../store';

/** The sharing settings a control entry records for an AWS credit. */
export type AwsSharingState = SharingColumns;

/** The control state of a stored credit, as its columns hold it. */
export function awsControlState(credit: Pick<AwsCredit, 'creditStatus' | keyof SharingColumns>): ControlState<AwsSharingState> {
  return {
    paused: credit.creditStatus === 'DISABLED',
    sharing: {
      creditSharingType: credit.creditSharingType,
      shareableAccounts: credit.shareableAccounts,
      costCategoryArn: credit.costCategoryArn,
      ruleName: credit.ruleName,
    },
  };
}

/** An organization's accounts, cost categories and the last final month of its imported history. */
interface Organization {
  payer: string;
  lookups: SharingLookups;
  /** The last final month of imported allocation history of the organization's credits. */
  historyThrough: string | null;
}

/**
 * The billing groups (payer accounts) of credits' owners: each owner's management account, or the
 * owner itself when the account is not loaded.
 */
export async function groupsOfOwners(manager: EntityManager, ownerIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(ownerIds)];
  const out = new Map(ids.map((id) => [id, id]));
  for (const [account, payer] of await store.payersOfAccounts(manager, ids)) out.set(account, payer);
  return out;
}

/** The credits of these organizations: owned by a member account, or by the payer id itself. */
function creditsOfGroups(manager: EntityManager, groups: readonly string[], members: readonly { accountId: string }[]): Promise<AwsCredit[]> {
  return store.creditsOwnedBy(manager, [...groups, ...members.map((m) => m.accountId)]);
}

/**
 * A charge book over the organizations of one recomputation. It remembers what it read for
 * `engineCredits`, so `project` writes without reading the credits again.
 */
export function createAwsChargeBook(): ChargeBook {
  let credits: AwsCredit[] = [];
  const groupOfCredit = new Map<string, string>();

  return {
    async engineCredits(manager, groups) {
      const members = await store.membersOfOrganizations(manager, groups);
      credits = await creditsOfGroups(manager, groups, members);
      const categories = await store.costCategoriesOfOrganizations(manager, groups);
      const organizations = new Map<string, Organization>();
      for (const payer of groups) {
        const mine = members.filter((m) => m.payerAccountId === payer);
        organizations.set(payer, {
          payer,
          historyThrough: null,
          lookups: {
            accounts: new Map(mine.map((m) => [m.accountId, m])),
            organizations: new Map([[payer, mine]]),
            categories: new Map(
              categories
                .filter((c) => c.payerAccountId === payer)
                .map((c) => [c.costCategoryArn, { costCategoryArn: c.costCategoryArn, name: c.name, payerAccountId: c.payerAccountId, definition: c.definition as CostCategoryDefinition }]),
            ),
          },
        });
      }
      const memberPayer = new Map(members.map((m) => [m.accountId, m.payerAccountId]));
      for (const c of credits) groupOfCredit.set(c.creditId, memberPayer.get(c.accountId) ?? c.accountId);
      const history = await store.lastImportedFinalMonths(manager, credits.map((c) => c.creditId));
      for (const c of credits) {
        const org = organizations.get(groupOfCredit.get(c.creditId)!);
        if (org) org.historyThrough = laterMonth(org.historyThrough, history.get(c.creditId) ?? null);
      }
      const controls = await readControls<AwsSharingState>(manager, credits.map((c) => c.creditId));
      // Months every credit of a group has from its snapshot are not this computation's to report.
      const coveredThrough = new Map<string, string | null>();
      const engineCredits = credits.map((c): EngineCredit => {
        const org = organizations.get(groupOfCredit.get(c.creditId)!)!;
        const startMonth = monthOf(c.startDate);
        const covered = laterMonth(org.historyThrough, c.snapshotThrough);
        noteCoverage(coveredThrough, org.payer, covered);
        const openingMonth = openingMonthOf(startMonth, covered);
        const entries = controls.get(c.creditId) ?? [{ fromMonth: openingMonth, ...awsControlState(c) }];
        return {
          id: c.creditId,
          group: org.payer,
          currency: c.remainingCurrencyCode,
          openingBalance: c.snapshotRemainingAmount ?? c.remainingCurrencyAmount,
          openingMonth,
          startsAt: c.startDate,
          expiresAt: c.endDate,
          applicableServices: c.applicableProductNames,
          controls: entries.map((e): CreditControls => ({ from: e.fromMonth, paused: e.paused, ...chargeScopeOf({ ...e.sharing, accountId: c.accountId }, org.lookups) })),
        };
      });
      return { credits: engineCredits, coveredThrough };
    },

    async project(manager, computation) {
      await projectCredits(manager, credits, computation);
      await projectAllocations(manager, credits, computation);
    },
  };
}

/** The served balances of each credit: the engine's when computed, the snapshot's otherwise; only changed rows are written. */
async function projectCredits(manager: EntityManager, credits: AwsCredit[], computation: GroupComputation): Promise<void> {
  const outcomes = new Map(computation.result.credits.map((o) => [o.creditId, o]));
  const changes: { creditId: string; set: Partial<AwsCredit> }[] = [];
  for (const credit of credits) {
    const outcome = outcomes.get(credit.creditId);
    let next: Pick<AwsCredit, 'remainingCurrencyAmount' | 'estimatedCurrencyCode' | 'estimatedCurrencyAmount' | 'exhaustDate' | 'expiredAmount'>;
    if (outcome && computation.computed.has(credit.creditId)) {
      const usedUp = parseExact(outcome.remaining).units === 0n && parseExact(outcome.expired).units === 0n && parseExact(outcome.openingBalance).units > 0n;
      const month = computation.lastFinalApplication.get(credit.creditId);
      next = {
        remainingCurrencyAmount: outcome.remaining,
        estimatedCurrencyCode: credit.remainingCurrencyCode,
        estimatedCurrencyAmount: outcome.estimated,
        // AWS stamps the day a credit ran out; the engine knows the month (its last final application).
        exhaustDate: usedUp && month ? `${month}-${String(daysInMonth(month)).padStart(2, '0')}T00:00:00.000Z` : credit.snapshotExhaustDate,
        expiredAmount: outcome.expired,
      };
    } else {
      next = {
        remainingCurrencyAmount: credit.snapshotRemainingAmount ?? credit.remainingCurrencyAmount,
        estimatedCurrencyCode: credit.snapshotEstimatedAmount === null ? null : credit.remainingCurrencyCode,
        estimatedCurrencyAmount: credit.snapshotEstimatedAmount,
        exhaustDate: credit.snapshotExhaustDate,
        expiredAmount: '0',
      };
    }
    const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) => credit[k] !== next[k]);
    if (!changed) continue;
    const sortRemaining = creditSortKeys({ expiresAt: credit.endDate, remaining: next.remainingCurrencyAmount }).sortRemaining;
    changes.push({ creditId: credit.creditId, set: { ...next, sortRemaining } });
    Object.assign(credit, next, { sortRemaining });
  }
  // One set-based UPDATE for many credits instead of one statement per credit.
  await store.updateCredits(manager, changes);
}

/**
 * Computed allocation history replaces the previous computation's; imported estimates of months
 * that billing files now cover (in or after the credit's opening month) are marked superseded.
 */
async function projectAllocations(manager: EntityManager, credits: AwsCredit[], computation: GroupComputation): Promise<void> {
  await store.clearComputedAllocations(
    manager,
    credits.map((c) => c.creditId),
  );
  const monthsByGroup = new Map<string, Set<string>>();
  for (const p of computation.periods) monthsByGroup.set(p.group, (monthsByGroup.get(p.group) ?? new Set()).add(p.month));
  // Credits with the same group and opening month share one statement.
  const byOpening = new Map<string, { months: string[]; ids: string[] }>();
  for (const c of computation.credits) {
    const months = [...(monthsByGroup.get(c.group) ?? [])].filter((m) => m >= c.openingMonth);
    if (months.length === 0) continue;
    const key = `${c.group}\u0001${c.openingMonth}`;
    const entry = byOpening.get(key) ?? { months, ids: [] };
    entry.ids.push(c.id);
    byOpening.set(key, entry);
  }
  for (const { months, ids } of byOpening.values()) await store.supersedeImportedAllocations(manager, ids, months);
  const descriptions = new Map(credits.map((c) => [c.creditId, c.description]));
  await store.insertAllocations(
    manager,
    computation.result.applications.map((a) => ({
      creditId: a.creditId,
      accountId: a.consumerId,
      appliedServiceName: a.service,
      billingMonth: a.month,
      productCode: a.productCode,
      origin: 'COMPUTED',
      superseded: false,
      currencyCode: a.currency,
      // AWS writes what a credit paid as a negative amount.
      currencyAmount: negateDecimal(a.amount),
      description: descriptions.get(a.creditId) ?? null,
      isEstimatedBill: a.estimated,
    })) as AwsCreditAllocation[],
  );
}

/** What the organization's snapshot covers: its last final month of imported history. */
async function historyThroughOfGroup(manager: EntityManager, group: string): Promise<string | null> {
  const members = await store.membersOfOrganizations(manager, [group]);
  const ids = (await creditsOfGroups(manager, [group], members)).map((c) => c.creditId);
  let through: string | null = null;
  for (const m of (await store.lastImportedFinalMonths(manager, ids)).values()) through = laterMonth(through, m);
  return through;
}

/**
 * Records a change of a credit's pause or sharing made at `now` (through this API, or seen in a
 * newer GetCredits file), from the first open month of its organization (after its last closed
 * month), so closed months keep the controls they had. `historyCache` keeps each organization's
 * history month across the changes of one load.
 */
export async function recordAwsControlChange(
  manager: EntityManager,
  credit: Pick<AwsCredit, 'creditId' | 'accountId' | 'snapshotThrough'>,
  before: ControlState<AwsSharingState>,
  after: ControlState<AwsSharingState>,
  now: string,
  historyCache = new Map<string, string | null>(),
): Promise<string> {
  const group = (await groupsOfOwners(manager, [credit.accountId])).get(credit.accountId)!;
  if (!historyCache.has(group)) historyCache.set(group, await historyThroughOfGroup(manager, group));
  const covered = laterMonth(historyCache.get(group)!, credit.snapshotThrough);
  await recordControlChange(manager, credit.creditId, await controlChangeMonth(manager, group, covered, now), before, after, now);
  return group;
}

/**
 * Locks the organization of a credit about to be paused, activated or re-shared, before anything
 * of it is read, so two replicas changing one organization's credits go one after the other
 * (lib/platform/database.ts lockBillingGroups). An unknown credit locks nothing.
 */
export async function lockGroupOfCredit(manager: EntityManager, creditId: string): Promise<void> {
  await lockBillingGroups(manager, async () => {
    const owner = (await store.ownersOfCredits(manager, [creditId])).get(creditId);
    return owner === undefined ? [] : [(await groupsOfOwners(manager, [owner])).get(owner)!];
  });
}

/**
 * Records a pause, activation or re-share made through this API and recomputes the credit's
 * organization at once, so the open months' estimates reflect it.
 */
export async function applyAwsControlChange(
  manager: EntityManager,
  credit: AwsCredit,
  before: ControlState<AwsSharingState>,
  after: ControlState<AwsSharingState>,
  now: string,
): Promise<void> {
  const group = await recordAwsControlChange(manager, credit, before, after, now);
  await recomputeGroups(manager, createAwsChargeBook(), [group]);
}

/**
 * Recomputes the organizations a load touched. Only organizations that have billing periods, or
 * had computed balances before, need it; a load that moves accounts between organizations
 * (`touched.everything`) also recomputes the new organization of every credit computed before, so
 * none keeps balances of the organization it left.
 */
export async function recomputeAws(manager: EntityManager, touched: IngestTouches): Promise<RecomputeSummary | null> {
  const relevant = await recomputableGroups(manager);
  const groups = new Set<string>();
  if (touched.everything) {
    for (const g of relevant) groups.add(g);
    // Every computed credit's balances, to move them with their owner (read only for such a load).
    const computed = await creditsWithBalances(manager);
    const owners = await store.ownersOfCredits(manager, computed);
    const current = await groupsOfOwners(manager, [...owners.values()]);
    for (const creditId of computed) {
      const owner = owners.get(creditId);
      if (owner !== undefined) groups.add(current.get(owner)!);
    }
  } else {
    for (const g of touched.groups) if (relevant.has(g)) groups.add(g);
    const owners = await store.ownersOfCredits(manager, [...touched.credits]);
    for (const g of (await groupsOfOwners(manager, [...owners.values()])).values()) if (relevant.has(g)) groups.add(g);
  }
  return groups.size === 0 ? null : recomputeGroups(manager, createAwsChargeBook(), [...groups].sort(), touched.storedCharges);
}

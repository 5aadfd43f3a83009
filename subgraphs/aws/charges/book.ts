/**
 * The AWS side of the charges ledger (lib/charges/ledger.ts): an organization's credits as the
 * engine takes them, and the engine's results as AWS records: each credit's remaining and
 * estimated amounts (GetCredits), and computed GetCreditAllocationHistory entries per credit,
 * linked account, service, product code and month.
 *
 * The billing group is the organization's management (payer) account: a Programmatic Billing
 * file is one payer's. A credit belongs to the group of its owner account's organization.
 *
 * What the provider's snapshot covers stays authoritative: a credit's opening month is the month
 * after the organization's last final month in imported allocation history (and not before the
 * credit starts), and its opening balance the GetCredits remaining amount. docs/CHARGES.md.
 */
import { EntityManager, In } from 'typeorm';
import { parseExact } from '../../../lib/charges/amount';
import { recordControlChange, readControls, type ChargeBook, type ControlState, type GroupComputation, insertRows, lastClosedMonth, recomputeGroups } from '../../../lib/charges/ledger';
import { daysInMonth, firstOpenMonth, laterMonth, monthOf, nextMonth } from '../../../lib/charges/months';
import type { CreditControls, EngineCredit } from '../../../lib/charges/types';
import { creditSortKeys } from '../../../lib/credit-order';
import { negateDecimal } from '../../../lib/money';
import type { CostCategoryDefinition } from '../domain/cost-category-rules';
import { chargeScopeOf, SharingColumns, SharingLookups } from '../domain/sharing';
import { AwsAccount } from '../entities/account';
import { AwsCostCategory } from '../entities/cost-category';
import { AwsCredit } from '../entities/credit';
import { AwsCreditAllocation } from '../entities/credit-allocation';

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

/** An organization's accounts, cost categories and the snapshot's last closed month. */
interface Organization {
  payer: string;
  lookups: SharingLookups;
  /** The last final month of imported allocation history of the organization's credits. */
  snapshotThrough: string | null;
}

/** The billing group (payer account) of a credit: its owner's management account, or the owner itself when the account is not loaded. */
async function groupOf(manager: EntityManager, ownerAccountId: string): Promise<string> {
  const owner = await manager.findOne(AwsAccount, { where: { accountId: ownerAccountId }, select: ['accountId', 'payerAccountId'] });
  return owner?.payerAccountId ?? ownerAccountId;
}

/** The credits of these organizations: owned by a member account, or by the payer id itself. */
async function creditsOfGroups(manager: EntityManager, groups: string[], members: AwsAccount[]): Promise<AwsCredit[]> {
  const owners = [...new Set([...groups, ...members.map((m) => m.accountId)])];
  const credits: AwsCredit[] = [];
  for (let i = 0; i < owners.length; i += 900) credits.push(...(await manager.find(AwsCredit, { where: { accountId: In(owners.slice(i, i + 900)) } })));
  return credits.sort((a, b) => (a.creditId < b.creditId ? -1 : 1));
}

/** The last final month of imported allocation history per credit. */
async function snapshotMonths(manager: EntityManager, creditIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < creditIds.length; i += 900) {
    const rows = await manager
      .createQueryBuilder(AwsCreditAllocation, 'a')
      .select('a.creditId', 'creditId')
      .addSelect('MAX(a.billingMonth)', 'month')
      .where("a.origin = 'IMPORTED' AND a.isEstimatedBill = 0 AND a.creditId IN (:...ids)", { ids: creditIds.slice(i, i + 900) })
      .groupBy('a.creditId')
      .getRawMany<{ creditId: string; month: string }>();
    for (const r of rows) out.set(r.creditId, r.month);
  }
  return out;
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
      const members = groups.length === 0 ? [] : await manager.find(AwsAccount, { where: { payerAccountId: In(groups) }, order: { accountId: 'ASC' } });
      credits = await creditsOfGroups(manager, groups, members);
      const categories = groups.length === 0 ? [] : await manager.find(AwsCostCategory, { where: { payerAccountId: In(groups) } });
      const organizations = new Map<string, Organization>();
      for (const payer of groups) {
        const mine = members.filter((m) => m.payerAccountId === payer);
        organizations.set(payer, {
          payer,
          snapshotThrough: null,
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
      const snapshots = await snapshotMonths(manager, credits.map((c) => c.creditId));
      for (const c of credits) {
        const org = organizations.get(groupOfCredit.get(c.creditId)!);
        if (org) org.snapshotThrough = laterMonth(org.snapshotThrough, snapshots.get(c.creditId) ?? null);
      }
      const controls = await readControls<AwsSharingState>(manager, credits.map((c) => c.creditId));

      return credits.map((c): EngineCredit => {
        const org = organizations.get(groupOfCredit.get(c.creditId)!)!;
        const startMonth = monthOf(c.startDate);
        const openingMonth = org.snapshotThrough !== null && nextMonth(org.snapshotThrough) > startMonth ? nextMonth(org.snapshotThrough) : startMonth;
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
  const lastApplied = new Map<string, string>();
  for (const a of computation.result.applications) if (!a.estimated && (lastApplied.get(a.creditId) ?? '') < a.month) lastApplied.set(a.creditId, a.month);
  for (const credit of credits) {
    const outcome = outcomes.get(credit.creditId);
    let next: Pick<AwsCredit, 'remainingCurrencyAmount' | 'estimatedCurrencyCode' | 'estimatedCurrencyAmount' | 'exhaustDate' | 'expiredAmount'>;
    if (outcome && computation.computed.has(credit.creditId)) {
      const usedUp = parseExact(outcome.remaining).units === 0n && parseExact(outcome.expired).units === 0n && parseExact(outcome.openingBalance).units > 0n;
      const month = lastApplied.get(credit.creditId);
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
    await manager.update(AwsCredit, { creditId: credit.creditId }, { ...next, sortRemaining });
    Object.assign(credit, next, { sortRemaining });
  }
}

/**
 * Computed allocation history replaces the previous computation's; imported estimates of months
 * that billing files now cover (in or after the credit's opening month) are marked superseded.
 */
async function projectAllocations(manager: EntityManager, credits: AwsCredit[], computation: GroupComputation): Promise<void> {
  const ids = credits.map((c) => c.creditId);
  for (let i = 0; i < ids.length; i += 900) {
    const slice = ids.slice(i, i + 900);
    await manager.createQueryBuilder().delete().from(AwsCreditAllocation).where("origin = 'COMPUTED' AND creditId IN (:...slice)", { slice }).execute();
    await manager.createQueryBuilder().update(AwsCreditAllocation).set({ superseded: false }).where("origin = 'IMPORTED' AND superseded = 1 AND creditId IN (:...slice)", { slice }).execute();
  }
  const monthsByGroup = new Map<string, Set<string>>();
  for (const p of computation.periods) monthsByGroup.set(p.group, (monthsByGroup.get(p.group) ?? new Set()).add(p.month));
  // Credits with the same group and opening month share one statement.
  const byOpening = new Map<string, { months: string[]; opening: string; ids: string[] }>();
  for (const c of computation.credits) {
    const months = [...(monthsByGroup.get(c.group) ?? [])].filter((m) => m >= c.openingMonth);
    if (months.length === 0) continue;
    const key = `${c.group}\u0001${c.openingMonth}`;
    const entry = byOpening.get(key) ?? { months, opening: c.openingMonth, ids: [] };
    entry.ids.push(c.id);
    byOpening.set(key, entry);
  }
  for (const { months, ids: group } of byOpening.values()) {
    for (let i = 0; i < group.length; i += 500) {
      await manager
        .createQueryBuilder()
        .update(AwsCreditAllocation)
        .set({ superseded: true })
        .where("origin = 'IMPORTED' AND creditId IN (:...ids) AND billingMonth IN (:...months)", { ids: group.slice(i, i + 500), months })
        .execute();
    }
  }
  const descriptions = new Map(credits.map((c) => [c.creditId, c.description]));
  await insertRows(
    manager,
    AwsCreditAllocation,
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

/**
 * Records a pause, activation or re-share of a credit made at `now` and recomputes its
 * organization at once, so the open month's estimate reflects it. The change holds from the
 * first open month (after the organization's last closed month, never after `now`'s month).
 */
export async function applyAwsControlChange(
  manager: EntityManager,
  credit: AwsCredit,
  before: ControlState<AwsSharingState>,
  after: ControlState<AwsSharingState>,
  now: string,
): Promise<void> {
  const group = await groupOf(manager, credit.accountId);
  const snapshot = await snapshotMonths(manager, await creditIdsOfGroup(manager, group));
  let snapshotThrough: string | null = null;
  for (const m of snapshot.values()) snapshotThrough = laterMonth(snapshotThrough, m);
  const from = firstOpenMonth(await lastClosedMonth(manager, group, snapshotThrough), now);
  await recordControlChange(manager, credit.creditId, from, before, after, now);
  await recomputeGroups(manager, createAwsChargeBook(), [group]);
}

async function creditIdsOfGroup(manager: EntityManager, group: string): Promise<string[]> {
  const members = await manager.find(AwsAccount, { where: { payerAccountId: group }, select: ['accountId'] });
  return (await creditsOfGroups(manager, [group], members as AwsAccount[])).map((c) => c.creditId);
}

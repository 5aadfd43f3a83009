/**
 * The statements the AWS charge book (charges/book.ts) and the loads run on the AWS tables: an
 * organization's members, credits and cost categories, the last final month of imported
 * allocation history, and the engine's results written back as served balances and computed
 * allocation history. Large sets are read in slices (lib/store/ledger.ts inSlices) and written
 * set-based (lib/store/bulk-sql.ts).
 */
import { EntityManager, In } from 'typeorm';
import { insertRows, updateRows } from '../../../lib/store/bulk-sql';
import { inSlices } from '../../../lib/store/ledger';
import { AwsAccount } from '../entities/account';
import { AwsCostCategory } from '../entities/cost-category';
import { AwsCredit } from '../entities/credit';
import { AwsCreditAllocation } from '../entities/credit-allocation';

/** The management (payer) account of each of these accounts that is loaded (absent: not loaded). */
export async function payersOfAccounts(manager: EntityManager, accountIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await inSlices(accountIds, (slice) => manager.find(AwsAccount, { where: { accountId: In(slice) }, select: ['accountId', 'payerAccountId'] }));
  return new Map(rows.map((r) => [r.accountId, r.payerAccountId]));
}

/** The member accounts of these organizations (by management account), in account id order. */
export function membersOfOrganizations(manager: EntityManager, payerIds: readonly string[]): Promise<AwsAccount[]> {
  if (payerIds.length === 0) return Promise.resolve([]);
  return manager.find(AwsAccount, { where: { payerAccountId: In([...payerIds]) }, order: { accountId: 'ASC' } });
}

/** The cost categories of these organizations. */
export function costCategoriesOfOrganizations(manager: EntityManager, payerIds: readonly string[]): Promise<AwsCostCategory[]> {
  if (payerIds.length === 0) return Promise.resolve([]);
  return manager.find(AwsCostCategory, { where: { payerAccountId: In([...payerIds]) } });
}

/** The credits these accounts own, in credit id order. */
export async function creditsOwnedBy(manager: EntityManager, ownerIds: readonly string[]): Promise<AwsCredit[]> {
  const credits = await inSlices([...new Set(ownerIds)], (slice) => manager.find(AwsCredit, { where: { accountId: In(slice) } }));
  return credits.sort((a, b) => (a.creditId < b.creditId ? -1 : 1));
}

/** The stored credits with these ids, whole, whoever may see them (the loads' own read; callers' reads go through the repository). */
export function storedCreditsByIds(manager: EntityManager, creditIds: readonly string[]): Promise<AwsCredit[]> {
  return inSlices(creditIds, (slice) => manager.find(AwsCredit, { where: { creditId: In(slice) } }));
}

/** The owner account of each of these credits (absent: no such credit). */
export async function ownersOfCredits(manager: EntityManager, creditIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await inSlices(creditIds, (slice) => manager.find(AwsCredit, { where: { creditId: In(slice) }, select: ['creditId', 'accountId'] }));
  return new Map(rows.map((r) => [r.creditId, r.accountId]));
}

/** The last final month of imported allocation history of each of these credits (absent: none). */
export async function lastImportedFinalMonths(manager: EntityManager, creditIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await inSlices(creditIds, (ids) =>
    manager
      .createQueryBuilder(AwsCreditAllocation, 'a')
      .select('a.creditId', 'creditId')
      .addSelect('MAX(a.billingMonth)', 'month')
      .where("a.origin = 'IMPORTED' AND a.isEstimatedBill = FALSE AND a.creditId IN (:...ids)", { ids })
      .groupBy('a.creditId')
      .getRawMany<{ creditId: string; month: string }>(),
  );
  return new Map(rows.map((r) => [r.creditId, r.month]));
}

/** Sets columns of credits by id, set-based (one statement for many credits); every change sets the same columns. */
export function updateCredits(manager: EntityManager, changes: readonly { creditId: string; set: Partial<AwsCredit> }[]): Promise<void> {
  return updateRows(
    manager,
    AwsCredit,
    changes.map((c) => ({ key: { creditId: c.creditId }, set: c.set })),
  );
}

/** Sets a credit's control columns (status, sharing) and when they were changed through this API. */
export async function setCreditControls(manager: EntityManager, creditId: string, set: Partial<Pick<AwsCredit, 'creditStatus' | 'creditSharingType' | 'shareableAccounts' | 'costCategoryArn' | 'ruleName' | 'controlsChangedAt'>>): Promise<void> {
  await manager.update(AwsCredit, { creditId }, set);
}

/**
 * Clears what the previous computation wrote for these credits: their computed allocation
 * history, and the superseded mark on imported entries (a recompute marks them again).
 */
export async function clearComputedAllocations(manager: EntityManager, creditIds: readonly string[]): Promise<void> {
  await inSlices(creditIds, async (slice) => {
    await manager.createQueryBuilder().delete().from(AwsCreditAllocation).where(`"origin" = 'COMPUTED' AND "creditId" IN (:...slice)`, { slice }).execute();
    await manager.createQueryBuilder().update(AwsCreditAllocation).set({ superseded: false }).where(`"origin" = 'IMPORTED' AND "superseded" = TRUE AND "creditId" IN (:...slice)`, { slice }).execute();
  });
}

/** Marks the imported allocation history of these credits in these months superseded (billing files now cover them). */
export async function supersedeImportedAllocations(manager: EntityManager, creditIds: readonly string[], months: readonly string[]): Promise<void> {
  if (months.length === 0) return;
  await inSlices(creditIds, async (ids) => {
    await manager
      .createQueryBuilder()
      .update(AwsCreditAllocation)
      .set({ superseded: true })
      .where(`"origin" = 'IMPORTED' AND "creditId" IN (:...ids) AND "billingMonth" IN (:...months)`, { ids, months: [...months] })
      .execute();
  });
}

/** Writes allocation history entries, many a statement. */
export function insertAllocations(manager: EntityManager, rows: readonly AwsCreditAllocation[]): Promise<void> {
  return insertRows(manager, AwsCreditAllocation, rows);
}

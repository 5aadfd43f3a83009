/**
 * The statements the Azure charge book (charges/book.ts) and the loads run on the Azure tables: a
 * profile's lots as recomputing reads them, the last invoiced imported event per profile, the
 * imported events a recompute supersedes, and the engine's results written back as lot balances
 * and computed events. Large sets are read in slices (lib/store/ledger.ts inSlices) and written
 * set-based (lib/store/bulk-sql.ts); the event statements name their partial indexes
 * (event-indexes.ts).
 */
import { EntityManager, type FindOptionsSelect, In } from 'typeorm';
import { insertRows, parameters, placeholders, updateRows } from '../../../lib/store/bulk-sql';
import { inSlices } from '../../../lib/store/ledger';
import { dialectOf, indexedBy } from '../../../lib/platform/sql-dialect';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureCreditEvent } from '../entities/credit-event';
import { AzureCreditLot } from '../entities/credit-lot';
import { AzureInvoiceSection } from '../entities/invoice-section';
import { EVENT_INDEXES, IMPORTED_PENDING_OR_NEW_CREDIT, SUPERSEDED } from './event-indexes';

/**
 * The columns of a lot recomputing reads and writes back, 28 of its 45: sqlite3 turning every
 * column of 10,000 lots into JavaScript values was most of reading them (0.6-1.1 s). The lots are
 * typed as these properties only, so the compiler catches a use of another; an embedded amount is
 * typed whole, so each is selected whole (writing one back spreads all of its columns).
 */
const CHARGE_LOT_COLUMNS = {
  id: true,
  name: true,
  billingAccountId: true,
  billingProfileId: true,
  source: true,
  status: true,
  startDate: true,
  purchasedDate: true,
  expirationDate: true,
  snapshotStatus: true,
  snapshotThrough: true,
  snapshotClosedBalance: true,
  snapshotClosedBalanceInBillingCurrency: true,
  originalAmountColumns: { currency: true, value: true },
  closedBalanceColumns: { currency: true, value: true },
  closedBalanceInBillingCurrencyColumns: { currency: true, value: true, exchangeRate: true, exchangeRateMonth: true },
  isEstimatedBalance: true,
  estimatedBalanceValue: true,
  expiredAmountValue: true,
  paused: true,
  sharedInvoiceSectionIds: true,
  resellerId: true,
  resellerDescription: true,
} as const satisfies FindOptionsSelect<AzureCreditLot>;

/** A lot as recomputing reads it. */
export type ChargeLot = Pick<AzureCreditLot, keyof typeof CHARGE_LOT_COLUMNS>;

/** An imported event as a recompute reads it (pending events it supersedes, new credits it does not write twice). */
export type ImportedEventFacts = Pick<AzureCreditEvent, 'id' | 'billingProfileId' | 'lotId' | 'eventType' | 'transactionDate'>;

/** The lots of these billing profiles, as recomputing reads them, in id order. */
export function chargeLotsOfProfiles(manager: EntityManager, profileIds: readonly string[]): Promise<ChargeLot[]> {
  if (profileIds.length === 0) return Promise.resolve([]);
  return manager.find(AzureCreditLot, { select: CHARGE_LOT_COLUMNS, where: { billingProfileId: In([...profileIds]) }, order: { id: 'ASC' } });
}

/** The stored lots with these ids, whole, whoever may see them (the loads' own read; callers' reads go through the repository). */
export function storedLotsByIds(manager: EntityManager, lotIds: readonly string[]): Promise<AzureCreditLot[]> {
  return inSlices(lotIds, (slice) => manager.find(AzureCreditLot, { where: { id: In(slice) } }));
}

/** The billing profile of each of these lots (absent: no such lot). */
export async function profilesOfLots(manager: EntityManager, lotIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await inSlices(lotIds, (slice) => manager.find(AzureCreditLot, { where: { id: In(slice) }, select: ['id', 'billingProfileId'] }));
  return new Map(rows.map((r) => [r.id, r.billingProfileId]));
}

/** Every loaded billing profile's id and name (what a cost details file's profile column may name). */
export function profileNames(manager: EntityManager): Promise<Pick<AzureBillingProfile, 'id' | 'name'>[]> {
  return manager.find(AzureBillingProfile, { select: ['id', 'name'] });
}

/** The billing profiles with these ids. */
export function profilesByIds(manager: EntityManager, profileIds: readonly string[]): Promise<AzureBillingProfile[]> {
  if (profileIds.length === 0) return Promise.resolve([]);
  return manager.find(AzureBillingProfile, { where: { id: In([...profileIds]) } });
}

/** The invoice sections of these billing profiles: ids and names. */
export function sectionNamesOfProfiles(manager: EntityManager, profileIds: readonly string[]): Promise<Pick<AzureInvoiceSection, 'id' | 'name' | 'billingProfileId'>[]> {
  return inSlices(profileIds, (slice) => manager.find(AzureInvoiceSection, { where: { billingProfileId: In(slice) }, select: ['id', 'name', 'billingProfileId'] }));
}

/**
 * The transaction date of the latest imported invoiced event of each of these profiles (absent:
 * none). Per profile, its events are walked from the latest (the (billingProfileId,
 * transactionDate) index) to the first invoiced imported one: a MAX over the profile's events
 * filtered by origin made SQLite read all of them (a million events: 0.5-1.7 s; this: 40-120 ms).
 */
export async function lastInvoicedEventDates(manager: EntityManager, profileIds: readonly string[]): Promise<Map<string, string>> {
  // PostgreSQL without statistics (a database just loaded, before autovacuum analyzed it) takes
  // `origin` for selective and ANDs its index with the profile's, reading every imported event of
  // every profile (1 s for 300,000 events): compared as an expression, it is only a filter on the walk.
  const origin = dialectOf(manager) === 'postgres' ? `(e."origin" || '')` : 'e."origin"';
  const rows = await inSlices(profileIds, (slice) => {
    const parameter = parameters(manager);
    return manager.query(
      `WITH p(id) AS (VALUES ${slice.map(() => `(${parameter.next()})`).join(', ')})
       SELECT p.id AS profile,
              (SELECT e."transactionDate" FROM azure_credit_event e
                WHERE e."billingProfileId" = p.id AND ${origin} = 'IMPORTED' AND e."invoiceNumber" IS NOT NULL AND e."invoiceNumber" <> ''
                ORDER BY e."transactionDate" DESC LIMIT 1) AS last
       FROM p`,
      slice,
    ) as Promise<{ profile: string; last: string | null }[]>;
  });
  return new Map(rows.filter((r) => r.last !== null).map((r) => [r.profile, r.last!]));
}

/** Sets columns of lots by id, set-based (one statement for many lots); every change sets the same columns. */
export function updateLots(manager: EntityManager, changes: readonly { lotId: string; set: Partial<AzureCreditLot> }[]): Promise<void> {
  return updateRows(
    manager,
    AzureCreditLot,
    changes.map((c) => ({ key: { id: c.lotId }, set: c.set })),
  );
}

/** Sets a lot's control columns (this product's pause and sharing extension). */
export async function setLotControls(manager: EntityManager, lotId: string, set: Partial<Pick<AzureCreditLot, 'paused' | 'sharedInvoiceSectionIds'>>): Promise<void> {
  await manager.update(AzureCreditLot, { id: lotId }, set);
}

/**
 * Clears what the previous computation wrote for these profiles: their computed events, and the
 * superseded mark on imported ones (a recompute marks them again).
 */
export async function clearComputedEvents(manager: EntityManager, profileIds: readonly string[]): Promise<void> {
  const dialect = dialectOf(manager);
  await inSlices(profileIds, async (slice) => {
    await manager.createQueryBuilder().delete().from(AzureCreditEvent).where(`"origin" = 'COMPUTED' AND "billingProfileId" IN (:...slice)`, { slice }).execute();
    await manager.query(
      `UPDATE azure_credit_event${indexedBy(dialect, EVENT_INDEXES.superseded)} SET "superseded" = FALSE WHERE ${SUPERSEDED} AND "origin" = 'IMPORTED' AND "billingProfileId" IN (${placeholders(manager, slice)})`,
      slice,
    );
  });
}

/**
 * The imported pending events and new credits of these profiles, as plain rows through their own
 * index: a tenth of a profile's imported events.
 */
export function importedPendingOrNewCreditEvents(manager: EntityManager, profileIds: readonly string[]): Promise<ImportedEventFacts[]> {
  const dialect = dialectOf(manager);
  return inSlices(profileIds, (slice) =>
    manager.query(
      `SELECT "id", "billingProfileId", "lotId", "eventType", "transactionDate" FROM azure_credit_event${indexedBy(dialect, EVENT_INDEXES.importedPendingOrNewCredit)}
       WHERE ${IMPORTED_PENDING_OR_NEW_CREDIT} AND "billingProfileId" IN (${placeholders(manager, slice)})`,
      slice,
    ) as Promise<ImportedEventFacts[]>,
  );
}

/** Marks these events superseded (cost details now cover their months). */
export async function supersedeEvents(manager: EntityManager, eventIds: readonly string[]): Promise<void> {
  await inSlices(eventIds, async (ids) => {
    await manager.createQueryBuilder().update(AzureCreditEvent).set({ superseded: true }).where('id IN (:...ids)', { ids }).execute();
  });
}

/** Writes events (embedded amounts as nested objects, as TypeORM takes them), many a statement. */
export function insertEvents(manager: EntityManager, rows: readonly AzureCreditEvent[]): Promise<void> {
  return insertRows(manager, AzureCreditEvent, rows);
}

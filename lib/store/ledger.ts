/**
 * The charges ledger of one provider database: storing the billing periods files bring,
 * recording pause and sharing changes by month, and recomputing a billing group's credits with
 * the engine. Provider-neutral: a provider supplies a `ChargeBook` (its credits as engine
 * credits, and how results become its native records) and this module does the rest, in the
 * caller's transaction.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { BUSY_RETRY_FOR_MS, lockBillingGroups, writeTransaction } from '../platform/database';
import { In } from 'typeorm';
import { ExactSum } from '../domain/charges/amount';
import { insertRows, placeholders, upsertRows } from './bulk-sql';
import { applyCharges } from '../domain/charges/engine';
import type { IngestProblem, IngestTouches } from './ingest';
import { firstOpenMonth, laterMonth } from '../domain/charges/months';
import { APPLICATIONS_DOCUMENT, CHARGES_DOCUMENT } from './row-documents';
import { compareText } from '../domain/credit-order';
import {
  BillingPeriodRow,
  ConsumerMonthRow,
  CreditApplicationsRow,
  CreditBalanceRow,
  CreditControlRow,
  PeriodChargesRow,
} from './storage';
import type { CreditApplication, EngineCharge, EngineCredit, EnginePeriod, EngineResult } from '../domain/charges/types';

/** One billing month of one group, as a parsed billing file gives it. */
export interface LoadedPeriod {
  group: string;
  month: string;
  final: boolean;
  invoiceIds: string[];
  /** The last usage day the file holds (YYYY-MM-DD), or null when it holds no charge. */
  dataThrough: string | null;
  charges: EngineCharge[];
}

/** A stored period, as the engine takes it, with what the file said about it. */
export interface StoredPeriod extends EnginePeriod {
  invoiceIds: string[];
  dataThrough: string | null;
}

/** The key of a (billing group, month) in the maps of periods (and IngestTouches.storedCharges). */
export const periodKey = (group: string, month: string): string => `${group}\u0001${month}`;

/** Runs `work` over `values` in slices small enough for an IN (...) list, one slice after another. */
export async function inSlices<V, R>(values: readonly V[], work: (slice: V[]) => Promise<R[] | void>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += 900) {
    // One slice may give any number of rows (every charge of 900 groups): a spread push of them
    // would overflow the call stack, so they are appended one by one.
    for (const row of (await work(values.slice(i, i + 900))) ?? []) out.push(row);
  }
  return out;
}

/** The periods one billing file holds, its ids resolved to the provider's. */
export interface LoadedFilePeriods {
  file: string;
  periods: LoadedPeriod[];
}

/**
 * Stores the months of one load's billing files, each replacing what was stored for its (group,
 * month): loading a month again replaces it, so nothing is ever counted twice. Files of one load
 * naming the same month are its parts (Cost Management splits large exports) and together make the
 * month; they must agree on final or estimated. An estimated file never replaces a final month
 * (an old estimate loaded after the invoice). The months' groups are recorded in `touched`.
 * Returns the problems, storing nothing then.
 */
export async function storeLoadedPeriods(manager: EntityManager, files: LoadedFilePeriods[], touched: IngestTouches): Promise<IngestProblem[]> {
  const problems: IngestProblem[] = [];
  const merged = new Map<string, { period: LoadedPeriod; files: string[] }>();
  for (const { file, periods } of files) {
    for (const p of periods) {
      const key = periodKey(p.group, p.month);
      const seen = merged.get(key);
      if (!seen) {
        merged.set(key, { period: { ...p, invoiceIds: [...p.invoiceIds], charges: [...p.charges] }, files: [file] });
        continue;
      }
      if (seen.period.final !== p.final) {
        problems.push({
          file,
          reason: `${p.month} of ${p.group} is ${p.final ? 'final' : 'estimated'} here but ${seen.period.final ? 'final' : 'estimated'} in ${seen.files.join(', ')}: the parts of one month must be of the same bill`,
        });
        continue;
      }
      seen.files.push(file);
      for (const charge of p.charges) seen.period.charges.push(charge);
      seen.period.invoiceIds = [...new Set([...seen.period.invoiceIds, ...p.invoiceIds])].sort();
      if (p.dataThrough !== null && (seen.period.dataThrough === null || p.dataThrough > seen.period.dataThrough)) seen.period.dataThrough = p.dataThrough;
    }
  }
  const periods = [...merged.values()];
  const stored = await inSlices([...new Set(periods.map(({ period }) => period.group))], (slice) => manager.find(BillingPeriodRow, { where: { billingGroup: In(slice), final: true } }));
  const finalMonths = new Map(stored.map((r) => [periodKey(r.billingGroup, r.month), r]));
  for (const { period, files: from } of periods) {
    const final = finalMonths.get(periodKey(period.group, period.month));
    if (!period.final && final) {
      problems.push({
        file: from[0],
        reason: `${period.month} of ${period.group} is already final (invoice ${final.invoiceIds.join(', ') || 'loaded'} from ${final.sourceFile}): an estimated file cannot replace it`,
      });
    }
  }
  if (problems.length > 0) return problems;
  // One statement for the months, and their documents 64 a statement: loading a month replaces it.
  await upsertRows(
    manager,
    BillingPeriodRow,
    periods.map(({ period: p, files: from }) => ({
      billingGroup: p.group,
      month: p.month,
      final: p.final,
      invoiceIds: p.invoiceIds,
      dataThrough: p.dataThrough,
      sourceFile: from.join(', '),
      loadedAt: touched.loadedAt,
    })),
  );
  await storeCharges(
    manager,
    periods.map(({ period: p }) => p),
  );
  for (const { period } of periods) {
    touched.groups.add(period.group);
    touched.storedCharges.set(periodKey(period.group, period.month), period.charges);
  }
  return [];
}

/** Stores each (group, month)'s charges as one document, replacing what was stored for it. */
async function storeCharges(manager: EntityManager, periods: readonly Pick<LoadedPeriod, 'group' | 'month' | 'charges'>[]): Promise<void> {
  // At most 64 documents a statement (a month of a large file is megabytes): what is encoded at once stays bounded.
  for (let i = 0; i < periods.length; i += 64) {
    const slice = periods.slice(i, i + 64);
    await upsertRows(
      manager,
      PeriodChargesRow,
      slice.map((p) => ({ billingGroup: p.group, month: p.month, charges: CHARGES_DOCUMENT.encode(p.charges) })),
    );
  }
}

/** Tables of databases written before documents: one row per charge, one row per application. */
const CHARGE_ROWS_TABLE = 'billing_charge';
const APPLICATION_ROWS_TABLE = 'charge_application';

/**
 * Moves the rows of a database written before documents existed (a row per charge in
 * `billing_charge`, a row per application in `charge_application`) into documents, in their
 * stored order, and drops those tables, in one write transaction (none is opened on a current
 * database, the case on every open but the first). Returns how many documents were written. A
 * build older than this one no longer sees those rows: it recreates empty tables and recomputes
 * without them.
 */
export async function moveRowTablesToDocuments(dataSource: DataSource): Promise<number> {
  // Looked up first so that a current database opens no write transaction; again inside it, as
  // another process may have moved them meanwhile.
  if ((await oldRowTables(dataSource.manager)).size === 0) return 0;
  return writeTransaction(
    dataSource,
    async (manager) => {
      const tables = await oldRowTables(manager);
      return (tables.has(CHARGE_ROWS_TABLE) ? await moveChargeRows(manager) : 0) + (tables.has(APPLICATION_ROWS_TABLE) ? await moveApplicationRows(manager) : 0);
    },
    BUSY_RETRY_FOR_MS,
    'commit',
  );
}

async function oldRowTables(manager: EntityManager): Promise<Set<string>> {
  // Only SQLite databases of earlier builds have them: a PostgreSQL database was never written so.
  if (manager.connection.options.type !== 'sqlite') return new Set();
  const tables: { name: string }[] = await manager.query(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('${CHARGE_ROWS_TABLE}', '${APPLICATION_ROWS_TABLE}')`,
  );
  return new Set(tables.map((t) => t.name));
}

async function moveChargeRows(manager: EntityManager): Promise<number> {
  const periods: { billingGroup: string; month: string }[] = await manager.query(`SELECT DISTINCT billingGroup, month FROM ${CHARGE_ROWS_TABLE}`);
  for (const { billingGroup, month } of periods) {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT ${CHARGES_DOCUMENT.columns.join(', ')} FROM ${CHARGE_ROWS_TABLE} WHERE billingGroup = ? AND month = ? ORDER BY id`,
      [billingGroup, month],
    );
    await storeCharges(manager, [{ group: billingGroup, month, charges: rows.map((r) => CHARGES_DOCUMENT.fromRow(r)) }]);
  }
  await manager.query(`DROP TABLE ${CHARGE_ROWS_TABLE}`);
  return periods.length;
}

async function moveApplicationRows(manager: EntityManager): Promise<number> {
  // A database this build wrote, then an older one recomputed into rows (it wrote them last): the
  // rows replace the documents of every group they are of, credits the older build found nothing
  // for included.
  const documents = manager.connection.getMetadata(CreditApplicationsRow).tableName;
  await manager.query(`DELETE FROM ${documents} WHERE billingGroup IN (SELECT DISTINCT billingGroup FROM ${APPLICATION_ROWS_TABLE})`);
  const credits: { creditId: string }[] = await manager.query(`SELECT DISTINCT creditId FROM ${APPLICATION_ROWS_TABLE}`);
  await inSlices(
    credits.map((c) => c.creditId),
    async (slice) => {
      const rows: Record<string, unknown>[] = await manager.query(
        `SELECT creditId, billingGroup, ${APPLICATIONS_DOCUMENT.columns.join(', ')} FROM ${APPLICATION_ROWS_TABLE} WHERE creditId IN (${placeholders(manager, slice)}) ORDER BY id`,
        slice,
      );
      await storeApplications(
        manager,
        rows.map((r): CreditApplication => ({ creditId: String(r.creditId), group: String(r.billingGroup), ...APPLICATIONS_DOCUMENT.fromRow(r) })),
      );
    },
  );
  await manager.query(`DROP TABLE ${APPLICATION_ROWS_TABLE}`);
  return credits.length;
}

/** Stores applications as one document per credit, in their order (a credit's need not be next to each other). */
async function storeApplications(manager: EntityManager, applications: readonly CreditApplication[]): Promise<void> {
  const byCredit = new Map<string, CreditApplication[]>();
  for (const a of applications) {
    const list = byCredit.get(a.creditId);
    if (list) list.push(a);
    else byCredit.set(a.creditId, [a]);
  }
  await insertRows(
    manager,
    CreditApplicationsRow,
    [...byCredit].map(([creditId, list]) => ({ creditId, billingGroup: list[0].group, applications: APPLICATIONS_DOCUMENT.encode(list) })),
  );
}

/**
 * The stored applications of these credits, by credit, month, consumer, service and product
 * code (in SQLite's byte order of the texts, as the API has always listed them).
 */
export async function readApplications(manager: EntityManager, creditIds: readonly string[]): Promise<CreditApplication[]> {
  const rows = await inSlices(creditIds, (slice) => manager.find(CreditApplicationsRow, { where: { creditId: In(slice) } }));
  const out: CreditApplication[] = [];
  for (const row of rows) {
    for (const a of APPLICATIONS_DOCUMENT.decode(row.applications, `credit ${row.creditId}`)) out.push({ creditId: row.creditId, group: row.billingGroup, ...a });
  }
  return out.sort(
    (a, b) =>
      compareText(a.creditId, b.creditId) ||
      compareText(a.month, b.month) ||
      compareText(a.consumerId, b.consumerId) ||
      compareText(a.service, b.service) ||
      compareText(a.productCode, b.productCode),
  );
}

/** Which of these credits the engine computes (their served balances are its, so a reload of the snapshot keeps them). */
export async function computedCreditIds(manager: EntityManager, creditIds: readonly string[]): Promise<Set<string>> {
  const rows = await inSlices(creditIds, (slice) => manager.find(CreditBalanceRow, { where: { creditId: In(slice), computed: true }, select: ['creditId'] }));
  return new Set(rows.map((r) => r.creditId));
}


/** Every credit the engine stored balances of (computed or not), by id. */
export async function creditsWithBalances(manager: EntityManager): Promise<string[]> {
  return (await manager.find(CreditBalanceRow, { select: ['creditId'] })).map((b) => b.creditId);
}

/** The billing groups a recompute can change: those with billing periods, or with balances computed before. */
export async function recomputableGroups(manager: EntityManager): Promise<Set<string>> {
  const withPeriods = await manager.createQueryBuilder(BillingPeriodRow, 'p').select('DISTINCT p.billingGroup', 'g').getRawMany<{ g: string }>();
  const computed = await manager.createQueryBuilder(CreditBalanceRow, 'b').select('DISTINCT b.billingGroup', 'g').getRawMany<{ g: string }>();
  return new Set([...withPeriods, ...computed].map((r) => r.g));
}


/** Charges of stored periods already in memory, by `group\u0001month` (IngestTouches.storedCharges). */
export type KnownCharges = ReadonlyMap<string, readonly EngineCharge[]>;

/**
 * The stored periods of these groups, with their charges, month by month. Charges of periods in
 * `known` (what this transaction just stored) are taken from it, not read back.
 */
export async function readPeriods(manager: EntityManager, groups: readonly string[], known: KnownCharges = new Map()): Promise<StoredPeriod[]> {
  if (groups.length === 0) return [];
  const periodRows = await inSlices(groups, (slice) => manager.find(BillingPeriodRow, { where: { billingGroup: In(slice) } }));
  const periods = new Map<string, StoredPeriod & { charges: EngineCharge[] }>();
  for (const row of periodRows) {
    const key = periodKey(row.billingGroup, row.month);
    periods.set(key, {
      group: row.billingGroup,
      month: row.month,
      final: row.final,
      invoiceIds: row.invoiceIds,
      dataThrough: row.dataThrough,
      charges: known.has(key) ? [...known.get(key)!] : [],
    });
  }
  // What is not in memory is read: one statement per slice of (group, month) pairs.
  const unknown = periodRows.filter((r) => !known.has(periodKey(r.billingGroup, r.month))).map((r) => [r.billingGroup, r.month] as const);
  const documents = await inSlices(unknown, (slice) => {
    const params: Record<string, string> = {};
    const values = slice.map(([group, month], i) => ((params[`g${i}`] = group), (params[`m${i}`] = month), `(:g${i}, :m${i})`));
    return manager.createQueryBuilder(PeriodChargesRow, 'c').where(`(c.billingGroup, c.month) IN (VALUES ${values.join(', ')})`, params).getMany();
  });
  for (const d of documents) {
    const period = periods.get(periodKey(d.billingGroup, d.month));
    if (period) period.charges = CHARGES_DOCUMENT.decode(d.charges, `${d.month} of ${d.billingGroup}`);
  }
  return [...periods.values()].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
}

/** The last final month stored for each group. */
export async function lastFinalMonths(manager: EntityManager, groups: readonly string[]): Promise<Map<string, string>> {
  if (groups.length === 0) return new Map();
  const rows = await inSlices(groups, (slice) =>
    manager
      .createQueryBuilder(BillingPeriodRow, 'p')
      .select('p.billingGroup', 'g')
      .addSelect('MAX(p.month)', 'm')
      .where('p.final = :final AND p.billingGroup IN (:...slice)', { final: true, slice })
      .groupBy('p.billingGroup')
      .getRawMany<{ g: string; m: string }>(),
  );
  return new Map(rows.map((r) => [r.g, r.m]));
}

/** A credit's pause and sharing from a month on; `sharing` is the provider's own shape. */
export interface ControlEntry<S> {
  fromMonth: string;
  paused: boolean;
  sharing: S;
  changedAt: string | null;
}

/** What a credit's controls are at one time: paused or not, and the provider's sharing settings. */
export interface ControlState<S> {
  paused: boolean;
  sharing: S;
}

/** The month the state before the first change is recorded from: earlier than any billing month. */
export const BEFORE_ANY_MONTH = '0001-01';

/** The recorded control entries of these credits, each list by month. */
export async function readControls<S>(manager: EntityManager, creditIds: readonly string[]): Promise<Map<string, ControlEntry<S>[]>> {
  const rows = await inSlices(creditIds, (slice) => manager.find(CreditControlRow, { where: { creditId: In(slice) }, order: { fromMonth: 'ASC' } }));
  const out = new Map<string, ControlEntry<S>[]>();
  for (const r of rows) {
    const list = out.get(r.creditId) ?? [];
    list.push({ fromMonth: r.fromMonth, paused: r.paused, sharing: r.sharing as S, changedAt: r.changedAt });
    out.set(r.creditId, list);
  }
  for (const list of out.values()) list.sort((a, b) => (a.fromMonth < b.fromMonth ? -1 : 1));
  return out;
}

/**
 * Records a change of a credit's controls from `fromMonth` on. The first change also records the
 * state before it (from before any month), so the months before keep the controls they had.
 * Entries after `fromMonth` are dropped: the new state holds from it on.
 */
export async function recordControlChange<S>(
  manager: EntityManager,
  creditId: string,
  fromMonth: string,
  before: ControlState<S>,
  after: ControlState<S>,
  changedAt: string,
): Promise<void> {
  const existing = await manager.count(CreditControlRow, { where: { creditId } });
  if (existing === 0 && fromMonth > BEFORE_ANY_MONTH) {
    await manager.insert(CreditControlRow, { creditId, fromMonth: BEFORE_ANY_MONTH, paused: before.paused, sharing: before.sharing as object, changedAt: null });
  }
  await manager.createQueryBuilder().delete().from(CreditControlRow).where('creditId = :creditId AND fromMonth > :fromMonth', { creditId, fromMonth }).execute();
  await manager.upsert(CreditControlRow, { creditId, fromMonth, paused: after.paused, sharing: after.sharing as object, changedAt }, ['creditId', 'fromMonth']);
}

/**
 * The month a pause or re-share made at `now` takes effect from in a group (months.ts
 * firstOpenMonth): after its last closed month (the later of its last final period and what the
 * provider's snapshot covers), else from its earliest estimated month.
 */
export async function controlChangeMonth(manager: EntityManager, group: string, snapshotThrough: string | null, now: string): Promise<string> {
  const finals = await lastFinalMonths(manager, [group]);
  const lastClosed = laterMonth(finals.get(group) ?? null, snapshotThrough);
  const open = await manager
    .createQueryBuilder(BillingPeriodRow, 'p')
    .select('MIN(p.month)', 'm')
    .where('p.final = :final AND p.billingGroup = :group', { final: false, group })
    .getRawOne<{ m: string | null }>();
  return firstOpenMonth(lastClosed, open?.m ?? null, now);
}

/** What recomputing gives a provider to turn into its native records. */
export interface GroupComputation {
  groups: string[];
  periods: StoredPeriod[];
  credits: EngineCredit[];
  result: EngineResult;
  /** Credits whose group has a period in or after their opening month: their balances are the engine's. */
  computed: Set<string>;
  /** The last final month each credit paid anything in. */
  lastFinalApplication: Map<string, string>;
}

/**
 * Folds one credit's snapshot coverage into its group's: a group's months are the snapshot's only
 * up to what every credit of it has from its snapshot (a credit without one, null, makes it null).
 */
export function noteCoverage(coveredThrough: Map<string, string | null>, group: string, through: string | null): void {
  const previous = coveredThrough.has(group) ? coveredThrough.get(group)! : through;
  coveredThrough.set(group, previous === null || through === null ? null : previous < through ? previous : through);
}

/** The engine's credits of some groups, and the last month each group's provider snapshot covers. */
export interface BookCredits {
  credits: EngineCredit[];
  /** Per group: months up to this one are the snapshot's (their month-to-date figures are not this product's). */
  coveredThrough: Map<string, string | null>;
}

/** A provider's side of recomputing: its credits as the engine takes them, and where results go. */
export interface ChargeBook {
  /** The engine credits of these groups (with controls resolved to consumer ids by month). */
  engineCredits(manager: EntityManager, groups: string[]): Promise<BookCredits>;
  /** Writes the results into the provider's native records (balances, history, events). */
  project(manager: EntityManager, computation: GroupComputation): Promise<void>;
}

/** What one recomputation did. */
export interface RecomputeSummary {
  groups: number;
  periods: number;
  credits: number;
  charges: number;
  /** Charges credits paid for, wholly or partly. */
  chargesCovered: number;
  /** What credits paid, per currency (final and estimated periods together). */
  applied: Record<string, string>;
}

/**
 * Recomputes every credit of the groups from the stored periods: the engine runs over all their
 * months (re-loading a month recomputes it and every later one), and the results replace the
 * stored ones, then the provider's native records. `known`: charges of periods this transaction
 * stored, taken from memory instead of read back.
 */
export async function recomputeGroups(manager: EntityManager, book: ChargeBook, groups: string[], known?: KnownCharges): Promise<RecomputeSummary> {
  // Never two recomputations of a group at once, whichever process runs them (held already by a mutation).
  await lockBillingGroups(manager, groups);
  const periods = await readPeriods(manager, groups, known);
  const { credits, coveredThrough } = await book.engineCredits(manager, groups);
  const result = applyCharges(credits, periods);

  const monthsByGroup = new Map<string, string[]>();
  for (const p of periods) monthsByGroup.set(p.group, [...(monthsByGroup.get(p.group) ?? []), p.month]);
  const computed = new Set(credits.filter((c) => (monthsByGroup.get(c.group) ?? []).some((m) => m >= c.openingMonth)).map((c) => c.id));
  const lastFinalApplication = new Map<string, string>();
  for (const a of result.applications) {
    if (!a.estimated && (lastFinalApplication.get(a.creditId) ?? '') < a.month) lastFinalApplication.set(a.creditId, a.month);
  }
  const openingMonths = new Map(credits.map((c) => [c.id, c.openingMonth]));

  await inSlices(groups, async (slice) => {
    for (const target of [CreditBalanceRow, CreditApplicationsRow, ConsumerMonthRow]) {
      await manager.createQueryBuilder().delete().from(target).where('billingGroup IN (:...slice)', { slice }).execute();
    }
  });
  await insertRows(
    manager,
    CreditBalanceRow,
    result.credits.map((o) => ({
      creditId: o.creditId,
      billingGroup: o.group,
      currency: o.currency,
      openingMonth: openingMonths.get(o.creditId)!,
      openingBalance: o.openingBalance,
      remaining: o.remaining,
      estimated: o.estimated,
      appliedFinal: o.appliedFinal,
      appliedEstimated: o.appliedEstimated,
      expired: o.expired,
      computed: computed.has(o.creditId),
    })),
  );
  await storeApplications(manager, result.applications);
  // Months the snapshot covers were paid as the provider's history says, not by this computation.
  await insertRows(
    manager,
    ConsumerMonthRow,
    consumerMonths(periods, result).filter((m) => {
      const covered = coveredThrough.get(m.billingGroup) ?? null;
      return covered === null || m.month > covered;
    }),
  );
  await book.project(manager, { groups, periods, credits, result, computed, lastFinalApplication });

  const applied = new Map<string, ExactSum>();
  for (const a of result.applications) {
    let sum = applied.get(a.currency);
    if (!sum) applied.set(a.currency, (sum = new ExactSum()));
    sum.addText(a.amount);
  }
  let charges = 0;
  let covered = 0;
  for (const p of periods) charges += p.charges.length;
  for (const p of result.periods) covered += p.chargesCovered;
  return {
    groups: groups.length,
    periods: periods.length,
    credits: credits.length,
    charges,
    chargesCovered: covered,
    applied: Object.fromEntries([...applied.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, s]) => [c, s.toString()])),
  };
}

/** The engine's consumer months with the period's last usage day added. */
function consumerMonths(periods: StoredPeriod[], result: EngineResult): ConsumerMonthRow[] {
  const dataThrough = new Map(periods.map((p) => [periodKey(p.group, p.month), p.dataThrough]));
  return result.consumers.map((c) => ({
    billingGroup: c.group,
    month: c.month,
    consumerKind: c.consumerKind,
    consumerId: c.consumerId,
    currency: c.currency,
    estimated: c.estimated,
    charges: c.charges,
    eligibleCharges: c.eligibleCharges,
    creditsApplied: c.creditsApplied,
    net: c.net,
    dataThrough: dataThrough.get(periodKey(c.group, c.month)) ?? null,
  }));
}

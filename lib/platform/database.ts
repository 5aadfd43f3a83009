/**
 * Opens a provider subgraph's own database (TypeORM): SQLite under DATA_DIR by default, or
 * PostgreSQL when `<PROVIDER>_DATABASE_URL` names one (each provider in a schema of its own, so
 * both may share one database), creating its tables when new; and the write discipline both follow.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import sqlite3 from 'sqlite3';
import { DataSource, EntityManager, EntitySchema, Logger, MigrationExecutor, MigrationInterface } from 'typeorm';
import { isMoneyColumn } from './money-column';
import { dialectOf } from './sql-dialect';

let sqlStatements = 0;

/** SQL statements this process's databases have run; counted only with COUNT_SQL_STATEMENTS=1 (the benchmarks' N+1 check). */
export function sqlStatementCount(): number {
  return sqlStatements;
}

/** A TypeORM logger that logs nothing and counts every statement. */
const statementCounter: Logger = {
  logQuery: () => void sqlStatements++,
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};

/**
 * The sqlite3 module as TypeORM gets it: TypeORM always calls `sqlite3.verbose()`, whose long
 * stack traces wrap every statement call in a new Error and a util.inspect of every argument (our
 * scope lists hold up to a few hundred ids): about a tenth of a subgraph's CPU under load. Errors
 * still carry SQLite's message, and TypeORM's QueryFailedError the query and its parameters.
 */
const sqlite3WithoutTracing = Object.assign(Object.create(sqlite3) as typeof sqlite3, { verbose: () => sqlite3 });

/** Where a provider's database is: a SQLite file, or a schema of a PostgreSQL database. */
export type DatabaseLocation = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string; schema: string };

export type ProviderDatabase = 'aws' | 'azure';

/**
 * Where `provider`'s database is, from the environment: `<PROVIDER>_DATABASE_URL` (postgres://...)
 * with `<PROVIDER>_DATABASE_SCHEMA` (default: the provider's name), else `<dataDir>/<provider>.sqlite`.
 * Tests run against PostgreSQL with TEST_DATABASE=postgres and TEST_POSTGRES_URL (scripts/test.cjs
 * sets both): each data folder gets a schema of its own, as each gets its own SQLite files.
 */
export function databaseLocation(provider: ProviderDatabase, dataDir: string, env: NodeJS.ProcessEnv = process.env): DatabaseLocation {
  const name = provider.toUpperCase();
  const url = env[`${name}_DATABASE_URL`];
  if (url) return { dialect: 'postgres', url: checkedPostgresUrl(`${name}_DATABASE_URL`, url), schema: checkedSchema(`${name}_DATABASE_SCHEMA`, env[`${name}_DATABASE_SCHEMA`] || provider) };
  if (env.TEST_DATABASE === 'postgres' && env.TEST_POSTGRES_URL) {
    const folder = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
    return { dialect: 'postgres', url: env.TEST_POSTGRES_URL, schema: `t_${folder}_${provider}` };
  }
  return { dialect: 'sqlite', file: path.join(dataDir, `${provider}.sqlite`) };
}

/** Where a database is, for people: the SQLite file, or the PostgreSQL server, database and schema (never the credentials). */
export function describeLocation(location: DatabaseLocation): string {
  if (location.dialect === 'sqlite') return location.file;
  const url = new URL(location.url);
  return `PostgreSQL ${url.host}${url.pathname}, schema ${location.schema}`;
}

function checkedPostgresUrl(variable: string, url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`${variable} must be a postgres:// URL, got "${url.replace(/\/\/[^@/]*@/, '//***@')}"`);
  return url;
}

function checkedSchema(variable: string, schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`${variable} must be a lower-case SQL name (letters, digits, _), got "${schema}"`);
  return schema;
}

/**
 * What a provider's database holds: its entities, its versioned migrations for each dialect
 * (generated from the entities by `npm run migration:generate`, checked in, applied in order), and
 * what a database made by a release before versioned migrations lacks once its tables match.
 */
export interface DatabaseSchema {
  /** For messages: "AWS". */
  name: string;
  entities: (Function | EntitySchema)[];
  migrations: Record<DatabaseLocation['dialect'], Function[]>;
  /**
   * Fills in place, once, what a SQLite database made before versioned migrations lacks (its
   * tables already brought to the entities): columns and documents added after its release. The
   * PostgreSQL databases of 0.2.0, the only release before migrations that had them, lack none.
   */
  upgradeUnversionedSqlite?(dataSource: DataSource): Promise<void>;
}

export interface OpenOptions {
  /**
   * Apply the migrations the database lacks. Default: yes, except with NODE_ENV=production,
   * where `npm run migrate` applies them and a database that lacks any is refused.
   */
  migrate?: boolean;
}

/** The table each database records its applied migrations in. */
export const MIGRATIONS_TABLE = 'schema_migrations';

/** What opening a database did to bring it up to date. */
export interface MigrationReport {
  /** A database of a release before versioned migrations was upgraded in place. */
  upgradedUnversioned: boolean;
  /** Migrations applied now, in order. */
  applied: string[];
}

const reports = new WeakMap<DataSource, MigrationReport>();

/** What opening `dataSource` did to bring it up to date (nothing, for one already current). */
export function migrationReport(dataSource: DataSource): MigrationReport {
  return reports.get(dataSource) ?? { upgradedUnversioned: false, applied: [] };
}

/**
 * Opens the database at `location` and brings it up to date with `schema`'s migrations (see
 * OpenOptions): a new database gets every migration; one of a release before versioned
 * migrations gets its tables brought to the entities once, its gaps filled, and every migration
 * recorded as applied; one that lacks migrations gets them, in one transaction. A database that
 * has migrations this build does not know (a later release wrote it) is refused.
 */
export async function openDatabase(location: DatabaseLocation, schema: DatabaseSchema, options: OpenOptions = {}): Promise<DataSource> {
  const migrate = options.migrate ?? process.env.NODE_ENV !== 'production';
  const config = { entities: schema.entities, migrations: schema.migrations[location.dialect], synchronize: false };
  const upToDate = async (dataSource: DataSource) => reports.set(dataSource, await bringUpToDate(dataSource, schema, location, migrate));
  if (location.dialect === 'postgres') return openPostgres(location.url, location.schema, config, upToDate);
  const dataSource = await openSqlite(location.file, config);
  try {
    // Another process may be bringing the same file up to date: its transaction holds the lock.
    await retryWhenBusy(() => upToDate(dataSource));
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/**
 * A database for a test of SQL itself, its tables made from `entities` (TypeORM's synchronize):
 * the product's databases are made by migrations (openDatabase).
 */
export function openScratch(location: DatabaseLocation, entities: (Function | EntitySchema)[]): Promise<DataSource> {
  const config = { entities, migrations: [], synchronize: true };
  return location.dialect === 'sqlite' ? openSqlite(location.file, config) : openPostgres(location.url, location.schema, config, async () => undefined);
}

/** A migration that makes what no entity describes (lib/platform/text-search-sql.ts TextSearchMigration): synchronize does not make it. */
const beyondEntities = (migration: MigrationInterface): boolean => (migration as { beyondEntities?: boolean }).beyondEntities === true;

/** Runs the `up` of every migration beyondEntities, in order, in one transaction. */
async function runBeyondEntities(dataSource: DataSource): Promise<void> {
  const migrations = dataSource.migrations.filter(beyondEntities);
  if (migrations.length === 0) return;
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    for (const migration of migrations) await migration.up(runner);
    await runner.commitTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

async function bringUpToDate(dataSource: DataSource, schema: DatabaseSchema, location: DatabaseLocation, migrate: boolean): Promise<MigrationReport> {
  const where = `the ${schema.name} database (${describeLocation(location)})`;
  const executor = new MigrationExecutor(dataSource);
  executor.transaction = 'all';
  // Versioned: some migration is recorded. Tables of ours with none recorded were made by
  // synchronize (releases up to 0.2.0), or by an upgrade of one that stopped before recording its
  // migrations (the table is made apart from the rows): either way, the upgrade below.
  const recorded = await executor.getExecutedMigrations();
  let hasTables = false;
  if (recorded.length === 0) {
    const runner = dataSource.createQueryRunner();
    try {
      for (const m of dataSource.entityMetadatas) hasTables ||= await runner.hasTable(m.tableName);
    } finally {
      await runner.release();
    }
  }
  if (hasTables) {
    if (!migrate) throw new Error(`${where} was made by a release before versioned migrations: run \`npm run migrate\` to upgrade it in place`);
    // Brought to the entities the way it was made, one last time, its gaps filled, and from here on
    // versioned: its tables are what every migration makes.
    if (location.dialect === 'postgres') await moneyColumnsToNumeric(dataSource);
    await dataSource.synchronize();
    if (location.dialect === 'sqlite') await schema.upgradeUnversionedSqlite?.(dataSource);
    // What no entity describes (a search index, its triggers), synchronize did not make: made now.
    await runBeyondEntities(dataSource);
    executor.fake = true;
    await executor.executePendingMigrations();
    return { upgradedUnversioned: true, applied: [] };
  }
  const nameOf = (m: { name?: string; constructor: Function }) => m.name ?? m.constructor.name;
  const known = new Set(dataSource.migrations.map(nameOf));
  const unknown = recorded.filter((m) => !known.has(m.name));
  if (unknown.length > 0) {
    throw new Error(`${where} has migrations this build does not know (${unknown.map((m) => m.name).join(', ')}): it was written by a later release; run that release`);
  }
  const done = new Set(recorded.map((m) => m.name));
  const pending = dataSource.migrations.filter((m) => !done.has(nameOf(m)));
  if (pending.length === 0) return { upgradedUnversioned: false, applied: [] };
  if (!migrate) {
    throw new Error(`${where} lacks ${pending.length} migration(s) (${pending.map(nameOf).join(', ')}): run \`npm run migrate\` first (NODE_ENV=production applies none by itself)`);
  }
  const applied = await executor.executePendingMigrations();
  return { upgradedUnversioned: false, applied: applied.map((m) => m.name) };
}

/**
 * Money columns that a PostgreSQL database of release 0.2.0 holds as text become numeric, values
 * kept, in one transaction. TypeORM's synchronize would drop such a column and add it again (it
 * never converts data), losing every amount, so this runs before it.
 */
async function moneyColumnsToNumeric(dataSource: DataSource): Promise<void> {
  const money = dataSource.entityMetadatas.flatMap((m) => m.columns.filter(isMoneyColumn).map((c) => ({ table: m.tableName, column: c.databaseName })));
  const text: { table_name: string; column_name: string }[] = await dataSource.query(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type IN ('character varying', 'text')",
  );
  const isText = new Set(text.map((t) => `${t.table_name}.${t.column_name}`));
  const changes = money.filter((m) => isText.has(`${m.table}.${m.column}`));
  if (changes.length === 0) return;
  await dataSource.transaction(async (manager) => {
    for (const { table, column } of changes) {
      // The default ('0') is set again by synchronize, typed as the column now is.
      await manager.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" DROP DEFAULT`);
      await manager.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE numeric USING "${column}"::numeric`);
    }
  });
}

interface ConnectConfig {
  entities: (Function | EntitySchema)[];
  migrations: Function[];
  synchronize: boolean;
}

/**
 * A provider's PostgreSQL schema. Text must order byte by byte as SQLite's BINARY collation and
 * lib/domain/credit-order.ts compareText do (sort keys, cursors), so the database's collation must be
 * "C" (or "POSIX"): one that sorts by the locale would page differently, and is refused.
 * `upToDate` runs while this process alone may change the schema.
 */
async function openPostgres(url: string, schema: string, config: ConnectConfig, upToDate: (dataSource: DataSource) => Promise<unknown>): Promise<DataSource> {
  // One connection of its own, held to the end: the schema lock below belongs to its session.
  const bootstrap = new Client({ connectionString: url });
  await bootstrap.connect();
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    // Every connection of the pool works in the provider's schema, and TypeORM names tables (and
    // the constraints it derives from them) unqualified: one set of migrations serves any schema.
    extra: { options: `-c search_path=${schema}` },
    ...config,
    // Tables are made (synchronize, for scratch databases) once money columns have their type.
    synchronize: false,
    migrationsTableName: MIGRATIONS_TABLE,
    logging: false,
    ...(process.env.COUNT_SQL_STATEMENTS === '1' ? { logger: statementCounter } : {}),
  });
  try {
    const [{ datcollate }] = (await bootstrap.query('SELECT datcollate FROM pg_database WHERE datname = current_database()')).rows;
    if (!['C', 'POSIX'].includes(datcollate)) {
      throw new Error(
        `The PostgreSQL database's collation is "${datcollate}"; this product needs "C", so that text orders byte by byte ` +
          `everywhere: create the database with CREATE DATABASE <name> TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`,
      );
    }
    // Replicas started together would create or migrate the same schema at once: one brings it up
    // to date while the others wait (a lock of the bootstrap's session, held until it closes).
    await bootstrap.query('SELECT pg_advisory_lock(hashtextextended($1, 1))', [`schema:${schema}`]);
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await dataSource.initialize();
    // Exact amounts as numeric (lib/platform/money-column.ts), in what migrations make and compare alike.
    for (const metadata of dataSource.entityMetadatas) for (const column of metadata.columns) if (isMoneyColumn(column)) column.type = 'numeric';
    if (config.synchronize) await dataSource.synchronize();
    await upToDate(dataSource);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    throw error;
  } finally {
    await bootstrap.end();
  }
  readsMatchNoNul(dataSource);
  return dataSource;
}

/**
 * PostgreSQL text cannot hold U+0000, and refuses a bound value containing it, where SQLite simply
 * finds no row: a search for "\u0000" or a lookup of the id "\u0000" would fail instead of
 * finding nothing. No stored text holds any C0 control (ingest refuses them, lib/platform/text-checks.ts),
 * so in a read a value with U+0000 in place of U+0001 matches exactly what it would have matched:
 * nothing. Only reads (SELECT, WITH) are so bound; a write of such a value still fails loudly.
 */
function readsMatchNoNul(dataSource: DataSource): void {
  const driver = dataSource.driver;
  const createQueryRunner = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode) => {
    const runner = createQueryRunner(mode);
    const query = runner.query.bind(runner);
    runner.query = ((sql: string, parameters?: unknown[], useStructuredResult?: boolean) =>
      query(sql, READ.test(sql) && parameters ? parameters.map(withoutNul) : parameters, useStructuredResult as true)) as typeof runner.query;
    return runner;
  };
}

const READ = /^\s*(SELECT|WITH)\b/i;
const withoutNul = (value: unknown): unknown => (typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\u0001') : value);

/** A SQLite file (or ":memory:"), in WAL mode; tables made by `config` (see openDatabase, openScratch). */
async function openSqlite(file: string, config: ConnectConfig): Promise<DataSource> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const dataSource = new DataSource({
    type: 'sqlite',
    driver: sqlite3WithoutTracing,
    database: file,
    ...config,
    migrationsTableName: MIGRATIONS_TABLE,
    logging: false,
    ...(process.env.COUNT_SQL_STATEMENTS === '1' ? { logger: statementCounter } : {}),
  });
  await dataSource.initialize();
  // WAL lets `npm run ingest` write while the subgraph serves reads. SQLite's own busy wait blocks a
  // thread of libuv's small pool, and enough waiting writers starve the one holding the lock, so it
  // waits only briefly and retryWhenBusy waits the rest without holding a thread.
  await dataSource.query('PRAGMA journal_mode = WAL');
  await dataSource.query(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  return dataSource;
}

/** How long one SQLite statement waits for another connection's lock before reporting busy. */
const SQLITE_BUSY_TIMEOUT_MS = 50;

/** How long a load keeps retrying while another connection (another load, a subgraph's write) holds the lock. */
export const BUSY_RETRY_FOR_MS = 60_000;

/**
 * How long a subgraph's write (a mutation) keeps retrying: less than the credits layer waits for a
 * provider (PROVIDER_TIMEOUT_MS, 5 s by default), so a caller told the provider did not answer can
 * trust that nothing was written.
 */
export const REQUEST_WRITE_RETRY_MS = 4_000;

/**
 * True for a transaction that lost to another writer and must be run again from the start:
 * SQLite's "database is locked" family (another process holds the write lock), PostgreSQL's
 * serialization failure (40001), deadlock (40P01) and a lock not granted within the
 * transaction's lock_timeout (55P03; set to the time its deadline leaves, so in practice it ends
 * the retries).
 */
export function isBusyError(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return BUSY_CODES.has(code ?? '') || e?.driverError?.code === 'SQLITE_BUSY';
}

const BUSY_CODES = new Set(['SQLITE_BUSY', '40001', '40P01', '55P03']);

/**
 * Runs a whole transaction again when SQLite reports the database busy: another connection holds
 * the write lock (a long ingest), or, in WAL mode, a read transaction that must become a write
 * after another connection committed fails at once (SQLITE_BUSY_SNAPSHOT), and the only correct
 * answer is to start over. Waits with growing, jittered pauses for up to `forMs`.
 */
export async function retryWhenBusy<T>(attempt: () => Promise<T>, forMs = BUSY_RETRY_FOR_MS): Promise<T> {
  const deadline = Date.now() + forMs;
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusyError(error) || Date.now() >= deadline) throw error;
      await new Promise((r) => setTimeout(r, Math.min(250, 10 * 2 ** Math.min(i, 5)) + Math.random() * 20));
    }
  }
}

/** The tail of each DataSource's queue of write transactions. */
const writeQueues = new WeakMap<DataSource, Promise<unknown>>();

/** Thrown inside a write transaction whose caller's deadline passed: it rolls back, nothing is written. */
export class WriteDeadlineError extends Error {
  readonly code = 'WRITE_DEADLINE';
  constructor(ms: number) {
    super(`the write did not finish within ${ms} ms (waiting for other writers) and was rolled back`);
  }
}

/**
 * Runs `work` in a transaction once every earlier write of this DataSource has finished, within
 * `retryForMs` of the call. TypeORM's sqlite driver has one connection, and two overlapping
 * transactions on it fail ("cannot start a transaction within a transaction"); queuing them keeps
 * concurrent mutations correct and in the order they were asked for. Writes of other processes
 * (ingest, replicas) are kept apart by SQLite's own lock, or on PostgreSQL by the locks below; a
 * transaction that loses that race is run again from the start. The deadline counts from the
 * call, queueing included, and bounds every lock wait; past it a request's write (`lateWrites:
 * 'roll back'`, the default) rolls back before committing, so a caller that gave up waiting (the
 * credits layer waits PROVIDER_TIMEOUT_MS, more than REQUEST_WRITE_RETRY_MS) can trust that nothing
 * was written. An upgrade of a whole database (`'commit'`) only stops retrying at the deadline.
 */
export function writeTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  retryForMs = REQUEST_WRITE_RETRY_MS,
  lateWrites: 'roll back' | 'commit' = 'roll back',
): Promise<T> {
  const deadline = Date.now() + retryForMs;
  const previous = writeQueues.get(dataSource) ?? Promise.resolve();
  const attempt = () =>
    dataSource.transaction(async (manager) => {
      deadlines.set(manager, deadline);
      await limitLockWait(manager);
      const result = await work(manager);
      if (lateWrites === 'roll back' && Date.now() > deadline) throw new WriteDeadlineError(retryForMs);
      return result;
    });
  const run = previous.catch(() => undefined).then(() => {
    if (Date.now() > deadline) throw new WriteDeadlineError(retryForMs);
    return retryWhenBusy(attempt, deadline - Date.now());
  });
  writeQueues.set(dataSource, run.catch(() => undefined));
  return run;
}

/*
 * Many writers on one PostgreSQL database (replicas of a subgraph, loads from several machines)
 * must keep what SQLite's single writer gave: no update lost, no billing group recomputed by two
 * transactions at once. PostgreSQL's transaction-scoped advisory locks do it, per provider schema:
 *
 * - a load (`npm run ingest`, a sync) takes the provider's load lock exclusively: one load at a
 *   time per provider database, in the order they came, and none while a mutation runs. Which
 *   groups a load touches is only known once it has written (an account list can move accounts
 *   between organizations), so it cannot lock them up front; holding the load lock, it needs no
 *   group lock (every other holder of one holds the load lock shared);
 * - a mutation takes the load lock shared, then finds its credit's billing group (which only a
 *   load can change, and none runs now) and locks it exclusively, before it reads anything else:
 *   mutations of different groups run side by side, two of one group one after the other, the
 *   second reading what the first committed (READ COMMITTED reads the latest committed rows at
 *   every statement);
 * - recomputeGroups takes its groups' locks too (a transaction already holding them gets them at
 *   once), so no recomputation can run without them.
 *
 * Advisory locks are taken in one order (load lock, then groups sorted). Each wait is bounded by
 * lock_timeout, set to what the transaction's deadline leaves; a wait past it fails with 55P03.
 * On SQLite these are no-ops: its one write lock already holds every writer apart.
 */

const LOAD_LOCK = 'SELECT pg_advisory_xact_lock(hashtextextended(current_schema(), 0))';
const LOAD_LOCK_SHARED = 'SELECT pg_advisory_xact_lock_shared(hashtextextended(current_schema(), 0))';
// unnest scans the array in order, so the locks are taken in the sorted order given.
const GROUP_LOCKS = 'SELECT count(pg_advisory_xact_lock(hashtext(current_schema()), hashtext(g))) AS n FROM unnest($1::text[]) AS g';

const onPostgres = (manager: EntityManager) => dialectOf(manager) === 'postgres';

/** Each write transaction's deadline (epoch ms), by its manager. */
const deadlines = new WeakMap<EntityManager, number>();
/** Transactions holding their provider's load lock exclusively. */
const loading = new WeakSet<EntityManager>();

/** Takes the provider database's load lock for this transaction (see above), waiting up to `waitMs`. */
export async function lockForLoad(manager: EntityManager, waitMs = BUSY_RETRY_FOR_MS): Promise<void> {
  if (!onPostgres(manager)) return;
  deadlines.set(manager, Date.now() + waitMs);
  await limitLockWait(manager);
  await manager.query(LOAD_LOCK);
  loading.add(manager);
}

/**
 * Settings of a load's transaction on PostgreSQL (SET LOCAL: they end with it). No JIT: right
 * after a large load, before autovacuum has analyzed the tables, the planner's estimates are
 * large enough to JIT-compile the load's short statements, which then cost more to compile
 * (about 250 ms each) than to run. Large documents (a month's charges, a credit's applications)
 * are compressed with lz4 where the server has it (PostgreSQL 14+ built with it): pglz spent
 * 0.4 s of the 0.45 s of storing the 100 charge documents of a 1,000,000-row cost details file,
 * lz4 0.05 s, for a fifth more bytes.
 */
export async function tuneLoadTransaction(manager: EntityManager): Promise<void> {
  if (!onPostgres(manager)) return;
  await manager.query(
    `SELECT set_config('jit', 'off', true) AS jit,
            (SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) AS compression`,
  );
}

/**
 * Takes these billing groups' locks for this transaction, after the load lock shared (see
 * above); nothing when it holds the load lock. `groups` may be a function, called once the load
 * lock is held (so the groups cannot change meanwhile), and only where locks are taken (it costs
 * statements SQLite needs not run).
 */
export async function lockBillingGroups(manager: EntityManager, groups: readonly string[] | (() => Promise<readonly string[]>)): Promise<void> {
  if (!onPostgres(manager) || loading.has(manager)) return;
  await limitLockWait(manager);
  await manager.query(LOAD_LOCK_SHARED);
  const list = typeof groups === 'function' ? await groups() : groups;
  if (list.length === 0) return;
  await limitLockWait(manager);
  await manager.query(GROUP_LOCKS, [[...new Set(list)].sort()]);
}

/** On PostgreSQL, lets the transaction's next lock waits last only what its deadline leaves (55P03 past it). */
async function limitLockWait(manager: EntityManager): Promise<void> {
  if (!onPostgres(manager)) return;
  const deadline = deadlines.get(manager);
  if (deadline === undefined) return;
  await manager.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(deadline - Date.now()))}`);
}

/** True when no table of the database has a row (a new database, or one whose load failed). */
export async function isDatabaseEmpty(dataSource: DataSource): Promise<boolean> {
  for (const metadata of dataSource.entityMetadatas) {
    if ((await dataSource.getRepository(metadata.target).count()) > 0) return false;
  }
  return true;
}

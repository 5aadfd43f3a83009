/** Opens a provider subgraph's own SQLite database (TypeORM), creating its tables when new. */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSource, EntityManager, EntitySchema, Logger } from 'typeorm';

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

export async function openSqlite(file: string, entities: (Function | EntitySchema)[]): Promise<DataSource> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const dataSource = new DataSource({
    type: 'sqlite',
    driver: sqlite3WithoutTracing,
    database: file,
    entities,
    synchronize: true,
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
const BUSY_RETRY_FOR_MS = 60_000;

/**
 * How long a subgraph's write (a mutation) keeps retrying: less than the credits layer waits for a
 * provider (PROVIDER_TIMEOUT_MS, 5 s by default), so a caller told the provider did not answer can
 * trust that nothing was written.
 */
export const REQUEST_WRITE_RETRY_MS = 4_000;

/** True for SQLite's "database is locked" family (another process holds the write lock). */
export function isBusyError(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  return e?.code === 'SQLITE_BUSY' || e?.driverError?.code === 'SQLITE_BUSY';
}

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

/**
 * Runs `work` in a transaction once every earlier write of this DataSource has finished.
 * TypeORM's sqlite driver has one connection, and two overlapping transactions on it fail
 * ("cannot start a transaction within a transaction"); queuing them keeps concurrent mutations
 * correct. Writes of other processes (ingest) are kept apart by SQLite's own lock; a transaction
 * that loses that race is run again from the start.
 */
export function writeTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, retryForMs = REQUEST_WRITE_RETRY_MS): Promise<T> {
  const previous = writeQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => retryWhenBusy(() => dataSource.transaction(work), retryForMs));
  writeQueues.set(dataSource, run.catch(() => undefined));
  return run;
}

/** True when no table of the database has a row (a new database, or one whose load failed). */
export async function isDatabaseEmpty(dataSource: DataSource): Promise<boolean> {
  for (const metadata of dataSource.entityMetadatas) {
    if ((await dataSource.getRepository(metadata.target).count()) > 0) return false;
  }
  return true;
}

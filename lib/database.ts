/** Opens a provider subgraph's own SQLite database (TypeORM), creating its tables when new. */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
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

export async function openSqlite(file: string, entities: (Function | EntitySchema)[]): Promise<DataSource> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const dataSource = new DataSource({
    type: 'sqlite',
    database: file,
    entities,
    synchronize: true,
    logging: false,
    ...(process.env.COUNT_SQL_STATEMENTS === '1' ? { logger: statementCounter } : {}),
  });
  await dataSource.initialize();
  // WAL lets `npm run ingest` write while the subgraph serves reads; busy_timeout waits for the lock.
  await dataSource.query('PRAGMA journal_mode = WAL');
  await dataSource.query('PRAGMA busy_timeout = 5000');
  return dataSource;
}

/** True for SQLite's "database is locked" family (another process holds the write lock). */
export function isBusyError(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  return e?.code === 'SQLITE_BUSY' || e?.driverError?.code === 'SQLITE_BUSY';
}

/**
 * Runs a whole transaction again when SQLite reports the database busy: in WAL mode a read
 * transaction that must become a write after another process committed fails at once
 * (SQLITE_BUSY_SNAPSHOT) instead of waiting, and the only correct answer is to start over.
 */
export async function retryWhenBusy<T>(attempt: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusyError(error) || i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 20 * i + Math.random() * 20));
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
export function writeTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const previous = writeQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => retryWhenBusy(() => dataSource.transaction(work)));
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

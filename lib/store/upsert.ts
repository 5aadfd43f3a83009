/** Idempotent writes of ingested rows, for every provider: insert, or replace the given columns of an existing row. */
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** Rows per statement, well under SQLite's bound-parameter limit for the widest table. */
const CHUNK = 100;

/**
 * Upserts rows keyed on `key` (their natural key) in statements of CHUNK rows. Only the columns
 * present in the rows are overwritten, so columns a load never writes (the pause and share
 * extension, computed balances) survive a reload. Returns how many rows were given.
 */
export async function upsertByKey<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: readonly (T | QueryDeepPartialEntity<T>)[], key: string[]): Promise<number> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await manager.upsert(target, rows.slice(i, i + CHUNK) as QueryDeepPartialEntity<T>[], { conflictPaths: key, skipUpdateIfNoValuesChanged: false });
  }
  return rows.length;
}

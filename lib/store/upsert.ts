/** Idempotent writes of ingested rows, for every provider: insert, or replace the given columns of an existing row. */
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { upsertGivenColumns } from './bulk-sql';

/**
 * Upserts rows keyed on `key` (their natural key), many rows a statement (lib/store/bulk-sql.ts:
 * TypeORM's `upsert` spent 8 of the 29 s of loading 100,000 AWS credits building its statements).
 * Only the columns present in the rows are overwritten, so columns a load never writes (the pause
 * and share extension, computed balances) survive a reload. Returns how many rows were given.
 */
export async function upsertByKey<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: readonly (T | QueryDeepPartialEntity<T>)[], key: string[]): Promise<number> {
  await upsertGivenColumns(manager, target, rows as readonly ObjectLiteral[], key);
  return rows.length;
}

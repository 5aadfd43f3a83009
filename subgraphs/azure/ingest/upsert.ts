/** Idempotent writes of ingested rows: insert, or replace the native columns of an existing row. */
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** Rows per statement, well under SQLite's bound-parameter limit for the widest table. */
const CHUNK = 100;

/**
 * Upserts rows keyed on `id`. Only the columns present in the rows are overwritten, so columns an
 * ingest never writes (the pause and share extension) survive a reload.
 */
export async function upsertById<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: QueryDeepPartialEntity<T>[],
): Promise<number> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await manager.upsert(target, rows.slice(i, i + CHUNK), ['id']);
  }
  return rows.length;
}

/**
 * Substring search over a table's folded search text through an index, on both databases, so a
 * search costs what it finds rather than a scan of every row (`instr` over 100,000 credits took
 * 200-300 ms whether anything matched or not):
 *
 * - SQLite: an FTS5 table with the trigram tokenizer (substring matching for needles of three
 *   characters or more), contentless (the text stays in the table's own column only), its rowids
 *   those of a key table with an INTEGER PRIMARY KEY (the searched table's own rowids may change
 *   on VACUUM, these never do). Triggers on the searched table keep both current on every write:
 *   loads, upserts and updates alike. A shorter needle has no trigram to look up and is matched
 *   by `instr` alone.
 * - PostgreSQL: a GIN index with pg_trgm's trigram operator class on the column, which answers
 *   `LIKE '%needle%'` (exact and case-sensitive, as `instr` is).
 *
 * Either way the condition also states the exact match (`instr` / `LIKE`), so what is found is
 * exactly what a scan would find; the index only narrows where to look. Each provider's store
 * declares its index (TextSearchIndex) and a migration makes it (createTextSearch).
 *
 * A later migration that rebuilds the searched SQLite table (TypeORM's generator does so to change
 * a column) drops its triggers with it: it must end with createTextSearch, which makes the whole
 * index again from the rows (test/ops/migrations.test.ts checks that the index is whole after the
 * last migration). Released migrations call these functions: change what they make only by adding
 * new functions for new migrations.
 */
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf } from './sql-dialect';

/** A table whose text column is searched by substring. */
export interface TextSearchIndex {
  /** The searched table, e.g. `aws_credit`. */
  table: string;
  /** Its primary key column (one text column), e.g. `creditId`. */
  key: string;
  /** The folded text searched, e.g. `searchText`. */
  column: string;
}

/** The trigram tokenizer indexes runs of three characters: a shorter needle is matched without it. */
const MIN_INDEXED_NEEDLE = 3;

const names = (index: TextSearchIndex) => ({
  keys: `${index.table}_search_key`,
  fts: `${index.table}_search`,
  insert: `${index.table}_search_insert`,
  update: `${index.table}_search_update`,
  delete: `${index.table}_search_delete`,
  trigram: `IDX_${index.table}_search_trigram`,
});


/** PostgreSQL: one transaction at a time installs an extension in a database (two schemas migrating at once would race). */
const EXTENSION_LOCK = 7_224_310_551;

/**
 * Makes the search index of `index` and fills it from the rows already there (a migration's `up`).
 * Whatever of it was there already is made again, so it is whole after an upgrade that stopped
 * before recording its migrations (lib/platform/database.ts).
 */
export async function createTextSearch(runner: QueryRunner, index: TextSearchIndex): Promise<void> {
  const n = names(index);
  await dropTextSearch(runner, index, { ifExists: true });
  if (dialectOf(runner.connection) === 'postgres') {
    await runner.query(`SELECT pg_advisory_xact_lock(${EXTENSION_LOCK})`);
    try {
      // In `public`, never in a provider's schema: dropping that schema would drop the extension and
      // with it every other schema's trigram index. Where it is installed already, it stays.
      await runner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
    } catch (error) {
      throw new Error(`text search needs the PostgreSQL extension pg_trgm, which this user may not install (${(error as Error).message}): have the database's owner run CREATE EXTENSION pg_trgm, then migrate again`);
    }
    const [{ schema }] = await runner.query(`SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`);
    await runner.query(`CREATE INDEX "${n.trigram}" ON "${index.table}" USING gin ("${index.column}" "${schema}".gin_trgm_ops)`);
    return;
  }
  await runner.query(`CREATE TABLE "${n.keys}" ("id" INTEGER PRIMARY KEY, "key" varchar NOT NULL UNIQUE)`);
  await runner.query(`CREATE VIRTUAL TABLE "${n.fts}" USING fts5("text", content='', contentless_delete=1, tokenize='trigram')`);
  await runner.query(`INSERT INTO "${n.keys}" ("key") SELECT "${index.key}" FROM "${index.table}"`);
  await runner.query(`INSERT INTO "${n.fts}" (rowid, "text") SELECT k."id", t."${index.column}" FROM "${index.table}" t JOIN "${n.keys}" k ON k."key" = t."${index.key}"`);
  await createTextSearchTriggers(runner, index);
}

/** SQLite: the triggers that keep the search index of `index` current (createTextSearch makes them). */
async function createTextSearchTriggers(runner: QueryRunner, index: TextSearchIndex): Promise<void> {
  const n = names(index);
  const idOf = (row: 'new' | 'old') => `(SELECT "id" FROM "${n.keys}" WHERE "key" = ${row}."${index.key}")`;
  await runner.query(
    `CREATE TRIGGER "${n.insert}" AFTER INSERT ON "${index.table}" BEGIN ` +
      `INSERT INTO "${n.keys}" ("key") VALUES (new."${index.key}"); ` +
      `INSERT INTO "${n.fts}" (rowid, "text") VALUES (${idOf('new')}, new."${index.column}"); END`,
  );
  await runner.query(
    `CREATE TRIGGER "${n.update}" AFTER UPDATE OF "${index.key}", "${index.column}" ON "${index.table}" ` +
      `WHEN old."${index.key}" IS NOT new."${index.key}" OR old."${index.column}" IS NOT new."${index.column}" BEGIN ` +
      `DELETE FROM "${n.fts}" WHERE rowid = ${idOf('old')}; ` +
      `UPDATE "${n.keys}" SET "key" = new."${index.key}" WHERE "key" = old."${index.key}"; ` +
      `INSERT INTO "${n.fts}" (rowid, "text") VALUES (${idOf('new')}, new."${index.column}"); END`,
  );
  await runner.query(
    `CREATE TRIGGER "${n.delete}" AFTER DELETE ON "${index.table}" BEGIN ` +
      `DELETE FROM "${n.fts}" WHERE rowid = ${idOf('old')}; ` +
      `DELETE FROM "${n.keys}" WHERE "key" = old."${index.key}"; END`,
  );
}

/** Removes what createTextSearch made (a migration's `down`; PostgreSQL's pg_trgm stays, other schemas may use it). */
export async function dropTextSearch(runner: QueryRunner, index: TextSearchIndex, options: { ifExists?: boolean } = {}): Promise<void> {
  const n = names(index);
  const ifExists = options.ifExists ? 'IF EXISTS ' : '';
  if (dialectOf(runner.connection) === 'postgres') {
    await runner.query(`DROP INDEX ${ifExists}"${n.trigram}"`);
    return;
  }
  for (const trigger of [n.insert, n.update, n.delete]) await runner.query(`DROP TRIGGER ${ifExists}"${trigger}"`);
  await runner.query(`DROP TABLE ${ifExists}"${n.fts}"`);
  await runner.query(`DROP TABLE ${ifExists}"${n.keys}"`);
}

/**
 * Past this many rows matching a needle, its matches are dense enough that walking the rows in
 * the order asked for and testing each finds a page sooner than listing every match and sorting
 * them (on SQLite: 136 ms for a needle in every one of 100,000 credits through the index, 9 ms by
 * the walk, while a needle in none takes 2 ms through the index against 200 ms by the walk).
 */
const DENSE_MATCHES = 1000;

/**
 * Whether FTS5 can look `needle` up: three characters at least (a trigram), and no U+0000, where
 * its query parser stops reading (an "unterminated string"); such a needle is matched by `instr`.
 */
const indexable = (needle: string) => [...needle].length >= MIN_INDEXED_NEEDLE && !needle.includes('\u0000');

/** An FTS5 phrase of exactly `needle`: with the trigram tokenizer, its substrings. */
const phrase = (needle: string) => `"${needle.replace(/"/g, '""')}"`;

/**
 * The condition "the row aliased `alias` has `needle` (folded as the column is) in its search
 * text", and its parameters. On PostgreSQL its planner weighs the trigram index from its
 * statistics. SQLite's cannot tell how many rows an FTS match has, so the index is asked first for
 * up to DENSE_MATCHES of them: fewer, and the condition goes through the index; more (or a needle
 * it cannot look up), and it tests rows as they are read.
 */
export async function textSearchCondition(manager: EntityManager, index: TextSearchIndex, alias: string, needle: string): Promise<{ sql: string; params: Record<string, string> }> {
  const column = `${alias}.${index.column}`;
  if (dialectOf(manager) === 'postgres') {
    return { sql: `${column} LIKE :search`, params: { search: `%${needle.replace(/[\\%_]/g, '\\$&')}%` } };
  }
  const exact = { sql: `instr(${column}, :search) > 0`, params: { search: needle } };
  if (!indexable(needle)) return exact;
  const n = names(index);
  const [{ count }] = await manager.query(`SELECT COUNT(*) AS count FROM (SELECT rowid FROM "${n.fts}" WHERE "${n.fts}" MATCH ? LIMIT ${DENSE_MATCHES})`, [phrase(needle)]);
  if (Number(count) >= DENSE_MATCHES) return exact;
  const found = `SELECT k."key" FROM "${n.keys}" k WHERE k."id" IN (SELECT rowid FROM "${n.fts}" WHERE "${n.fts}" MATCH :searchPhrase)`;
  return { sql: `${alias}.${index.key} IN (${found}) AND ${exact.sql}`, params: { ...exact.params, searchPhrase: phrase(needle) } };
}

/**
 * A migration that makes the search index of `index` (written by hand: no entity describes FTS
 * tables, triggers or a GIN operator class). `beyondEntities`: synchronize does not make what it
 * makes, so upgrading a database of a release before versioned migrations runs it
 * (lib/platform/database.ts).
 */
export abstract class TextSearchMigration implements MigrationInterface {
  abstract name: string;
  protected abstract readonly index: TextSearchIndex;
  readonly beyondEntities = true;

  async up(runner: QueryRunner): Promise<void> {
    await createTextSearch(runner, this.index);
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropTextSearch(runner, this.index);
  }
}

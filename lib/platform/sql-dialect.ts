/**
 * The few SQL forms that differ between the two databases a provider may store in (SQLite, the
 * embedded default, and PostgreSQL), each written once for both. Everything else the providers
 * write is SQL both accept: identifiers in double quotes (PostgreSQL folds unquoted ones to lower
 * case, and the columns are camelCase), TRUE/FALSE for flags (SQLite reads them as 1/0).
 */
import type { DataSource, EntityManager, SelectQueryBuilder, ObjectLiteral } from 'typeorm';

export type SqlDialect = 'sqlite' | 'postgres';

/** Which dialect a DataSource, EntityManager or query builder speaks. */
export function dialectOf(source: DataSource | EntityManager | SelectQueryBuilder<ObjectLiteral>): SqlDialect {
  const connection = 'connection' in source ? source.connection : source;
  return connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * SQLite's `INDEXED BY <index>` after a table name: without statistics its planner may prefer a
 * worse index, and a few statements name the partial index they are written for. PostgreSQL plans
 * from its statistics and has no such clause.
 */
export const indexedBy = (dialect: SqlDialect, index: string): string => (dialect === 'sqlite' ? ` INDEXED BY ${index}` : '');

/**
 * A FROM item listing the text values of a JSON array held as text in `column`, as the rows of
 * `alias`, each value readable as `alias.value`.
 */
export const jsonTextValues = (dialect: SqlDialect, column: string, alias: string): string =>
  dialect === 'sqlite' ? `json_each(${column}) ${alias}` : `json_array_elements_text(CAST(${column} AS json)) AS ${alias}(value)`;

/**
 * `column` as a term the SQLite planner will not answer through the column's index (the unary
 * `+` hint), so a sorted, limited page walks the sort column's index instead. PostgreSQL needs no
 * hint (and has no unary plus for text).
 */
export const withoutIndex = (dialect: SqlDialect, column: string): string => (dialect === 'sqlite' ? `+${column}` : column);

/** Whether the text in `column` starts with the literal `prefix` (no quote in it), case-sensitive, in both dialects alike. */
export function startsWithSql(column: string, prefix: string): string {
  if (prefix.includes("'")) throw new Error('startsWithSql: a prefix with a quote');
  return `substr(${column}, 1, ${prefix.length}) = '${prefix}'`;
}

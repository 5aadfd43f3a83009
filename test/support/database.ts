/**
 * A scratch database for a test of SQL itself, in the dialect the suite runs on: SQLite in memory,
 * or, when scripts/test.cjs runs the suite on PostgreSQL (TEST_DATABASE=postgres), a schema of its
 * own in the run's database (dropped with it).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource, EntitySchema } from 'typeorm';
import { databaseLocation, MIGRATIONS_TABLE, openScratch, type ProviderDatabase } from '../../lib/platform/database';

export const onPostgres = (): boolean => process.env.TEST_DATABASE === 'postgres' && Boolean(process.env.TEST_POSTGRES_URL);

export function openScratchDatabase(entities: (Function | EntitySchema)[]): Promise<DataSource> {
  if (!onPostgres()) return openScratch({ dialect: 'sqlite', file: ':memory:' }, entities);
  return openScratch({ dialect: 'postgres', url: process.env.TEST_POSTGRES_URL!, schema: `scratch_${randomBytes(6).toString('hex')}` }, entities);
}

/**
 * Runs SQL a test writes as for SQLite (unquoted camelCase names, `?` parameters) on the
 * database the suite runs on: on PostgreSQL, names with a capital letter outside string literals
 * are quoted (it folds unquoted names to lower case) and `?` become `$1, $2, ...`. For the tests'
 * own oracle queries only; the product writes its SQL for both (lib/platform/sql-dialect.ts).
 */
export function runSql<T = any>(db: DataSource, text: string, params: unknown[] = []): Promise<T[]> {
  return db.query(db.options.type === 'postgres' ? forPostgres(text) : text, params);
}

export function forPostgres(text: string): string {
  let n = 0;
  // String literals and quoted names pass unchanged; elsewhere `?` and camelCase names are rewritten.
  return text.replace(/'(?:[^']|'')*'|"[^"]*"|\?|\b[a-z_][a-z0-9_]*[A-Z][A-Za-z0-9_]*\b/g, (token) => {
    if (token === '?') return `$${++n}`;
    if (token.startsWith("'") || token.startsWith('"')) return token;
    return `"${token}"`;
  });
}

/**
 * Makes a database look as releases up to 0.2.0 left theirs: tables made by TypeORM's synchronize
 * and no record of migrations. Opened again, it takes the upgrade path of such databases.
 */
export async function asMadeBeforeMigrations(db: DataSource): Promise<void> {
  await db.query(`DROP TABLE ${MIGRATIONS_TABLE}`);
}

/** Removes `provider`'s database of the data folder `dataDir` where `env` puts it (the suite's by default): its SQLite files, or its PostgreSQL schema. */
export async function removeProviderDatabase(provider: ProviderDatabase, dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const location = databaseLocation(provider, dataDir, env);
  if (location.dialect === 'sqlite') {
    for (const name of fs.readdirSync(dataDir)) if (name.startsWith(path.basename(location.file))) fs.rmSync(path.join(dataDir, name));
    return;
  }
  const client = new Client({ connectionString: location.url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${location.schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

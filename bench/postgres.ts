/**
 * `npm run bench -- --db postgres`: a PostgreSQL database for the run's provider databases, on the
 * server BENCH_DATABASE_URL (or TEST_DATABASE_URL) names, made afresh (collation "C", as the
 * product requires) and dropped when the run ends. Every process the run starts inherits
 * AWS_DATABASE_URL / AZURE_DATABASE_URL pointing at it (schemas `aws` and `azure`, as a user's).
 */
import { Client } from 'pg';

export interface PostgresBench {
  describe(): string;
  /** Points the providers at a copy of the database as it is now (for loads that must not change it); the function returned points them back and drops the copy. */
  useCopy(): Promise<() => Promise<void>>;
  /** Empties the run's database (made afresh, no process may hold it open). */
  reset(): Promise<void>;
  drop(): Promise<void>;
}

const PROVIDER_URLS = ['AWS_DATABASE_URL', 'AZURE_DATABASE_URL'] as const;

export async function startPostgresBench(mode: string): Promise<PostgresBench> {
  const server = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!server) throw new Error('--db postgres needs BENCH_DATABASE_URL (or TEST_DATABASE_URL) naming a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test');
  const admin = new Client({ connectionString: server });
  await admin.connect();
  const name = `credits_bench_${mode}`;
  const copy = `${name}_copy`;
  const urlOf = (database: string) => {
    const url = new URL(server);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const point = (database: string) => {
    for (const v of PROVIDER_URLS) process.env[v] = urlOf(database);
    delete process.env.AWS_DATABASE_SCHEMA;
    delete process.env.AZURE_DATABASE_SCHEMA;
  };
  const fresh = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C' ENCODING 'UTF8'`);
  };
  await fresh();
  point(name);
  const host = new URL(server).host;
  return {
    describe: () => `${host}, database ${name} (schemas aws, azure)`,
    async useCopy() {
      // A template must have no connection: every process that loaded it has ended.
      await admin.query(`CREATE DATABASE ${copy} TEMPLATE ${name}`);
      point(copy);
      return async () => {
        point(name);
        await admin.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
      };
    },
    async reset() {
      await fresh();
      point(name);
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * Versioned migrations (subgraphs/<cloud>/store/migrations, lib/platform/database.ts openDatabase): on the
 * database the suite runs on, each provider's migrations build exactly what its entities describe
 * and revert to nothing; production applies none by itself and refuses a database that lacks one
 * or has one this build does not know; and a database made by release 0.2.0 (before migrations,
 * checked in as test/fixtures/release-0.2.0) is upgraded in place by `npm run migrate` and serves
 * what a fresh load of the same files serves.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CreditBalanceRow } from '../../lib/store/storage';
import { databaseLocation, DatabaseSchema, MIGRATIONS_TABLE, migrationReport, openDatabase } from '../../lib/platform/database';
import { formatProblem, ingestFiles } from '../../lib/store/ingest';
import type { RunningServer } from '../../lib/platform/server';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { AWS_DATABASE, openAwsDatabase } from '../../subgraphs/aws/store';
import { AZURE_DATABASE, openAzureDatabase } from '../../subgraphs/azure/store';
import { tokenFor } from '../support/auth';
import { onPostgres, removeProviderDatabase, runSql } from '../support/database';
import { cleanEnv, MIGRATE } from '../support/product';
import { ADMIN_CLAIMS, DEMO_DIR, query, REPO_ROOT, tempDir, startServicesOver, TEST_NOW } from '../support/stack';

const PROVIDERS: { name: 'aws' | 'azure'; schema: DatabaseSchema; open: typeof openAwsDatabase; searched: string }[] = [
  { name: 'aws', schema: AWS_DATABASE, open: openAwsDatabase, searched: 'aws_credit' },
  { name: 'azure', schema: AZURE_DATABASE, open: openAzureDatabase, searched: 'azure_credit_lot' },
];

/**
 * What the text search index of `table` consists of (lib/platform/text-search-sql.ts), as the
 * database holds it: no entity describes it, so the comparison with the entities cannot see it.
 * A later migration that rebuilds the table on SQLite drops its triggers: this sees that.
 */
async function searchIndexOf(db: DataSource, table: string) {
  if (onPostgres()) {
    const rows = await runSql(db, `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '${table}' AND indexdef LIKE '%gin_trgm_ops%'`);
    return { indexes: rows.map((r) => r.indexname) };
  }
  const triggers = await runSql(db, `SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '${table}' ORDER BY name`);
  const [{ rows }] = await runSql(db, `SELECT COUNT(*) AS rows FROM "${table}"`);
  const [{ keys }] = await runSql(db, `SELECT COUNT(*) AS keys FROM "${table}_search_key"`);
  return { triggers: triggers.map((t) => t.name), keysMatchRows: Number(keys) === Number(rows) };
}

const wholeSearchIndex = (table: string) =>
  onPostgres()
    ? { indexes: [`IDX_${table}_search_trigram`] }
    : { triggers: [`${table}_search_delete`, `${table}_search_insert`, `${table}_search_update`], keysMatchRows: true };

/** The statements TypeORM would run to bring the database to the entities: none when the migrations made exactly them. */
async function differenceFromEntities(db: DataSource): Promise<string[]> {
  return (await db.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
}

async function tablesOf(db: DataSource): Promise<string[]> {
  const runner = db.createQueryRunner();
  try {
    const names = db.entityMetadatas.map((m) => m.tableName);
    const present: string[] = [];
    for (const name of names) if (await runner.hasTable(name)) present.push(name);
    return present.sort();
  } finally {
    await runner.release();
  }
}

describe('versioned migrations', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const newDir = (prefix: string) => {
    const dir = tempDir(prefix);
    dirs.push(dir);
    return dir;
  };
  after(async () => {
    for (const dir of dirs) {
      for (const p of PROVIDERS) await removeProviderDatabase(p.name, dir);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const p of PROVIDERS) {
    describe(`the ${p.schema.name} database`, () => {
      it('is built by its migrations exactly as its entities describe it, every migration recorded', async () => {
        const db = await p.open(newDir('migrations-fresh'));
        try {
          const dialect = onPostgres() ? 'postgres' : 'sqlite';
          const names = p.schema.migrations[dialect].map((m) => m.name);
          expect(names.length).to.be.greaterThan(0);
          expect(migrationReport(db)).to.deep.equal({ upgradedUnversioned: false, applied: names });
          expect(await differenceFromEntities(db), 'entities changed without a migration: run npm run migration:generate').to.deep.equal([]);
          expect((await runSql(db, `SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)).map((r) => r.name)).to.deep.equal(names);
          expect(await searchIndexOf(db, p.searched), 'the text search index after the last migration').to.deep.equal(wholeSearchIndex(p.searched));
        } finally {
          await db.destroy();
        }
      });

      it('reverts every migration to nothing of its own, and applies them again to the same schema', async () => {
        const dir = newDir('migrations-revert');
        const db = await p.open(dir);
        try {
          expect(await tablesOf(db)).to.have.length(db.entityMetadatas.length);
          while ((await db.query(`SELECT COUNT(*) AS n FROM ${MIGRATIONS_TABLE}`))[0].n > 0) await db.undoLastMigration({ transaction: 'all' });
          expect(await tablesOf(db)).to.deep.equal([]);
          await db.runMigrations({ transaction: 'all' });
          expect(await differenceFromEntities(db)).to.deep.equal([]);
        } finally {
          await db.destroy();
        }
      });

      it('upgrades a database whose upgrade stopped before recording its migrations (tables made, none recorded)', async () => {
        const dir = newDir('migrations-interrupted');
        const db = await p.open(dir);
        await runSql(db, `DELETE FROM ${MIGRATIONS_TABLE}`);
        await db.destroy();
        const again = await p.open(dir);
        try {
          expect(migrationReport(again).upgradedUnversioned).to.equal(true);
          expect(await differenceFromEntities(again)).to.deep.equal([]);
          expect(await searchIndexOf(again, p.searched)).to.deep.equal(wholeSearchIndex(p.searched));
          expect((await runSql(again, `SELECT COUNT(*) AS n FROM ${MIGRATIONS_TABLE}`))[0].n).to.satisfy((n: unknown) => Number(n) > 0);
        } finally {
          await again.destroy();
        }
      });

      it('lets replicas open a new PostgreSQL schema at once: one migrates it, the others find it done', async function () {
        if (!onPostgres()) this.skip(); // one SQLite file is opened by one machine's processes, started one by one by npm start
        const dir = newDir('migrations-together');
        const dbs = await Promise.all([p.open(dir), p.open(dir), p.open(dir)]);
        try {
          expect(dbs.map((db) => migrationReport(db).applied.length).sort()).to.deep.equal([0, 0, p.schema.migrations.postgres.length]);
          expect((await runSql(dbs[0], `SELECT name FROM ${MIGRATIONS_TABLE}`)).length).to.equal(p.schema.migrations.postgres.length);
        } finally {
          for (const db of dbs) await db.destroy();
        }
      });

      it('in production, refuses a database that lacks a migration, and one with a migration this build does not know', async () => {
        const dir = newDir('migrations-production');
        let refusal: Error | null = null;
        await p.open(dir, { migrate: false }).then((db) => db.destroy(), (error: Error) => void (refusal = error));
        expect(refusal, 'a new database in production').to.be.an('error');
        expect(refusal!.message).to.match(new RegExp(`^the ${p.schema.name} database \\(.*\\) lacks \\d+ migration\\(s\\) \\(Initial\\d+(, [A-Za-z]+\\d+)*\\): run \`npm run migrate\` first`));

        const db = await p.open(dir, { migrate: true });
        await runSql(db, `INSERT INTO ${MIGRATIONS_TABLE} (timestamp, name) VALUES (?, ?)`, [9999999999999, 'FromTheFuture9999999999999']);
        await db.destroy();
        refusal = null;
        await p.open(dir).then((other) => other.destroy(), (error: Error) => void (refusal = error));
        expect(refusal).to.be.an('error');
        expect(refusal!.message).to.match(/has migrations this build does not know \(FromTheFuture9999999999999\): it was written by a later release/);
      });
    });
  }

  describe('a PostgreSQL database made as release 0.2.0 made them (synchronize, amounts as text)', () => {
    for (const p of PROVIDERS) {
      it(`is upgraded in place with every row and amount kept (${p.schema.name})`, async function () {
        if (!onPostgres()) this.skip(); // a PostgreSQL database of that release
        const loaded = newDir('release-0.2.0-postgres');
        const result = await ingestFiles([path.join(DEMO_DIR, p.name)], loaded, PROVIDER_INGESTS);
        if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
        const current = await p.open(loaded);
        const url = process.env.TEST_POSTGRES_URL!;
        const old = `old_${p.name}_${process.pid}`;
        const admin = new Client({ connectionString: url });
        await admin.connect();
        try {
          // As 0.2.0 opened it: TypeORM's synchronize with the entities as they were (amounts as text).
          await admin.query(`CREATE SCHEMA "${old}"`);
          const made = new DataSource({ type: 'postgres', url, schema: old, extra: { options: `-c search_path=${old}` }, entities: p.schema.entities, synchronize: true, logging: false });
          await made.initialize();
          await made.destroy();
          const location = databaseLocation(p.name, loaded);
          if (location.dialect !== 'postgres') throw new Error('expected the suite on PostgreSQL');
          const from = location.schema;
          for (const m of current.entityMetadatas) {
            const columns = m.columns.map((c) => `"${c.databaseName}"`).join(', ');
            await admin.query(`INSERT INTO "${old}"."${m.tableName}" (${columns}) SELECT ${columns} FROM "${from}"."${m.tableName}"`);
          }
          const textAmounts = await admin.query("SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = $1 AND data_type = 'character varying' AND column_name IN ('remaining', 'openingBalance')", [old]);
          expect(Number(textAmounts.rows[0].n), 'amounts stored as text, as 0.2.0 did').to.equal(2);

          const upgraded = await openDatabase({ dialect: 'postgres', url, schema: old }, p.schema, { migrate: true });
          try {
            expect(migrationReport(upgraded).upgradedUnversioned).to.equal(true);
            expect(await differenceFromEntities(upgraded)).to.deep.equal([]);
            for (const m of current.entityMetadatas) {
              const order = m.primaryColumns.map((c) => `"${c.databaseName}"`).join(', ');
              const rows = async (db: DataSource) => db.query(`SELECT * FROM "${m.tableName}" ORDER BY ${order}`);
              expect(await rows(upgraded), m.tableName).to.deep.equal(await rows(current));
            }
            expect((await current.manager.find(CreditBalanceRow)).length, 'computed balances').to.be.greaterThan(0);
          } finally {
            await upgraded.destroy();
          }
        } finally {
          await current.destroy();
          await admin.query(`DROP SCHEMA IF EXISTS "${old}" CASCADE`);
          await admin.end();
        }
      });
    }
  });

  describe('a database made by release 0.2.0 (before versioned migrations)', () => {
    const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'release-0.2.0');
    const servers: RunningServer[] = [];
    after(async () => {
      for (const s of servers.reverse()) await s.stop();
    });

    /** A gateway over the databases of `dataDir`. */
    async function gatewayOver(dataDir: string): Promise<string> {
      const clock = () => TEST_NOW;
      const { aws, azure, gateway } = await startServicesOver(dataDir, clock);
      servers.push(aws, azure, gateway);
      return gateway.url;
    }

    it('is refused in production, upgraded in place by npm run migrate, and then serves what the same files loaded now serve', async function () {
      if (onPostgres()) this.skip(); // that release's databases were SQLite files (its PostgreSQL support was a first step)
      const old = newDir('release-0.2.0');
      for (const p of PROVIDERS) fs.writeFileSync(path.join(old, `${p.name}.sqlite`), zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, `${p.name}.sqlite.gz`))));

      const env = { ...cleanEnv(), DATA_DIR: old };
      const ingest = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'scripts', 'ingest.js'), path.join(DEMO_DIR, 'aws', 'get-credits.json')], {
        env: { ...env, NODE_ENV: 'production' },
        encoding: 'utf8',
      });
      expect(ingest.status).to.equal(1);
      expect(ingest.stderr).to.contain('was made by a release before versioned migrations: run `npm run migrate` to upgrade it in place');

      const migrate = spawnSync(process.execPath, [MIGRATE], { env: { ...env, NODE_ENV: 'production' }, encoding: 'utf8' });
      expect(migrate.status, migrate.stderr).to.equal(0);
      expect(migrate.stdout).to.equal(
        `AWS database (${path.join(old, 'aws.sqlite')}): upgraded in place from a release before versioned migrations\n` +
          `Azure database (${path.join(old, 'azure.sqlite')}): upgraded in place from a release before versioned migrations\n`,
      );
      for (const p of PROVIDERS) {
        const db = await p.open(old, { migrate: false });
        try {
          expect(migrationReport(db)).to.deep.equal({ upgradedUnversioned: false, applied: [] });
          expect(await differenceFromEntities(db)).to.deep.equal([]);
        } finally {
          await db.destroy();
        }
      }

      const fresh = newDir('release-now');
      const loaded = await ingestFiles([DEMO_DIR], fresh, PROVIDER_INGESTS);
      if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
      const token = await tokenFor(ADMIN_CLAIMS, 'migrations');
      const READ = `{
        credits(first: 50) {
          nodes {
            id provider status name remainingBalance { amount currencyCode } estimatedBalance { amount currencyCode } expiredAmount { amount }
            applications(first: 50) { totalCount nodes { month amount { amount currencyCode } estimated service consumer { id kind } } }
          }
        }
        creditSummary { creditCount }
      }`;
      const [before, now] = await Promise.all([gatewayOver(old), gatewayOver(fresh)].map(async (url) => query(await url, READ, {}, token)));
      expect(before.creditSummary.creditCount).to.be.greaterThan(10);
      expect(before).to.deep.equal(now);
    });
  });
});

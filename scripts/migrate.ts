/**
 * `npm run migrate`: brings every provider's database (SQLite under DATA_DIR, or PostgreSQL per
 * AWS_DATABASE_URL / AZURE_DATABASE_URL) up to this release: applies the migrations it lacks, in
 * one transaction per database, and upgrades in place a database made by a release before
 * versioned migrations. With NODE_ENV=production nothing else applies them (the services and
 * `npm run ingest` refuse a database that lacks any); in development `npm start` does it itself.
 * Safe to run while replicas serve and from several machines at once: one process at a time
 * changes a database's schema, the others wait and then find nothing to do.
 */
import 'reflect-metadata';
import { runScript } from '../lib/platform/cli';
import { loadConfig } from '../lib/platform/config';
import { databaseLocation, describeLocation, migrationReport } from '../lib/platform/database';
import { openAwsDatabase } from '../subgraphs/aws/store';
import { openAzureDatabase } from '../subgraphs/azure/store';

const PROVIDERS = [
  { name: 'AWS', key: 'aws', open: openAwsDatabase },
  { name: 'Azure', key: 'azure', open: openAzureDatabase },
] as const;

async function main(): Promise<number> {
  if (process.argv.length > 2) {
    console.error('usage: npm run migrate (no arguments: DATA_DIR and <PROVIDER>_DATABASE_URL say which databases)');
    return 2;
  }
  const { dataDir } = loadConfig();
  for (const provider of PROVIDERS) {
    const where = describeLocation(databaseLocation(provider.key, dataDir));
    const dataSource = await provider.open(dataDir, { migrate: true });
    try {
      const report = migrationReport(dataSource);
      const done = [
        ...(report.upgradedUnversioned ? ['upgraded in place from a release before versioned migrations'] : []),
        ...(report.applied.length > 0 ? [`applied ${report.applied.length} migration(s): ${report.applied.join(', ')}`] : []),
      ];
      console.log(`${provider.name} database (${where}): ${done.length > 0 ? done.join('; ') : 'up to date'}`);
    } finally {
      await dataSource.destroy();
    }
  }
  return 0;
}

runScript(main);

/** The AWS subgraph's own database (SQLite, or PostgreSQL when configured) and the entities stored in it. */
import type { DataSource } from 'typeorm';
import { moveRowTablesToDocuments } from '../../../lib/store/ledger';
import { CHARGE_ENTITIES } from '../../../lib/store/storage';
import { databaseLocation, DatabaseSchema, openDatabase, OpenOptions } from '../../../lib/platform/database';
import { awsCreditSearchText } from '../domain/normalize-credit';
import { AwsAccount } from '../entities/account';
import { AwsCostCategory } from '../entities/cost-category';
import { AwsCredit } from '../entities/credit';
import { AwsCreditAllocation } from '../entities/credit-allocation';
import { MIGRATIONS } from './migrations';

/** The AWS database: its entities, its migrations, and what a database of a release before migrations lacks. */
export const AWS_DATABASE: DatabaseSchema = {
  name: 'AWS',
  entities: [AwsAccount, AwsCredit, AwsCreditAllocation, AwsCostCategory, ...CHARGE_ENTITIES],
  migrations: MIGRATIONS,
  upgradeUnversionedSqlite: upgradeEarlierSqlite,
};

export function openAwsDatabase(dataDir: string, options?: OpenOptions): Promise<DataSource> {
  return openDatabase(databaseLocation('aws', dataDir), AWS_DATABASE, options);
}

/** What a SQLite database written by a release before the columns and documents existed lacks: filled in place, once. */
async function upgradeEarlierSqlite(dataSource: DataSource): Promise<void> {
  // Written before the searchText column existed: it gets it filled.
  const missing = await dataSource.manager.find(AwsCredit, { where: { searchText: '' }, select: ['creditId', 'description', 'creditType'] });
  for (const credit of missing) await dataSource.manager.update(AwsCredit, { creditId: credit.creditId }, { searchText: awsCreditSearchText(credit) });
  await moveRowTablesToDocuments(dataSource);
  // Written before the snapshot columns existed: its served balances are the snapshot.
  await dataSource.query(
    'UPDATE aws_credit SET snapshotRemainingAmount = remainingCurrencyAmount, snapshotEstimatedAmount = estimatedCurrencyAmount, snapshotExhaustDate = exhaustDate WHERE snapshotRemainingAmount IS NULL',
  );
}

/** The AWS subgraph's own database (SQLite, or PostgreSQL when configured) and the entities stored in it. */
import type { DataSource } from 'typeorm';
import { moveRowTablesToDocuments } from '../../lib/charges/ledger';
import { CHARGE_ENTITIES } from '../../lib/charges/storage';
import { databaseLocation, openDatabase } from '../../lib/database';
import { dialectOf } from '../../lib/sql-dialect';
import { awsCreditSearchText } from './domain/normalize-credit';
import { AwsAccount } from './entities/account';
import { AwsCostCategory } from './entities/cost-category';
import { AwsCredit } from './entities/credit';
import { AwsCreditAllocation } from './entities/credit-allocation';

const awsEntities = [AwsAccount, AwsCredit, AwsCreditAllocation, AwsCostCategory, ...CHARGE_ENTITIES];

export async function openAwsDatabase(dataDir: string): Promise<DataSource> {
  const dataSource = await openDatabase(databaseLocation('aws', dataDir), awsEntities);
  try {
    // Databases of earlier releases are SQLite files: what they lack is filled once.
    if (dialectOf(dataSource) === 'sqlite') await upgradeEarlierSqlite(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** What a database written by an earlier release lacks (they were all SQLite): filled in place, once. */
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

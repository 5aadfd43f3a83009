/** The AWS subgraph's own SQLite database and the entities stored in it. */
import type { DataSource } from 'typeorm';
import { moveRowTablesToDocuments } from '../../lib/charges/ledger';
import { CHARGE_ENTITIES } from '../../lib/charges/storage';
import { databaseLocation, openDatabase } from '../../lib/database';
import { awsCreditSearchText } from './domain/normalize-credit';
import { AwsAccount } from './entities/account';
import { AwsCostCategory } from './entities/cost-category';
import { AwsCredit } from './entities/credit';
import { AwsCreditAllocation } from './entities/credit-allocation';

const awsEntities = [AwsAccount, AwsCredit, AwsCreditAllocation, AwsCostCategory, ...CHARGE_ENTITIES];

export async function openAwsDatabase(dataDir: string): Promise<DataSource> {
  const dataSource = await openDatabase(databaseLocation('aws', dataDir), awsEntities);
  try {
    // A database written before the searchText column existed gets it filled once.
    const missing = await dataSource.manager.find(AwsCredit, { where: { searchText: '' }, select: ['creditId', 'description', 'creditType'] });
    for (const credit of missing) await dataSource.manager.update(AwsCredit, { creditId: credit.creditId }, { searchText: awsCreditSearchText(credit) });
    await moveRowTablesToDocuments(dataSource);
    // A database written before the snapshot columns existed: its served balances are the snapshot.
    await dataSource.query(
      'UPDATE aws_credit SET snapshotRemainingAmount = remainingCurrencyAmount, snapshotEstimatedAmount = estimatedCurrencyAmount, snapshotExhaustDate = exhaustDate WHERE snapshotRemainingAmount IS NULL',
    );
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

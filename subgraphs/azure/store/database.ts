/** The Azure subgraph's own database (SQLite, or PostgreSQL when configured): its entities and how to open it. */
import type { DataSource } from 'typeorm';
import { moveRowTablesToDocuments } from '../../../lib/store/ledger';
import { CHARGE_ENTITIES } from '../../../lib/store/storage';
import { BUSY_RETRY_FOR_MS, databaseLocation, DatabaseSchema, openDatabase, OpenOptions, writeTransaction } from '../../../lib/platform/database';
import { lotDerivedColumns } from '../domain/normalize-lot';
import { AzureBillingAccount } from '../entities/billing-account';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureCreditEvent } from '../entities/credit-event';
import { AzureCreditLot } from '../entities/credit-lot';
import { AzureInvoiceSection } from '../entities/invoice-section';
import { MIGRATIONS } from './migrations';

/** The Azure database: its entities, its migrations, and what a database of a release before migrations lacks. */
export const AZURE_DATABASE: DatabaseSchema = {
  name: 'Azure',
  entities: [AzureBillingAccount, AzureBillingProfile, AzureInvoiceSection, AzureCreditLot, AzureCreditEvent, ...CHARGE_ENTITIES],
  migrations: MIGRATIONS,
  upgradeUnversionedSqlite: upgradeEarlierSqlite,
};

export function openAzureDatabase(dataDir: string, options?: OpenOptions): Promise<DataSource> {
  return openDatabase(databaseLocation('azure', dataDir), AZURE_DATABASE, options);
}

/** What a SQLite database written by a release before the columns and documents existed lacks: filled in place, once. */
async function upgradeEarlierSqlite(dataSource: DataSource): Promise<void> {
  await fillMissingSearchText(dataSource);
  await moveRowTablesToDocuments(dataSource);
  // Written before the snapshot columns existed: its served balances are the snapshot.
  await dataSource.query(
    'UPDATE azure_credit_lot SET snapshotClosedBalance = closedBalanceValue, snapshotClosedBalanceInBillingCurrency = closedBalanceInBillingCurrencyValue, snapshotStatus = status WHERE snapshotStatus IS NULL',
  );
}

/**
 * Computes `searchText` for lots written before the column existed (they hold the default '').
 * Every ingest writes it, so on a current database this finds nothing to do.
 */
export async function fillMissingSearchText(dataSource: DataSource): Promise<number> {
  const lots = await dataSource.manager.find(AzureCreditLot, { where: { searchText: '' } });
  if (lots.length === 0) return 0;
  await writeTransaction(
    dataSource,
    async (manager) => {
      for (const lot of lots) {
        const { searchText } = lotDerivedColumns({
          id: lot.id,
          source: lot.source,
          name: lot.name,
          expirationDate: lot.expirationDate,
          closedBalanceValue: lot.closedBalanceColumns.value ?? '0',
        });
        await manager.update(AzureCreditLot, { id: lot.id }, { searchText });
      }
    },
    BUSY_RETRY_FOR_MS,
    'commit',
  );
  return lots.length;
}

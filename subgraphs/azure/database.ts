/** The Azure subgraph's own SQLite database: its entities and how to open it. */
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { openSqlite } from '../../lib/database';
import { AzureBillingAccount } from './entities/billing-account';
import { AzureBillingProfile } from './entities/billing-profile';
import { AzureCreditEvent } from './entities/credit-event';
import { AzureCreditLot } from './entities/credit-lot';
import { AzureInvoiceSection } from './entities/invoice-section';

export const AZURE_ENTITIES = [AzureBillingAccount, AzureBillingProfile, AzureInvoiceSection, AzureCreditLot, AzureCreditEvent];

export function openAzureDatabase(dataDir: string): Promise<DataSource> {
  return openSqlite(path.join(dataDir, 'azure.sqlite'), AZURE_ENTITIES);
}

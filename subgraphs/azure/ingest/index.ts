/** Everything the Azure subgraph can ingest: its formats and its database. */
import type { ProviderIngest } from '../../../lib/ingest';
import { openAzureDatabase } from '../database';
import { billingAccountsFormat } from './billing-accounts';
import { recomputeAzure } from '../charges/book';
import { azureCostDetailsFormat, storeAzurePeriods } from './cost-details';
import { eventsFormat } from './events';
import { lotsFormat } from './lots';

export const AZURE_INGEST_FORMATS = [billingAccountsFormat, lotsFormat, eventsFormat];

export const azureIngest: ProviderIngest = {
  provider: 'AZURE',
  formats: AZURE_INGEST_FORMATS,
  billingFormats: [azureCostDetailsFormat],
  openDatabase: openAzureDatabase,
  storePeriods: storeAzurePeriods,
  recompute: recomputeAzure,
};

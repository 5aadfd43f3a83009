/** Everything the Azure subgraph can ingest: its formats and its database. */
import type { IngestFormat, ProviderIngest } from '../../../lib/store/ingest';
import { isEmptyArmListPage } from './arm-list';
import { openAzureDatabase } from '../store';
import { billingAccountsFormat } from './billing-accounts';
import { recomputeAzure } from '../charges/book';
import { azureCostDetailsFormat, storeAzurePeriods } from './cost-details';
import { eventsFormat } from './events';
import { lotsFormat } from './lots';

/** The last page of an ARM list that holds nothing (a profile without lots, a range without events): loads nothing. */
const emptyListPageFormat: IngestFormat<null> = {
  name: 'Azure list page with no entries',
  provider: 'AZURE',
  order: 99,
  detect: isEmptyArmListPage,
  validate: () => null,
  load: async () => 0,
};

export const AZURE_INGEST_FORMATS = [billingAccountsFormat, lotsFormat, eventsFormat, emptyListPageFormat];

export const azureIngest: ProviderIngest = {
  provider: 'AZURE',
  formats: AZURE_INGEST_FORMATS,
  billingFormats: [azureCostDetailsFormat],
  openDatabase: openAzureDatabase,
  storePeriods: storeAzurePeriods,
  recompute: recomputeAzure,
};

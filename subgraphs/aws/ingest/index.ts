/** The AWS subgraph's ingest: its formats, recognised by shape, and its database. */
import type { ProviderIngest } from '../../../lib/ingest';
import { openAwsDatabase } from '../database';
import { recomputeAws } from '../charges/book';
import { storeLoadedPeriods } from '../../../lib/charges/ledger';
import { awsBillingCsvFormat } from './billing-file';
import { costCategoryFormat } from './cost-category';
import { creditAllocationHistoryFormat } from './credit-allocation-history';
import { getCreditsFormat } from './get-credits';
import { listAccountsFormat } from './list-accounts';

export const awsIngest: ProviderIngest = {
  provider: 'AWS',
  formats: [listAccountsFormat, costCategoryFormat, getCreditsFormat, creditAllocationHistoryFormat],
  billingFormats: [awsBillingCsvFormat],
  openDatabase: openAwsDatabase,
  // A billing file's group is its payer: nothing to resolve.
  storePeriods: storeLoadedPeriods,
  recompute: recomputeAws,
};

/** The AWS subgraph's ingest: its formats, recognised by shape, and its database. */
import type { IngestFormat, ProviderIngest } from '../../../lib/store/ingest';
import { openAwsDatabase } from '../store';
import { recomputeAws } from '../charges/book';
import { storeLoadedPeriods } from '../../../lib/store/ledger';
import { awsBillingCsvFormat } from './billing-file';
import { CostCategoryRow, costCategoryFormat } from './cost-category';
import { creditAllocationHistoryFormat } from './credit-allocation-history';
import { getCreditsFormat } from './get-credits';
import { listAccountsFormat } from './list-accounts';

/**
 * Cost category definitions, each recorded by its ARN so that two files of one load cannot give
 * two versions of one category (the definition is the whole document, hence its path '').
 */
const costCategoryDefinitions: IngestFormat<CostCategoryRow[]> = {
  ...costCategoryFormat,
  validate(document, file, problems, entries) {
    const rows = costCategoryFormat.validate(document, file, problems);
    for (const row of rows) entries?.add('AWS cost category', row.costCategoryArn, '', row);
    return rows;
  },
};

export const awsIngest: ProviderIngest = {
  provider: 'AWS',
  formats: [listAccountsFormat, costCategoryDefinitions, getCreditsFormat, creditAllocationHistoryFormat],
  billingFormats: [awsBillingCsvFormat],
  openDatabase: openAwsDatabase,
  // A billing file's group is its payer: nothing to resolve.
  storePeriods: storeLoadedPeriods,
  recompute: recomputeAws,
};

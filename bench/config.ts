/**
 * The sizes and durations of a benchmark run. `full` is the dataset (10,000 AWS credits,
 * 10,000 Azure lots, 1,000,000 history/event rows, two 1,000,000-row billing files); `quick` is a
 * smaller one with shorter load runs, for a check in under three minutes.
 */

export interface DatasetConfig {
  /** Bump when the generator's output changes, so a cached dataset is not reused. */
  version: number;
  seed: number;
  awsOrganizations: number;
  /** Accounts per organization, the management (payer) account included. */
  awsAccountsPerOrganization: number;
  awsCredits: number;
  /** Credits the payer of each organization owns: the native AWS page (`awsCredits(accountId, first: 50)`) returns this many. */
  payerCreditsPerOrganization: number;
  awsHistoryRows: number;
  /** Entries per GetCreditAllocationHistory page (the API's maxResults is at most 1,000). */
  historyPageSize: number;
  azureBillingAccounts: number;
  /** At most 50: the Azure summary operation reads one page of `creditSummary(first: 50)` per account, so it covers every profile. */
  azureProfilesPerAccount: number;
  azureSectionsPerProfile: number;
  azureLots: number;
  lotsPageSize: number;
  azureEvents: number;
  eventsPageSize: number;
  /** Line items of the AWS Programmatic Billing CSV (totals rows come on top). */
  awsBillingCsvRows: number;
  /** Rows of the Azure MCA cost details CSV. */
  costDetailsRows: number;
  /** JSON files per `npm run ingest` call when loading history and events (bounded memory per call). */
  ingestFilesPerCall: number;
}

export interface LoadConfig {
  /** Seconds of measured load per operation and target. */
  durationSeconds: number;
  /** Seconds of unmeasured load first (JIT, caches, connection pools). */
  warmupSeconds: number;
  connections: number;
  /** Seconds of unmeasured load per operation straight to the subgraphs once they started (JIT, SQLite's page cache). */
  subgraphWarmupSeconds: number;
  /** Measure straight to the subgraphs again after the gateways, to show drift (the ratio then uses the mean). */
  directAfter: boolean;
}

export interface EngineConfig {
  credits: number;
  charges: number;
  groups: number;
  months: number;
}

export interface BenchConfig {
  mode: 'quick' | 'full';
  dataset: DatasetConfig;
  load: LoadConfig;
  engine: EngineConfig;
}

export const GENERATOR_VERSION = 3;

export const FULL: BenchConfig = {
  mode: 'full',
  dataset: {
    version: GENERATOR_VERSION,
    seed: 20261122,
    awsOrganizations: 20,
    awsAccountsPerOrganization: 50,
    awsCredits: 10_000,
    payerCreditsPerOrganization: 50,
    awsHistoryRows: 700_000,
    historyPageSize: 1_000,
    azureBillingAccounts: 2,
    azureProfilesPerAccount: 50,
    azureSectionsPerProfile: 10,
    azureLots: 10_000,
    lotsPageSize: 50,
    azureEvents: 300_000,
    eventsPageSize: 1_000,
    awsBillingCsvRows: 1_000_000,
    costDetailsRows: 1_000_000,
    ingestFilesPerCall: 100,
  },
  load: { durationSeconds: 10, warmupSeconds: 2, connections: 10, subgraphWarmupSeconds: 5, directAfter: true },
  engine: { credits: 10_000, charges: 1_000_000, groups: 20, months: 12 },
};

export const QUICK: BenchConfig = {
  mode: 'quick',
  dataset: {
    version: GENERATOR_VERSION,
    seed: 20261122,
    awsOrganizations: 10,
    awsAccountsPerOrganization: 20,
    awsCredits: 1_000,
    payerCreditsPerOrganization: 50,
    awsHistoryRows: 30_000,
    historyPageSize: 1_000,
    azureBillingAccounts: 1,
    azureProfilesPerAccount: 20,
    azureSectionsPerProfile: 5,
    azureLots: 1_000,
    lotsPageSize: 50,
    azureEvents: 10_000,
    eventsPageSize: 1_000,
    awsBillingCsvRows: 50_000,
    costDetailsRows: 50_000,
    ingestFilesPerCall: 100,
  },
  load: { durationSeconds: 1.5, warmupSeconds: 0.3, connections: 10, subgraphWarmupSeconds: 1, directAfter: false },
  // The engine's target is for 1,000,000 charges and its time is not linear in them: measured in full here too.
  engine: { credits: 10_000, charges: 1_000_000, groups: 20, months: 12 },
};

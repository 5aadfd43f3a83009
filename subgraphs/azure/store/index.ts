/**
 * The Azure store: the one way the rest of the Azure subgraph (resolvers, loaders, the provider
 * contract, the charge book, the loads) reaches its database. Every SQL statement, index, planner
 * hint and bulk write of the subgraph is in this folder, in the same files as the AWS store's:
 *
 * - database.ts: the entities, the migrations (migrations/, per dialect) and opening the database;
 * - repository.ts: the reads of one caller (`repositoryFor`), each limited to its scope by the
 *   condition of access-sql.ts, with the sort orders of the native connections and the contract's
 *   credit search (status-sql.ts: the status rule's facts as columns);
 * - charges.ts: the named statements of the charge book, the loads and the controls
 *   (event-indexes.ts: the partial indexes its event statements name).
 *
 * The charges tables every provider shares (periods, controls, results) are lib/store's.
 */
export { AZURE_DATABASE, openAzureDatabase } from './database';
export {
  ACCOUNT_ORDER,
  AzureRepository,
  EVENT_ORDER,
  type EventRange,
  LOT_ORDER,
  PROFILE_ORDER,
  type ProfileBalanceLot,
  repositoryFor,
  scopeOfCaller,
  SECTION_ORDER,
} from './repository';
export * from './charges';

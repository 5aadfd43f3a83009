/**
 * The AWS store: the one way the rest of the AWS subgraph (resolvers, loaders, the provider
 * contract, the charge book, the loads) reaches its database. Every SQL statement, index, planner
 * hint and bulk write of the subgraph is in this folder, in the same files as the Azure store's:
 *
 * - database.ts: the entities, the migrations (migrations/, per dialect) and opening the database;
 * - repository.ts: the reads of one caller (`repositoryFor`), each limited to its scope by the
 *   conditions of access-sql.ts, with the sort orders of the native connections and the contract's
 *   credit search (status-sql.ts: the status rule's facts as columns);
 * - charges.ts: the named statements of the charge book, the loads and the controls.
 *
 * The charges tables every provider shares (periods, controls, results) are lib/store's.
 */
export { AWS_DATABASE, openAwsDatabase } from './database';
export { ACCOUNT_ORDER, ALLOCATION_ORDER, type AllocationFilter, AwsRepository, COST_CATEGORY_ORDER, CREDIT_ORDER, repositoryFor, scopeOfCaller } from './repository';
export * from './charges';

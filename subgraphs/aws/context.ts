/**
 * The typed per-request GraphQL context of the AWS subgraph: the verified caller, its scope, the
 * database reads limited to that scope, fresh loaders over them, and the request's "now".
 */
import type { DataSource } from 'typeorm';
import type { Principal } from '../../lib/platform/auth/principal';
import { AwsLoaders, createLoaders } from './loaders';
import { AwsRepository, loadAwsScope } from './repository';

export interface AwsContext {
  dataSource: DataSource;
  /** Who is calling (verified from the bearer token). */
  principal: Principal;
  /** Entity lookups and child lists, batched, only ever holding what the caller may see. */
  loaders: AwsLoaders;
  /** Batch queries for root lists (children and references go through `loaders`), limited to the caller's scope. */
  repository: AwsRepository;
  /** The request's moment, ISO-8601 UTC. */
  now: string;
}

export async function createAwsContext(dataSource: DataSource, clock: () => Date, principal: Principal): Promise<AwsContext> {
  const repository = new AwsRepository(dataSource.manager, await loadAwsScope(dataSource.manager, principal));
  return { dataSource, principal, loaders: createLoaders(repository), repository, now: clock().toISOString() };
}

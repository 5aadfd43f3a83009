/**
 * The typed per-request GraphQL context of the AWS subgraph: the verified caller, the store's
 * reads limited to its scope, fresh loaders over them, and the request's "now".
 */
import type { DataSource } from 'typeorm';
import type { Principal } from '../../lib/platform/auth/principal';
import { AwsLoaders, createAwsLoaders } from './loaders';
import { AwsRepository, repositoryFor } from './store';

export interface AwsContext {
  /** Who is calling (verified from the bearer token). */
  principal: Principal;
  /** Batch queries for root lists (children and references go through `loaders`), limited to the caller's scope (`repository.scope`). */
  repository: AwsRepository;
  /** Entity lookups and child lists, batched, only ever holding what the caller may see. */
  loaders: AwsLoaders;
  /** The request's moment, ISO-8601 UTC. */
  now: string;
}

export async function createAwsContext(dataSource: DataSource, now: Date, principal: Principal): Promise<AwsContext> {
  const repository = await repositoryFor(dataSource.manager, principal);
  return { principal, repository, loaders: createAwsLoaders(repository), now: now.toISOString() };
}

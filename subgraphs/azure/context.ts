/**
 * The typed per-request GraphQL context of the Azure subgraph: the verified caller, the store's
 * reads limited to its scope, fresh loaders over them, and the request's "now".
 */
import type { DataSource } from 'typeorm';
import type { Principal } from '../../lib/platform/auth/principal';
import { AzureLoaders, createAzureLoaders } from './loaders';
import { AzureRepository, repositoryFor } from './store';

export interface AzureContext {
  /** Who is calling (verified from the bearer token). */
  principal: Principal;
  /** Batch queries for root lists (children and references go through `loaders`), limited to the caller's scope (`repository.scope`). */
  repository: AzureRepository;
  /** Entity lookups and child lists, batched, only ever holding what the caller may see. */
  loaders: AzureLoaders;
  /** The request's moment, ISO-8601 UTC. */
  now: string;
}

export async function createAzureContext(dataSource: DataSource, now: Date, principal: Principal): Promise<AzureContext> {
  const repository = await repositoryFor(dataSource.manager, principal);
  return { principal, repository, loaders: createAzureLoaders(repository), now: now.toISOString() };
}

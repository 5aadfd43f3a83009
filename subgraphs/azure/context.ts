/** The typed per-request GraphQL context of the Azure subgraph. */
import type { DataSource } from 'typeorm';
import type { Principal } from '../../lib/platform/auth/principal';
import type { AzureScope } from './domain/access';
import { AzureLoaders, createAzureLoaders } from './loaders';
import { resolveAzureScope } from './repository';

export interface AzureContext {
  dataSource: DataSource;
  /** The verified caller of the request. */
  principal: Principal;
  /** What the caller may see, computed once for the request; every query and loader applies it. */
  scope: AzureScope;
  /** Fresh for every request, limited to `scope`. */
  loaders: AzureLoaders;
  /** The request's moment (ISO-8601 UTC), for statuses and balances. */
  now: string;
}

export async function createAzureContext(dataSource: DataSource, now: string, principal: Principal): Promise<AzureContext> {
  const scope = await resolveAzureScope(dataSource.manager, principal);
  return { dataSource, principal, scope, loaders: createAzureLoaders(dataSource, scope), now };
}

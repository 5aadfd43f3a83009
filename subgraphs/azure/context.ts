/** The typed per-request GraphQL context of the Azure subgraph. */
import type { DataSource } from 'typeorm';
import { AzureLoaders, createAzureLoaders } from './loaders';

export interface AzureContext {
  dataSource: DataSource;
  /** Fresh for every request. */
  loaders: AzureLoaders;
  /** The request's moment (ISO-8601 UTC), for statuses and balances. */
  now: string;
}

export function createAzureContext(dataSource: DataSource, now: string): AzureContext {
  return { dataSource, loaders: createAzureLoaders(dataSource), now };
}

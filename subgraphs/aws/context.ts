/** The typed per-request GraphQL context of the AWS subgraph: database, fresh loaders, and the request's "now". */
import type { DataSource } from 'typeorm';
import { AwsLoaders, createLoaders } from './loaders';
import { AwsRepository } from './repository';

export interface AwsContext {
  dataSource: DataSource;
  loaders: AwsLoaders;
  /** Batch queries for root lists (children and references go through `loaders`). */
  repository: AwsRepository;
  /** The request's moment, ISO-8601 UTC. */
  now: string;
}

export function createAwsContext(dataSource: DataSource, clock: () => Date): AwsContext {
  const repository = new AwsRepository(dataSource.manager);
  return { dataSource, loaders: createLoaders(repository), repository, now: clock().toISOString() };
}

/**
 * Starts a provider subgraph (AWS, Azure, the next cloud): its own database, its GraphQL schema
 * and the provider contract beside it. Only the gateway may call (shared secret) and the caller's
 * token is verified again here. Stopping it also closes its database.
 */
import type { BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { AuthConfig, loadAuthConfig } from '../platform/auth/config';
import type { Principal } from '../platform/auth/principal';
import { subgraphAuth } from '../platform/auth/subgraph';
import type { CreditProvider } from '../domain/provider-contract';
import { mountProviderContract } from './provider-http';
import { queryGuards, subgraphCostModel } from '../platform/query-limits';
import { RunningServer, serveGraphQL } from '../platform/server';

/** What every provider subgraph's start function takes. */
export interface ProviderSubgraphOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** The service's clock (default: real time); `now` of each request. */
  clock?: () => Date;
  /** How callers are authenticated (gateway secret, token keys); from the environment by default. */
  auth?: AuthConfig;
}

export interface ProviderSubgraphParts<TContext extends BaseContext> {
  name: string;
  openDatabase(dataDir: string): Promise<DataSource>;
  buildSchema(): Promise<GraphQLSchema>;
  createProvider(dataSource: DataSource): CreditProvider;
  createContext(dataSource: DataSource, now: Date, principal: Principal): Promise<TContext> | TContext;
}

export type RunningProviderSubgraph = RunningServer & { dataSource: DataSource };

export async function startProviderSubgraph<TContext extends BaseContext>(
  parts: ProviderSubgraphParts<TContext>,
  options: ProviderSubgraphOptions,
): Promise<RunningProviderSubgraph> {
  const clock = options.clock ?? (() => new Date());
  const config = options.auth ?? loadAuthConfig();
  const auth = subgraphAuth(config);
  const dataSource = await parts.openDatabase(options.dataDir);
  try {
    const schema = await parts.buildSchema();
    // The same limits as the gateway's, so a direct call holds too (the gateway secret is no
    // licence for an unbounded query).
    const guards = queryGuards<TContext>({ model: subgraphCostModel(schema), subgraph: true });
    const server = await serveGraphQL<TContext>({
      name: parts.name,
      port: options.port,
      host: options.host,
      apollo: { schema, introspection: true },
      guards,
      production: config.production,
      guard: auth.gatewayCaller,
      context: async (req) => parts.createContext(dataSource, clock(), auth.principal(req)),
      routes: (app) => mountProviderContract(app, parts.createProvider(dataSource), auth),
    });
    return { ...server, dataSource, stop: () => server.stop().then(() => dataSource.destroy()) };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

/**
 * The gateway: Apollo Server + Apollo Gateway over the committed supergraph. It hosts the credits
 * subgraph in-process (no network hop) and reaches the provider subgraphs over HTTP at the URLs
 * the environment gives.
 */
import 'reflect-metadata';
import { ApolloGateway, GraphQLDataSource, LocalGraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import { loadConfig } from '../lib/config';
import { RunningServer, runUntilSignalled, serveGraphQL } from '../lib/server';
import { createCreditsContext, CreditsContext, ProviderRegistry } from '../subgraphs/credits/context';
import { httpProviders } from '../subgraphs/credits/providers';
import { buildCreditsSchema } from '../subgraphs/credits/schema';
import { readSupergraph } from './compose';

/** The gateway's per-request context. */
export interface GatewayContext {
  /** Context handed to the in-process credits subgraph. */
  credits: CreditsContext;
}

/** Runs the credits subgraph in-process with the request's credits context. */
class InProcessCreditsDataSource extends LocalGraphQLDataSource {
  override process(options: Parameters<GraphQLDataSource['process']>[0]) {
    return super.process({ ...options, context: (options.context as unknown as GatewayContext).credits } as typeof options);
  }
}

export interface GatewayOptions {
  port: number;
  host?: string;
  /** GraphQL URLs of the provider subgraphs. */
  subgraphUrls: { aws: string; azure: string };
  /** Provider contract clients; by default over HTTP at the subgraph URLs. */
  providers?: ProviderRegistry;
  supergraphSdl?: string;
  clock?: () => Date;
}

export async function startGateway(options: GatewayOptions): Promise<RunningServer> {
  const clock = options.clock ?? (() => new Date());
  const providers = options.providers ?? httpProviders(options.subgraphUrls);
  const creditsSchema: GraphQLSchema = await buildCreditsSchema();
  const urls: Record<string, string> = { aws: options.subgraphUrls.aws, azure: options.subgraphUrls.azure };
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readSupergraph(),
    buildService({ name, url }) {
      if (name === 'credits') return new InProcessCreditsDataSource(creditsSchema);
      return new RemoteGraphQLDataSource({ url: urls[name] ?? url });
    },
  });
  return serveGraphQL<GatewayContext>({
    name: 'gateway',
    port: options.port,
    host: options.host,
    apollo: { gateway, introspection: true, includeStacktraceInErrorResponses: false },
    context: async () => ({ credits: createCreditsContext(providers, clock()) }),
  });
}

if (require.main === module) {
  const config = loadConfig();
  runUntilSignalled('gateway', () =>
    startGateway({ port: config.gatewayPort, host: config.host, subgraphUrls: { aws: config.awsUrl, azure: config.azureUrl } }),
  );
}

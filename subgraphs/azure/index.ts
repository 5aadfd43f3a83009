/**
 * The Azure MCA-style provider subgraph: native GraphQL types over billing accounts, profiles,
 * invoice sections, credit lots and events, plus the internal provider contract. Only the gateway
 * may call it (shared secret), for a caller whose token verifies here again; every answer is
 * limited to what that caller's billing roles allow. Run directly to serve it on AZURE_PORT with
 * data from DATA_DIR.
 */
import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { AuthConfig, loadAuthConfig } from '../../lib/auth/config';
import { subgraphAuth } from '../../lib/auth/subgraph';
import { loadConfig } from '../../lib/config';
import { mountProviderContract } from '../../lib/provider-http';
import { RunningServer, runUntilSignalled, serveGraphQL } from '../../lib/server';
import { AzureContext, createAzureContext } from './context';
import { openAzureDatabase } from './database';
import { AzureCreditProvider } from './provider';
import { buildAzureSchema } from './schema';

export interface AzureSubgraphOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** The clock requests are evaluated at (statuses, balances); real time by default. */
  clock?: () => Date;
  /** How callers are authenticated (gateway secret, token keys); from the environment by default. */
  auth?: AuthConfig;
}

export async function startAzureSubgraph(options: AzureSubgraphOptions): Promise<RunningServer & { dataSource: DataSource }> {
  const clock = options.clock ?? (() => new Date());
  const auth = subgraphAuth(options.auth ?? loadAuthConfig());
  const dataSource = await openAzureDatabase(options.dataDir);
  try {
    const schema = await buildAzureSchema();
    const provider = new AzureCreditProvider(dataSource);
    const server = await serveGraphQL<AzureContext>({
      name: 'azure',
      port: options.port,
      host: options.host,
      apollo: { schema, introspection: true, includeStacktraceInErrorResponses: false },
      guard: auth.gatewayOnly,
      context: async (req) => createAzureContext(dataSource, clock().toISOString(), await auth.principal(req)),
      routes: (app) => mountProviderContract(app, provider, auth),
    });
    // Stopping the subgraph also closes its database.
    return { ...server, dataSource, stop: () => server.stop().then(() => dataSource.destroy()) };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

if (require.main === module) {
  const config = loadConfig();
  runUntilSignalled('Azure subgraph', () => startAzureSubgraph({ dataDir: config.dataDir, port: config.azurePort, host: config.host }));
}

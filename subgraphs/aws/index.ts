/**
 * The AWS subgraph service: GraphQL over the AWS database plus the internal provider contract.
 * Only the gateway may call it (shared secret header) and every request needs a bearer token,
 * verified here again; what a caller sees is limited by domain/access.ts.
 * Run directly, it reads DATA_DIR and AWS_PORT and serves until SIGINT/SIGTERM.
 */
import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { AuthConfig, loadAuthConfig } from '../../lib/auth/config';
import { subgraphAuth } from '../../lib/auth/subgraph';
import { loadConfig } from '../../lib/config';
import { mountProviderContract } from '../../lib/provider-http';
import { RunningServer, runUntilSignalled, serveGraphQL } from '../../lib/server';
import { AwsContext, createAwsContext } from './context';
import { openAwsDatabase } from './database';
import { AwsCreditProvider } from './provider';
import { buildAwsSchema } from './schema';

export interface AwsSubgraphOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** The service's clock (default: real time); `now` of each request. */
  clock?: () => Date;
  /** How callers are authenticated (default: from the environment, loadAuthConfig). */
  auth?: AuthConfig;
}

export async function startAwsSubgraph(options: AwsSubgraphOptions): Promise<RunningServer & { dataSource: DataSource }> {
  const clock = options.clock ?? (() => new Date());
  const auth = subgraphAuth(options.auth ?? loadAuthConfig());
  const dataSource = await openAwsDatabase(options.dataDir);
  try {
    const schema = await buildAwsSchema();
    const server = await serveGraphQL<AwsContext>({
      name: 'aws',
      port: options.port,
      host: options.host,
      apollo: { schema, introspection: true, includeStacktraceInErrorResponses: false },
      // Only the gateway may call (shared secret); the caller's token is verified again here.
      guard: auth.gatewayOnly,
      context: async (req) => createAwsContext(dataSource, clock, await auth.principal(req)),
      routes: (app) => mountProviderContract(app, new AwsCreditProvider(dataSource), auth),
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
  runUntilSignalled('AWS subgraph', () => startAwsSubgraph({ dataDir: config.dataDir, port: config.awsPort, host: config.host }));
}

/**
 * The credits subgraph on its own port, for a router other than our gateway (Apollo Router, Hive
 * Gateway). Our gateway hosts the same schema in-process and needs no such server.
 */
import 'reflect-metadata';
import { loadConfig } from '../../lib/config';
import { RunningServer, runUntilSignalled, serveGraphQL } from '../../lib/server';
import { createCreditsContext, ProviderRegistry } from './context';
import { httpProviders } from './providers';
import { buildCreditsSchema } from './schema';

export async function startCreditsSubgraph(options: {
  port: number;
  host?: string;
  providers: ProviderRegistry;
  clock?: () => Date;
}): Promise<RunningServer> {
  const clock = options.clock ?? (() => new Date());
  return serveGraphQL({
    name: 'credits',
    port: options.port,
    host: options.host,
    apollo: { schema: await buildCreditsSchema(), introspection: true, includeStacktraceInErrorResponses: false },
    context: async () => createCreditsContext(options.providers, clock()),
  });
}

if (require.main === module) {
  const config = loadConfig();
  runUntilSignalled('credits subgraph', () =>
    startCreditsSubgraph({ port: config.creditsPort, host: config.host, providers: httpProviders({ aws: config.awsUrl, azure: config.azureUrl }) }),
  );
}

/**
 * The credits subgraph on its own port, for a router other than our gateway (Apollo Router, Hive
 * Gateway). Our gateway hosts the same schema in-process and needs no such server.
 */
import 'reflect-metadata';
import { loadConfig } from '../../lib/config';
import { RunningServer, serveGraphQL } from '../../lib/server';
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
  startCreditsSubgraph({ port: config.creditsPort, host: config.host, providers: httpProviders({ aws: config.awsUrl, azure: config.azureUrl }) })
    .then((server) => {
      console.log(`credits subgraph ready at ${server.url}`);
      const stop = () => server.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}

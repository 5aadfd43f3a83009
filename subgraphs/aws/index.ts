/**
 * The AWS subgraph service: GraphQL over the AWS database plus the internal provider contract.
 * Only the gateway may call it (shared secret header) and every request needs a bearer token,
 * verified here again; what a caller sees is limited by domain/access.ts.
 * Run directly, it reads DATA_DIR and AWS_PORT and serves until SIGINT/SIGTERM.
 */
import 'reflect-metadata';
import { loadConfig } from '../../lib/platform/config';
import { ProviderSubgraphOptions, RunningProviderSubgraph, startProviderSubgraph } from '../../lib/api/provider-subgraph';
import { runUntilSignalled } from '../../lib/platform/server';
import { productClock } from '../../lib/platform/today';
import { createAwsContext } from './context';
import { openAwsDatabase } from './store';
import { AwsCreditProvider } from './provider';
import { buildAwsSchema } from './schema';

export type AwsSubgraphOptions = ProviderSubgraphOptions;

export function startAwsSubgraph(options: AwsSubgraphOptions): Promise<RunningProviderSubgraph> {
  return startProviderSubgraph(
    {
      name: 'aws',
      openDatabase: openAwsDatabase,
      buildSchema: buildAwsSchema,
      createProvider: (dataSource) => new AwsCreditProvider(dataSource),
      createContext: (dataSource, now, principal) => createAwsContext(dataSource, now, principal),
    },
    options,
  );
}

if (require.main === module) {
  const config = loadConfig();
  runUntilSignalled('AWS subgraph', () => startAwsSubgraph({ dataDir: config.dataDir, port: config.awsPort, host: config.host, clock: productClock() }));
}

/**
 * The Azure MCA-style provider subgraph: native GraphQL types over billing accounts, profiles,
 * invoice sections, credit lots and events, plus the internal provider contract. Only the gateway
 * may call it (shared secret), for a caller whose token verifies here again; every answer is
 * limited to what that caller's billing roles allow. Run directly to serve it on AZURE_PORT with
 * data from DATA_DIR.
 */
import 'reflect-metadata';
import { loadConfig } from '../../lib/platform/config';
import { ProviderSubgraphOptions, RunningProviderSubgraph, startProviderSubgraph } from '../../lib/api/provider-subgraph';
import { runUntilSignalled } from '../../lib/platform/server';
import { productClock } from '../../lib/platform/today';
import { createAzureContext } from './context';
import { openAzureDatabase } from './store';
import { AzureCreditProvider } from './provider';
import { buildAzureSchema } from './schema';

export type AzureSubgraphOptions = ProviderSubgraphOptions;

export function startAzureSubgraph(options: AzureSubgraphOptions): Promise<RunningProviderSubgraph> {
  return startProviderSubgraph(
    {
      name: 'azure',
      openDatabase: openAzureDatabase,
      buildSchema: buildAzureSchema,
      createProvider: (dataSource) => new AzureCreditProvider(dataSource),
      createContext: (dataSource, now, principal) => createAzureContext(dataSource, now, principal),
    },
    options,
  );
}

if (require.main === module) {
  const config = loadConfig();
  runUntilSignalled('Azure subgraph', () => startAzureSubgraph({ dataDir: config.dataDir, port: config.azurePort, host: config.host, clock: productClock() }));
}

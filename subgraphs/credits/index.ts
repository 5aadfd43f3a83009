/**
 * The credits subgraph on its own port, for a router other than our gateway (Apollo Router, Hive
 * Gateway). Our gateway hosts the same schema in-process and needs no such server. Like every
 * subgraph it answers only the router (gateway secret) and verifies the caller's token again; it
 * forwards both to the providers.
 */
import 'reflect-metadata';
import { AuthConfig, loadAuthConfig } from '../../lib/platform/auth/config';
import { GATEWAY_SECRET_HEADER } from '../../lib/platform/auth/http';
import { subgraphAuth } from '../../lib/platform/auth/subgraph';
import { loadConfig } from '../../lib/platform/config';
import { queryGuards, subgraphCostModel } from '../../lib/platform/query-limits';
import { RunningServer, runUntilSignalled, serveGraphQL } from '../../lib/platform/server';
import { productClock } from '../../lib/platform/today';
import { createCreditsContext, CreditsContext } from './context';
import { httpProviders, ProviderUrls } from './providers';
import { buildCreditsSchema } from './schema';
import { unavailableProvidersPlugin } from './unavailable-providers-plugin';

export async function startCreditsSubgraph(options: {
  port: number;
  host?: string;
  providerUrls: ProviderUrls;
  auth?: AuthConfig;
  clock?: () => Date;
  providerTimeoutMs?: number;
}): Promise<RunningServer> {
  const clock = options.clock ?? (() => new Date());
  const config = options.auth ?? loadAuthConfig();
  const auth = subgraphAuth(config);
  const schema = await buildCreditsSchema();
  const guards = queryGuards<CreditsContext>({ model: subgraphCostModel(schema), subgraph: true });
  return serveGraphQL<CreditsContext>({
    name: 'credits',
    port: options.port,
    host: options.host,
    guard: auth.gatewayCaller,
    apollo: { schema, introspection: true, plugins: [unavailableProvidersPlugin<CreditsContext>((context) => context)] },
    guards,
    production: config.production,
    context: async (req) => {
      auth.principal(req);
      const headers = { authorization: req.header('authorization')!, [GATEWAY_SECRET_HEADER]: config.gatewaySecret };
      return createCreditsContext(httpProviders(options.providerUrls, { headers, timeoutMs: options.providerTimeoutMs }), clock());
    },
  });
}

if (require.main === module) {
  const config = loadConfig();
  runUntilSignalled('credits subgraph', () =>
    startCreditsSubgraph({
      port: config.creditsPort,
      host: config.host,
      providerUrls: { aws: config.awsUrl, azure: config.azureUrl },
      providerTimeoutMs: config.providerTimeoutMs,
      clock: productClock(),
    }),
  );
}

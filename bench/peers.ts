/**
 * The peer gateways the benchmark compares ours with, over the same supergraph and the same
 * subgraph processes: stock @apollo/gateway with its default settings in a plain @apollo/server,
 * and the Hive Gateway runtime (@graphql-hive/gateway-runtime) served by node:http, with its default
 * planner and with Hive Router's Rust query planner. Each only
 * forwards the caller's Authorization header and adds the x-gateway-secret header every subgraph
 * requires: nothing else of ours (no token check at the edge, no query limits, no in-process
 * credits subgraph: the supergraph's credits URL points at the standalone credits subgraph).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';

export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

export interface PeerGateway {
  url: string;
  stop(): Promise<void>;
}

interface ApolloPeerContext {
  authorization?: string;
}

export async function startApolloStockGateway(supergraphSdl: string, gatewaySecret: string): Promise<PeerGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<ApolloPeerContext>({
        url,
        willSendRequest({ request, context }) {
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
          request.http?.headers.set(GATEWAY_SECRET_HEADER, gatewaySecret);
        },
      }),
  });
  const server = new ApolloServer<ApolloPeerContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  return { url, stop: () => server.stop() };
}

/**
 * `deduplicate: false` turns off the runtime's in-flight deduplication (on by default: identical
 * concurrent subgraph requests share one fetch), to show what it is worth under identical load.
 * `routerRuntime`: plans with Hive Router's Rust query planner and its executor
 * (@graphql-hive/router-runtime's `unifiedGraphHandler`, what `hive-gateway --hive-router-runtime` uses).
 */
export async function startHiveGateway(
  supergraphSdl: string,
  gatewaySecret: string,
  options: { deduplicate: boolean; routerRuntime?: boolean } = { deduplicate: true },
): Promise<PeerGateway> {
  const gateway = createGatewayRuntime({
    supergraph: supergraphSdl,
    ...(options.routerRuntime ? { unifiedGraphHandler } : {}),
    ...(options.deduplicate ? {} : { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } }),
    // The runtime logs every request at its default level; a benchmark measures, it does not log.
    logging: 'error',
    maskedErrors: process.env.BENCH_HIVE_UNMASKED !== '1',
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        authorization: request.headers.get('authorization'),
        [GATEWAY_SECRET_HEADER]: gatewaySecret,
      }),
    },
  });
  const server = http.createServer(gateway);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.dispose();
    },
  };
}

/**
 * Runs one GraphQL service (a subgraph or the gateway) on express: /graphql, /health, and for
 * provider subgraphs the internal provider contract.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, ApolloServerOptions, BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface ServeOptions<TContext extends BaseContext> {
  name: string;
  port: number;
  host?: string;
  apollo: ApolloServerOptions<TContext>;
  context: (req: express.Request) => Promise<TContext>;
  /** Extra routes mounted before /graphql (e.g. the provider contract). */
  routes?: (app: express.Express) => void;
  /** Middleware every /graphql request must pass first (a subgraph's gateway-secret check). */
  guard?: express.RequestHandler;
  /** Extra plain-HTTP endpoints (e.g. the gateway's /ready), mounted without guard. */
  probes?: Record<string, express.RequestHandler>;
}

export const BODY_LIMIT = '1mb';

export async function serveGraphQL<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<TContext>({
    // Every service's entry point stops it on SIGINT/SIGTERM itself (closing its database too).
    stopOnTerminationSignals: false,
    ...options.apollo,
    plugins: [...(options.apollo.plugins ?? []), ApolloServerPluginDrainHttpServer({ httpServer })],
  } as ApolloServerOptions<TContext>);
  await apollo.start();
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  for (const [path, handler] of Object.entries(options.probes ?? {})) app.get(path, handler);
  options.routes?.(app);
  app.use(
    '/graphql',
    ...(options.guard ? [options.guard] : []),
    express.json({ limit: BODY_LIMIT }),
    expressMiddleware(apollo, { context: async ({ req }) => options.context(req) }),
  );
  app.use(jsonErrorHandler(options.name));
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host}:${address.port}/graphql`,
    port: address.port,
    async stop() {
      await apollo.stop();
    },
  };
}

/**
 * Errors that reach express itself (a body that is not JSON, or over the size limit) are answered
 * as GraphQL-shaped JSON with a typed code, never express's HTML page with a stack trace.
 */
function jsonErrorHandler(service: string): express.ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    const message =
      status === 413 ? `The request body is larger than ${BODY_LIMIT}.` : status === 500 ? 'Internal server error' : 'The request body is not valid JSON.';
    if (status === 500) console.error(`[${service}]`, error);
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

/**
 * Entry point of a service run as its own process: starts it, logs where it listens, and on
 * SIGINT/SIGTERM stops it (closing what it owns) and exits 0. A failed start exits 1.
 */
export function runUntilSignalled(name: string, start: () => Promise<RunningServer>): void {
  start()
    .then((running) => {
      console.log(`${name} ready at ${running.url}`);
      const stop = () => {
        running.stop().then(
          () => process.exit(0),
          (error) => {
            console.error(`${name} did not stop cleanly:`, error);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error) => {
      console.error(`${name} failed to start:`, error);
      process.exit(1);
    });
}

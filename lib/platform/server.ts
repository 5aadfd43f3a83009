/**
 * Runs one GraphQL service (a subgraph or the gateway) on express: /graphql, /health, and for
 * provider subgraphs the internal provider contract.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUtf8 } from 'node:buffer';
import { ApolloServer, ApolloServerOptions, BaseContext, HeaderMap, HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import { READY_MESSAGE } from './supervisor';
import type { GraphQLFormattedError } from 'graphql';
import { answerHead, MEDIA_TYPES, negotiate, unsupportedContentType } from './graphql-over-http';
// Types only: the query limits come with the schema code (type-graphql), which a server does not load.
import type { QueryGuards, QueryLimitError, RequestParams } from './query-limits';

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface ServeOptions<TContext extends BaseContext> {
  name: string;
  port: number;
  host?: string;
  /**
   * The Apollo Server: schema or gateway, plugins, a service's own `formatError`. `introspection`
   * (default: on outside NODE_ENV=production) also decides whether error messages may suggest
   * schema names ("Did you mean ...?").
   */
  apollo: ApolloServerOptions<TContext>;
  /** The query limits (lib/platform/query-limits.ts queryGuards): every service of the product passes them. */
  guards?: QueryGuards<TContext>;
  /** Production: an internal error's message is never shown, only 'Internal server error'. */
  production?: boolean;
  context: (req: express.Request) => Promise<TContext>;
  /** Extra routes mounted before /graphql (e.g. the provider contract). */
  routes?: (app: express.Express) => void;
  /** Middleware every /graphql request must pass first (a subgraph's gateway-secret and token check, the gateway's rate limit). */
  guard?: express.RequestHandler;
  /** Extra plain-HTTP endpoints (e.g. the gateway's /ready), mounted without guard. */
  probes?: Record<string, express.RequestHandler>;
}

export const BODY_LIMIT = '1mb';

/**
 * Headers that make a request safe from cross-site request forgery: a browser sends none of them
 * cross-origin without a CORS preflight, which no service here answers. Apollo Server's two,
 * and Authorization: every operation needs a bearer token, and a browser never attaches one by
 * itself (the only scheme it adds on its own, Basic, is refused with 401). So a GET query with a
 * token runs, and one without (a link, an image, a form) is refused before anything else.
 */
export const CSRF_SAFE_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'];

/** Codes of the server's own failures (a subgraph's included): in production their messages are masked. */
const INTERNAL_CODES = new Set(['INTERNAL_SERVER_ERROR', 'DOWNSTREAM_SERVICE_ERROR']);

/** graphql-js's suggestions of schema names, in validation and variable coercion messages alike. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

export interface ClientErrorOptions {
  production: boolean;
  /** The code of a query limit's refusal inside `error` (QueryGuards.limitCodeOf), or null. */
  limitCodeOf?: (error: unknown) => string | null;
  /** Remove "Did you mean ...?" (introspection is off: the schema is not public). */
  hideSuggestions: boolean;
}

/**
 * The last word on every error a service sends: a query limit's own code (Apollo Server labels
 * every validation error GRAPHQL_VALIDATION_FAILED), no schema suggestions when introspection is
 * off, and in production an internal error masked (its path kept); client errors keep their
 * messages.
 */
export function clientError(formatted: GraphQLFormattedError, error: unknown, options: ClientErrorOptions): GraphQLFormattedError {
  const limit = options.limitCodeOf?.(error) ?? null;
  let result: GraphQLFormattedError = limit ? { ...formatted, extensions: { ...formatted.extensions, code: limit } } : formatted;
  if (options.hideSuggestions) {
    const message = result.message.replace(SUGGESTION, '');
    if (message !== result.message) result = { ...result, message };
  }
  const code = result.extensions?.code;
  if (options.production && (typeof code !== 'string' || INTERNAL_CODES.has(code))) {
    return { message: 'Internal server error', ...(result.path ? { path: result.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  return result;
}

export async function serveGraphQL<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const introspection = options.apollo.introspection ?? process.env.NODE_ENV !== 'production';
  const errorOptions: ClientErrorOptions = { production: options.production === true, hideSuggestions: !introspection, limitCodeOf: options.guards?.limitCodeOf };
  const ownFormat = options.apollo.formatError;
  const apollo = new ApolloServer<TContext>({
    // Every service's entry point stops it on SIGINT/SIGTERM itself (closing its database too).
    stopOnTerminationSignals: false,
    ...options.apollo,
    introspection,
    hideSchemaDetailsFromClientErrors: !introspection,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: { requestHeaders: CSRF_SAFE_HEADERS },
    validationRules: [...(options.guards?.validationRules ?? []), ...(options.apollo.validationRules ?? [])],
    plugins: [...(options.guards?.plugins ?? []), ...(options.apollo.plugins ?? []), ApolloServerPluginDrainHttpServer({ httpServer })],
    formatError: (formatted, error) => clientError(ownFormat ? ownFormat(formatted, error) : formatted, error, errorOptions),
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
    requireJsonPost,
    express.json({ limit: BODY_LIMIT, verify: requireUtf8 }),
    graphqlHandler(apollo, options),
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

/** An HTTP-level refusal, as a GraphQL-shaped body with a typed code. */
function refuse(res: express.Response, status: number, code: string, message: string): void {
  res.status(status).type(MEDIA_TYPES.json).send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/** A POST is read only as JSON in UTF-8 (415 otherwise: a form or text/plain body is never run). */
const requireJsonPost: express.RequestHandler = (req, res, next) => {
  if (req.method !== 'POST') return next();
  const why = unsupportedContentType(req.header('content-type'));
  if (why === null) return next();
  refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', why);
};

/** A body that is not valid UTF-8 is refused, not read with replacement characters. */
function requireUtf8(_req: http.IncomingMessage, _res: http.ServerResponse, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('The request body is not valid UTF-8.'), { status: 400, type: 'body.not.utf8', expose: true });
}

/** The GraphQL-over-HTTP parameters of a request, for the query limits to check. */
function requestParams(req: express.Request, search: string): RequestParams {
  if (req.method === 'POST') {
    const body = req.body;
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? { query: body.query, variables: body.variables, extensions: body.extensions } : {};
  }
  const params = new URLSearchParams(search);
  const json = (name: string) => {
    const text = params.get(name);
    if (text === null) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return undefined; // Apollo Server refuses it, saying which parameter is not JSON
    }
  };
  return { query: params.get('query') ?? undefined, variables: json('variables'), extensions: json('extensions') };
}

/**
 * Hands a request to Apollo Server and writes its answer with the status and media type of
 * lib/platform/graphql-over-http.ts. Before Apollo, a request whose Accept header allows no JSON is
 * answered 406, and one over the token or nesting limits 400 (nothing has parsed or walked it yet).
 */
function graphqlHandler<TContext extends BaseContext>(apollo: ApolloServer<TContext>, options: ServeOptions<TContext>): express.RequestHandler {
  return async (req, res, next) => {
    try {
      const accept = req.header('accept');
      const negotiation = negotiate(accept);
      const wantsPage = req.method === 'GET' && accept !== undefined && /text\/html/i.test(accept);
      if (negotiation.media === null && !wantsPage) {
        return refuse(res, 406, 'NOT_ACCEPTABLE', 'The Accept header allows neither application/graphql-response+json nor application/json.');
      }
      const queryAt = req.originalUrl.indexOf('?');
      const search = queryAt < 0 ? '' : req.originalUrl.slice(queryAt);
      const refusal = options.guards?.checkRequest(requestParams(req, search));
      if (refusal) return sendAnswer(res, 400, new HeaderMap(), limitBody(refusal), negotiation);
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const request: HTTPGraphQLRequest = { method: req.method.toUpperCase(), headers, search, body: req.body };
      const answer = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: () => options.context(req) });
      const status = answer.status ?? 200;
      if (answer.body.kind === 'complete') {
        const contentType = answer.headers.get('content-type') ?? '';
        // Apollo Server's landing page (text/html) and anything not JSON go out as they are.
        if (!/^application\/(graphql-response\+)?json/i.test(contentType)) return sendAs(res, status, answer.headers, answer.body.string);
        return sendAnswer(res, status, answer.headers, answer.body.string, negotiation);
      }
      for (const [name, value] of answer.headers) res.setHeader(name, value);
      res.status(status);
      for await (const chunk of answer.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      next(error);
    }
  };
}

function limitBody(refusal: QueryLimitError): string {
  return JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: refusal.extensions.code } }] });
}

function sendAnswer(res: express.Response, status: number, headers: HeaderMap, body: string, negotiation: ReturnType<typeof negotiate>): void {
  const head = answerHead(status, body, negotiation);
  headers.set('content-type', head.contentType);
  sendAs(res, head.status, headers, body);
}

function sendAs(res: express.Response, status: number, headers: HeaderMap, body: string): void {
  for (const [name, value] of headers) res.setHeader(name, value);
  res.status(status).send(body);
}

/**
 * Errors that reach express itself (a body that is not JSON, not UTF-8, in a charset other than
 * UTF-8, or over the size limit) are answered as GraphQL-shaped JSON with a typed code, never
 * express's HTML page with a stack trace.
 */
function jsonErrorHandler(service: string): express.ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) console.error(`[${service}]`, error);
    const [code, message] =
      status === 500
        ? ['INTERNAL_SERVER_ERROR', 'Internal server error']
        : status === 413
          ? ['PAYLOAD_TOO_LARGE', `The request body is larger than ${BODY_LIMIT}.`]
          : status === 415
            ? ['UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/json in UTF-8 (no other media type or charset is read).']
            : error?.type === 'body.not.utf8'
              ? ['BAD_REQUEST', 'The request body is not valid UTF-8.']
              : error?.type === 'entity.parse.failed'
                ? ['BAD_REQUEST', 'The request body is not valid JSON.']
                : ['BAD_REQUEST', 'The request could not be read.'];
    refuse(res, status, code, message);
  };
}

/**
 * Entry point of a service run as its own process: starts it, logs where it listens, and on
 * SIGINT/SIGTERM stops it (closing what it owns) and exits 0. A failed start exits 1. Started by a
 * supervisor (`npm start` forks it with an IPC channel), it also stops when that channel closes,
 * so a supervisor that dies without stopping it leaves no service behind.
 */
export function runUntilSignalled(name: string, start: () => Promise<RunningServer>): void {
  start()
    .then((running) => {
      console.log(`${name} ready at ${running.url}`);
      // A supervisor (lib/platform/supervisor.ts, npm start) counts the service as up from this message.
      process.send?.(READY_MESSAGE);
      let stopping = false;
      const stop = () => {
        // Ctrl-C reaches both the supervisor and its children, which then also get its SIGTERM.
        if (stopping) return;
        stopping = true;
        running.stop().then(
          () => process.exit(0),
          (error) => {
            console.error(`${name} did not stop cleanly:`, error);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      if (process.send) process.once('disconnect', stop);
    })
    .catch((error) => {
      console.error(`${name} failed to start:`, error);
      process.exit(1);
    });
}

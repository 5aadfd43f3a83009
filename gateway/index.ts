/**
 * The gateway: Apollo Server + Apollo Gateway over the committed supergraph. It authenticates
 * every operation (bearer JWT), hosts the credits subgraph in-process (no network hop), and
 * reaches the provider subgraphs over HTTP with the caller's token and the gateway secret.
 */
import 'reflect-metadata';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { boundedFetch, classifyFailure, DEFAULT_MAX_RESPONSE_BYTES, ResponseBounds } from '../lib/platform/bounded-fetch';
import { AuthConfig, loadAuthConfig } from '../lib/platform/auth/config';
import { GATEWAY_SECRET_HEADER, principalOf } from '../lib/platform/auth/http';
import type { Principal } from '../lib/platform/auth/principal';
import { createTokenVerifier } from '../lib/platform/auth/tokens';
import { InflightStats, isGraphqlQueryBody, sharingInflight } from '../lib/platform/inflight';
import { DEFAULT_PROVIDER_TIMEOUT_MS, loadConfig } from '../lib/platform/config';
import type { ProviderName } from '../lib/domain/provider-contract';
import { costModelOf } from '../lib/platform/demand-control';
import { queryGuards } from '../lib/platform/query-limits';
import { RunningServer, runUntilSignalled, serveGraphQL } from '../lib/platform/server';
import { productClock } from '../lib/platform/today';
import { createCreditsContext, CreditsContext } from '../subgraphs/credits/context';
import { httpProviders, ProviderUrls } from '../subgraphs/credits/providers';
import { buildCreditsSchema } from '../subgraphs/credits/schema';
import { providerUnavailable, Unavailability } from '../subgraphs/credits/provider-errors';
import { unavailableProvidersPlugin } from '../subgraphs/credits/unavailable-providers-plugin';
import { readSupergraph } from './supergraph';
import { identicalQueriesPlugin } from './identical-queries';
import { InProcessSubgraph } from './in-process-subgraph';
import { RateLimitSettings, rateLimitGuard } from './rate-limit';
import { readinessProbe } from './readiness';

/** The gateway's per-request context. */
export interface GatewayContext {
  principal: Principal;
  /** Headers every subgraph call of this request carries: the caller's token and the gateway secret. */
  forwardHeaders: Record<string, string>;
  /** Context handed to the in-process credits subgraph. */
  credits: CreditsContext;
}

/**
 * A provider subgraph over HTTP, called with the caller's token and the gateway secret. Its
 * fetcher is Node's own fetch (undici: pooled keep-alive connections), bounded (lib/platform/bounded-fetch.ts:
 * an answer over the byte cap or later than the timeout is given up, never parsed), with identical
 * queries in flight at once (same caller, same subgraph operation and variables) sent only once
 * (lib/platform/inflight.ts); mutations always go through. A failed fetch is a PROVIDER_UNAVAILABLE error
 * naming the provider and why, beside whatever the other subgraphs answered.
 */
class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly provider: ProviderName,
    bounds: ResponseBounds,
  ) {
    super({ url, fetcher: sharingInflight(boundedFetch(fetch, bounds), (_url, init) => isGraphqlQueryBody(init)) as unknown as RemoteGraphQLDataSource['fetcher'] });
  }

  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    for (const [name, value] of Object.entries(context.forwardHeaders ?? {})) request.http?.headers.set(name, String(value));
  }

  override didEncounterError(error: Error, _request: unknown, _response: unknown, context: GatewayContext): never {
    if (error instanceof GraphQLError) {
      // The subgraph answered with an HTTP error. A refusal of bad input (400) is the client's to
      // read (publicError passes it on). Anything else means its part is missing: a failure of its
      // own (5xx), or a refusal of the gateway itself (401 after the gateway verified the token: a
      // GATEWAY_SECRET, issuer or clock that differs between them; 413: a batch too large), which
      // an operator must hear about and the client cannot mend.
      const status = (error.extensions?.response as { status?: number } | undefined)?.status ?? 0;
      if (status === 400) throw error;
      console.error(`[gateway] ${this.provider} subgraph answered HTTP ${status}${status === 401 || status === 403 ? ' to the gateway: do GATEWAY_SECRET and the token settings agree?' : ''}`);
      throw this.unavailable(context, { reason: 'FAILED', explanation: `it answered with HTTP ${status}` });
    }
    throw this.unavailable(context, classifyFailure(error));
  }

  private unavailable(context: GatewayContext, why: Unavailability): GraphQLError {
    context.credits?.unavailableProviders.set(this.provider, why);
    return providerUnavailable(this.provider, why);
  }
}

/**
 * What a client sees of a gateway error: never a subgraph's internal URL or raw response; a
 * subgraph's refusal of bad input (e.g. an invalid date the gateway could not check) stays
 * BAD_USER_INPUT. What every service does to its errors comes after this (lib/platform/server.ts
 * clientError: in production an internal error's message is masked).
 */
export function publicError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { response, ...extensions } = (formatted.extensions ?? {}) as Record<string, any>;
  // A subgraph that refused the request as a whole (HTTP 400, e.g. a variable its scalar rejects)
  // answered with its own typed error: pass that on instead of the transport failure.
  const refusal = response?.status === 400 ? response.body?.errors?.[0] : undefined;
  if (refusal?.message) {
    const code = refusal.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' ? 'BAD_USER_INPUT' : (refusal.extensions?.code ?? 'BAD_USER_INPUT');
    return { message: refusal.message, path: formatted.path, extensions: { code } };
  }
  const downstreamValidation =
    extensions.code === 'GRAPHQL_VALIDATION_FAILED' && typeof extensions.serviceName === 'string' ? { code: 'BAD_USER_INPUT' } : {};
  return { ...formatted, extensions: { ...extensions, ...downstreamValidation } };
}

export interface GatewayOptions {
  port: number;
  host?: string;
  /** GraphQL URLs of the provider subgraphs. */
  subgraphUrls: ProviderUrls;
  auth?: AuthConfig;
  supergraphSdl?: string;
  clock?: () => Date;
  /** Milliseconds before a provider is considered unavailable for one call. */
  providerTimeoutMs?: number;
  /** Largest answer read from a provider subgraph or the provider contract (DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /** Serve introspection (Apollo Sandbox); on by default outside production. */
  introspection?: boolean;
  /**
   * Per-caller rate limit (gateway/rate-limit.ts); absent or 0 requests: none. The gateway's own
   * process passes the environment's (RATE_LIMIT_REQUESTS, RATE_LIMIT_WINDOW_SECONDS).
   */
  rateLimit?: RateLimitSettings;
}

/** The provider each subgraph of the supergraph serves (the credits subgraph runs in-process). */
const PROVIDER_OF_SUBGRAPH: Record<string, ProviderName> = { aws: 'AWS', azure: 'AZURE' };

/** The running gateway, with the counts of its identical queries in flight (sent, and answered by one already running). */
export type RunningGateway = RunningServer & { identicalQueries: InflightStats };

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const clock = options.clock ?? (() => new Date());
  const auth = options.auth ?? loadAuthConfig();
  const verify = createTokenVerifier(auth);
  const creditsSchema: GraphQLSchema = await buildCreditsSchema();
  const urls: Record<string, string> = { aws: options.subgraphUrls.aws, azure: options.subgraphUrls.azure };
  const bounds: ResponseBounds = {
    timeoutMs: options.providerTimeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS,
    maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  };
  const supergraphSdl = options.supergraphSdl ?? readSupergraph();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService({ name, url }) {
      if (name === 'credits') return new InProcessSubgraph(creditsSchema, (context: GatewayContext) => context.credits);
      const provider = PROVIDER_OF_SUBGRAPH[name];
      if (!provider) throw new Error(`The supergraph names a subgraph "${name}" this gateway does not know`);
      return new AuthenticatedDataSource(urls[name] ?? url, provider, bounds);
    },
  });
  // Deep nesting, alias bombs, huge documents and operations over the cost budget (counted from the
  // supergraph's @cost / @listSize) are refused before planning.
  const guards = queryGuards<GatewayContext>({ model: costModelOf(supergraphSdl) });
  const plugins: ApolloServerPlugin<GatewayContext>[] = [];
  plugins.push(unavailableProvidersPlugin<GatewayContext>((context) => context.credits));
  // Last, so a shared answer is the one sent, errors for unavailable providers included (that
  // plugin adds them synchronously, before this one's willSendResponse starts).
  const identicalQueries = identicalQueriesPlugin<GatewayContext>();
  plugins.push(identicalQueries);
  const server = await serveGraphQL<GatewayContext>({
    name: 'gateway',
    port: options.port,
    host: options.host,
    // Introspection also decides whether error messages may suggest schema names (lib/platform/server.ts).
    apollo: { gateway, introspection: options.introspection ?? !auth.production, plugins, formatError: publicError },
    guards,
    production: auth.production,
    probes: { '/ready': readinessProbe({ aws: options.subgraphUrls.aws, azure: options.subgraphUrls.azure }) },
    guard: rateLimitGuard(options.rateLimit, verify, auth.issuer),
    context: async (req) => {
      const authorization = req.header('authorization');
      const principal = await principalOf(verify, authorization);
      const forwardHeaders = { authorization: authorization!, [GATEWAY_SECRET_HEADER]: auth.gatewaySecret };
      const providers = httpProviders(options.subgraphUrls, { headers: forwardHeaders, timeoutMs: bounds.timeoutMs, maxResponseBytes: bounds.maxBytes });
      return { principal, forwardHeaders, credits: createCreditsContext(providers, clock()) };
    },
  });
  return Object.assign(server, { identicalQueries: identicalQueries.stats });
}

if (require.main === module) {
  const config = loadConfig();
  runUntilSignalled('gateway', () =>
    startGateway({
      port: config.gatewayPort,
      host: config.host,
      subgraphUrls: { aws: config.awsUrl, azure: config.azureUrl },
      providerTimeoutMs: config.providerTimeoutMs,
      maxResponseBytes: config.maxResponseBytes,
      introspection: config.introspection,
      rateLimit: config.rateLimit,
      clock: productClock(),
    }),
  );
}

/**
 * The gateway: Apollo Server + Apollo Gateway over the committed supergraph. It authenticates
 * every operation (bearer JWT), hosts the credits subgraph in-process (no network hop), and
 * reaches the provider subgraphs over HTTP with the caller's token and the gateway secret.
 */
import 'reflect-metadata';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { AuthConfig, loadAuthConfig } from '../lib/auth/config';
import { GATEWAY_SECRET_HEADER, principalOf } from '../lib/auth/http';
import type { Principal } from '../lib/auth/principal';
import { createTokenVerifier } from '../lib/auth/tokens';
import { InflightStats, isGraphqlQueryBody, sharingInflight } from '../lib/inflight';
import { loadConfig } from '../lib/config';
import { RunningServer, runUntilSignalled, serveGraphQL } from '../lib/server';
import { createCreditsContext, CreditsContext } from '../subgraphs/credits/context';
import { httpProviders, ProviderUrls } from '../subgraphs/credits/providers';
import { buildCreditsSchema } from '../subgraphs/credits/schema';
import { unavailableProvidersPlugin } from '../subgraphs/credits/unavailable-providers-plugin';
import { readSupergraph } from './supergraph';
import { identicalQueriesPlugin } from './identical-queries';
import { InProcessSubgraph } from './in-process-subgraph';
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
 * fetcher is Node's own fetch (undici: pooled keep-alive connections), with identical queries in
 * flight at once (same caller, same subgraph operation and variables) sent only once
 * (lib/inflight.ts); mutations always go through.
 */
class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string) {
    super({ url, fetcher: sharingInflight(fetch, (_url, init) => isGraphqlQueryBody(init)) as unknown as RemoteGraphQLDataSource['fetcher'] });
  }

  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    for (const [name, value] of Object.entries(context.forwardHeaders ?? {})) request.http?.headers.set(name, String(value));
  }
}

/** Query limits: deep nesting, alias bombs, huge documents and costly queries are refused before planning. */
export const QUERY_LIMITS = {
  maxDepth: { n: 12 },
  maxAliases: { n: 20 },
  maxDirectives: { n: 20 },
  maxTokens: { n: 5000 },
  costLimit: { maxCost: 20000 },
} as const;

/**
 * What a client sees of an error: never a subgraph's internal URL or raw response; a subgraph's
 * refusal of bad input (e.g. an invalid date the gateway could not check) stays BAD_USER_INPUT;
 * in production an internal error's message is masked.
 */
export function publicError(formatted: GraphQLFormattedError, production: boolean): GraphQLFormattedError {
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
  const result = { ...formatted, extensions: { ...extensions, ...downstreamValidation } };
  if (production && result.extensions.code === 'INTERNAL_SERVER_ERROR') return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  return result;
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
  /** Serve introspection (Apollo Sandbox); on by default outside production. */
  introspection?: boolean;
}

/** The running gateway, with the counts of its identical queries in flight (sent, and answered by one already running). */
export type RunningGateway = RunningServer & { identicalQueries: InflightStats };

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const clock = options.clock ?? (() => new Date());
  const auth = options.auth ?? loadAuthConfig();
  const verify = createTokenVerifier(auth);
  const creditsSchema: GraphQLSchema = await buildCreditsSchema();
  const urls: Record<string, string> = { aws: options.subgraphUrls.aws, azure: options.subgraphUrls.azure };
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readSupergraph(),
    buildService({ name, url }) {
      if (name === 'credits') return new InProcessSubgraph(creditsSchema, (context: GatewayContext) => context.credits);
      return new AuthenticatedDataSource(urls[name] ?? url);
    },
  });
  const armor = new ApolloArmor({ ...QUERY_LIMITS, blockFieldSuggestion: { enabled: auth.production } }).protect();
  const plugins: ApolloServerPlugin<GatewayContext>[] = [...(armor.plugins as ApolloServerPlugin<GatewayContext>[])];
  plugins.push(unavailableProvidersPlugin<GatewayContext>((context) => context.credits));
  // Last, so a shared answer is the one sent, errors for unavailable providers included (that
  // plugin adds them synchronously, before this one's willSendResponse starts).
  const identicalQueries = identicalQueriesPlugin<GatewayContext>();
  plugins.push(identicalQueries);
  const server = await serveGraphQL<GatewayContext>({
    name: 'gateway',
    port: options.port,
    host: options.host,
    apollo: {
      gateway,
      introspection: options.introspection ?? !auth.production,
      includeStacktraceInErrorResponses: false,
      allowBatchedHttpRequests: false,
      validationRules: armor.validationRules,
      plugins,
      formatError: (formatted) => publicError(formatted, auth.production),
    },
    probes: { '/ready': readinessProbe({ aws: options.subgraphUrls.aws, azure: options.subgraphUrls.azure }) },
    context: async (req) => {
      const authorization = req.header('authorization');
      const principal = await principalOf(verify, authorization);
      const forwardHeaders = { authorization: authorization!, [GATEWAY_SECRET_HEADER]: auth.gatewaySecret };
      const providers = httpProviders(options.subgraphUrls, { headers: forwardHeaders, timeoutMs: options.providerTimeoutMs });
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
      introspection: config.introspection,
    }),
  );
}

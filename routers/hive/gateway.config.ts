/**
 * Hive Gateway (the `hive-gateway` CLI of @graphql-hive/gateway) serving this product's
 * supergraph in place of our gateway: the credits subgraph runs on its own
 * (`npm run start:credits`) next to the AWS and Azure subgraphs, and this gateway
 *
 * - reads schema/supergraph.graphql (run it from the repository root) and sends each subgraph's
 *   requests to CREDITS_SUBGRAPH_URL, AWS_SUBGRAPH_URL, AZURE_SUBGRAPH_URL when set, else to the
 *   URL the supergraph names (http://127.0.0.1:4001/graphql, :4002, :4003: the default ports);
 * - verifies the caller's bearer token as our gateway does (lib/platform/auth: AUTH_JWT_SECRET or
 *   AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE) and answers a missing or invalid one with HTTP
 *   401 `UNAUTHENTICATED` before anything runs;
 * - forwards the caller's `Authorization` header and adds `x-gateway-secret: $GATEWAY_SECRET` to
 *   every subgraph request (each subgraph refuses any request without both);
 * - applies our gateway's limits where Hive Gateway has them: demand control from the
 *   supergraph's `@cost` / `@listSize`, depth, aliases, directives, tokens, CSRF prevention.
 *
 * `npm run start:hive` starts it; docs/ROUTERS.md says what maps and what does not. The CLI
 * loads this file itself (it transpiles TypeScript), so only type imports of the Hive packages
 * appear here; `npm run build` type-checks it and test/gateway/hive-gateway-cli.test.ts runs it.
 * The limits' numbers are in ./settings.ts.
 */
import type { GatewayCLIConfig, GatewayPlugin } from '@graphql-hive/gateway';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, type GraphQLFormattedError, type ValidationContext } from 'graphql';
import { loadAuthConfig } from '../../lib/platform/auth/config';
import { GATEWAY_SECRET_HEADER, principalOf } from '../../lib/platform/auth/http';
import { createTokenVerifier } from '../../lib/platform/auth/tokens';
import { loadConfig } from '../../lib/platform/config';
import { HIVE_LIMIT_CODES, HIVE_LIMITS, subgraphLocations } from './settings';

/**
 * graphql-armor's refusal with our code, as our gateway reports it (HTTP 400): reported by the
 * validation rules (depth, aliases, directives), thrown by the token counter (it runs while parsing).
 */
function refusedWith(code: string) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        // graphql-armor's messages start with "Syntax Error: " although the document parsed.
        const refusal = new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code, http: { status: 400 } } });
        if (!context) throw refusal;
        context.reportError(refusal);
      },
    ],
  };
}

/**
 * Refuses a request whose bearer token does not verify, with our gateway's 401 and message,
 * before it is parsed (so before any subgraph is called).
 */
function requireVerifiedCaller(verify: ReturnType<typeof createTokenVerifier>): GatewayPlugin {
  return {
    async onRequestParse({ request }) {
      await principalOf(verify, request.headers.get('authorization') ?? undefined);
    },
  };
}

/**
 * Keeps the credits subgraph's PROVIDER_UNAVAILABLE errors in the answer. The credits subgraph
 * answers `credits` and `creditSummary` without a provider that is down and says so in one
 * error without a path; Hive Gateway drops a subgraph's errors that have no path, so without this
 * a partial answer would look complete. One error per provider, as our gateway sends.
 */
function keepUnavailableProviders(): GatewayPlugin {
  const byRequest = new WeakMap<Request, Map<string, GraphQLFormattedError>>();
  return {
    onSubgraphExecute({ executionRequest }) {
      const request: Request | undefined = executionRequest.context?.request;
      if (!request) return;
      return ({ result }) => {
        if (Symbol.asyncIterator in result) return;
        for (const error of result.errors ?? []) {
          const provider = error.extensions?.provider;
          if (error.extensions?.code !== 'PROVIDER_UNAVAILABLE' || typeof provider !== 'string' || error.path?.length) continue;
          const missing = byRequest.get(request) ?? new Map<string, GraphQLFormattedError>();
          byRequest.set(request, missing);
          if (!missing.has(provider)) missing.set(provider, { message: error.message, extensions: error.extensions });
        }
      };
    },
    onExecutionResult({ request, result, setResult }) {
      const missing = byRequest.get(request);
      if (!missing || !result || Symbol.asyncIterator in result) return;
      const present = new Set((result.errors ?? []).filter((e) => e.extensions?.code === 'PROVIDER_UNAVAILABLE').map((e) => e.extensions?.provider));
      const added = [...missing].filter(([provider]) => !present.has(provider)).map(([, e]) => new GraphQLError(e.message, { extensions: e.extensions }));
      if (added.length) setResult({ ...result, errors: [...(result.errors ?? []), ...added] });
    },
  };
}

const auth = loadAuthConfig();
const settings = loadConfig();
const introspection = settings.introspection ?? !auth.production;
const verify = createTokenVerifier(auth);

export const gatewayConfig: GatewayCLIConfig = {
  supergraph: 'schema/supergraph.graphql',
  transportEntries: subgraphLocations(),
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      authorization: request.headers.get('authorization'),
      [GATEWAY_SECRET_HEADER]: auth.gatewaySecret,
    }),
  },
  // A provider subgraph that does not answer within PROVIDER_TIMEOUT_MS fails its part of the
  // answer. The credits subgraph waits as long for each provider and then answers without it,
  // so it gets no timeout of its own here (one would cut it off just as it answers).
  upstreamTimeout: ({ subgraphName }) => (subgraphName === 'credits' ? undefined : settings.providerTimeoutMs),
  demandControl: { maxCost: HIVE_LIMITS.maxCost, listSize: HIVE_LIMITS.listSize },
  csrfPrevention: { requestHeaders: [...HIVE_LIMITS.csrfHeaders] },
  // No CORS headers, as our gateway: a browser page of another origin cannot read the answers.
  cors: false,
  ...(introspection ? {} : { disableIntrospection: {} }),
  plugins: () => [
    requireVerifiedCaller(verify),
    keepUnavailableProviders(),
    EnvelopArmorPlugin({
      maxDepth: { n: HIVE_LIMITS.maxDepth, ...refusedWith(HIVE_LIMIT_CODES.depth) },
      maxAliases: { n: HIVE_LIMITS.maxAliases, ...refusedWith(HIVE_LIMIT_CODES.aliases) },
      maxDirectives: { n: HIVE_LIMITS.maxDirectives, ...refusedWith(HIVE_LIMIT_CODES.directives) },
      maxTokens: { n: HIVE_LIMITS.maxTokens, ...refusedWith(HIVE_LIMIT_CODES.tokens) },
      costLimit: { enabled: false },
      // Without introspection, error messages make no "Did you mean" suggestions either.
      blockFieldSuggestion: { enabled: !introspection },
    }),
  ],
};

/**
 * What routers/hive/gateway.config.ts sets, without side effects (the config itself reads the
 * environment when it loads): where the subgraphs are, and our gateway's limits as numbers.
 * The numbers are those of lib/platform/query-limits.ts QUERY_LIMITS and LIMIT_CODES, lib/platform/connection.ts
 * MAX_PAGE_SIZE and lib/platform/server.ts CSRF_SAFE_HEADERS, which this file cannot import (the Hive
 * CLI transpiles the config and what it imports on its own, without type-graphql's decorators);
 * test/gateway/router-configs.test.ts checks that they are the same.
 */

/** The environment variable that moves each subgraph of the supergraph elsewhere. */
export const SUBGRAPH_URL_VARIABLES = {
  credits: 'CREDITS_SUBGRAPH_URL',
  aws: 'AWS_SUBGRAPH_URL',
  azure: 'AZURE_SUBGRAPH_URL',
} as const;

/** Our gateway's limits. */
export const HIVE_LIMITS = {
  /** Highest worst-case cost of an operation, counted from `@cost` / `@listSize`. */
  maxCost: 10_000,
  /** Size of a list without `@listSize` (every list of the supergraph has one). */
  listSize: 100,
  maxDepth: 12,
  maxAliases: 20,
  maxDirectives: 20,
  maxTokens: 5000,
  /** A request without one of these headers must be preflighted (a JSON POST) to run. */
  csrfHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'],
} as const;

/** Our gateway's codes for the shape limits' refusals. */
export const HIVE_LIMIT_CODES = {
  depth: 'MAX_DEPTH_LIMIT',
  aliases: 'MAX_ALIASES_LIMIT',
  directives: 'MAX_DIRECTIVES_LIMIT',
  tokens: 'MAX_TOKENS_LIMIT',
} as const;

/** A subgraph URL variable holds something that is not an http(s) URL. */
export class SubgraphUrlError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
    this.name = 'SubgraphUrlError';
  }
}

/**
 * Where each subgraph's requests go, as Hive Gateway's `transportEntries`: only the subgraphs
 * whose variable is set move; the others keep the URL the supergraph names.
 */
export function subgraphLocations(env: NodeJS.ProcessEnv = process.env): Record<string, { location: string }> {
  const entries: Record<string, { location: string }> = {};
  for (const [subgraph, variable] of Object.entries(SUBGRAPH_URL_VARIABLES)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new SubgraphUrlError(variable, `${variable} must be the http:// or https:// URL of the ${subgraph} subgraph's GraphQL endpoint (e.g. http://127.0.0.1:4002/graphql), got "${value}"`);
    }
    entries[subgraph] = { location: value };
  }
  return entries;
}

/**
 * What one GraphQL operation may ask for, the same in the gateway and in every subgraph (which
 * must hold when called directly too): depth, aliases and directives (graphql-armor's validation
 * rules), tokens and bracket nesting of the document and nesting of the variables (checked by
 * lib/platform/server.ts on the request, before anything parses or walks it), and a budget of worst-case
 * cost counted from `@cost` / `@listSize` (lib/platform/demand-control.ts) instead of home-made weights.
 *
 * Every refusal is a client error: HTTP 400 (lib/platform/graphql-over-http.ts), a code of its own and a
 * message naming the limit. None is thrown from a parsing hook: Apollo Server answers an error
 * thrown there as an unexpected one (HTTP 500), which is what graphql-armor's max-tokens plugin
 * did, and its `unexpectedErrorProcessingRequest` hook turned every such failure, syntax errors and
 * stack overflows included, into a 500 `GRAPHQL_VALIDATION_FAILED` showing the raw message.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { printSubgraphSchema } from '@apollo/subgraph';
import { ASTVisitor, GraphQLError, GraphQLSchema, Lexer, Source, TokenKind, ValidationContext, ValidationRule } from 'graphql';
import { MAX_PAGE_SIZE } from './connection';
import { CostModel, costModelOf, demandControlPlugin } from './demand-control';

export const QUERY_LIMITS = {
  /** Deepest nesting of fields. */
  maxDepth: 12,
  /** Most aliases in one document. */
  maxAliases: 20,
  /** Most directives in one document. */
  maxDirectives: 20,
  /** Most tokens in one document. */
  maxTokens: 5000,
  /** Highest worst-case cost of one operation (about this many objects at most in an answer). */
  maxCost: 10_000,
  /**
   * Deepest nesting of brackets (`{`, `[`, `(`) in a document, and of objects and lists in the
   * variables or extensions of a request. Far above what any operation of this API needs (its
   * depth limit is 12), far below what the recursive parser, validation, coercion and
   * serialization can take without overflowing the stack.
   */
  maxNesting: 64,
} as const;

/** The codes of the limits' refusals (the cost's is demand control's `COST_ESTIMATED_TOO_EXPENSIVE`). */
export const LIMIT_CODES = {
  depth: 'MAX_DEPTH_LIMIT',
  aliases: 'MAX_ALIASES_LIMIT',
  directives: 'MAX_DIRECTIVES_LIMIT',
  tokens: 'MAX_TOKENS_LIMIT',
  nesting: 'MAX_NESTING_LIMIT',
} as const;

/**
 * How much more a subgraph accepts than a client may send the gateway: the query planner's
 * operations nest one or two levels deeper (`_entities { ... on T { ... } }`) and spell out key
 * fields and `__typename`, but never cost more than the client operation they come from.
 */
const SUBGRAPH_SLACK = { depth: 3, tokens: 2 } as const;

/** The depth and token limits a service applies: the gateway's, or a subgraph's with the slack above. */
export function limitsFor(subgraph: boolean): { maxDepth: number; maxTokens: number } {
  return {
    maxDepth: QUERY_LIMITS.maxDepth + (subgraph ? SUBGRAPH_SLACK.depth : 0),
    maxTokens: QUERY_LIMITS.maxTokens * (subgraph ? SUBGRAPH_SLACK.tokens : 1),
  };
}

/** A refusal by one of the limits: a client error (HTTP 400) with the limit's code. */
export class QueryLimitError extends GraphQLError {
  constructor(message: string, code: string) {
    super(message, { extensions: { code, http: { status: 400 } } });
  }
}

/**
 * The code a limit refused a document with. Apollo Server gives every validation error the code
 * `GRAPHQL_VALIDATION_FAILED` and keeps the rule's own error as `originalError`: a formatter
 * (lib/platform/server.ts) puts the limit's code back with this.
 */
export function limitCodeOf(error: unknown): string | null {
  for (let e: any = error; e; e = e.originalError === e ? null : e.originalError) {
    if (e instanceof QueryLimitError) return String(e.extensions.code);
  }
  return null;
}

/** What a request carries that the limits check before Apollo Server sees it. */
export interface RequestParams {
  query?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

export interface QueryGuards<TContext extends BaseContext> {
  plugins: ApolloServerPlugin<TContext>[];
  validationRules: ValidationRule[];
  /**
   * The refusal of a request by the token or nesting limits, or null. It runs before parsing:
   * one pass of the lexer (no recursion) over the document, one loop over the variables.
   */
  checkRequest(params: RequestParams): QueryLimitError | null;
  /** The code of a limit's refusal inside an error Apollo Server formats (see limitCodeOf), or null. */
  limitCodeOf(error: unknown): string | null;
}

export interface QueryGuardOptions {
  /** The cost annotations of the schema served. */
  model: CostModel;
  /** A subgraph behind the gateway (the planner's operations get the slack above). */
  subgraph?: boolean;
  maxCost?: number;
}

/** graphql-armor's refusal, reported with our code; its messages name the limit and the count found. */
function armorRefusal(code: string) {
  return {
    // Report, never throw: the rule keeps walking and Apollo answers the document with all errors.
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        // graphql-armor's messages start with "Syntax Error: " although the document parsed.
        context?.reportError(new QueryLimitError(error.message.replace(/^Syntax Error: /, ''), code));
      },
    ],
  };
}

/** The schema has no subscription root: a subscription is refused as invalid (HTTP 400), saying so. */
export function noSubscriptionsRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation === 'subscription' && !context.getSchema().getSubscriptionType()) {
        context.reportError(
          new GraphQLError('This API has no subscriptions: send a query (and repeat it to follow changes) instead.', { nodes: [node] }),
        );
      }
    },
  };
}

export function queryGuards<TContext extends BaseContext>(options: QueryGuardOptions): QueryGuards<TContext> {
  const { maxDepth: depth, maxTokens: tokens } = limitsFor(options.subgraph === true);
  // Only graphql-armor's validation rules: its max-tokens plugin (a parsing hook) and its field
  // suggestion blocker (Apollo Server's hideSchemaDetailsFromClientErrors, lib/platform/server.ts) are off.
  const armor = new ApolloArmor({
    maxDepth: { n: depth, ...armorRefusal(LIMIT_CODES.depth) },
    maxAliases: { n: QUERY_LIMITS.maxAliases, ...armorRefusal(LIMIT_CODES.aliases) },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, ...armorRefusal(LIMIT_CODES.directives) },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  const demand = demandControlPlugin<TContext>({ model: options.model, maxCost: options.maxCost ?? QUERY_LIMITS.maxCost, defaultListSize: MAX_PAGE_SIZE });
  return {
    plugins: [...(armor.plugins as ApolloServerPlugin<TContext>[]), demand],
    validationRules: [noSubscriptionsRule, ...armor.validationRules],
    checkRequest: (params) => documentRefusal(params.query, tokens) ?? valuesRefusal(params),
    limitCodeOf,
  };
}

const OPENING = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * The token and nesting limits of a document, counted by graphql's lexer (comments are not
 * tokens). A document the lexer cannot read is left to the parser, which reports the syntax
 * error with its position.
 */
function documentRefusal(query: unknown, maxTokens: number): QueryLimitError | null {
  if (typeof query !== 'string') return null;
  const lexer = new Lexer(new Source(query));
  let count = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++count > maxTokens) return new QueryLimitError(`Token limit of ${maxTokens} exceeded: send a smaller document.`, LIMIT_CODES.tokens);
      if (OPENING.has(token.kind) && ++nesting > QUERY_LIMITS.maxNesting) {
        return new QueryLimitError(`Nesting limit of ${QUERY_LIMITS.maxNesting} exceeded: the document nests brackets deeper.`, LIMIT_CODES.nesting);
      }
      if (CLOSING.has(token.kind)) nesting--;
    }
  } catch (error) {
    if (error instanceof GraphQLError) return null;
    throw error;
  }
  return null;
}

/** Whether objects and lists in `value` nest deeper than `max` (the value itself is level 1); a loop, not a recursion. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [item, level] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (level > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') pending.push([child, level + 1]);
    }
  }
  return false;
}

function valuesRefusal(params: RequestParams): QueryLimitError | null {
  for (const name of ['variables', 'extensions'] as const) {
    if (nestsDeeperThan(params[name], QUERY_LIMITS.maxNesting)) {
      return new QueryLimitError(`Nesting limit of ${QUERY_LIMITS.maxNesting} exceeded: the ${name} nest objects and lists deeper.`, LIMIT_CODES.nesting);
    }
  }
  return null;
}

/** The cost annotations of a subgraph schema built by lib/api/federation.ts. */
export function subgraphCostModel(schema: GraphQLSchema): CostModel {
  return costModelOf(printSubgraphSchema(schema));
}

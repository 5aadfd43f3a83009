/**
 * The credits subgraph, run inside the gateway process (no network hop). Apollo's
 * LocalGraphQLDataSource parses and validates every subgraph operation on every request; the
 * query planner only ever sends a bounded set of operations (one per plan node of each client
 * operation), so each is parsed and validated once and kept (bounded, least recently used out).
 */
import type { GraphQLDataSource } from '@apollo/gateway';
import { DocumentNode, execute, GraphQLError, GraphQLSchema, parse, validate } from 'graphql';
import type { CreditsContext } from '../subgraphs/credits/context';

/** Distinct subgraph operations kept parsed and validated. */
const IN_PROCESS_DOCUMENTS_KEPT = 1000;

type ProcessOptions = Parameters<GraphQLDataSource['process']>[0];

export class InProcessSubgraph implements GraphQLDataSource {
  private readonly documents = new Map<string, DocumentNode | readonly GraphQLError[]>();

  constructor(
    private readonly schema: GraphQLSchema,
    /** The subgraph's own context, from the gateway's request context. */
    private readonly contextOf: (gatewayContext: any) => CreditsContext,
  ) {}

  /** Parsed and validated once per distinct query text: the document, or why it is invalid. */
  private prepared(query: string): DocumentNode | readonly GraphQLError[] {
    const known = this.documents.get(query);
    if (known) {
      // Most recently used last: Map keeps insertion order.
      this.documents.delete(query);
      this.documents.set(query, known);
      return known;
    }
    let result: DocumentNode | readonly GraphQLError[];
    try {
      const document = parse(query);
      const errors = validate(this.schema, document);
      result = errors.length > 0 ? errors : document;
    } catch (error) {
      result = [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
    }
    this.documents.set(query, result);
    if (this.documents.size > IN_PROCESS_DOCUMENTS_KEPT) this.documents.delete(this.documents.keys().next().value!);
    return result;
  }

  async process({ request, context }: ProcessOptions) {
    const prepared = this.prepared(request.query ?? '');
    if (Array.isArray(prepared)) return { errors: prepared as GraphQLError[] };
    return execute({
      schema: this.schema,
      document: prepared as DocumentNode,
      variableValues: request.variables,
      operationName: request.operationName,
      contextValue: this.contextOf(context),
    });
  }
}

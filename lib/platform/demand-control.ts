/**
 * Demand control: the worst-case cost of an operation, computed before it runs from the
 * federation demand-control directives `@cost` and `@listSize` (the IBM GraphQL cost directive
 * specification, as Apollo Router and Hive Gateway read it), and the refusal of any operation
 * whose cost exceeds the budget. The gateway applies it to every client operation with the
 * supergraph's annotations; each subgraph applies it again with its own, so a subgraph called
 * directly holds too.
 *
 * The cost, as Apollo Router's static estimate counts it:
 * - a field returning an object, interface or union costs 1, a scalar or enum 0, unless `@cost`
 *   on the field (or its type) says otherwise; a mutation adds 10;
 * - a list multiplies the cost of the field and everything under it by its size: the value of a
 *   slicing argument (`first`, its default when omitted), or `assumedSize`; `sizedFields` hand
 *   that size to the lists inside a connection (`edges`, `nodes`) instead;
 * - `_entities` is as long as the representations it is given;
 * - every fragment counts, as if each applied (an upper bound); introspection counts nothing
 *   (it is bounded by the schema, and off in production).
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  DirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLNamedType,
  GraphQLSchema,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  OperationDefinitionNode,
  parse,
  SelectionSetNode,
  ValueNode,
  valueFromASTUntyped,
} from 'graphql';

export interface ListSizeRule {
  assumedSize: number | null;
  slicingArguments: string[];
  sizedFields: string[];
}

/** The annotations of a schema: weights of fields and types, and list sizes of fields ("Type.field"). */
export interface CostModel {
  fieldWeights: Map<string, number>;
  typeWeights: Map<string, number>;
  listSizes: Map<string, ListSizeRule>;
}

const COST = new Set(['cost', 'federation__cost']);
const LIST_SIZE = new Set(['listSize', 'federation__listSize']);

function argument(directive: DirectiveNode, name: string): unknown {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value) : undefined;
}

function weightOf(directives: readonly DirectiveNode[] | undefined): number | null {
  const cost = directives?.find((d) => COST.has(d.name.value));
  if (!cost) return null;
  const weight = Number(argument(cost, 'weight'));
  return Number.isFinite(weight) ? weight : null;
}

/** Reads `@cost` and `@listSize` from an SDL document: a subgraph's or the supergraph's. */
export function costModelOf(sdl: string | DocumentNode): CostModel {
  const document = typeof sdl === 'string' ? parse(sdl) : sdl;
  const model: CostModel = { fieldWeights: new Map(), typeWeights: new Map(), listSizes: new Map() };
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const typeName = definition.name.value;
    const typeWeight = weightOf(definition.directives);
    if (typeWeight !== null) model.typeWeights.set(typeName, typeWeight);
    if (!('fields' in definition) || !definition.fields) continue;
    for (const field of definition.fields) {
      if (field.kind !== Kind.FIELD_DEFINITION) continue;
      const key = `${typeName}.${field.name.value}`;
      const weight = weightOf(field.directives);
      if (weight !== null) model.fieldWeights.set(key, weight);
      const listSize = field.directives?.find((d) => LIST_SIZE.has(d.name.value));
      if (listSize) {
        const assumed = argument(listSize, 'assumedSize');
        model.listSizes.set(key, {
          assumedSize: typeof assumed === 'number' ? assumed : null,
          slicingArguments: (argument(listSize, 'slicingArguments') as string[] | undefined) ?? [],
          sizedFields: (argument(listSize, 'sizedFields') as string[] | undefined) ?? [],
        });
      }
    }
  }
  return model;
}

export interface CostOptions {
  /** Size of a list field without `@listSize` (every list of this product's schemas has one). */
  defaultListSize: number;
}

/**
 * The request names no operation the document holds (or holds several and names none): a client
 * error, HTTP 400, with Apollo Server's code for it. Demand control runs when Apollo has found no
 * operation either, so it answers this instead of failing as an internal error.
 */
export function operationNotFound(operationName: string | null | undefined): GraphQLError {
  return new GraphQLError(
    operationName ? `Unknown operation named "${operationName}".` : 'The document holds several operations: name the one to run (operationName).',
    { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
  );
}

/**
 * The worst-case cost of the operation `operationName` of `document` with `variables`, on
 * `schema` (the schema requests are validated against) annotated by `model`.
 */
export function estimateCost(
  schema: GraphQLSchema,
  model: CostModel,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  options: CostOptions,
): number {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) throw operationNotFound(operationName);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const variableDefaults = new Map<string, unknown>();
  for (const v of operation.variableDefinitions ?? []) {
    if (v.defaultValue) variableDefaults.set(v.variable.name.value, valueFromASTUntyped(v.defaultValue));
  }
  const vars = variables ?? {};

  const valueOf = (node: ValueNode): unknown => {
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      return name in vars ? vars[name] : variableDefaults.get(name);
    }
    return valueFromASTUntyped(node, vars);
  };

  const root = schema.getRootType(operation.operation);
  // Validation refuses such an operation first (lib/platform/query-limits.ts noSubscriptionsRule).
  if (!root) throw new GraphQLError(`This API has no ${operation.operation} operations.`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });

  // Fragments are expanded where they are spread; a spread cycle is invalid GraphQL (validation
  // refuses it first), the guard only keeps a malformed document from recursing forever. A
  // fragment's cost depends only on the sizes handed to its fields, so it is computed once per
  // such context: spreading one fragment many times at every level (...F ...F ... nested) would
  // otherwise take time exponential in the depth, from a document of a few hundred tokens.
  const fragmentCosts = new Map<string, number>();
  const fragmentCost = (fragment: FragmentDefinitionNode, sized: Map<string, number>, spreading: Set<string>): number => {
    const key = `${fragment.name.value}\u0000${[...sized].map(([f, n]) => `${f}=${n}`).join(',')}`;
    const known = fragmentCosts.get(key);
    if (known !== undefined) return known;
    const on = schema.getType(fragment.typeCondition.name.value);
    const cost = on ? selectionCost(fragment.selectionSet, on, sized, new Set([...spreading, fragment.name.value])) : 0;
    fragmentCosts.set(key, cost);
    return cost;
  };

  const selectionCost = (set: SelectionSetNode, parent: GraphQLNamedType, sized: Map<string, number>, spreading: Set<string>): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, parent, sized, spreading);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (on) total += selectionCost(selection.selectionSet, on, sized, spreading);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || spreading.has(fragment.name.value)) continue;
        total += fragmentCost(fragment, sized, spreading);
      }
    }
    return total;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLNamedType, sized: Map<string, number>, spreading: Set<string>): number => {
    const name = node.name.value;
    if (name.startsWith('__')) return 0; // __typename, and introspection (bounded by the schema)
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const field = parent.getFields()[name];
    if (!field) return 0; // validation reports it
    const type = getNamedType(field.type);
    const key = `${parent.name}.${name}`;
    const own = model.fieldWeights.get(key) ?? model.typeWeights.get(type.name) ?? (isCompositeType(type) ? 1 : 0);
    const rule = model.listSizes.get(key);
    // The sizes this field hands to its own sized fields (a connection's edges and nodes).
    const childSizes = new Map<string, number>();
    let factor = 1;
    const args = new Map((node.arguments ?? []).map((a) => [a.name.value, valueOf(a.value)]));
    if (name === '_entities' && parent === schema.getQueryType()) {
      const representations = args.get('representations');
      factor = Array.isArray(representations) ? representations.length : options.defaultListSize;
    } else if (rule) {
      let size: number | null = null;
      for (const slicing of rule.slicingArguments) {
        // Only a value the argument can take (an Int) counts: anything else fails variable coercion
        // when the operation runs, with its own BAD_USER_INPUT error, so the default stands in.
        const isInt = (v: unknown): v is number => Number.isSafeInteger(v) && Math.abs(v as number) <= 2 ** 31 - 1;
        const asked = args.get(slicing);
        const given = isInt(asked) ? asked : field.args.find((a) => a.name === slicing)?.defaultValue;
        if (isInt(given)) size = Math.max(size ?? 0, Math.max(0, given));
      }
      size ??= rule.assumedSize ?? options.defaultListSize;
      if (rule.sizedFields.length > 0) for (const f of rule.sizedFields) childSizes.set(f, size);
      else factor = size;
    } else if (sized.has(name)) {
      factor = sized.get(name)!;
    } else if (isListType(getNullableType(field.type))) {
      factor = options.defaultListSize;
    }
    const children = node.selectionSet && isCompositeType(type) ? selectionCost(node.selectionSet, type, childSizes, spreading) : 0;
    return Math.max(0, factor) * (own + children);
  };

  const base = operation.operation === 'mutation' ? 10 : 0;
  return base + selectionCost(operation.selectionSet, root, new Map(), new Set());
}

export interface DemandControlOptions extends CostOptions {
  model: CostModel;
  /** Highest cost an operation may have. */
  maxCost: number;
}

/** The error of an operation over the budget: HTTP 400, the code Apollo Router and Hive Gateway use, the figures in `extensions.cost`. */
export function tooExpensive(estimated: number, max: number): GraphQLError {
  return new GraphQLError(
    `Operation estimated cost ${estimated} exceeds the maximum cost of ${max}: ask for smaller pages (first) or fewer nested lists.`,
    { extensions: { code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated, max }, http: { status: 400 } } },
  );
}

/** An Apollo Server plugin refusing, before execution, every operation whose estimated cost exceeds `maxCost`. */
export function demandControlPlugin<TContext extends BaseContext>(options: DemandControlOptions): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const estimated = estimateCost(schema, options.model, document, request.operationName, request.variables, options);
          // Written so that a cost that is not a number (it never should be) refuses, not passes.
          if (!(estimated <= options.maxCost)) throw tooExpensive(estimated, options.maxCost);
        },
      };
    },
  };
}

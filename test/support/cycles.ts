/**
 * The cycles of a GraphQL schema (paths of fields that lead from a type back to itself, such as
 * an account's credits' account) and the hostile query each allows: the cycle walked from a root
 * field down to the depth limit, under as many aliases as the limit allows, with the page size
 * the argument values give (the largest, to be refused; a small one, to be run). A schema whose work per request is bounded must refuse or answer every one.
 */
import { getNamedType, GraphQLField, GraphQLObjectType, GraphQLSchema, isLeafType, isNonNullType, isObjectType } from 'graphql';

/** One step of a path: a field of `from` leading to `to`, with the arguments the query passes. */
export interface Step {
  from: string;
  field: string;
  to: string;
  args: string;
}

/** Values of arguments (required ones, and `first` for the page size), by `Type.field.argument` or by argument name. */
export type ArgumentValues = Record<string, string>;

function argumentsOf(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>, values: ArgumentValues): string | null {
  const parts: string[] = [];
  for (const arg of field.args) {
    const known = values[`${type.name}.${field.name}.${arg.name}`] ?? values[arg.name];
    if (known !== undefined) parts.push(`${arg.name}: ${known}`);
    else if (isNonNullType(arg.type) && arg.defaultValue === undefined) return null; // cannot be called
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}

function objectTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  const roots = new Set([schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  return Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__') && !roots.has(t.name));
}

/** The edges of the type graph: one field per (type, type) pair, preferring a connection's `nodes`. */
function edgesOf(schema: GraphQLSchema, values: ArgumentValues): Map<string, Step[]> {
  const edges = new Map<string, Step[]>();
  for (const type of objectTypes(schema)) {
    const byTarget = new Map<string, Step>();
    for (const field of Object.values(type.getFields())) {
      const target = getNamedType(field.type);
      if (!isObjectType(target) || target.name.startsWith('__')) continue;
      const args = argumentsOf(type, field, values);
      if (args === null) continue;
      const known = byTarget.get(target.name);
      if (!known || field.name === 'nodes') byTarget.set(target.name, { from: type.name, field: field.name, to: target.name, args });
    }
    edges.set(type.name, [...byTarget.values()]);
  }
  return edges;
}

/** Every elementary cycle of the type graph (each once, starting at its first type in name order). */
export function schemaCycles(schema: GraphQLSchema, values: ArgumentValues, limit = 5000): Step[][] {
  const edges = edgesOf(schema, values);
  const query = schema.getQueryType()!.name;
  const names = [...edges.keys()].filter((n) => n !== query).sort();
  const order = new Map(names.map((n, i) => [n, i]));
  const cycles: Step[][] = [];
  for (const start of names) {
    const s = order.get(start)!;
    const walk = (at: string, path: Step[], onPath: Set<string>) => {
      for (const step of edges.get(at) ?? []) {
        const i = order.get(step.to);
        if (i === undefined || i < s) continue;
        if (step.to === start) {
          cycles.push([...path, step]);
          if (cycles.length > limit) throw new Error(`more than ${limit} cycles`);
        } else if (!onPath.has(step.to)) {
          onPath.add(step.to);
          walk(step.to, [...path, step], onPath);
          onPath.delete(step.to);
        }
      }
    };
    walk(start, [], new Set([start]));
  }
  return cycles;
}

/** The shortest path of fields from the query root to `type`, or null when no root field reaches it. */
export function entryPath(schema: GraphQLSchema, values: ArgumentValues, type: string): Step[] | null {
  const edges = edgesOf(schema, values);
  const root = schema.getQueryType()!.name;
  const paths = new Map<string, Step[]>([[root, []]]);
  const queue = [root];
  while (queue.length) {
    const at = queue.shift()!;
    if (at === type) return paths.get(at)!;
    for (const step of edges.get(at) ?? []) {
      if (paths.has(step.to)) continue;
      paths.set(step.to, [...paths.get(at)!, step]);
      queue.push(step.to);
    }
  }
  return null;
}

function leafOf(schema: GraphQLSchema, typeName: string): string {
  const type = schema.getType(typeName) as GraphQLObjectType;
  const scalar = Object.values(type.getFields()).find((f) => isLeafType(getNamedType(f.type)) && f.args.length === 0);
  return scalar?.name ?? '__typename';
}

/**
 * The query that walks `entry` and then `cycle` over and over until `depth` levels of fields
 * (the leaf included), repeated under `aliases` aliases at the root.
 */
export function cycleQuery(schema: GraphQLSchema, entry: Step[], cycle: Step[], depth: number, aliases: number): string {
  const steps = [...entry];
  for (let i = 0; steps.length < depth - 1; i++) steps.push(cycle[i % cycle.length]);
  const lastType = steps.length ? steps[steps.length - 1].to : schema.getQueryType()!.name;
  let body = leafOf(schema, lastType);
  for (let i = steps.length - 1; i >= 1; i--) body = `${steps[i].field}${steps[i].args} { ${body} }`;
  const root = steps[0];
  return `{ ${Array.from({ length: aliases }, (_, a) => `a${a}: ${root.field}${root.args} { ${body} }`).join(' ')} }`;
}

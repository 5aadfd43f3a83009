/**
 * Relay cursor connections, the one shape every list of every subgraph that can grow with the
 * data takes: `first` (at most MAX_PAGE_SIZE) and `after`, a page of edges and nodes, and
 * PageInfo. The field carries the federation demand-control directive `@listSize`, so the cost
 * analysis of the gateway and of every subgraph (lib/platform/demand-control.ts) counts the page it asks
 * for, not a guess.
 */
import { GraphQLError } from 'graphql';
import { ArgsType, ClassType, Directive, Field, Int, ObjectType } from 'type-graphql';

/** Largest page any connection serves. */
export const MAX_PAGE_SIZE = 100;

/** Page size of a connection asked for without `first`. */
export const DEFAULT_PAGE_SIZE = 50;

/**
 * The demand-control annotation of every connection field: the list is as long as `first` (its
 * default when omitted), and `edges` and `nodes` are the lists it sizes.
 */
export const CONNECTION_LIST_SIZE = '@listSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false)';

@ObjectType({ description: 'Where a page sits in its list (Relay cursor connections).' })
@Directive('@shareable')
export class PageInfo {
  @Field({ description: 'True when more items follow this page: ask again with `after: endCursor`.' })
  hasNextPage: boolean;

  @Field({ description: 'True when this page was asked for with `after` (items precede it).' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page; null for an empty page.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page; pass it as `after` for the next page.' })
  endCursor: string | null;
}

/** The arguments of a connection field. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: `Page size, from 0 to ${MAX_PAGE_SIZE}.` })
  first: number;

  @Field(() => String, { nullable: true, description: "Continue after this cursor (a previous page's `pageInfo.endCursor`)." })
  after: string | null;
}

/** The value of a connection: what its resolver returns. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
}

/**
 * The GraphQL types of a connection of `node`: `<name>Connection` and `<name>Edge`. Extend the
 * result with a class of the connection's own name, as type-graphql's generic types are used:
 * `@ObjectType() export class AwsAccountConnection extends connectionType(AwsAccount, 'AwsAccount', 'AWS accounts') {}`.
 */
export function connectionType<T extends object>(node: ClassType<T>, name: string, items: string): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, { description: `One of ${items}, with its cursor.` })
  class Edge {
    @Field({ description: 'Cursor of this item; pass it as `after` to continue after it.' })
    cursor: string;

    @Field(() => node, { description: 'The item.' })
    node: T;
  }

  // Not emitted itself (type-graphql emits only the types a schema reaches): the subclass is.
  @ObjectType()
  abstract class ConnectionType {
    @Field(() => [Edge], { description: 'The items of this page, with cursors.' })
    edges: Edge[];

    @Field(() => [node], { description: 'The items of this page, without cursors.' })
    nodes: T[];

    @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
    pageInfo: PageInfo;
  }
  return ConnectionType as unknown as ClassType<Connection<T>>;
}

/** A typed client error naming the argument that is wrong. */
export function badArgument(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

/** Checks a page size against the cap every connection shares. */
export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badArgument(`"first" must be a whole number from 0 to ${MAX_PAGE_SIZE}, got ${first}`, 'first');
  }
}

/** Builds a connection from a page of items and their cursors. */
export function toConnection<T>(edges: { cursor: string; node: T }[], hasNextPage: boolean, hasPreviousPage: boolean): Connection<T> {
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/**
 * A page read with one item more than asked for (`first + 1`), which says whether more follow,
 * turned into a connection.
 */
export function pageConnection<T>(rows: readonly T[], first: number, cursorOf: (item: T) => string, hasPreviousPage: boolean): Connection<T> {
  const page = rows.slice(0, first);
  return toConnection(
    page.map((node) => ({ cursor: cursorOf(node), node })),
    rows.length > first,
    hasPreviousPage,
  );
}

/** Raised for a cursor that is malformed or belongs to another list. */
export class InvalidCursorError extends Error {}

/**
 * Opaque cursors of keyset-paged lists: the list's kind and the sort values of the last item of a
 * page, base64url-encoded JSON. A cursor of one list is refused by another.
 */
export function encodeCursor(kind: string, values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([kind, ...values]), 'utf8').toString('base64url');
}

/**
 * The sort values a cursor of `kind` carries: exactly `arity` of them, or from `arity.min` to
 * `arity.max` for a list whose order another service defines (a credit's applications).
 */
export function decodeCursor(kind: string, cursor: string, arity: number | { min: number; max: number }): (string | number)[] {
  const { min, max } = typeof arity === 'number' ? { min: arity, max: arity } : arity;
  let body: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) throw new Error('not base64url');
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('"after" is not a cursor returned by this API');
  }
  if (
    !Array.isArray(body) ||
    body[0] !== kind ||
    body.length < min + 1 ||
    body.length > max + 1 ||
    !body.slice(1).every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
  ) {
    throw new InvalidCursorError(`"after" is not a cursor of this list (${kind})`);
  }
  return body.slice(1) as (string | number)[];
}

/** `decodeCursor` for an `after` argument: null stays null, a bad cursor is a BAD_USER_INPUT error naming `after`. */
export function afterValues(kind: string, after: string | null | undefined, arity: number | { min: number; max: number }): (string | number)[] | null {
  if (after === null || after === undefined) return null;
  try {
    return decodeCursor(kind, after, arity);
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badArgument(error.message, 'after');
    throw error;
  }
}

/**
 * A page of a list held in memory (a cost category's rule values, a lot's shared sections): the
 * cursor is the item's position. For lists whose whole length is known and bounded by one record.
 */
export function pageOfArray<T>(kind: string, items: readonly T[], args: { first: number; after?: string | null }): Connection<T> {
  checkPageSize(args.first);
  const after = afterValues(kind, args.after, 1);
  const start = after === null ? 0 : Number(after[0]) + 1;
  if (!Number.isInteger(start) || start < 0) throw badArgument('"after" is not a cursor of this list', 'after');
  const page = items.slice(start, start + args.first);
  return toConnection(
    page.map((node, i) => ({ cursor: encodeCursor(kind, [start + i]), node })),
    start + args.first < items.length,
    start > 0,
  );
}

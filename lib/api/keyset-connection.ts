/**
 * Connections paged by keyset: what joins a connection's arguments and cursors (lib/platform/connection.ts)
 * to the sort that pages it (lib/platform/paging-sql.ts). The cursor of an item carries the values of every
 * sort column of it, read from the item's properties (a sort column `alias.property` reads
 * `item.property`), so one sort definition serves the SQL, the cursors and the in-memory lists
 * paged the same way; a cursor is decoded with the sort's arity, so a cursor of another list
 * (another kind, or another number of sort values) is refused.
 */
import { afterValues, checkPageSize, Connection, encodeCursor, pageConnection } from '../platform/connection';
import { compareSortValues } from '../domain/credit-order';
import type { PageRequest } from '../platform/loaders';
import type { SortColumn, SortValues } from '../platform/paging-sql';

/** The values of the sort columns of an item, in the sort's order: what its cursor carries. */
export function sortValuesOf(item: object, sort: readonly SortColumn[]): SortValues {
  return sort.map((c) => {
    const property = c.column.slice(c.column.indexOf('.') + 1);
    const value = (item as Record<string, unknown>)[property];
    if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`sort column ${c.column} has no value on the item`);
    return value;
  });
}

/**
 * The page a connection field is asked for: `first` checked against the cap, `after` decoded
 * into the sort values of the item it names (BAD_USER_INPUT naming the argument otherwise).
 */
export function pageRequest(kind: string, args: { first: number; after?: string | null }, sort: readonly SortColumn[]): PageRequest {
  checkPageSize(args.first);
  return { first: args.first, after: afterValues(kind, args.after, sort.length) };
}

/** The connection of a page read with `first + 1` items after the page's cursor, in the sort order. */
export function keysetConnection<T extends object>(kind: string, rows: readonly T[], sort: readonly SortColumn[], page: PageRequest): Connection<T> {
  return pageConnection(rows, page.first, (row) => encodeCursor(kind, sortValuesOf(row, sort)), page.after !== null);
}

/**
 * A keyset page of a list held in memory and already in the sort order (e.g. the accounts of an
 * organization a cost category assigns to one value): the same cursors as the SQL-paged lists of
 * the same kind, so a page continues after its last item even when the list changed meanwhile.
 */
export function keysetPageOfArray<T extends object>(
  kind: string,
  items: readonly T[],
  sort: readonly SortColumn[],
  args: { first: number; after?: string | null },
): Connection<T> {
  const page = pageRequest(kind, args, sort);
  const after = page.after;
  const start = after === null ? 0 : items.findIndex((item) => compareSortValues(sortValuesOf(item, sort), after, sort) > 0);
  const rows = start < 0 ? [] : items.slice(start, start + page.first + 1);
  return keysetConnection(kind, rows, sort, page);
}

/**
 * The per-request DataLoaders every subgraph builds its loaders from, over batch queries of its
 * store: one item per key (`byKey`), a list per key (`groupedBy`), and the pages of child
 * connections (`pagedLoader`: the page of children of each parent in a batch, one SQL statement
 * per batch, lib/platform/paging-sql.ts keysetPagesByParent; a field asked for with different
 * `first`/`after` (aliases) gets a loader of its own for each page, so every batch shares one
 * page request).
 */
import DataLoader from 'dataloader';
import type { SortValues } from './paging-sql';

/** What one child connection asks of every parent: at most `first + 1` children after `after`. */
export interface PageRequest {
  first: number;
  after: SortValues | null;
}

/**
 * Loaders of the children of parents, by page: `load(parents, page)` answers each parent's rows
 * (at most first + 1), in the parents' order.
 */
export type PagedLoader<T> = (page: PageRequest) => DataLoader<string, T[]>;

export function pagedLoader<T>(load: (parents: readonly string[], page: PageRequest) => Promise<T[][]>): PagedLoader<T> {
  const loaders = new Map<string, DataLoader<string, T[]>>();
  return (page) => {
    const key = JSON.stringify([page.first, page.after]);
    let loader = loaders.get(key);
    if (!loader) loaders.set(key, (loader = new DataLoader((parents) => load(parents, page))));
    return loader;
  };
}

/** A loader of one item per key, from a batch query and the item's key (null for keys nothing answers). */
export function byKey<T>(load: (keys: readonly string[]) => Promise<T[]>, keyOf: (item: T) => string): DataLoader<string, T | null> {
  return new DataLoader(async (keys) => {
    const found = new Map((await load(keys)).map((item) => [keyOf(item), item]));
    return keys.map((k) => found.get(k) ?? null);
  });
}

/** A loader of a list per key, keeping the batch query's order within each list. */
export function groupedBy<T>(load: (keys: readonly string[]) => Promise<T[]>, keyOf: (item: T) => string): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const item of await load(keys)) groups.get(keyOf(item))?.push(item);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

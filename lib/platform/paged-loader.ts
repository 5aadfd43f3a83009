/**
 * Per-request DataLoaders of child connections: the page of children of each parent in a batch,
 * one SQL statement per batch (lib/paging-sql.ts keysetPagesByParent). A field asked for with
 * different `first`/`after` (aliases) gets a loader of its own for each page, so every batch
 * shares one page request.
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

/**
 * Keyset paging in SQL, for every connection a provider store serves: the rows strictly after a
 * cursor's sort values, at most `first + 1` of them (the extra row says whether more follow), and
 * the same for the children of a whole batch of parents in one statement (a window function
 * ranks each parent's children), so a page of parents with a page of children each costs one
 * statement per level, whatever the data holds.
 *
 * The SQL is dialect-neutral (row values, ROW_NUMBER() OVER, IN over row values): SQLite and
 * PostgreSQL both run it. Columns are named `alias.property`, which TypeORM quotes for the
 * dialect; sort columns must be NOT NULL, so every row has a position.
 */
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export interface SortColumn {
  /** `alias.property` of a NOT NULL column. */
  column: string;
  direction: 'ASC' | 'DESC';
}

/** Values of the sort columns of a row, in order: what a cursor carries. */
export type SortValues = readonly (string | number)[];

/**
 * The condition "after `values` in the order of `columns`". One direction throughout is a single
 * row-value comparison, which the database answers by seeking its index; mixed directions expand
 * to (a > x) OR (a = x AND b < y) OR ...
 */
export function keysetAfter(columns: readonly SortColumn[], values: SortValues, prefix = 'after'): { sql: string; params: Record<string, string | number> } {
  if (columns.length === 0 || columns.length !== values.length) throw new Error(`keysetAfter: ${columns.length} columns, ${values.length} values`);
  const params: Record<string, string | number> = {};
  const names = values.map((value, i) => {
    params[`${prefix}${i}`] = value;
    return `:${prefix}${i}`;
  });
  const op = (c: SortColumn) => (c.direction === 'ASC' ? '>' : '<');
  if (columns.every((c) => c.direction === columns[0].direction)) {
    if (columns.length === 1) return { sql: `${columns[0].column} ${op(columns[0])} ${names[0]}`, params };
    return { sql: `(${columns.map((c) => c.column).join(', ')}) ${op(columns[0])} (${names.join(', ')})`, params };
  }
  const terms = columns.map((c, i) => [...columns.slice(0, i).map((p, j) => `${p.column} = ${names[j]}`), `${c.column} ${op(c)} ${names[i]}`].join(' AND '));
  return { sql: `(${terms.map((t) => `(${t})`).join(' OR ')})`, params };
}

function ordered<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, sort: readonly SortColumn[]): SelectQueryBuilder<T> {
  sort.forEach((c, i) => (i === 0 ? qb.orderBy(c.column, c.direction) : qb.addOrderBy(c.column, c.direction)));
  return qb;
}

/** One page of a query: at most `first + 1` rows after `after`, in the sort order. */
export function keysetPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  sort: readonly SortColumn[],
  page: { first: number; after: SortValues | null },
): Promise<T[]> {
  if (page.after) {
    const condition = keysetAfter(sort, page.after);
    qb.andWhere(condition.sql, condition.params);
  }
  return ordered(qb, sort).limit(page.first + 1).getMany();
}

/**
 * A page of children for each of many parents, in one statement: the children of each parent
 * after `after`, ranked by the sort order within their parent, at most `first + 1` per parent.
 * `qb` selects the child entity (alias `alias`) with its access conditions; `parent` and `keys`
 * are `alias.property` of the parent's column and of the child's primary key. The answer holds
 * each parent's rows, in the sort order, in the parents' order.
 */
export async function keysetPagesByParent<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  options: {
    parent: string;
    keys: readonly string[];
    sort: readonly SortColumn[];
    parents: readonly string[];
    first: number;
    after: SortValues | null;
  },
): Promise<T[][]> {
  if (options.parents.length === 0) return [];
  const alias = qb.alias;
  const ranked = qb.clone();
  ranked.select(options.keys as string[]);
  const window = options.sort.map((c) => `${c.column} ${c.direction}`).join(', ');
  ranked.addSelect(`ROW_NUMBER() OVER (PARTITION BY ${options.parent} ORDER BY ${window})`, 'page_rank');
  ranked.andWhere(`${options.parent} IN (:...pageParents)`, { pageParents: [...new Set(options.parents)] });
  if (options.after) {
    const condition = keysetAfter(options.sort, options.after, 'pageAfter');
    ranked.andWhere(condition.sql, condition.params);
  }
  ranked.orderBy();
  const rankedKeys = options.keys.map((k) => `ranked.${quoted(`${alias}_${k.slice(alias.length + 1)}`, qb)}`);
  qb.andWhere(`(${options.keys.join(', ')}) IN (SELECT ${rankedKeys.join(', ')} FROM (${ranked.getQuery()}) ranked WHERE ranked.page_rank <= :pageLimit)`, {
    ...ranked.getParameters(),
    pageLimit: options.first + 1,
  });
  const rows = await ordered(qb, [{ column: options.parent, direction: 'ASC' }, ...options.sort]).getMany();
  const property = options.parent.slice(options.parent.indexOf('.') + 1);
  return groupByParent(options.parents, rows, (row) => String((row as Record<string, unknown>)[property]));
}

function quoted<T extends ObjectLiteral>(name: string, qb: SelectQueryBuilder<T>): string {
  return qb.connection.driver.escape(name);
}

/** Splits rows into each parent's rows, in the parents' order. */
function groupByParent<T>(parents: readonly string[], rows: readonly T[], parentOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(parents.map((p) => [p, []]));
  for (const row of rows) groups.get(parentOf(row))?.push(row);
  return parents.map((p) => groups.get(p) ?? []);
}

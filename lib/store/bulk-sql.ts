/**
 * Set-based writes for the charges ledger's large row sets (engine results, computed events, lot
 * balances): multi-row prepared INSERTs and UPDATE ... FROM (VALUES ...)
 * statements built from the entity metadata, every value a bound parameter, in the dialect's
 * own parameter form (SQLite and PostgreSQL run the same statements).
 *
 * Why not TypeORM's insert builder: for 290,000 charges it spent ~18 s building the statement
 * (getQueryAndParameters names, escapes and re-maps every parameter) against ~1 s for SQLite to
 * run it. Values are converted exactly as TypeORM converts them (the driver's
 * preparePersistentValue: booleans as SQLite's 1/0 or PostgreSQL's booleans, simple-json as JSON,
 * transformers), so what is stored is the same.
 */
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * SQLite binds at most SQLITE_MAX_VARIABLE_NUMBER parameters a statement: 999 before SQLite 3.32,
 * 32,766 since, and in the build the sqlite3 package bundles here (3.52, compile option
 * MAX_VARIABLE_NUMBER=32766; test/charges/bulk-sql.test.ts checks it). 30,000 stays below it.
 */
export const MAX_PARAMETERS = 30_000;

/**
 * The bound parameters of one statement, in the dialect's own form: SQLite's `?`, PostgreSQL's
 * `$1, $2, ...` (numbered through the whole statement). `next()` gives the next one.
 */
export function parameters(manager: EntityManager): { next: () => string; list: (count: number) => string } {
  const postgres = manager.connection.options.type === 'postgres';
  let n = 0;
  const next = () => (postgres ? `$${++n}` : '?');
  return { next, list: (count) => Array.from({ length: count }, next).join(', ') };
}

/** One parameter per value, comma-separated, for a statement of its own: the bound parameters of an IN list. */
export const placeholders = (manager: EntityManager, values: readonly unknown[]): string => parameters(manager).list(values.length);

/** The rows of one statement for `columns` values a row. */
export function rowsPerStatement(columns: number, maxParameters = MAX_PARAMETERS): number {
  return Math.max(1, Math.floor(maxParameters / Math.max(1, columns)));
}

/** The insertable columns of an entity: every column but an auto-increment id no row sets. */
function insertColumns(manager: EntityManager, target: EntityTarget<ObjectLiteral>, first: ObjectLiteral): ColumnMetadata[] {
  const metadata = manager.connection.getMetadata(target);
  return metadata.columns.filter((c) => {
    if (!c.isInsert || c.isVirtual) return false;
    if (c.isGenerated && c.generationStrategy === 'increment' && c.getEntityValue(first) === undefined) return false;
    return true;
  });
}

/** A row's value for a column as TypeORM would store it (a missing value takes the column's default, else NULL). */
function persistentValue(manager: EntityManager, column: ColumnMetadata, row: ObjectLiteral): unknown {
  let value = column.getEntityValue(row);
  if (value === undefined) {
    if (column.isGenerated && column.generationStrategy === 'increment') return null;
    if (typeof column.default === 'function') throw new Error(`${column.entityMetadata.tableName}.${column.databaseName}: a row without a value for a column with a SQL default`);
    value = column.default ?? null;
  }
  const prepared = manager.connection.driver.preparePersistentValue(value, column);
  return prepared === undefined ? null : prepared;
}

/**
 * Inserts entity-shaped rows (embedded columns as nested objects, as TypeORM takes them) with
 * multi-row INSERT statements, as many rows a statement as the parameter limit allows.
 */
export function insertRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: readonly T[], maxParameters = MAX_PARAMETERS): Promise<void> {
  return writeRows(manager, target, rows, { conflictKey: null, columns: insertColumns(manager, target, rows[0] ?? {}) }, maxParameters);
}

/**
 * Inserts rows as insertRows does, each replacing the row of the same primary key if there is one
 * (INSERT ... ON CONFLICT (key) DO UPDATE SET every other column): TypeORM's `upsert` built a
 * statement per row, 200 of them for the months of one cost details file. The rows' keys must be
 * distinct (SQLite refuses a statement that would update one row twice).
 */
export function upsertRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: readonly T[], maxParameters = MAX_PARAMETERS): Promise<void> {
  const metadata = manager.connection.getMetadata(target);
  return writeRows(manager, target, rows, { conflictKey: metadata.primaryColumns, columns: insertColumns(manager, target, rows[0] ?? {}) }, maxParameters);
}

/**
 * Upserts partial rows on `key` (property paths of a unique key): what every load writes with, so
 * columns a load never writes (the pause and share extension, computed balances) survive a reload.
 * (TypeORM's `upsert` in chunks of 100 spent 8 of the 29 s of loading 100,000 AWS credits building
 * its statements.) A new row is inserted with the
 * columns it gives (the others take their defaults), an existing row has exactly the columns the
 * given row gives replaced and keeps every other; a row that gives only its key changes nothing.
 * Rows that give different sets of columns go in separate statements. When a key comes more than
 * once, its rows are merged in order, column by column (a later value replaces an earlier one), as
 * row-by-row upserts would leave it. Many rows a statement, as insertRows. Returns how many rows
 * were given.
 */
export async function upsertByKey<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: readonly ObjectLiteral[],
  key: readonly string[],
  maxParameters = MAX_PARAMETERS,
): Promise<number> {
  const metadata = manager.connection.getMetadata(target);
  const keyColumns = key.map((property) => {
    const column = metadata.findColumnWithPropertyPath(property);
    if (!column) throw new Error(`upsertByKey(${metadata.tableName}): no column ${property}`);
    return column;
  });
  const writable = metadata.columns.filter((c) => c.isInsert && !c.isVirtual);
  const byKey = new Map<string, ObjectLiteral>();
  for (const row of rows) {
    const values = keyColumns.map((c) => c.getEntityValue(row));
    if (values.some((v) => v === undefined || v === null)) throw new Error(`upsertByKey(${metadata.tableName}): a row without its key ${key.join(', ')}`);
    const id = JSON.stringify(values);
    const earlier = byKey.get(id);
    byKey.set(id, earlier ? mergeGiven(earlier, row) : row);
  }
  const bySignature = new Map<string, { columns: ColumnMetadata[]; rows: ObjectLiteral[] }>();
  for (const row of byKey.values()) {
    const columns = writable.filter((c) => c.getEntityValue(row) !== undefined);
    const signature = columns.map((c) => c.databaseName).join(',');
    let group = bySignature.get(signature);
    if (!group) bySignature.set(signature, (group = { columns, rows: [] }));
    group.rows.push(row);
  }
  for (const group of bySignature.values()) await writeRows(manager, target, group.rows, { conflictKey: keyColumns, columns: group.columns }, maxParameters);
  return rows.length;
}

async function writeRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: readonly ObjectLiteral[],
  { conflictKey, columns }: { conflictKey: readonly ColumnMetadata[] | null; columns: readonly ColumnMetadata[] },
  maxParameters: number,
): Promise<void> {
  if (rows.length === 0) return;
  const driver = manager.connection.driver;
  const metadata = manager.connection.getMetadata(target);
  const head = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
  const tuples = (count: number) => {
    const p = parameters(manager);
    return Array.from({ length: count }, () => `(${p.list(columns.length)})`).join(', ');
  };
  let tail = '';
  if (conflictKey !== null) {
    const keyNames = new Set(conflictKey.map((c) => c.databaseName));
    const others = columns.filter((c) => !keyNames.has(c.databaseName));
    if (conflictKey.length === 0) throw new Error(`upsert into ${metadata.tableName}: no key`);
    // Rows that give only their key change nothing in the rows they meet.
    const action = others.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${others.map((c) => `${driver.escape(c.databaseName)} = excluded.${driver.escape(c.databaseName)}`).join(', ')}`;
    tail = ` ON CONFLICT (${conflictKey.map((c) => driver.escape(c.databaseName)).join(', ')}) ${action}`;
  }
  const chunk = rowsPerStatement(columns.length, maxParameters);
  let fullSql: string | null = null;
  for (let start = 0; start < rows.length; start += chunk) {
    const end = Math.min(rows.length, start + chunk);
    const params: unknown[] = new Array((end - start) * columns.length);
    let k = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i];
      for (const column of columns) params[k++] = persistentValue(manager, column, row);
    }
    const count = end - start;
    const sql = count === chunk ? (fullSql ??= head + tuples(count) + tail) : head + tuples(count) + tail;
    await manager.query(sql, params);
  }
}

/** `later` over `earlier`, given values only: embedded columns (plain objects) merged property by property, anything else replaced. */
function mergeGiven(earlier: ObjectLiteral, later: ObjectLiteral): ObjectLiteral {
  const merged: ObjectLiteral = { ...earlier };
  for (const [name, value] of Object.entries(later)) {
    if (value === undefined) continue;
    const before = merged[name];
    merged[name] = isPlainObject(before) && isPlainObject(value) ? mergeGiven(before, value) : value;
  }
  return merged;
}

const isPlainObject = (v: unknown): v is ObjectLiteral => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Updates rows by key, set-based: `UPDATE t SET c = v.c ... FROM (VALUES ...) v WHERE t.key = v.key`,
 * many rows a statement. Each change gives the row's key values and the values to set (entity
 * properties, embedded columns as nested objects); every change must set the same columns.
 */
export async function updateRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  changes: readonly { key: Partial<T>; set: Partial<T> }[],
  maxParameters = MAX_PARAMETERS,
): Promise<void> {
  if (changes.length === 0) return;
  const driver = manager.connection.driver;
  const metadata = manager.connection.getMetadata(target);
  const keyColumns = metadata.columns.filter((c) => c.getEntityValue(changes[0].key) !== undefined);
  const setColumns = metadata.columns.filter((c) => c.getEntityValue(changes[0].set) !== undefined);
  if (setColumns.some((c) => !c.isUpdate)) throw new Error(`updateRows(${metadata.tableName}): a column that may not be updated`);
  if (keyColumns.length === 0 || setColumns.length === 0) throw new Error(`updateRows(${metadata.tableName}): no key or no column to set`);
  // Every change gives exactly the first one's columns: all of them, and no other.
  const given = (o: ObjectLiteral) => metadata.columns.filter((c) => c.getEntityValue(o) !== undefined).length;
  const signature = (cols: ColumnMetadata[], o: ObjectLiteral) => cols.every((c) => c.getEntityValue(o) !== undefined) && given(o) === cols.length;
  const all = [...keyColumns, ...setColumns];
  const names = all.map((_, i) => `c${i}`);
  const table = driver.escape(metadata.tableName);
  const head =
    `UPDATE ${table} SET ${setColumns.map((c, i) => `${driver.escape(c.databaseName)} = v.${names[keyColumns.length + i]}`).join(', ')} ` +
    `FROM (SELECT ${names.map((n, i) => `column${i + 1} AS ${n}`).join(', ')} FROM (VALUES `;
  const tail = `) AS t) AS v WHERE ${keyColumns.map((c, i) => `${table}.${driver.escape(c.databaseName)} = v.${names[i]}`).join(' AND ')}`;
  // PostgreSQL types a VALUES list by its parameters, which come untyped: each is cast to its
  // column's type. Its versions before 16 also want every subquery in FROM named (AS t).
  const postgres = manager.connection.options.type === 'postgres';
  const typeOf = (c: ColumnMetadata) => {
    const type = driver.normalizeType(c);
    return type === 'simple-json' || type === 'simple-array' ? 'text' : type;
  };
  const tuples = (count: number) => {
    const p = parameters(manager);
    const tuple = () => `(${all.map((c) => (postgres ? `CAST(${p.next()} AS ${typeOf(c)})` : p.next())).join(', ')})`;
    return Array.from({ length: count }, tuple).join(', ');
  };
  const chunk = rowsPerStatement(all.length, maxParameters);
  for (let start = 0; start < changes.length; start += chunk) {
    const end = Math.min(changes.length, start + chunk);
    const params: unknown[] = [];
    for (let i = start; i < end; i++) {
      const { key, set } = changes[i];
      if (!signature(keyColumns, key) || !signature(setColumns, set)) throw new Error(`updateRows(${metadata.tableName}): every change must give the same key and columns`);
      for (const c of keyColumns) params.push(driver.preparePersistentValue(c.getEntityValue(key), c) ?? null);
      for (const c of setColumns) params.push(driver.preparePersistentValue(c.getEntityValue(set), c) ?? null);
    }
    await manager.query(head + tuples(end - start) + tail, params);
  }
}

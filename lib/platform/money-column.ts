/**
 * Columns that hold an exact decimal amount. Stored as text on SQLite (its NUMERIC affinity would
 * turn "6000.00" into a float) and as `numeric` on PostgreSQL (exact, and summable in SQL); the
 * driver gives either back as the decimal string that was written (PostgreSQL keeps the written
 * scale: "6000.00" stays "6000.00"). Entities declare them with `@MoneyColumn()`; lib/platform/database.ts
 * gives them their PostgreSQL type when it opens a database there.
 */
import { Column } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

const declared = new Map<Function, Set<string>>();

/** An exact decimal amount column (see above); nullable or with a default as TypeORM's own options. */
export function MoneyColumn(options: { nullable?: boolean; default?: string } = {}): PropertyDecorator {
  const column = Column('varchar', options);
  return (target, propertyKey) => {
    const owner = target.constructor;
    if (!declared.has(owner)) declared.set(owner, new Set());
    declared.get(owner)!.add(String(propertyKey));
    column(target, propertyKey);
  };
}

/** True when `column` was declared with @MoneyColumn (in its class or a class it extends). */
export function isMoneyColumn(column: ColumnMetadata): boolean {
  for (let owner = column.target; typeof owner === 'function' && owner !== Function.prototype; owner = Object.getPrototypeOf(owner)) {
    if (declared.get(owner)?.has(column.propertyName)) return true;
  }
  return false;
}

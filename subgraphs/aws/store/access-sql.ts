/**
 * The AWS access rules of domain/access.ts as SQL conditions, one per predicate (creditScopeSql is
 * canSeeCredit, and so on): every read of the store carries one in its WHERE clause, so what a
 * caller may not see is never read. test/aws/access.test.ts runs each condition against its
 * predicate over every combination of facts.
 */
import { jsonTextValues, type SqlDialect, withoutIndex } from '../../../lib/platform/sql-dialect';
import { type AwsScope, isEmptyScope, type LinkedAccountScope } from '../domain/access';

/** An SQL condition with its named parameters (TypeORM `:name` / `:...name` syntax). */
export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

const NOTHING: SqlCondition = { sql: '1 = 0', params: {} };

/** Builds conditions with parameter names unique within one statement. */
class SqlBuilder {
  readonly params: Record<string, unknown> = {};
  private next = 0;
  constructor(
    private readonly prefix: string,
    readonly dialect: SqlDialect,
  ) {}

  /** A parameter placeholder for one value. */
  value(value: unknown): string {
    const name = `${this.prefix}${this.next++}`;
    this.params[name] = value;
    return `:${name}`;
  }

  /** `column IN (...)` of a non-empty list. */
  in(column: string, values: readonly unknown[]): string {
    const name = `${this.prefix}${this.next++}`;
    this.params[name] = [...values];
    return `${column} IN (:...${name})`;
  }
}

const or = (parts: string[]) => (parts.length === 0 ? '1 = 0' : parts.length === 1 ? parts[0] : `(${parts.map((p) => `(${p})`).join(' OR ')})`);

/** `ownerColumn` is an account of the organization of `payers` (the payer itself or a member). */
function inOrganizations(b: SqlBuilder, ownerColumn: string, payers: readonly string[]): string {
  return `(${b.in(ownerColumn, payers)} OR ${ownerColumn} IN (SELECT org."accountId" FROM aws_account org WHERE ${b.in('org."payerAccountId"', payers)}))`;
}

function creditCondition(b: SqlBuilder, scope: AwsScope, alias: string, owner = `${alias}."accountId"`): string {
  const parts: string[] = [];
  if (scope.payerIds.length > 0) parts.push(inOrganizations(b, owner, scope.payerIds));
  if (scope.linked.length > 0) parts.push(b.in(owner, scope.linked.map((l) => l.accountId)));
  const byOrganization = new Map<string, LinkedAccountScope[]>();
  for (const l of scope.linked) byOrganization.set(l.payerAccountId, [...(byOrganization.get(l.payerAccountId) ?? []), l]);
  for (const [payer, members] of byOrganization) {
    const type = `${alias}."creditSharingType"`;
    const shared = [
      `${type} IS NULL OR ${type} = 'DEFAULT'`,
      `${type} = 'CUSTOM' AND EXISTS (SELECT 1 FROM ${jsonTextValues(b.dialect, `${alias}."shareableAccounts"`, 'shared')} WHERE ${b.in('shared.value', members.map((m) => m.accountId))})`,
    ];
    const values = members.flatMap((m) => m.categoryValues);
    if (values.length > 0) {
      const rows = values.map((v) => `(${b.value(v.costCategoryArn)}, ${b.value(v.value)})`).join(', ');
      shared.push(`${type} = 'COST_CATEGORY_RULE' AND (${alias}."costCategoryArn", ${alias}."ruleName") IN (VALUES ${rows})`);
    }
    parts.push(`${inOrganizations(b, owner, [payer])} AND ${or(shared)}`);
  }
  return or(parts);
}

/**
 * The credits (table alias `alias`) the caller may see: canSeeCredit in SQL. With `walkOrder` the
 * owner column is written `+alias."accountId"` on SQLite, which keeps it from answering the scope through
 * the owner index: for a caller who manages organizations (most credits are in scope) a sorted,
 * limited page is then read along the sort column's index and stops at the page's end, instead of
 * reading every credit in scope and sorting them (1 ms instead of 12 for a page of 50 of 10,000).
 */
export function creditScopeSql(dialect: SqlDialect, scope: AwsScope, alias: string, prefix = 'scope', options: { walkOrder?: boolean } = {}): SqlCondition {
  if (isEmptyScope(scope)) return NOTHING;
  const b = new SqlBuilder(`${prefix}_c`, dialect);
  return { sql: creditCondition(b, scope, alias, options.walkOrder ? withoutIndex(dialect, `${alias}."accountId"`) : undefined), params: b.params };
}

/** The accounts (alias `alias`) the caller may see: canSeeAccount in SQL. */
export function accountScopeSql(dialect: SqlDialect, scope: AwsScope, alias: string, prefix = 'scope'): SqlCondition {
  if (isEmptyScope(scope)) return NOTHING;
  const b = new SqlBuilder(`${prefix}_a`, dialect);
  const parts: string[] = [];
  if (scope.payerIds.length > 0) parts.push(b.in(`${alias}."accountId"`, scope.payerIds), b.in(`${alias}."payerAccountId"`, scope.payerIds));
  if (scope.linked.length > 0) {
    parts.push(b.in(`${alias}."accountId"`, scope.linked.map((l) => l.accountId)));
    parts.push(b.in(`${alias}."accountId"`, [...new Set(scope.linked.map((l) => l.payerAccountId))]));
    parts.push(`${alias}."accountId" IN (SELECT visible."accountId" FROM aws_credit visible WHERE ${creditCondition(b, scope, 'visible')})`);
  }
  return { sql: or(parts), params: b.params };
}

/** The allocation history entries (alias `alias`) the caller may see: canSeeAllocation in SQL. */
export function allocationScopeSql(dialect: SqlDialect, scope: AwsScope, alias: string, prefix = 'scope'): SqlCondition {
  if (isEmptyScope(scope)) return NOTHING;
  const b = new SqlBuilder(`${prefix}_h`, dialect);
  const parts: string[] = [];
  if (scope.payerIds.length > 0) {
    parts.push(`${alias}."creditId" IN (SELECT owned."creditId" FROM aws_credit owned WHERE ${inOrganizations(b, 'owned."accountId"', scope.payerIds)})`);
    parts.push(inOrganizations(b, `${alias}."accountId"`, scope.payerIds));
  }
  if (scope.linked.length > 0) parts.push(b.in(`${alias}."accountId"`, scope.linked.map((l) => l.accountId)));
  return { sql: or(parts), params: b.params };
}

/** The cost categories (alias `alias`) the caller may see: canSeeCostCategory in SQL. */
export function costCategoryScopeSql(dialect: SqlDialect, scope: AwsScope, alias: string, prefix = 'scope'): SqlCondition {
  if (isEmptyScope(scope)) return NOTHING;
  const b = new SqlBuilder(`${prefix}_k`, dialect);
  const parts: string[] = [];
  if (scope.payerIds.length > 0) parts.push(b.in(`${alias}."payerAccountId"`, scope.payerIds));
  parts.push(
    `${alias}."costCategoryArn" IN (SELECT visible."costCategoryArn" FROM aws_credit visible WHERE visible."creditSharingType" = 'COST_CATEGORY_RULE' AND ${creditCondition(b, scope, 'visible')})`,
  );
  return { sql: or(parts), params: b.params };
}

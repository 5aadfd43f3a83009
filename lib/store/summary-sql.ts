/**
 * A provider's part of `creditSummary` as one aggregate statement over the credits its search
 * selects: the rows are grouped by currency, status and the soonest expiry window they fall in,
 * and only those groups' counts and exact sums leave the database (a few dozen rows however many
 * credits there are), folded by lib/domain/credit-summary.ts CreditSummaryBuilder exactly as the
 * credits one by one would be.
 *
 * Sums are exact on both databases. PostgreSQL sums its `numeric` amounts. SQLite holds amounts as
 * text and would sum them as floats, so each amount is summed as integers in three parts: the
 * integer part (CAST), and the first and last ten of up to twenty decimal places; the parts are
 * joined with BigInt here and written with the places of the most precise amount. SQLite's SUM
 * of integers fails on overflow rather than wrapping, and an integer part too long for a 64-bit
 * integer is detected in the same statement: either way the answer is null and the provider sums
 * by pages instead (summarizeInPages), never inexactly.
 */
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { formatExact, UNIT_PLACES } from '../domain/charges/amount';
import { addDays } from '../domain/credit-status';
import { compareText } from '../domain/credit-order';
import { amountSortKey } from '../domain/money';
import { CreditGroup, CreditSummaryBuilder } from '../domain/credit-summary';
import { CREDIT_STATUSES, CreditStatus, CreditSummaryRecord, EXPIRY_WINDOWS_DAYS, ProviderName } from '../domain/provider-contract';
import { dialectOf, SqlDialect } from '../platform/sql-dialect';

/**
 * What a store's credit table says, as SQL over its alias, for a summary. Besides these, the table
 * has the sort keys every store keeps (lib/domain/credit-order.ts creditSortKeys: `sortRemaining`,
 * `sortExpiresAt`), which say whether a balance is left and order the expiring groups.
 */
export interface SummaryColumns {
  /** The table's alias in the store's queries, and its id column. */
  alias: string;
  id: string;
  /** Currency of the remaining balance: what credits are totalled by. */
  currency: string;
  originalAmount: string;
  remainingBalance: string;
  estimatedBalance: string;
  /** The status (lib/domain/credit-status.ts statusSqlCase of the store's facts; reads :now). */
  status: string;
  /** ISO expiry, NULL for never. */
  expiresAt: string;
}

/** The most places an amount may have (UNIT_PLACES, lib/domain/money.ts MAX_FRACTION_DIGITS), in two halves. */
const HALF = UNIT_PLACES / 2;
/** Integer parts longer than this (sign included) may not fit SQLite's 64-bit integers. */
const MAX_INTEGER_TEXT = 18;

const AMOUNTS = ['originalAmount', 'remainingBalance', 'estimatedBalance'] as const;

/** SQLite: the select items summing the text amount `x` exactly, in parts, named after `name`. */
function sqliteSumParts(x: string, name: string): string[] {
  const point = `instr(${x}, '.')`;
  const sign = `(CASE WHEN substr(${x}, 1, 1) = '-' THEN -1 ELSE 1 END)`;
  const half = (from: number) => `CASE ${point} WHEN 0 THEN 0 ELSE ${sign} * CAST(substr(${x} || '${'0'.repeat(HALF)}', ${point} + ${from}, ${HALF}) AS INTEGER) END`;
  return [
    `CAST(SUM(CAST(${x} AS INTEGER)) AS TEXT) AS "${name}Integer"`,
    `CAST(SUM(${half(1)}) AS TEXT) AS "${name}High"`,
    `CAST(SUM(${half(HALF + 1)}) AS TEXT) AS "${name}Low"`,
    `MAX(CASE ${point} WHEN 0 THEN 0 ELSE length(${x}) - ${point} END) AS "${name}Places"`,
    `MAX(CASE ${point} WHEN 0 THEN length(${x}) ELSE ${point} - 1 END) AS "${name}IntegerLength"`,
  ];
}

/** Joins SQLite's parts of a sum (in units of 10^-UNIT_PLACES) into its decimal text, or null when they cannot be exact. */
function joinSqliteParts(row: Record<string, unknown>, name: string): string | null {
  if (Number(row[`${name}IntegerLength`]) > MAX_INTEGER_TEXT || Number(row[`${name}Places`]) > UNIT_PLACES) return null;
  const half = 10n ** BigInt(HALF);
  const units = (BigInt(String(row[`${name}Integer`])) * half + BigInt(String(row[`${name}High`]))) * half + BigInt(String(row[`${name}Low`]));
  return formatExact(units, Number(row[`${name}Places`]));
}

/** SQLite refuses a SUM of integers that overflows: the sums cannot be made exactly. */
const isOverflow = (error: unknown) => /integer overflow/i.test(String((error as Error)?.message ?? error));

/**
 * The summary of the credits `qb` selects (a store's scoped, filtered query of its credit table,
 * without order or limit), as of `now`; null when SQLite cannot sum them exactly (see above).
 */
export async function summarizeInSql<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  columns: SummaryColumns,
  provider: ProviderName,
  now: string,
): Promise<CreditSummaryRecord | null> {
  const dialect: SqlDialect = dialectOf(qb.connection);
  const { alias } = columns;
  const hasBalance = `${alias}.sortRemaining > '${amountSortKey('0')}'`;
  const within = (days: number) => `summaryWithin${days}`;
  // The windows in their order (shortest first): a credit falls in the first it expires within.
  const window =
    `(CASE WHEN NOT (${hasBalance}) OR ${columns.expiresAt} IS NULL OR ${columns.expiresAt} <= :now THEN 0 ` +
    EXPIRY_WINDOWS_DAYS.map((days) => `WHEN ${columns.expiresAt} <= :${within(days)} THEN ${days} `).join('') +
    'ELSE 0 END)';
  const grouped = qb.clone();
  grouped.select(columns.currency, 'currency');
  grouped.addSelect(columns.status, 'status');
  grouped.addSelect(window, 'window');
  grouped.addSelect('COUNT(*)', 'count');
  // The first credit's position in the EXPIRES_AT order, as one text (sort key, a space, id).
  grouped.addSelect(`MIN(${alias}.sortExpiresAt || ' ' || ${alias}.${columns.id})`, 'firstPosition');
  for (const amount of AMOUNTS) {
    // A missing amount would be left out of a SUM without a word: counted, so it is not.
    grouped.addSelect(`COUNT(${columns[amount]})`, `${amount}Given`);
    if (dialect === 'postgres') grouped.addSelect(`CAST(SUM(${columns[amount]}) AS text)`, amount);
    else for (const part of sqliteSumParts(columns[amount], amount)) grouped.addSelect(part);
  }
  grouped.setParameter('now', now);
  for (const days of EXPIRY_WINDOWS_DAYS) grouped.setParameter(within(days), addDays(now, days));
  grouped.groupBy('1').addGroupBy('2').addGroupBy('3').orderBy();

  let rows: Record<string, unknown>[];
  try {
    rows = await grouped.getRawMany();
  } catch (error) {
    if (dialect === 'sqlite' && isOverflow(error)) return null;
    throw error;
  }
  const groups: (CreditGroup & { firstPosition: string })[] = [];
  for (const row of rows) {
    const missing = AMOUNTS.find((amount) => Number(row[`${amount}Given`]) !== Number(row.count));
    if (missing) throw new Error(`summarizeInSql: ${Number(row.count) - Number(row[`${missing}Given`])} ${provider} credit(s) without ${missing}`);
    const [originalAmount, remainingBalance, estimatedBalance] = AMOUNTS.map((amount) => (dialect === 'postgres' ? String(row[amount]) : joinSqliteParts(row, amount)));
    if (originalAmount === null || remainingBalance === null || estimatedBalance === null) return null;
    const status = String(row.status) as CreditStatus;
    if (!CREDIT_STATUSES.includes(status)) throw new Error(`summarizeInSql: the store's status SQL gave ${status}`);
    groups.push({
      provider,
      currencyCode: String(row.currency),
      status,
      creditCount: Number(row.count),
      originalAmount,
      remainingBalance,
      estimatedBalance,
      expiringWithin: Number(row.window) === 0 ? null : Number(row.window),
      firstPosition: String(row.firstPosition),
    });
  }
  // In the order of each group's first credit, as the credits one by one in the EXPIRES_AT order.
  groups.sort((a, b) => compareText(a.firstPosition, b.firstPosition));
  const builder = new CreditSummaryBuilder(now);
  for (const group of groups) builder.addGroup(group);
  return builder.result();
}

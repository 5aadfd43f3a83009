/**
 * The Billing API GetCredits response: `{ "credits": CreditData[] }`. Every CreditData field is
 * kept; provider enum-ish values (creditType, sharing type, status, ...) are kept as written.
 *
 * A reload updates every field, except what a user set through this product: once a credit was
 * paused, activated or shared here (`controlsChangedAt`), its creditStatus and sharing fields stay
 * as set. A file without creditStatus keeps the stored status (ENABLED for a new credit).
 *
 * Balances are a snapshot (docs/CHARGES.md): new balances hold as of the organization's last
 * closed month stored at load time (`snapshotThrough`); the same balances again keep the stored
 * snapshot. The served balances of a credit the charges engine computes are the engine's, so a
 * reload leaves them to the recomputation. A status or sharing the file changes for a credit
 * already stored holds from the first open month, so closed months keep what they had.
 */
import type { EntityManager } from 'typeorm';
import { computedCreditIds, lastFinalMonths } from '../../../lib/store/ledger';
import { storedCreditsByIds } from '../store';
import type { IngestTouches } from '../../../lib/store/ingest';
import { awsControlState, groupsOfOwners, recordAwsControlChange } from '../charges/book';
import { creditSortKeys } from '../../../lib/domain/credit-order';
import { checkNotAbove, checkNotBefore, checkSameCurrency, EntryReader, hasList, IngestFormat, IngestProblem, LoadEntries } from '../../../lib/store/ingest';
import { compareDecimal } from '../../../lib/domain/money';
import { awsCreditSearchText } from '../domain/normalize-credit';
import { AwsCredit } from '../entities/credit';
import {
  accountId,
  amount,
  costCategoryArn,
  creditId,
  documentReader,
  loadable,
  optionalStringList,
  reportDuplicates,
  timestamp,
  withoutProblems,
} from './fields';
import { upsertByKey } from '../../../lib/store/bulk-sql';

/** A stored credit row: the entity's columns without its GraphQL getters. */
export type CreditRow = Omit<AwsCredit, 'initialAmount' | 'remainingAmount' | 'estimatedAmount'>;

/** A credit as a file gives it: no product-set timestamp, and creditStatus null when the entry has none. */
type CreditEntry = Omit<CreditRow, 'creditStatus' | 'controlsChangedAt'> & { creditStatus: string | null };

/** The columns a user sets through this product (pause, activate, share). */
const CONTROL_COLUMNS = ['creditStatus', 'creditSharingType', 'shareableAccounts', 'costCategoryArn', 'ruleName', 'controlsChangedAt'] as const;
type StoredControls = Pick<AwsCredit, 'creditId' | (typeof CONTROL_COLUMNS)[number]>;

/** An AWS Amount of a credit: AWS never writes a negative initial, remaining or estimated amount. */
function creditAmount(reader: EntryReader, field: string, required = true): { currencyCode: string; currencyAmount: string } | null {
  const value = amount(reader, field, required);
  if (value && compareDecimal(value.currencyAmount, '0') < 0) {
    reader.problem(`${field}.currencyAmount`, `must not be negative (AWS writes credit amounts as zero or more), got "${value.currencyAmount}"`);
    return null;
  }
  return value;
}

type Amount = { currencyCode: string; currencyAmount: string } | null;

/**
 * One credit's amounts are in one currency, and neither what remains nor what is estimated to
 * remain is more than the credit was worth at first.
 */
function checkCreditAmounts(reader: EntryReader, initial: Amount, remaining: Amount, estimated: Amount): void {
  const currency = (field: string, amount: Amount) => ({ field: `${field}.currencyCode`, value: amount?.currencyCode ?? null });
  const same = checkSameCurrency(reader, [currency('initialAmount', initial), currency('remainingAmount', remaining), currency('estimatedAmount', estimated)]);
  if (!same) return;
  const value = (field: string, amount: Amount) => ({ field: `${field}.currencyAmount`, value: amount?.currencyAmount ?? null });
  const why = 'a credit never holds more than it was given';
  checkNotAbove(reader, value('remainingAmount', remaining), value('initialAmount', initial), why);
  checkNotAbove(reader, value('estimatedAmount', estimated), value('initialAmount', initial), why);
}

function readShareableAccounts(reader: EntryReader): string[] | null {
  const list = optionalStringList(reader, 'shareableAccounts');
  if (list === null) return null;
  const bad = list.findIndex((id) => !/^\d{12}$/.test(id));
  if (bad >= 0) reader.problem(`shareableAccounts[${bad}]`, `must be a 12-digit AWS account id, got "${list[bad]}"`);
  return bad >= 0 ? null : list;
}

/** Reads one CreditData; the row is only used when the entry had no problem, so absent values are then optional ones. */
function readCredit(reader: EntryReader): CreditEntry {
  // Read in CreditData order, so problems are listed in the order of the fields.
  const ids = { creditId: creditId(reader, 'creditId')!, accountId: accountId(reader, 'accountId')! };
  const creditType = reader.string('creditType')!;
  const description = reader.string('description')!;
  const initial = creditAmount(reader, 'initialAmount');
  const remaining = creditAmount(reader, 'remainingAmount');
  const estimated = creditAmount(reader, 'estimatedAmount', false);
  const applicableProductNames = reader.stringList('applicableProductNames') ?? [];
  const startDate = timestamp(reader, 'startDate')!;
  const endDate = timestamp(reader, 'endDate', false);
  const exhaustDate = timestamp(reader, 'exhaustDate', false);
  checkCreditAmounts(reader, initial, remaining, estimated);
  checkNotBefore(reader, { field: 'endDate', value: endDate }, { field: 'startDate', value: startDate });
  checkNotBefore(reader, { field: 'exhaustDate', value: exhaustDate }, { field: 'startDate', value: startDate });
  const applicationType = reader.string('applicationType', false);
  const creditSharingType = reader.string('creditSharingType', false);
  if (creditSharingType === 'COST_CATEGORY_RULE') {
    for (const field of ['costCategoryArn', 'ruleName']) {
      if (!reader.has(field)) reader.problem(field, 'is required when creditSharingType is COST_CATEGORY_RULE');
    }
  }
  return {
    ...ids,
    creditType,
    description,
    initialCurrencyCode: initial?.currencyCode ?? '',
    initialCurrencyAmount: initial?.currencyAmount ?? '0',
    remainingCurrencyCode: remaining?.currencyCode ?? '',
    remainingCurrencyAmount: remaining?.currencyAmount ?? '0',
    estimatedCurrencyCode: estimated?.currencyCode ?? null,
    estimatedCurrencyAmount: estimated?.currencyAmount ?? null,
    applicableProductNames,
    startDate,
    endDate,
    exhaustDate,
    // The snapshot the charges engine starts from (the served columns above equal it until billing files apply).
    snapshotRemainingAmount: remaining?.currencyAmount ?? '0',
    snapshotEstimatedAmount: estimated?.currencyAmount ?? null,
    snapshotExhaustDate: exhaustDate,
    // Decided on load, against what is stored.
    snapshotThrough: null,
    // Nothing expired in a snapshot; the charges engine sets it once billing files apply.
    expiredAmount: '0',
    applicationType,
    creditSharingType,
    costCategoryArn: costCategoryArn(reader, 'costCategoryArn', false),
    ruleName: reader.string('ruleName', false),
    shareableAccounts: readShareableAccounts(reader),
    accountHasCreditSharingEnabled: reader.boolean('accountHasCreditSharingEnabled', false),
    creditConsoleVisibility: reader.string('creditConsoleVisibility', false),
    purchaseTypeApplications: optionalStringList(reader, 'purchaseTypeApplications'),
    // Absent: decided on load (the stored status, or ENABLED for a new credit).
    creditStatus: reader.string('creditStatus', false),
    ...creditSortKeys({ expiresAt: endDate, remaining: remaining?.currencyAmount ?? '0' }),
    searchText: awsCreditSearchText({ description, creditId: ids.creditId, creditType }),
  };
}

/** The columns the charges engine computes once billing files apply (docs/CHARGES.md). */
const SERVED_BALANCE_COLUMNS = ['remainingCurrencyAmount', 'estimatedCurrencyCode', 'estimatedCurrencyAmount', 'exhaustDate', 'expiredAmount', 'sortRemaining'] as const;

/** The row to store for a file's entry, given what is stored for that credit (if anything). */
function rowToStore(entry: CreditEntry, stored: AwsCredit | undefined): CreditRow {
  if (stored?.controlsChangedAt) {
    const controls = Object.fromEntries(CONTROL_COLUMNS.map((c) => [c, stored[c]])) as Omit<StoredControls, 'creditId'>;
    return { ...entry, ...controls };
  }
  // A new credit without creditStatus takes part in billing runs, as ENABLED does.
  return { ...entry, creditStatus: entry.creditStatus ?? stored?.creditStatus ?? 'ENABLED', controlsChangedAt: null };
}

/** Stored credits with these ids, read in batches. */
async function storedCredits(manager: EntityManager, ids: string[]): Promise<Map<string, AwsCredit>> {
  return new Map((await storedCreditsByIds(manager, ids)).map((row) => [row.creditId, row]));
}

/** Whether two rows differ in anything the charges depend on (served balances aside). */
function differs(a: CreditRow, b: AwsCredit): boolean {
  return Object.keys(a).some((k) => !(SERVED_BALANCE_COLUMNS as readonly string[]).includes(k) && JSON.stringify(a[k as keyof CreditRow]) !== JSON.stringify(b[k as keyof AwsCredit]));
}

export const getCreditsFormat: IngestFormat<CreditEntry[]> = {
  name: 'AWS Billing GetCredits response',
  provider: 'AWS',
  order: 3,
  detect: (document) => hasList(document, 'credits'),
  validate(document: unknown, file: string, problems: IngestProblem[], entries?: LoadEntries): CreditEntry[] {
    const credits = documentReader(document, file, problems).list('credits', (entry) => withoutProblems(problems, () => readCredit(entry)));
    reportDuplicates(credits ?? [], (c) => c.creditId, (c) => `credit ${c.creditId}`, file, 'credits', problems);
    credits?.forEach((c, i) => c && entries?.add('AWS credit', c.creditId, ['credits', i], c));
    return loadable(credits);
  },
  async load(entries: CreditEntry[], manager: EntityManager, touched: IngestTouches): Promise<number> {
    const ids = entries.map((e) => e.creditId);
    const stored = await storedCredits(manager, ids);
    const computed = await computedCreditIds(manager, ids);
    const coverage = new Map<string, string | null>();
    const groups = await groupsOfOwners(manager, entries.map((e) => e.accountId));
    const lastFinal = await lastFinalMonths(manager, [...new Set(groups.values())]);
    const rows: CreditRow[] = [];
    for (const entry of entries) {
      const before = stored.get(entry.creditId);
      const row = rowToStore(entry, before);
      const newBalances = !before || before.snapshotRemainingAmount !== row.snapshotRemainingAmount || before.snapshotEstimatedAmount !== row.snapshotEstimatedAmount;
      row.snapshotThrough = newBalances ? (lastFinal.get(groups.get(entry.accountId)!) ?? null) : before.snapshotThrough;
      if (before && computed.has(entry.creditId)) for (const c of SERVED_BALANCE_COLUMNS) (row as Record<string, unknown>)[c] = before[c];
      if (before && !before.controlsChangedAt) {
        const [was, now] = [awsControlState(before), awsControlState(row)];
        if (JSON.stringify(was) !== JSON.stringify(now)) await recordAwsControlChange(manager, row, was, now, touched.loadedAt, coverage);
      }
      if (!before || differs(row, before)) touched.credits.add(entry.creditId);
      rows.push(row);
    }
    return upsertByKey(manager, AwsCredit, rows, ['creditId']);
  },
};

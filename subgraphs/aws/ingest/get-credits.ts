/**
 * The Billing API GetCredits response: `{ "credits": CreditData[] }`. Every CreditData field is
 * kept; provider enum-ish values (creditType, sharing type, status, ...) are kept as written.
 *
 * A reload updates every field, except what a user set through this product: once a credit was
 * paused, activated or shared here (`controlsChangedAt`), its creditStatus and sharing fields stay
 * as set. A file without creditStatus keeps the stored status (ENABLED for a new credit).
 */
import { EntityManager, In } from 'typeorm';
import { creditSortKeys } from '../../../lib/credit-order';
import { EntryReader, hasList, IngestFormat, IngestProblem } from '../../../lib/ingest';
import { compareDecimal } from '../../../lib/money';
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
  upsertAll,
  withoutProblems,
} from './fields';

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

/** The row to store for a file's entry, given what is stored for that credit (if anything). */
function rowToStore(entry: CreditEntry, stored: StoredControls | undefined): CreditRow {
  if (stored?.controlsChangedAt) {
    const { creditId: _, ...controls } = stored;
    return { ...entry, ...controls };
  }
  // A new credit without creditStatus takes part in billing runs, as ENABLED does.
  return { ...entry, creditStatus: entry.creditStatus ?? stored?.creditStatus ?? 'ENABLED', controlsChangedAt: null };
}

/** Stored controls of the credits with these ids, read in batches. */
async function storedControls(manager: EntityManager, ids: string[]): Promise<Map<string, StoredControls>> {
  const stored = new Map<string, StoredControls>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await manager.find(AwsCredit, { where: { creditId: In(ids.slice(i, i + 500)) }, select: ['creditId', ...CONTROL_COLUMNS] });
    for (const row of rows) stored.set(row.creditId, row);
  }
  return stored;
}

export const getCreditsFormat: IngestFormat<CreditEntry[]> = {
  name: 'AWS Billing GetCredits response',
  provider: 'AWS',
  order: 3,
  detect: (document) => hasList(document, 'credits'),
  validate(document: unknown, file: string, problems: IngestProblem[]): CreditEntry[] {
    const credits = documentReader(document, file, problems).list('credits', (entry) => withoutProblems(problems, () => readCredit(entry)));
    reportDuplicates(credits ?? [], (c) => c.creditId, (c) => `credit ${c.creditId}`, file, 'credits', problems);
    return loadable(credits);
  },
  async load(entries: CreditEntry[], manager: EntityManager): Promise<number> {
    const stored = await storedControls(manager, entries.map((e) => e.creditId));
    return upsertAll(manager, AwsCredit, entries.map((e) => rowToStore(e, stored.get(e.creditId))), ['creditId']);
  },
};

/**
 * The Billing API GetCredits response: `{ "credits": CreditData[] }`. Every CreditData field is
 * kept; provider enum-ish values (creditType, sharing type, status, ...) are kept as written.
 */
import type { EntityManager } from 'typeorm';
import { creditSortKeys } from '../../../lib/credit-order';
import { EntryReader, hasList, IngestFormat, IngestProblem } from '../../../lib/ingest';
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

function readShareableAccounts(reader: EntryReader): string[] | null {
  const list = optionalStringList(reader, 'shareableAccounts');
  if (list === null) return null;
  const bad = list.findIndex((id) => !/^\d{12}$/.test(id));
  if (bad >= 0) reader.problem(`shareableAccounts[${bad}]`, `must be a 12-digit AWS account id, got "${list[bad]}"`);
  return bad >= 0 ? null : list;
}

/** Reads one CreditData; the row is only used when the entry had no problem, so absent values are then optional ones. */
function readCredit(reader: EntryReader): CreditRow {
  // Read in CreditData order, so problems are listed in the order of the fields.
  const ids = { creditId: creditId(reader, 'creditId')!, accountId: accountId(reader, 'accountId')! };
  const creditType = reader.string('creditType')!;
  const description = reader.string('description')!;
  const initial = amount(reader, 'initialAmount');
  const remaining = amount(reader, 'remainingAmount');
  const estimated = amount(reader, 'estimatedAmount', false);
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
    applicationType,
    creditSharingType,
    costCategoryArn: costCategoryArn(reader, 'costCategoryArn', false),
    ruleName: reader.string('ruleName', false),
    shareableAccounts: readShareableAccounts(reader),
    accountHasCreditSharingEnabled: reader.boolean('accountHasCreditSharingEnabled', false),
    creditConsoleVisibility: reader.string('creditConsoleVisibility', false),
    purchaseTypeApplications: optionalStringList(reader, 'purchaseTypeApplications'),
    // Absent means the credit takes part in billing runs, as ENABLED does.
    creditStatus: reader.string('creditStatus', false) ?? 'ENABLED',
    ...creditSortKeys({ expiresAt: endDate, remaining: remaining?.currencyAmount ?? '0' }),
  };
}

export const getCreditsFormat: IngestFormat<CreditRow[]> = {
  name: 'AWS Billing GetCredits response',
  provider: 'AWS',
  order: 3,
  detect: (document) => hasList(document, 'credits'),
  validate(document: unknown, file: string, problems: IngestProblem[]): CreditRow[] {
    const credits = documentReader(document, file, problems).list('credits', (entry) => withoutProblems(problems, () => readCredit(entry)));
    reportDuplicates(credits ?? [], (c) => c.creditId, (c) => `credit ${c.creditId}`, file, 'credits', problems);
    return loadable(credits);
  },
  load: (rows: CreditRow[], manager: EntityManager) => upsertAll(manager, AwsCredit, rows, ['creditId']),
};

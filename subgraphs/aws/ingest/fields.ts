/**
 * Field readers shared by the AWS ingest formats: ids, amounts, timestamps, ARNs, duplicate keys.
 * Each reports problems through lib/store/ingest.ts `EntryReader` and returns null.
 */
import { EntryReader, IngestProblem } from '../../../lib/store/ingest';

const ACCOUNT_ID = /^\d{12}$/;
const CREDIT_ID = /^\d+$/;
const COST_CATEGORY_ARN = /^arn:aws[a-z-]*:ce::(\d{12}):costcategory\/[A-Za-z0-9-]+$/;

/** The root reader of a document (problems then name only the entry and field). */
export function documentReader(document: unknown, file: string, problems: IngestProblem[]): EntryReader {
  return new EntryReader(document, file, '', problems);
}

function matching(reader: EntryReader, field: string, pattern: RegExp, what: string, required: boolean): string | null {
  const text = reader.string(field, required);
  if (text === null) return null;
  if (!pattern.test(text)) {
    reader.problem(field, `must be ${what}, got "${text}"`);
    return null;
  }
  return text;
}

/** A 12-digit AWS account id. */
export function accountId(reader: EntryReader, field: string, required = true): string | null {
  return matching(reader, field, ACCOUNT_ID, 'a 12-digit AWS account id', required);
}

/** A credit id: a numeric string. */
export function creditId(reader: EntryReader, field: string): string | null {
  return matching(reader, field, CREDIT_ID, 'a numeric credit id written as a string', true);
}

/** The management account id inside a cost category ARN, or null when the text is not one. */
export function costCategoryPayer(arn: string): string | null {
  return COST_CATEGORY_ARN.exec(arn)?.[1] ?? null;
}

/** A cost category ARN: arn:aws:ce::<12 digits>:costcategory/<id>. */
export function costCategoryArn(reader: EntryReader, field: string, required = true): string | null {
  return matching(reader, field, COST_CATEGORY_ARN, 'a cost category ARN (arn:aws:ce::<account>:costcategory/<id>)', required);
}

/** An AWS `Amount` { currencyCode, currencyAmount }, the amount a decimal STRING (a JSON number is a problem). */
export function amount(reader: EntryReader, field: string, required = true): { currencyCode: string; currencyAmount: string } | null {
  const nested = reader.object(field, required);
  if (!nested) return null;
  const currencyCode = nested.currency('currencyCode');
  const currencyAmount = nested.decimal('currencyAmount', true, 'string');
  return currencyCode === null || currencyAmount === null ? null : { currencyCode, currencyAmount };
}

/**
 * A timestamp as ISO-8601 UTC: epoch seconds as the raw API writes them, or an ISO-8601 string as
 * the AWS CLI prints them.
 */
export function timestamp(reader: EntryReader, field: string, required = true): string | null {
  return typeof reader.raw(field) === 'string' ? reader.isoDate(field, required) : reader.epochSeconds(field, required);
}

/** An optional list of strings: null when absent, as AWS distinguishes absent from empty. */
export function optionalStringList(reader: EntryReader, field: string): string[] | null {
  return reader.has(field) ? reader.stringList(field) : null;
}

/** Reports every entry whose key repeats an earlier entry's key in the same file. */
export function reportDuplicates<T>(
  entries: (T | null)[],
  keyOf: (entry: T) => string,
  describe: (entry: T) => string,
  file: string,
  listName: string,
  problems: IngestProblem[],
): void {
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    if (entry === null) return;
    const key = keyOf(entry);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else problems.push({ file, entry: `${listName}[${index}]`, reason: `repeats ${describe(entry)} of ${listName}[${first}]` });
  });
}

/** What `read` returns, or null when reading it reported any problem. */
export function withoutProblems<T>(problems: IngestProblem[], read: () => T): T | null {
  const before = problems.length;
  const value = read();
  return problems.length === before ? value : null;
}

/** Rows to load: the validated entries, or none at all when any problem was found. */
export function loadable<T>(entries: (T | null)[] | null): T[] {
  return entries && entries.every((e) => e !== null) ? (entries as T[]) : [];
}

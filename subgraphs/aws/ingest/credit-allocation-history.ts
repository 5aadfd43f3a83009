/**
 * The Billing API GetCreditAllocationHistory response:
 * `{ "creditAllocationHistoryList": [...], "partialResults", "failedMonths", "nextToken" }`.
 * Entries are keyed (creditId, accountId, appliedServiceName, billingMonth): loading an entry
 * again (e.g. the final bill after the estimate) replaces it.
 */
import type { EntityManager } from 'typeorm';
import { EntryReader, hasList, IngestFormat, IngestProblem, IngestTouches, LoadEntries } from '../../../lib/store/ingest';
import { AwsCreditAllocation } from '../entities/credit-allocation';
import { accountId, amount, creditId, documentReader, loadable, reportDuplicates, withoutProblems } from './fields';
import { upsertByKey } from '../../../lib/store/bulk-sql';

const BILLING_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export type AllocationRow = Omit<AwsCreditAllocation, 'creditAmount' | 'productCodeOrNull' | 'computed' | 'superseded'>;

const ALLOCATION_KEY = ['creditId', 'accountId', 'appliedServiceName', 'billingMonth', 'productCode', 'origin'];

function readAllocation(reader: EntryReader): AllocationRow | null {
  const credit = creditId(reader, 'creditId');
  const creditAmount = amount(reader, 'creditAmount');
  const description = reader.string('description', false);
  const account = accountId(reader, 'accountId');
  const appliedServiceName = reader.string('appliedServiceName');
  let billingMonth = reader.string('billingMonth');
  if (billingMonth !== null && !BILLING_MONTH.test(billingMonth)) {
    reader.problem('billingMonth', `must be a month written YYYY-MM, got "${billingMonth}"`);
    billingMonth = null;
  }
  const isEstimatedBill = reader.boolean('isEstimatedBill');
  if (credit === null || creditAmount === null || account === null || appliedServiceName === null || billingMonth === null || isEstimatedBill === null) {
    return null;
  }
  return { creditId: credit, accountId: account, appliedServiceName, billingMonth, productCode: '', origin: 'IMPORTED', ...creditAmount, description, isEstimatedBill };
}

/** An entry's natural key: what a later entry for the same credit, account, service and month replaces. */
const allocationKey = (e: AllocationRow) => JSON.stringify([e.creditId, e.accountId, e.appliedServiceName, e.billingMonth]);
const allocationName = (e: AllocationRow) => `of credit ${e.creditId} to account ${e.accountId}, ${e.appliedServiceName}, ${e.billingMonth}`;

export const creditAllocationHistoryFormat: IngestFormat<AllocationRow[]> = {
  name: 'AWS Billing GetCreditAllocationHistory response',
  provider: 'AWS',
  order: 4,
  detect: (document) => hasList(document, 'creditAllocationHistoryList'),
  validate(document: unknown, file: string, problems: IngestProblem[], loadEntries?: LoadEntries): AllocationRow[] {
    const entries = documentReader(document, file, problems).list('creditAllocationHistoryList', (entry) => withoutProblems(problems, () => readAllocation(entry)));
    reportDuplicates(
      entries ?? [],
      allocationKey,
      (e) => `credit ${e.creditId} for account ${e.accountId}, ${e.appliedServiceName}, ${e.billingMonth}`,
      file,
      'creditAllocationHistoryList',
      problems,
    );
    entries?.forEach((e, i) => {
      if (e) loadEntries?.add('AWS credit allocation', allocationKey(e), ['creditAllocationHistoryList', i], e, { shown: allocationName(e) });
    });
    return loadable(entries);
  },
  // History moves the months a snapshot covers (and which estimates billing files supersede): recomputed.
  load: (rows: AllocationRow[], manager: EntityManager, touched: IngestTouches) => (touched.all(), upsertByKey(manager, AwsCreditAllocation, rows, ALLOCATION_KEY)),
};

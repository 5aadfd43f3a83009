/**
 * AWS Programmatic Billing Access CSV (`<payerAccountId>-aws-billing-csv-YYYY-MM.csv`) -> charges.
 *
 * Streams the file (bounded memory whatever its size), validates every row and aggregates the
 * charges while reading: LinkedLineItem and PayerLineItem rows (CostBeforeTax) summed per usage
 * day, consumer (LinkedAccountId, or the payer for PayerLineItem), service (ProductName), product
 * code (ProductCode) and currency. AccountTotal, InvoiceTotal and StatementTotal rows are checked
 * against the sums of the line items (CostBeforeTax, Credits, TaxAmount, TotalCost; a mismatch
 * rejects the file); Rounding rows count toward those totals but are not charges. InvoiceID
 * `Estimated` makes the month estimated, real invoice ids make it final. docs/CHARGES.md.
 */
import path from 'node:path';
import { Exact, ExactSum, memoized, parseExact, readExact } from '../../../lib/domain/charges/amount';
import type { EngineCharge } from '../../../lib/domain/charges/types';
import type { LoadedPeriod } from '../../../lib/store/ledger';
import { detach, ProblemList, readCsv } from '../../../lib/platform/csv';
import type { BillingCsvOptions, BillingCsvParse } from '../../../lib/store/ingest';
import { decimalProblem } from '../../../lib/domain/money';
import { controlCharacterProblem, currencyCodeProblem, quoteText } from '../../../lib/platform/text-checks';

export const AWS_BILLING_COLUMNS = [
  'InvoiceID', 'PayerAccountId', 'LinkedAccountId', 'RecordType', 'RecordID', 'BillingPeriodStartDate', 'BillingPeriodEndDate',
  'InvoiceDate', 'PayerAccountName', 'LinkedAccountName', 'TaxationAddress', 'PayerPONumber', 'ProductCode', 'ProductName',
  'SellerOfRecord', 'UsageType', 'Operation', 'RateId', 'ItemDescription', 'UsageStartDate', 'UsageEndDate', 'UsageQuantity',
  'BlendedRate', 'CurrencyCode', 'CostBeforeTax', 'Credits', 'TaxAmount', 'TaxType', 'TotalCost',
] as const;

export const AWS_CONSUMER_KIND = 'AWS_ACCOUNT';
export const AWS_BILLING_FILE_NAME = /^(\d{12})-aws-billing-csv-(\d{4}-\d{2})\.csv$/;

const col = (name: (typeof AWS_BILLING_COLUMNS)[number]) => AWS_BILLING_COLUMNS.indexOf(name);
const C = {
  invoice: col('InvoiceID'),
  payer: col('PayerAccountId'),
  linked: col('LinkedAccountId'),
  type: col('RecordType'),
  periodStart: col('BillingPeriodStartDate'),
  periodEnd: col('BillingPeriodEndDate'),
  productCode: col('ProductCode'),
  productName: col('ProductName'),
  usageStart: col('UsageStartDate'),
  usageEnd: col('UsageEndDate'),
  currency: col('CurrencyCode'),
};
/** The amount columns totals are checked on; CostBeforeTax is the charge. */
const AMOUNT_COLUMNS = ['CostBeforeTax', 'Credits', 'TaxAmount', 'TotalCost'] as const;
const AMOUNT_INDEX = AMOUNT_COLUMNS.map((c) => col(c));
/** The fields a row's checks and charges read (the rest are only checked for quoting). */
const WANTED: readonly boolean[] = AWS_BILLING_COLUMNS.map((_, i) => [...Object.values(C), ...AMOUNT_INDEX].includes(i));
const LINE_ITEMS = new Set(['LinkedLineItem', 'PayerLineItem']);
const TOTALS = new Set(['AccountTotal', 'InvoiceTotal', 'StatementTotal']);
const ACCOUNT = /^\d{12}$/;
const AWS_DATE = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** The value of the two digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Whether `text` is a date as Programmatic Billing writes them (`2026/10/31 23:59:59`, a real day
 * and time), read character by character: a row's end dates are checked on every row, and this
 * costs less than looking each text up.
 */
export function isAwsDateText(text: string): boolean {
  if (text.length !== 19 || text[4] !== '/' || text[7] !== '/' || text[10] !== ' ' || text[13] !== ':' || text[16] !== ':') return false;
  const century = twoDigits(text, 0);
  const yy = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1) return false;
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  const hours = twoDigits(text, 11);
  const minutes = twoDigits(text, 14);
  const seconds = twoDigits(text, 17);
  return day <= days && hours >= 0 && hours <= 23 && minutes >= 0 && minutes <= 59 && seconds >= 0 && seconds <= 59;
}

/**
 * Whether a row's end date (BillingPeriodEndDate, UsageEndDate) may come before its start (a
 * valid date): dates as Programmatic Billing writes them compare as text, so one comparison per
 * row finds such an end, and only such an end is read further (`rangeProblem`). An end that sorts
 * after its start is not read further: the product keeps no end date, it only refuses ranges that
 * end before they start. Empty: no range stated.
 */
const mayEndFirst = (startText: string, endText: string) => endText !== '' && endText < startText;

/** Why an end that sorts before its start is refused: it is a date before the start, or not a date. */
function rangeProblem(startText: string, endText: string, startColumn: string): string {
  if (!isAwsDateText(endText)) return `${quoteText(endText)} is not a date like 2026/10/31 23:59:59`;
  return `${endText} is before ${startColumn} ${startText}: a range cannot end before it starts`;
}

/** `2026/10/01 00:00:00` -> ISO `2026-10-01T00:00:00Z`, or null. */
export function awsDate(text: string): string | null {
  const m = AWS_DATE.exec(text);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
  const t = Date.parse(iso);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 19) !== iso.slice(0, 19) ? null : iso;
}

export interface AwsBillingSummary {
  file: string;
  payerAccountId: string;
  month: string;
  final: boolean;
  /** Data rows read (the header not counted). */
  rows: number;
  lineItems: number;
  periods: number;
  /** Aggregated charges handed to the engine (positive amounts). */
  charges: number;
  /** Per currency: CostBeforeTax of all line items, and of the positive aggregated charges. */
  totals: Record<string, { costBeforeTax: string; charged: string }>;
}

export type AwsBillingParse = BillingCsvParse<AwsBillingSummary>;

interface TotalRow {
  line: number;
  type: string;
  currency: string;
  invoice: string;
  account: string;
  amounts: (string | null)[];
}

class Sums {
  readonly columns = AMOUNT_COLUMNS.map(() => new ExactSum());
}

/** Reads one billing file. Never throws for bad content: every problem comes back, capped at `maxProblems`. */
export async function parseAwsBillingCsv(file: string, options: BillingCsvOptions = {}): Promise<AwsBillingParse> {
  const problems = new ProblemList(file, options.maxProblems ?? 1000);
  let headerSeen = false;
  let headerOk = false;
  let payer: string | null = null;
  let month: string | null = null;
  let firstEstimated: number | null = null;
  let firstFinal: number | null = null;
  let rows = 0;
  let lineItems = 0;
  let dataThrough: string | null = null;
  const invoiceIds = new Set<string>();
  const totals: TotalRow[] = [];
  const sums = new Map<string, Sums>();
  const charges = new Map<string, { charge: Omit<EngineCharge, 'amount'>; sum: ExactSum }>();
  const costByCurrency = new Map<string, ExactSum>();
  // Dates repeat (one billing period, a few usage days): each distinct text is read once.
  const dateOf = memoized(awsDate);
  // A file has one or two currencies: each distinct code is checked once.
  const currencyProblem = memoized(currencyCodeProblem);
  // The texts a charge keeps (ProductName, ProductCode, InvoiceID), each checked once for control characters.
  const checkedTexts = new Set<string>();
  const checkKept = (line: number, index: number, text: string) => {
    if (checkedTexts.has(text)) return;
    checkedTexts.add(detach(text));
    const problem = controlCharacterProblem(text);
    if (problem) problems.add({ line, column: index + 1, field: AWS_BILLING_COLUMNS[index], reason: `${quoteText(text)} ${problem}` });
  };
  const sumsFor = (key: string) => {
    let s = sums.get(key);
    if (!s) sums.set(detach(key), (s = new Sums()));
    return s;
  };

  // Only the fields the checks and charges use are copied; every field's quoting is still checked.
  await readCsv(file, { trackQuoting: true, columns: () => WANTED, onProblem: (p) => problems.add(p), onBytes: options.onBytes }, (record) => {
    const { line, fields } = record;
    if (!headerSeen) {
      headerSeen = true;
      headerOk = fields.length === AWS_BILLING_COLUMNS.length && fields.every((f, i) => f === AWS_BILLING_COLUMNS[i]);
      if (!headerOk) {
        const at = AWS_BILLING_COLUMNS.findIndex((c, i) => fields[i] !== c);
        problems.add({
          line,
          column: at + 1,
          reason: `the header must be exactly the ${AWS_BILLING_COLUMNS.length} Programmatic Billing columns in order; column ${at + 1} is ${
            fields[at] === undefined ? 'missing' : JSON.stringify(fields[at])
          }, expected "${AWS_BILLING_COLUMNS[at]}"`,
        });
        return false;
      }
      return;
    }
    rows++;
    if (fields.length !== AWS_BILLING_COLUMNS.length) {
      problems.add({ line, column: Math.min(fields.length, AWS_BILLING_COLUMNS.length) + 1, reason: `expected ${AWS_BILLING_COLUMNS.length} fields, found ${fields.length}` });
      return;
    }
    const report = (index: number, reason: string) => problems.add({ line, column: index + 1, field: AWS_BILLING_COLUMNS[index], reason });
    if (record.unquoted && record.unquoted.length > 0) report(record.unquoted[0] - 1, 'every field must be quoted (Programmatic Billing writes "..." around each)');

    const type = fields[C.type];
    const rowPayer = fields[C.payer];
    if (!ACCOUNT.test(rowPayer)) report(C.payer, `"${rowPayer}" is not a 12-digit account id`);
    else if (payer === null) payer = detach(rowPayer);
    else if (rowPayer !== payer) report(C.payer, `payer ${rowPayer} differs from the file's payer ${payer} (one payer per file)`);

    const start = dateOf(fields[C.periodStart]);
    if (!start) report(C.periodStart, `${quoteText(fields[C.periodStart])} is not a date like 2026/10/01 00:00:00`);
    else if (month === null) month = start.slice(0, 7);
    else if (start.slice(0, 7) !== month) report(C.periodStart, `billing month ${start.slice(0, 7)} differs from the file's month ${month} (one month per file)`);
    if (start && mayEndFirst(fields[C.periodStart], fields[C.periodEnd])) report(C.periodEnd, rangeProblem(fields[C.periodStart], fields[C.periodEnd], 'BillingPeriodStartDate'));

    const currency = fields[C.currency];
    const badCurrency = currencyProblem(currency);
    if (badCurrency) report(C.currency, badCurrency);

    const texts: (string | null)[] = [];
    const amounts: (Exact | null)[] = AMOUNT_INDEX.map((index, k) => {
      const text = fields[index];
      texts.push(text === '' && k > 0 ? null : text);
      if (text === '' && k > 0) return null;
      const exact = readExact(text);
      if (exact === null) report(index, decimalProblem(text) ?? `"${text}" is not a decimal number`);
      return exact;
    });
    const cost = amounts[0];

    const invoice = fields[C.invoice];
    const account = fields[C.linked];
    if (LINE_ITEMS.has(type)) {
      lineItems++;
      if (invoice === '') report(C.invoice, 'a line item needs an InvoiceID ("Estimated" or the invoice id)');
      else if (invoice === 'Estimated') firstEstimated ??= line;
      else firstFinal ??= line;
      let consumer = account;
      if (type === 'PayerLineItem') {
        if (account !== '' && account !== rowPayer) report(C.linked, `a PayerLineItem names linked account ${account}, not the payer ${rowPayer}`);
        consumer = rowPayer;
      } else if (!ACCOUNT.test(account)) report(C.linked, `"${account}" is not a 12-digit account id`);
      const service = fields[C.productName];
      if (service === '') report(C.productName, 'a line item needs its ProductName (the service credits apply to)');
      const usage = fields[C.usageStart] === '' ? start : dateOf(fields[C.usageStart]);
      if (!usage) report(C.usageStart, `${quoteText(fields[C.usageStart])} is not a date like 2026/10/01 00:00:00`);
      else {
        const from = fields[C.usageStart] === '' ? C.periodStart : C.usageStart;
        if (mayEndFirst(fields[from], fields[C.usageEnd])) report(C.usageEnd, rangeProblem(fields[from], fields[C.usageEnd], AWS_BILLING_COLUMNS[from]));
      }
      if (problems.count > 0) {
        // Nothing is loaded from a rejected file: aggregating stops, but every distinct kept text is still checked.
        checkKept(line, C.invoice, invoice);
        checkKept(line, C.productName, service);
        checkKept(line, C.productCode, fields[C.productCode]);
        return;
      }
      const s1 = sumsFor(`${currency}\u0001${invoice}\u0001${consumer}`);
      const s2 = sumsFor(`${currency}\u0001${invoice}\u0001`);
      const s3 = sumsFor(`${currency}\u0001\u0001`);
      amounts.forEach((x, k) => {
        if (x === null) return;
        s1.columns[k].add(x);
        s2.columns[k].add(x);
        s3.columns[k].add(x);
      });
      const day = usage!.slice(0, 10);
      if (dataThrough === null || day > dataThrough) dataThrough = day;
      if (invoice !== 'Estimated' && !invoiceIds.has(invoice)) {
        checkKept(line, C.invoice, invoice);
        invoiceIds.add(detach(invoice));
      }
      const productCode = fields[C.productCode];
      const key = `${day}\u0001${consumer}\u0001${service}\u0001${productCode}\u0001${currency}`;
      let agg = charges.get(key);
      if (!agg) {
        // A charge's texts are checked when it is first met, not on every row that adds to it.
        checkKept(line, C.productName, service);
        checkKept(line, C.productCode, productCode);
        if (problems.count > 0) return;
        agg = {
          charge: { consumerId: detach(consumer), consumerKind: AWS_CONSUMER_KIND, service: detach(service), productCode: detach(productCode), currency: detach(currency), creditEligible: true, date: day },
          sum: new ExactSum(),
        };
        charges.set(detach(key), agg);
      }
      agg.sum.add(cost!);
      let byCurrency = costByCurrency.get(currency);
      if (!byCurrency) costByCurrency.set(detach(currency), (byCurrency = new ExactSum()));
      byCurrency.add(cost!);
    } else if (type === 'Rounding') {
      if (problems.count > 0) return;
      const keys = [`${currency}\u0001${invoice}\u0001`, `${currency}\u0001\u0001`];
      if (account !== '') keys.push(`${currency}\u0001${invoice}\u0001${account}`);
      for (const key of keys) amounts.forEach((a, k) => a !== null && sumsFor(key).columns[k].add(a));
    } else if (TOTALS.has(type)) {
      if (type === 'AccountTotal' && !ACCOUNT.test(account)) report(C.linked, `an AccountTotal needs the 12-digit account it totals, found "${account}"`);
      if (type === 'InvoiceTotal' && invoice === '') report(C.invoice, 'an InvoiceTotal needs the InvoiceID it totals');
      totals.push({ line, type: detach(type), currency: detach(currency), invoice: detach(invoice), account: detach(account), amounts: texts.map((t, k) => (amounts[k] === null || t === null ? null : detach(t))) });
    } else {
      report(C.type, `unknown RecordType "${type}" (expected LinkedLineItem, PayerLineItem, AccountTotal, InvoiceTotal, StatementTotal or Rounding)`);
    }
  });

  if (!headerSeen) problems.add({ reason: 'the file is empty (expected the Programmatic Billing header and rows)' });
  if (firstEstimated !== null && firstFinal !== null) {
    problems.add({
      line: Math.max(firstEstimated, firstFinal),
      column: C.invoice + 1,
      field: 'InvoiceID',
      reason: `the file mixes "Estimated" line items (first on line ${firstEstimated}) with invoiced ones (first on line ${firstFinal}); a month is either estimated or final`,
    });
  }
  const named = AWS_BILLING_FILE_NAME.exec(path.basename(file));
  if (named && payer !== null && named[1] !== payer) problems.add({ reason: `the file name names payer ${named[1]} but its rows are of payer ${payer}` });
  if (named && month !== null && named[2] !== month) problems.add({ reason: `the file name names month ${named[2]} but its rows are of ${month}` });

  if (problems.count === 0) {
    for (const t of totals) {
      const key = t.type === 'AccountTotal' ? `${t.currency}\u0001${t.invoice}\u0001${t.account}` : t.type === 'InvoiceTotal' ? `${t.currency}\u0001${t.invoice}\u0001` : `${t.currency}\u0001\u0001`;
      const sum = sums.get(key) ?? new Sums();
      t.amounts.forEach((a, k) => {
        if (a === null) return;
        const expected = sum.columns[k];
        if (parseExact(a).units !== expected.units) {
          const what = t.type === 'AccountTotal' ? ` of account ${t.account}` : t.type === 'InvoiceTotal' ? ` of invoice ${t.invoice}` : '';
          problems.add({
            line: t.line,
            column: AMOUNT_INDEX[k] + 1,
            field: AMOUNT_COLUMNS[k],
            reason: `${t.type}${what} says ${AMOUNT_COLUMNS[k]} ${a} but the line items sum to ${expected.toString()}`,
          });
        }
      });
    }
  }
  if (problems.count > 0) return { ok: false, problems: problems.list() };

  const final = firstFinal !== null || (firstEstimated === null && totals.some((t) => t.type === 'InvoiceTotal' && t.invoice !== 'Estimated'));
  const list: EngineCharge[] = [];
  const charged = new Map<string, ExactSum>();
  for (const key of [...charges.keys()].sort()) {
    const { charge, sum } = charges.get(key)!;
    if (sum.units <= 0n) continue; // refunds netting a day's usage to zero or below leave nothing to pay
    list.push({ ...charge, amount: sum.toString() });
    let c = charged.get(charge.currency);
    if (!c) charged.set(charge.currency, (c = new ExactSum()));
    c.add(sum);
  }
  const summaryTotals: AwsBillingSummary['totals'] = {};
  for (const currency of [...costByCurrency.keys()].sort()) {
    summaryTotals[currency] = { costBeforeTax: costByCurrency.get(currency)!.toString(), charged: (charged.get(currency) ?? new ExactSum()).toString() };
  }
  const periods: LoadedPeriod[] =
    payer !== null && month !== null ? [{ group: payer, month, final, invoiceIds: [...invoiceIds].sort(), dataThrough, charges: list }] : [];
  return {
    ok: true,
    periods,
    summary: { file, payerAccountId: payer ?? '', month: month ?? '', final, rows, lineItems, periods: periods.length, charges: list.length, totals: summaryTotals },
  };
}

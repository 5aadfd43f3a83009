/**
 * Azure MCA cost details CSV (Cost Management export / Cost Details API, "MCA cost and usage
 * details") -> charges per billing profile and month.
 *
 * Columns are read by header name (case-insensitive, any order, extra columns ignored). The file
 * is streamed and charges are aggregated while reading, per billing profile, month
 * (billingPeriodStartDate), usage day (date), invoice section (the consumer), service
 * (meterCategory, else consumedService), product (ProductName), billing currency and credit
 * eligibility, so memory does not grow with the row count. A month whose rows carry an invoiceId
 * is final; without one it is estimated. docs/CHARGES.md lists the eligibility rules.
 */
import { ExactSum, memoized, readExact } from '../../../lib/charges/amount';
import type { EngineCharge } from '../../../lib/charges/types';
import type { LoadedPeriod } from '../../../lib/charges/ledger';
import fs from 'node:fs';
import path from 'node:path';
import { detach, ProblemList, readCsv } from '../../../lib/csv';
import { defaultPartCount, readCsvInParts } from '../../../lib/csv-parts';
import type { IngestProblem } from '../../../lib/ingest';
import { decimalProblem } from '../../../lib/money';

export const AZURE_CONSUMER_KIND = 'AZURE_INVOICE_SECTION';

const REQUIRED = [
  'invoiceId',
  'billingProfileId',
  'invoiceSectionId',
  'billingPeriodStartDate',
  'date',
  'ProductName',
  'publisherType',
  'billingCurrency',
  'costInBillingCurrency',
  'isAzureCreditEligible',
] as const;
const OPTIONAL = ['meterCategory', 'consumedService', 'publisherName'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

/**
 * Products credits never pay for (the MCA credit documentation). A charge is ineligible when its
 * ProductName or meterCategory, lower-cased with runs of spaces collapsed, IS one of these names
 * or STARTS with one followed by a space, "-", "(" or ":" ("Ubuntu Advantage - Essential",
 * "Visual Studio Enterprise (Monthly)"), or when its publisherName is one of the publishers.
 */
export const INELIGIBLE_PRODUCTS = [
  'Canonical',
  'Citrix XenApp Essentials',
  'Citrix XenDesktop',
  'Registered User',
  'Openlogic',
  'Remote Access Rights XenApp Essentials Registered User',
  'Ubuntu Advantage',
  'Visual Studio Enterprise',
  'Visual Studio Professional',
] as const;
export const INELIGIBLE_PUBLISHERS = ['Canonical', 'Openlogic'] as const;
/** Azure support plans: meterCategory or ProductName naming a support plan. */
const SUPPORT = /^(azure support|support)$|^(azure )?support plan\b|\bsupport plan$|^(developer|standard|professional direct|basic) support\b/;

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
const PRODUCT_NAMES = INELIGIBLE_PRODUCTS.map(norm);
const PUBLISHERS = new Set(INELIGIBLE_PUBLISHERS.map(norm));
const isNamed = (value: string) => {
  const v = norm(value);
  return PRODUCT_NAMES.some((p) => v === p || (v.startsWith(p) && ' -(:'.includes(v[p.length])));
};

// A column repeats few distinct values (products, meter categories, publishers): what the rules
// say of each value is worked out once (norm() lower-cases and collapses spaces, per value).
const isMarketplace = memoized((publisherType: string) => norm(publisherType) === 'marketplace');
const isSupportPlan = memoized((name: string) => SUPPORT.test(norm(name)));
const isNamedProduct = memoized(isNamed);
const isIneligiblePublisher = memoized((publisherName: string) => PUBLISHERS.has(norm(publisherName)));

export interface EligibilityFacts {
  isAzureCreditEligible: boolean;
  publisherType: string;
  publisherName: string;
  productName: string;
  meterCategory: string;
}

/** Why credits never pay this charge, or null when they may. */
export function azureIneligibility(f: EligibilityFacts): string | null {
  return ineligibility(f.isAzureCreditEligible, f.publisherType, f.publisherName, f.productName, f.meterCategory);
}

function ineligibility(isAzureCreditEligible: boolean, publisherType: string, publisherName: string, productName: string, meterCategory: string): string | null {
  if (!isAzureCreditEligible) return 'isAzureCreditEligible False';
  if (isMarketplace(publisherType)) return 'Azure Marketplace';
  if (isSupportPlan(meterCategory) || isSupportPlan(productName)) return 'Azure support plan';
  if (isNamedProduct(productName) || isNamedProduct(meterCategory) || isIneligiblePublisher(publisherName)) return 'ineligible product';
  return null;
}

/** `2026-11-01`, `2026-11-01T00:00:00[Z]` or `11/01/2026` -> `2026-11-01`, or null. */
export function azureDay(text: string): string | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})(T[\d:.]+Z?)?$/.exec(text);
  let day: string | null = null;
  if (m) day = `${m[1]}-${m[2]}-${m[3]}`;
  else if ((m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text))) day = `${m[3]}-${m[1]}-${m[2]}`;
  if (day === null) return null;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day ? null : day;
}

/** A field by index; a column the file does not have (-1) reads as ''. */
const fieldAt = (fields: string[], i: number): string => (i < 0 ? '' : fields[i]);
const isCurrencyCode = memoized((text: string) => /^[A-Z]{3}$/.test(text));
/** `True` / `False` in any case -> true / false, else null. */
const trueOrFalse = memoized((text: string): boolean | null => {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
});

export interface CostDetailsSummary {
  file: string;
  rows: number;
  periods: number;
  charges: number;
  /** Per billing currency: all rows, the eligible ones, the ineligible ones. */
  totals: Record<string, { cost: string; eligible: string; ineligible: string }>;
  /** Rows credits never pay, by reason. */
  ineligibleRows: Record<string, number>;
  /** How many parts the file was read in at once (1: in one piece). */
  readInParts: number;
}

export type CostDetailsParse = { ok: true; periods: LoadedPeriod[]; summary: CostDetailsSummary } | { ok: false; problems: IngestProblem[] };

interface PeriodAcc {
  invoiceIds: Set<string>;
  dataThrough: string | null;
  firstWithInvoice: number | null;
  firstWithout: number | null;
  charges: Map<string, { charge: Omit<EngineCharge, 'amount'>; sum: ExactSum }>;
}

/**
 * What a reader of one part of a file hands back (lib/csv-parts.ts): plain data a worker thread
 * can post. Its lines count from the part's first line.
 */
export interface CostDetailsPart {
  rows: number;
  /** Problems found in the part (the whole file is then read again in one piece, to list them in order). */
  problemCount: number;
  periods: [string, { invoiceIds: string[]; dataThrough: string | null; firstWithInvoice: number | null; firstWithout: number | null; charges: [string, Omit<EngineCharge, 'amount'>, bigint, number][] }][];
  ineligibleRows: Record<string, number>;
}

/** Files smaller than this are read in one piece: a worker thread costs more than it saves. */
const PARTS_FROM_BYTES = 32 * 1024 * 1024;

/**
 * Reads the cost details record by record (`record`), the header first, aggregating the charges.
 * A file is read by one reader, or in parts by one reader each whose results one reader gathers
 * (`absorb`); `finish` makes the parse.
 */
export class CostDetailsReader {
  private header: string[] | null = null;
  private readonly at = {} as Record<Column, number>;
  private rows = 0;
  private readonly periods = new Map<string, PeriodAcc>();
  private readonly ineligibleRows: Record<string, number> = {};
  // Dates repeat (a month's days): each distinct text is read once.
  private readonly dayOf = memoized(azureDay);
  private last: { profile: string; month: string; period: PeriodAcc } | null = null;

  constructor(readonly problems: ProblemList) {}

  /** Where each named column is in the header (by name, case-insensitive; -1: absent). */
  private locate(header: string[]): void {
    const index = new Map(header.map((name, i) => [name.trim().toLowerCase(), i] as const));
    for (const name of [...REQUIRED, ...OPTIONAL]) this.at[name] = index.get(name.toLowerCase()) ?? -1;
  }

  /** Only the named columns are copied out of each row (a cost details row has dozens more). */
  readonly columns = (names: string[]): boolean[] => {
    this.locate(names);
    const wanted = new Set(Object.values(this.at));
    return names.map((_, i) => wanted.has(i));
  };

  /** Takes one record (the first is the header); false: stop reading (the header lacks columns). */
  readonly record = ({ line, fields }: { line: number; fields: string[] }): boolean | void => {
    const { problems, at } = this;
    if (this.header === null) {
      this.header = fields;
      this.locate(fields);
      const missing: string[] = REQUIRED.filter((n) => at[n] < 0);
      if (at.meterCategory < 0 && at.consumedService < 0) missing.push('meterCategory (or consumedService)');
      if (missing.length > 0) {
        problems.add({ line, reason: `missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}` });
        return false;
      }
      return;
    }
    const header = this.header;
    this.rows++;
    if (fields.length !== header.length) {
      problems.add({ line, column: Math.min(fields.length, header.length) + 1, reason: `expected ${header.length} fields (as the header), found ${fields.length}` });
      return;
    }
    // Problems are rare: their messages are built only when there is one.
    const profile = fieldAt(fields, at.billingProfileId);
    if (profile === '') this.report(line, 'billingProfileId', 'empty billingProfileId');
    const section = fieldAt(fields, at.invoiceSectionId);
    if (section === '') this.report(line, 'invoiceSectionId', 'empty invoiceSectionId (the invoice section the charge belongs to)');
    const periodStart = this.dayOf(fieldAt(fields, at.billingPeriodStartDate));
    if (!periodStart) this.report(line, 'billingPeriodStartDate', `"${fieldAt(fields, at.billingPeriodStartDate)}" is not a date (YYYY-MM-DD or MM/DD/YYYY)`);
    const day = this.dayOf(fieldAt(fields, at.date));
    if (!day) this.report(line, 'date', `"${fieldAt(fields, at.date)}" is not a date (YYYY-MM-DD or MM/DD/YYYY)`);
    const meterCategory = fieldAt(fields, at.meterCategory);
    const service = meterCategory || fieldAt(fields, at.consumedService);
    if (service === '') this.report(line, at.meterCategory >= 0 ? 'meterCategory' : 'consumedService', 'no service: meterCategory and consumedService are both empty');
    const currency = fieldAt(fields, at.billingCurrency);
    if (!isCurrencyCode(currency)) this.report(line, 'billingCurrency', `"${currency}" is not a currency code`);
    const cost = fieldAt(fields, at.costInBillingCurrency);
    const amount = readExact(cost);
    if (amount === null) this.report(line, 'costInBillingCurrency', decimalProblem(cost) ?? `"${cost}" is not a decimal number`);
    const eligible = trueOrFalse(fieldAt(fields, at.isAzureCreditEligible));
    if (eligible === null) this.report(line, 'isAzureCreditEligible', `"${fieldAt(fields, at.isAzureCreditEligible)}" is not True or False`);
    const month = periodStart?.slice(0, 7);
    let period: PeriodAcc | undefined;
    if (profile !== '' && month) {
      // Rows come grouped by profile and month: the previous row's period is most often this one's.
      const last = this.last;
      if (last !== null && last.profile === profile && last.month === month) period = last.period;
      else {
        const periodKey = `${profile}\u0001${month}`;
        period = this.periods.get(periodKey);
        if (!period) this.periods.set(detach(periodKey), (period = newPeriod()));
        this.last = { profile: detach(profile), month, period };
      }
      const invoiceId = fieldAt(fields, at.invoiceId);
      if (invoiceId !== '') {
        period.firstWithInvoice ??= line;
        if (!period.invoiceIds.has(invoiceId)) period.invoiceIds.add(detach(invoiceId));
      } else period.firstWithout ??= line;
      if (day && (period.dataThrough === null || day > period.dataThrough)) period.dataThrough = day;
    }
    if (problems.count > 0 || !period || amount === null) return; // nothing is loaded from a rejected file: stop aggregating

    const productName = fieldAt(fields, at.ProductName);
    const why = ineligibility(eligible === true, fieldAt(fields, at.publisherType), fieldAt(fields, at.publisherName), productName, meterCategory);
    if (why) this.ineligibleRows[why] = (this.ineligibleRows[why] ?? 0) + 1;
    const key = `${day}\u0001${section}\u0001${service}\u0001${productName}\u0001${currency}\u0001${why ? 0 : 1}`;
    let agg = period.charges.get(key);
    if (!agg) {
      agg = {
        charge: { consumerId: detach(section), consumerKind: AZURE_CONSUMER_KIND, service: detach(service), productCode: detach(productName), currency: detach(currency), creditEligible: why === null, date: day! },
        sum: new ExactSum(),
      };
      period.charges.set(detach(key), agg);
    }
    agg.sum.add(amount);
  };

  private report(line: number, c: Column, reason: string): void {
    this.problems.add({ line, column: this.at[c] + 1, field: this.header![this.at[c]], reason });
  }

  /** What this reader of a part found, to hand to the reader that gathers the parts. */
  part(): CostDetailsPart {
    return {
      rows: this.rows,
      problemCount: this.problems.count,
      periods: [...this.periods].map(([key, p]) => [
        key,
        {
          invoiceIds: [...p.invoiceIds],
          dataThrough: p.dataThrough,
          firstWithInvoice: p.firstWithInvoice,
          firstWithout: p.firstWithout,
          charges: [...p.charges].map(([k, { charge, sum }]) => [k, charge, sum.units, sum.places]),
        },
      ]),
      ineligibleRows: this.ineligibleRows,
    };
  }

  /** Adds a part's findings (its lines counted after `lineOffset` lines), the header already read here. */
  absorb(part: CostDetailsPart, lineOffset: number): void {
    this.rows += part.rows;
    const later = (a: number | null, b: number | null) => (b === null ? a : a === null ? b + lineOffset : a);
    for (const [key, p] of part.periods) {
      let period = this.periods.get(key);
      if (!period) this.periods.set(key, (period = newPeriod()));
      for (const id of p.invoiceIds) period.invoiceIds.add(id);
      if (p.dataThrough !== null && (period.dataThrough === null || p.dataThrough > period.dataThrough)) period.dataThrough = p.dataThrough;
      period.firstWithInvoice = later(period.firstWithInvoice, p.firstWithInvoice);
      period.firstWithout = later(period.firstWithout, p.firstWithout);
      for (const [k, charge, units, places] of p.charges) {
        let agg = period.charges.get(k);
        if (!agg) period.charges.set(k, (agg = { charge, sum: new ExactSum() }));
        agg.sum.add({ units, places });
      }
    }
    for (const [why, n] of Object.entries(part.ineligibleRows)) this.ineligibleRows[why] = (this.ineligibleRows[why] ?? 0) + n;
  }

  /** The parse: the periods' charges (or every problem found), checked across the whole file. */
  finish(file: string, readInParts = 1): CostDetailsParse {
    const { problems, header, at } = this;
    if (header === null) problems.add({ reason: 'the file is empty (expected a header naming the cost details columns)' });
    for (const [key, p] of this.periods) {
      if (p.firstWithInvoice !== null && p.firstWithout !== null) {
        const [profile, month] = key.split('\u0001');
        problems.add({
          line: Math.max(p.firstWithInvoice, p.firstWithout),
          column: at.invoiceId + 1,
          field: header![at.invoiceId],
          reason: `billing profile ${profile} ${month} mixes rows with an invoiceId (first on line ${p.firstWithInvoice}) and without (first on line ${p.firstWithout}); a month is either invoiced (final) or not (estimated)`,
        });
      }
    }
    if (problems.count > 0) return { ok: false, problems: problems.list() };

    const out: LoadedPeriod[] = [];
    let chargeCount = 0;
    // Every row that is not rejected is in exactly one charge of its currency and eligibility: the totals are theirs.
    const totals = new Map<string, { cost: ExactSum; eligible: ExactSum; ineligible: ExactSum }>();
    for (const key of [...this.periods.keys()].sort()) {
      const p = this.periods.get(key)!;
      const [group, month] = key.split('\u0001');
      const charges: EngineCharge[] = [];
      for (const k of [...p.charges.keys()].sort()) {
        const { charge, sum } = p.charges.get(k)!;
        let t = totals.get(charge.currency);
        if (!t) totals.set(charge.currency, (t = { cost: new ExactSum(), eligible: new ExactSum(), ineligible: new ExactSum() }));
        t.cost.add(sum);
        (charge.creditEligible ? t.eligible : t.ineligible).add(sum);
        if (sum.units > 0n) charges.push({ ...charge, amount: sum.toString() });
      }
      chargeCount += charges.length;
      out.push({ group, month, final: p.firstWithInvoice !== null, invoiceIds: [...p.invoiceIds].sort(), dataThrough: p.dataThrough, charges });
    }
    const summaryTotals: CostDetailsSummary['totals'] = {};
    for (const c of [...totals.keys()].sort()) {
      const t = totals.get(c)!;
      summaryTotals[c] = { cost: t.cost.toString(), eligible: t.eligible.toString(), ineligible: t.ineligible.toString() };
    }
    return { ok: true, periods: out, summary: { file, rows: this.rows, periods: out.length, charges: chargeCount, totals: summaryTotals, ineligibleRows: this.ineligibleRows, readInParts } };
  }
}

const newPeriod = (): PeriodAcc => ({ invoiceIds: new Set(), dataThrough: null, firstWithInvoice: null, firstWithout: null, charges: new Map() });

export interface CostDetailsOptions {
  maxProblems?: number;
  onBytes?: (bytesRead: number) => void;
  /** Parts read at once, each in a worker thread (default: one per core for a large file, up to 4). */
  parts?: number;
  /** The worker script that reads a part (tests point it elsewhere). */
  partScript?: string;
}

export async function parseCostDetailsCsv(file: string, options: CostDetailsOptions = {}): Promise<CostDetailsParse> {
  const parts = options.parts ?? (fs.statSync(file).size >= PARTS_FROM_BYTES ? defaultPartCount() : 1);
  if (parts > 1) {
    // In parts, then gathered. A file with any problem (its header's included) is read again in
    // one piece, so that its problems are listed in order with their lines, exactly as they would
    // be; so is any file whose parts could not be read (a worker that failed), with a warning.
    const reader = new CostDetailsReader(new ProblemList(file, options.maxProblems ?? 1000));
    try {
      const read = await readCsvInParts<CostDetailsPart>(file, parts, options.partScript ?? COST_DETAILS_PART_SCRIPT, reader.record, options.onBytes);
      if (read !== null && read.every((p) => p.part.problemCount === 0)) {
        for (const { part, lineOffset } of read) reader.absorb(part, lineOffset);
        const parsed = reader.finish(file, read.length);
        if (parsed.ok) return parsed;
      }
    } catch (error) {
      process.emitWarning(`${file} could not be read in parts; reading it in one piece (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const reader = new CostDetailsReader(new ProblemList(file, options.maxProblems ?? 1000));
  await readCsv(file, { columns: reader.columns, onProblem: (p) => reader.problems.add(p), onBytes: options.onBytes }, reader.record);
  return reader.finish(file);
}

/** The worker script that reads one part (compiled next to this file). */
const COST_DETAILS_PART_SCRIPT = path.join(__dirname, 'cost-details-part.js');

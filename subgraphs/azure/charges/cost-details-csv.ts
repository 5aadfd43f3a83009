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
import { ExactSum, formatExact, memoized, readScaled, ScaledSum } from '../../../lib/domain/charges/amount';
import type { EngineCharge } from '../../../lib/domain/charges/types';
import { periodKey, type LoadedPeriod } from '../../../lib/store/ledger';
import { detach, lastPairMemo, ProblemList, readCsv } from '../../../lib/platform/csv';
import { TextNumbers } from '../../../lib/platform/text-numbers';
import type { BillingCsvOptions, BillingCsvParse } from '../../../lib/store/ingest';
import { decimalProblem } from '../../../lib/domain/money';
import { controlCharacterProblem, currencyCodeProblem, isCurrencyCode, quoteText } from '../../../lib/platform/text-checks';

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
const OPTIONAL = ['meterCategory', 'consumedService', 'publisherName', 'billingPeriodEndDate', 'servicePeriodStartDate', 'servicePeriodEndDate'] as const;
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
const isIneligiblePublisher = memoized((publisherName: string) => PUBLISHERS.has(norm(publisherName)));

/** What the rules say of a product name or meter category. */
interface NameRules {
  supportPlan: boolean;
  named: boolean;
}
const rulesOf = (name: string): NameRules => ({ supportPlan: SUPPORT.test(norm(name)), named: isNamed(name) });

export interface EligibilityFacts {
  isAzureCreditEligible: boolean;
  publisherType: string;
  publisherName: string;
  productName: string;
  meterCategory: string;
}

/** Why credits never pay this charge, or null when they may. */
export function azureIneligibility(f: EligibilityFacts): string | null {
  return ineligibility(f.isAzureCreditEligible, f.publisherType, f.publisherName, rulesOf(f.productName), rulesOf(f.meterCategory));
}

function ineligibility(isAzureCreditEligible: boolean, publisherType: string, publisherName: string, product: NameRules, meterCategory: NameRules): string | null {
  if (!isAzureCreditEligible) return 'isAzureCreditEligible False';
  if (isMarketplace(publisherType)) return 'Azure Marketplace';
  if (meterCategory.supportPlan || product.supportPlan) return 'Azure support plan';
  if (product.named || meterCategory.named || isIneligiblePublisher(publisherName)) return 'ineligible product';
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
}

export type CostDetailsParse = BillingCsvParse<CostDetailsSummary>;

interface PeriodAcc {
  profile: string;
  month: string;
  invoiceIds: Set<string>;
  dataThrough: string | null;
  firstWithInvoice: number | null;
  firstWithout: number | null;
  /** Keyed by the numbers of the charge's texts (`chargeKey`). */
  charges: Map<string, ChargeAcc>;
}

/**
 * A charge being summed, with its texts given by their numbers (the charge is written out at the
 * end): one object a charge, as 290,000 of them are met again and again across a million rows.
 */
class ChargeAcc extends ScaledSum {
  constructor(
    readonly day: number,
    readonly section: number,
    readonly service: number,
    readonly product: number,
    /** The currency's number times 2, plus 1 if eligible. */
    readonly currencyAndEligible: number,
  ) {
    super();
  }
}

/**
 * A charge's key from the numbers of its texts: a short string (one character a number) while the
 * numbers fit, else the numbers written out; the two forms never meet, as the first is 5
 * characters long and the second at least 9.
 */
function chargeKey(section: number, service: number, product: number, day: number, currencyAndEligible: number): string {
  return section < 0xffff && service < 0xffff && product < 0xffff && day < 0xffff && currencyAndEligible < 0xffff
    ? String.fromCharCode(section, service, product, day, currencyAndEligible)
    : `${section},${service},${product},${day},${currencyAndEligible}`;
}

/**
 * Reads the cost details record by record (`record`), the header first, aggregating the charges;
 * `finish` makes the parse.
 */
class CostDetailsReader {
  private header: string[] | null = null;
  private readonly at = {} as Record<Column, number>;
  private rows = 0;
  private readonly periods: PeriodAcc[] = [];
  private readonly ineligibleRows: Record<string, number> = {};
  // Dates repeat (a month's days): each distinct text is read once.
  private readonly dayOf = memoized(azureDay);
  /** A billing period's start, read once per distinct text, with its month (the same string each time). */
  private readonly periodStartOf = memoized((text: string) => {
    const day = azureDay(text);
    return day === null ? null : { day, month: day.slice(0, 7) };
  });
  // Rows of many profiles come interleaved: each profile is numbered, and its periods are found by month.
  private readonly profiles = new TextNumbers();
  private readonly periodsOfProfile: Map<string, PeriodAcc>[] = [];
  // Each text a charge is made of is numbered, and a charge is found by those numbers.
  private readonly sections = new TextNumbers();
  private readonly names = new TextNumbers(rulesOf); // services, products, meter categories
  private readonly days = new TextNumbers();
  private readonly currencies = new TextNumbers();
  private readonly currencyOf = memoized((text: string) => (isCurrencyCode(text) ? this.currencies.of(text) : -1));
  /** Why a row's billing or service period is not a range (its end before its start), once per repeated pair of texts. */
  private readonly billingPeriod = lastPairMemo((start: string, end: string) => this.rangeProblem(start, end, 'billingPeriodStartDate'));
  private readonly servicePeriod = lastPairMemo((start: string, end: string) => this.rangeProblem(start, end, 'servicePeriodStartDate'));

  constructor(readonly problems: ProblemList) {}

  /**
   * Asked about the header before its record comes (readCsv's `columns`): where each named column
   * is (by name, case-insensitive; -1: absent). Only those are copied out of each row (a cost
   * details row has dozens more).
   */
  readonly columns = (names: string[]): boolean[] => {
    const index = new Map(names.map((name, i) => [name.trim().toLowerCase(), i] as const));
    for (const name of [...REQUIRED, ...OPTIONAL]) this.at[name] = index.get(name.toLowerCase()) ?? -1;
    const wanted = new Set(Object.values(this.at));
    return names.map((_, i) => wanted.has(i));
  };

  /** Takes one record (the first is the header); false: stop reading (the header lacks columns). */
  readonly record = ({ line, fields }: { line: number; fields: string[] }): boolean | void => {
    const { problems, at } = this;
    if (this.header === null) {
      this.header = fields; // its columns were located by `columns`
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
    const periodStart = this.periodStartOf(fieldAt(fields, at.billingPeriodStartDate));
    if (!periodStart) this.report(line, 'billingPeriodStartDate', `${quoteText(fieldAt(fields, at.billingPeriodStartDate))} is not a date (YYYY-MM-DD or MM/DD/YYYY)`);
    else if (at.billingPeriodEndDate >= 0) {
      const problem = this.billingPeriod(fields[at.billingPeriodStartDate], fields[at.billingPeriodEndDate]);
      if (problem) this.report(line, 'billingPeriodEndDate', problem);
    }
    if (at.servicePeriodStartDate >= 0 && at.servicePeriodEndDate >= 0) {
      const problem = this.servicePeriod(fields[at.servicePeriodStartDate], fields[at.servicePeriodEndDate]);
      if (problem) this.report(line, 'servicePeriodEndDate', problem);
    }
    const day = this.dayOf(fieldAt(fields, at.date));
    if (!day) this.report(line, 'date', `${quoteText(fieldAt(fields, at.date))} is not a date (YYYY-MM-DD or MM/DD/YYYY)`);
    const meterCategory = fieldAt(fields, at.meterCategory);
    const service = meterCategory || fieldAt(fields, at.consumedService);
    if (service === '') this.report(line, at.meterCategory >= 0 ? 'meterCategory' : 'consumedService', 'no service: meterCategory and consumedService are both empty');
    const currency = fieldAt(fields, at.billingCurrency);
    const currencyNumber = this.currencyOf(currency);
    if (currencyNumber < 0) this.report(line, 'billingCurrency', currencyCodeProblem(currency)!);
    const cost = fieldAt(fields, at.costInBillingCurrency);
    const amount = readScaled(cost);
    if (amount === null) this.report(line, 'costInBillingCurrency', decimalProblem(cost) ?? `"${cost}" is not a decimal number`);
    const eligible = trueOrFalse(fieldAt(fields, at.isAzureCreditEligible));
    if (eligible === null) this.report(line, 'isAzureCreditEligible', `"${fieldAt(fields, at.isAzureCreditEligible)}" is not True or False`);
    const month = periodStart?.month;
    let period: PeriodAcc | undefined;
    if (profile !== '' && month) {
      const number = this.number(this.profiles, profile, line, 'billingProfileId');
      const ofProfile = (this.periodsOfProfile[number] ??= new Map());
      period = ofProfile.get(month);
      if (!period) {
        period = newPeriod(this.profiles.texts[number], month);
        ofProfile.set(month, period);
        this.periods.push(period);
      }
      const invoiceId = fieldAt(fields, at.invoiceId);
      if (invoiceId !== '') {
        period.firstWithInvoice ??= line;
        if (!period.invoiceIds.has(invoiceId)) {
          this.checkText(line, 'invoiceId', invoiceId);
          period.invoiceIds.add(detach(invoiceId));
        }
      } else period.firstWithout ??= line;
      if (day && (period.dataThrough === null || day > period.dataThrough)) period.dataThrough = day;
    }
    // The texts a charge keeps are numbered (and checked the first time each is met) even in a
    // rejected file, so that each of its problems is listed.
    const names = this.names;
    const product = this.number(names, fieldAt(fields, at.ProductName), line, 'ProductName');
    const serviceColumn = meterCategory ? 'meterCategory' : 'consumedService';
    const serviceNumber = this.number(names, service, line, serviceColumn);
    const meter = meterCategory === service ? serviceNumber : this.number(names, meterCategory, line, 'meterCategory');
    const sectionNumber = this.number(this.sections, section, line, 'invoiceSectionId');
    if (problems.count > 0 || !period || amount === null) return; // nothing is loaded from a rejected file: stop aggregating

    const why = ineligibility(eligible === true, fieldAt(fields, at.publisherType), fieldAt(fields, at.publisherName), names.facts[product], names.facts[meter]);
    if (why) this.ineligibleRows[why] = (this.ineligibleRows[why] ?? 0) + 1;
    const dayNumber = this.days.of(day!);
    const currencyAndEligible = currencyNumber * 2 + (why ? 0 : 1);
    const key = chargeKey(sectionNumber, serviceNumber, product, dayNumber, currencyAndEligible);
    let charge = period.charges.get(key);
    if (!charge) period.charges.set(key, (charge = new ChargeAcc(dayNumber, sectionNumber, serviceNumber, product, currencyAndEligible)));
    charge.add(amount);
  };

  private report(line: number, c: Column, reason: string): void {
    this.problems.add({ line, column: this.at[c] + 1, field: this.header![this.at[c]], reason });
  }

  /** The number of a text a charge keeps; a text met for the first time is checked for control characters. */
  private number<T>(numbers: TextNumbers<T>, text: string, line: number, c: Column): number {
    const known = numbers.texts.length;
    const n = numbers.of(text);
    if (n === known) this.checkText(line, c, text);
    return n;
  }

  private checkText(line: number, c: Column, text: string): void {
    const problem = controlCharacterProblem(text);
    if (problem) this.report(line, c, `${quoteText(text)} ${problem}`);
  }

  /** Why a period's end text does not end the range its start text starts (not a date, or before it), or null. */
  private rangeProblem(startText: string, endText: string, startColumn: Column): string | null {
    if (endText === '') return null;
    const end = this.dayOf(endText);
    if (end === null) return `${quoteText(endText)} is not a date (YYYY-MM-DD or MM/DD/YYYY)`;
    const start = startText === '' ? null : this.dayOf(startText);
    return start !== null && end < start ? `${endText} is before ${startColumn} ${startText}: a period cannot end before it starts` : null;
  }

  /** The parse: the periods' charges (or every problem found), checked across the whole file. */
  finish(file: string): CostDetailsParse {
    const { problems, header, at } = this;
    if (header === null) problems.add({ reason: 'the file is empty (expected a header naming the cost details columns)' });
    for (const p of this.periods) {
      if (p.firstWithInvoice !== null && p.firstWithout !== null) {
        const { profile, month } = p;
        problems.add({
          line: Math.max(p.firstWithInvoice, p.firstWithout),
          column: at.invoiceId + 1,
          field: header![at.invoiceId],
          reason: `billing profile ${profile} ${month} mixes rows with an invoiceId (first on line ${p.firstWithInvoice}) and without (first on line ${p.firstWithout}); a month is either invoiced (final) or not (estimated)`,
        });
      }
    }
    if (problems.count > 0) return { ok: false, problems: problems.list() };

    // Charges are listed by day, invoice section, service, product, currency, the ineligible first:
    // by the ranks of their texts' numbers.
    const nameRanks = this.names.ranks();
    // The currency's rank, times 2, plus 1 if eligible.
    const currencyRanks = this.currencies.ranks().flatMap((r) => [2 * r, 2 * r + 1]);
    const [dayRanks, sectionRanks] = [this.days.ranks(), this.sections.ranks()];
    const inOrder = (a: ChargeAcc, b: ChargeAcc): number =>
      dayRanks[a.day] - dayRanks[b.day] ||
      sectionRanks[a.section] - sectionRanks[b.section] ||
      nameRanks[a.service] - nameRanks[b.service] ||
      nameRanks[a.product] - nameRanks[b.product] ||
      currencyRanks[a.currencyAndEligible] - currencyRanks[b.currencyAndEligible];
    const out: LoadedPeriod[] = [];
    let chargeCount = 0;
    // Every row that is not rejected is in exactly one charge of its currency and eligibility: the totals are theirs.
    const totals = new Map<string, { cost: ExactSum; eligible: ExactSum; ineligible: ExactSum }>();
    const byKey = this.periods.map((p) => [periodKey(p.profile, p.month), p] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, p] of byKey) {
      const { profile: group, month } = p;
      const charges: EngineCharge[] = [];
      for (const agg of [...p.charges.values()].sort(inOrder)) {
        const { day, section, service, product, currencyAndEligible } = agg;
        const currency = this.currencies.texts[currencyAndEligible >> 1];
        const creditEligible = (currencyAndEligible & 1) === 1;
        const sum = agg.exact();
        let t = totals.get(currency);
        if (!t) totals.set(currency, (t = { cost: new ExactSum(), eligible: new ExactSum(), ineligible: new ExactSum() }));
        t.cost.add(sum);
        (creditEligible ? t.eligible : t.ineligible).add(sum);
        if (sum.units <= 0n) continue;
        const { sections, names, days } = this;
        charges.push({
          consumerId: sections.texts[section],
          consumerKind: AZURE_CONSUMER_KIND,
          service: names.texts[service],
          productCode: names.texts[product],
          currency,
          creditEligible,
          date: days.texts[day],
          amount: formatExact(sum.units, sum.places),
        });
      }
      chargeCount += charges.length;
      out.push({ group, month, final: p.firstWithInvoice !== null, invoiceIds: [...p.invoiceIds].sort(), dataThrough: p.dataThrough, charges });
    }
    const summaryTotals: CostDetailsSummary['totals'] = {};
    for (const c of [...totals.keys()].sort()) {
      const t = totals.get(c)!;
      summaryTotals[c] = { cost: t.cost.toString(), eligible: t.eligible.toString(), ineligible: t.ineligible.toString() };
    }
    return { ok: true, periods: out, summary: { file, rows: this.rows, periods: out.length, charges: chargeCount, totals: summaryTotals, ineligibleRows: this.ineligibleRows } };
  }
}

const newPeriod = (profile: string, month: string): PeriodAcc => ({ profile, month, invoiceIds: new Set(), dataThrough: null, firstWithInvoice: null, firstWithout: null, charges: new Map() });

export async function parseCostDetailsCsv(file: string, options: BillingCsvOptions = {}): Promise<CostDetailsParse> {
  const reader = new CostDetailsReader(new ProblemList(file, options.maxProblems ?? 1000));
  await readCsv(file, { columns: reader.columns, onProblem: (p) => reader.problems.add(p), onBytes: options.onBytes }, reader.record);
  return reader.finish(file);
}

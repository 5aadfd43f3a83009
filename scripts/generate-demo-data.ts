/**
 * Deterministic generator of the demo dataset in demo/: AWS-style and Azure MCA-style credit data,
 * each file exactly in its provider's own JSON shape (the providers' documented API responses).
 *
 *   npm run build && node dist/scripts/generate-demo-data.js [outDir]      (default outDir: demo)
 *
 * Every date is derived from the anchor DEMO_AS_OF, so statuses (active, paused, exhausted,
 * expired, not started, expiring soon) hold as of that day. The data is simulated, not typed in:
 * monthly usage is generated from a fixed seed and credits are applied to it in the project's
 * order (expires first; restricted credits before organization-wide ones; then by id), so every
 * balance is the sum of the history that produced it. The generator checks its own invariants and
 * refuses to write anything when one does not hold.
 *
 * Money never touches a binary float: AWS amounts are BigInt units of 1e-10 USD, written as
 * decimal strings; Azure amounts are BigInt cents, written into the JSON text as exact number
 * literals (the JSON text is built here, not by JSON.stringify, for exactly that reason).
 *
 * Uses only Node built-ins, so it does not depend on the rest of the code base.
 * DEMO_DEBUG=1 prints the simulated movements to stderr (handy when tuning the amounts below).
 */
import { createHash } from 'crypto';
import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';

/** The day the dataset describes. Change it and every date moves with it. */
export const DEMO_AS_OF = '2026-11-22';

// ---------------------------------------------------------------------------------------------
// Dates (relative to the anchor)
// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const [AS_OF_Y, AS_OF_M, AS_OF_D] = DEMO_AS_OF.split('-').map(Number);
/** Midnight UTC at the start of the anchor day. */
const ANCHOR = Date.UTC(AS_OF_Y, AS_OF_M - 1, AS_OF_D);
/** Months of history: k = -11 .. 0, where 0 is the anchor's (open, estimated) month. */
const FIRST_MONTH = -11;
const MONTHS: number[] = Array.from({ length: 1 - FIRST_MONTH }, (_, i) => FIRST_MONTH + i);
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** First instant of month k relative to the anchor month. */
function monthStart(k: number): number {
  return Date.UTC(AS_OF_Y, AS_OF_M - 1 + k, 1);
}
/** Day `day` (1-based) of month k, at hh:mm:ss UTC. */
function dayOf(k: number, day: number, hh = 0, mm = 0, ss = 0): number {
  return Date.UTC(AS_OF_Y, AS_OF_M - 1 + k, day, hh, mm, ss);
}
/** The last second of the day before month k + 1 starts (Azure writes expirations like this). */
function endOfMonth(k: number): number {
  return monthStart(k + 1) - 1000;
}
function ym(k: number): string {
  return isoDate(monthStart(k)).slice(0, 7);
}
function monthLabel(k: number): string {
  const d = new Date(monthStart(k));
  return `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}
function monthNumber(k: number): number {
  return new Date(monthStart(k)).getUTCMonth() + 1;
}
/** Month index k of an instant. */
function monthIndexOf(ms: number): number {
  const d = new Date(ms);
  return (d.getUTCFullYear() - AS_OF_Y) * 12 + d.getUTCMonth() - (AS_OF_M - 1);
}
/** ISO-8601 with a Z and no milliseconds: 2026-11-22T00:00:00Z. */
function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
/** Epoch seconds (AWS Billing API dates). */
function epoch(ms: number): number {
  return Math.floor(ms / 1000);
}
/** AWS CLI style timestamp: 2019-03-14T17:22:53.101000+00:00 */
function awsCliTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}
/** The billing period of month k as far as data exists: whole month, or up to the anchor day. */
function periodOf(k: number): { from: number; to: number } {
  return { from: monthStart(k), to: k === 0 ? ANCHOR : monthStart(k + 1) };
}
function periodDays(k: number): number {
  const p = periodOf(k);
  return Math.round((p.to - p.from) / DAY);
}
function daysInMonth(k: number): number {
  return Math.round((monthStart(k + 1) - monthStart(k)) / DAY);
}

// ---------------------------------------------------------------------------------------------
// Exact money
// ---------------------------------------------------------------------------------------------

/** AWS amounts: BigInt units of 1e-10. */
const AWS_SCALE = 10_000_000_000n;
/** Azure amounts: BigInt cents. Exchange rates: BigInt units of 1e-4. */
const RATE_ONE = 10_000n;

/** Parses a plain decimal ("25000.00", "-3.5") into units of 10^-scale. Throws on anything else. */
function parseUnits(text: string, scale: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = m[3] ?? '';
  if (frac.length > scale) throw new Error(`${text} has more than ${scale} decimal places`);
  const units = BigInt(m[2] + frac.padEnd(scale, '0'));
  return m[1] === '-' ? -units : units;
}

function formatUnits(units: bigint, scale: number, places: number): string {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const base = 10n ** BigInt(scale);
  const int = abs / base;
  let frac = (abs % base).toString().padStart(scale, '0');
  frac = frac.slice(0, places);
  if ((abs % base) % 10n ** BigInt(scale - places) !== 0n) throw new Error(`formatUnits would lose digits of ${units}`);
  return `${neg ? '-' : ''}${int}${places > 0 ? `.${frac}` : ''}`;
}

/** AWS writes whole-cent amounts with two places ("1200.00") and others with ten ("350.3012345678"). */
function awsAmountText(units: bigint): string {
  return units % 100_000_000n === 0n ? formatUnits(units, 10, 2) : formatUnits(units, 10, 10);
}

/** Azure amount literal: 3120.55, -212.10, 0. */
function azureAmountText(cents: bigint): string {
  return cents === 0n ? '0' : formatUnits(cents, 2, 2);
}

function rateText(rate: bigint): string {
  if (rate % RATE_ONE === 0n) return (rate / RATE_ONE).toString();
  return formatUnits(rate, 4, 4).replace(/0+$/, '');
}

/** round(a / b) half away from zero, for b > 0. */
function divRound(a: bigint, b: bigint): bigint {
  const neg = a < 0n;
  const abs = neg ? -a : a;
  const q = (abs * 2n + b) / (2n * b);
  return neg ? -q : q;
}

/** Converts credit-currency cents to billing-currency cents at a 1e-4 rate, half away from zero. */
function convert(cents: bigint, rate: bigint): bigint {
  return divRound(cents * rate, RATE_ONE);
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function sumBig(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness (integers only)
// ---------------------------------------------------------------------------------------------

/** mulberry32 over 32-bit integers; `next(n)` is an integer in [0, n). */
function makeRng(seed: number): { next(n: number): number } {
  let a = seed >>> 0;
  return {
    next(n: number): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const u = (t ^ (t >>> 14)) >>> 0;
      return u % n;
    },
  };
}

function hashHex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

// ---------------------------------------------------------------------------------------------
// JSON text built by hand, so amounts stay exact decimal literals
// ---------------------------------------------------------------------------------------------

/** A number literal written into the JSON text exactly as given. */
class Literal {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`bad number literal ${text}`);
  }
}
type Json = null | boolean | string | number | Literal | Json[] | { [key: string]: Json | undefined };

function toJson(value: Json, indent = ''): string {
  if (value === null) return 'null';
  if (value instanceof Literal) return value.text;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`only integers may be plain numbers, got ${value}`);
    return String(value);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v === 'string') && value.join('').length < 100) {
      return `[${value.map((v) => toJson(v)).join(', ')}]`;
    }
    return `[\n${value.map((v) => inner + toJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined) as [string, Json][];
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

// ---------------------------------------------------------------------------------------------
// AWS: organization, cost category, credits, usage
// ---------------------------------------------------------------------------------------------

const PAYER = '111122223333';
const ORG_ID = 'o-exampleorgid';

interface AwsAccount {
  id: string;
  name: string;
  email: string;
  joinedMethod: 'INVITED' | 'CREATED';
  /** Joined this many days before the anchor, at this time of day (UTC). */
  joinedDaysBefore: number;
  joinedTime: [number, number, number, number];
  /** Monthly on-demand usage in whole dollars per service (before jitter and growth). */
  usage: Record<string, number>;
}

const EC2 = 'Amazon Elastic Compute Cloud';
const S3 = 'Amazon Simple Storage Service';
const RDS = 'Amazon Relational Database Service';
const SAGEMAKER = 'Amazon SageMaker';
const LAMBDA = 'AWS Lambda';
const DYNAMODB = 'Amazon DynamoDB';
const CLOUDFRONT = 'Amazon CloudFront';
const BEDROCK = 'Amazon Bedrock';

const AWS_ACCOUNTS: AwsAccount[] = [
  { id: PAYER, name: 'Example Corp', email: 'aws-billing@example.com', joinedMethod: 'INVITED', joinedDaysBefore: 2810, joinedTime: [17, 22, 53, 101],
    usage: { [EC2]: 180, [S3]: 25 } },
  { id: '444455556666', name: 'team-data', email: 'aws-team-data@example.com', joinedMethod: 'CREATED', joinedDaysBefore: 1790, joinedTime: [9, 4, 12, 553],
    usage: { [EC2]: 1400, [S3]: 220, [RDS]: 650, [DYNAMODB]: 40 } },
  { id: '777788889999', name: 'team-web', email: 'aws-team-web@example.com', joinedMethod: 'CREATED', joinedDaysBefore: 1412, joinedTime: [14, 37, 8, 9],
    usage: { [EC2]: 900, [S3]: 130, [CLOUDFRONT]: 260, [LAMBDA]: 35 } },
  { id: '123456789012', name: 'research-grant', email: 'nsf-grant-admin@research.example.org', joinedMethod: 'INVITED', joinedDaysBefore: 402, joinedTime: [20, 15, 41, 870],
    usage: { [SAGEMAKER]: 1600, [EC2]: 450, [S3]: 90 } },
  { id: '210987654321', name: 'sandbox-eu', email: 'aws-sandbox-eu@example.com', joinedMethod: 'CREATED', joinedDaysBefore: 388, joinedTime: [8, 0, 19, 342],
    usage: { [EC2]: 160, [LAMBDA]: 18, [DYNAMODB]: 22 } },
];
const ACCOUNT_NAME = new Map(AWS_ACCOUNTS.map((a) => [a.id, a.name]));

const COST_CATEGORY_ARN = `arn:aws:ce::${PAYER}:costcategory/7d3a1c52-4b7e-4d8a-9f0e-2c6b5a4e3d21`;

type Expression =
  | { Or: Expression[] }
  | { And: Expression[] }
  | { Not: Expression }
  | { Dimensions: { Key: 'LINKED_ACCOUNT' | 'LINKED_ACCOUNT_NAME'; Values: string[]; MatchOptions: ('EQUALS' | 'STARTS_WITH')[] } };

interface CostCategoryRule {
  Value: string;
  Type: 'REGULAR';
  Rule: Expression;
}

const COST_CATEGORY = {
  CostCategoryArn: COST_CATEGORY_ARN,
  Name: 'FundingSource',
  EffectiveStart: isoDate(monthStart(FIRST_MONTH)),
  RuleVersion: 'CostCategoryExpression.v1',
  Rules: [
    { Value: 'GrantNSF', Type: 'REGULAR', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['123456789012'], MatchOptions: ['EQUALS'] } } },
    { Value: 'Product', Type: 'REGULAR', Rule: { Or: [
      { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['444455556666'], MatchOptions: ['EQUALS'] } },
      { Dimensions: { Key: 'LINKED_ACCOUNT_NAME', Values: ['team-'], MatchOptions: ['STARTS_WITH'] } },
    ] } },
    { Value: 'Sandbox', Type: 'REGULAR', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT_NAME', Values: ['sandbox-'], MatchOptions: ['STARTS_WITH'] } } },
  ] as CostCategoryRule[],
  DefaultValue: 'Unallocated',
};

function matches(expr: Expression, account: AwsAccount): boolean {
  if ('Or' in expr) return expr.Or.some((e) => matches(e, account));
  if ('And' in expr) return expr.And.every((e) => matches(e, account));
  if ('Not' in expr) return !matches(expr.Not, account);
  const subject = expr.Dimensions.Key === 'LINKED_ACCOUNT' ? account.id : account.name;
  const startsWith = expr.Dimensions.MatchOptions.includes('STARTS_WITH');
  return expr.Dimensions.Values.some((v) => (startsWith ? subject.startsWith(v) : subject === v));
}

/** The cost category value of an account: first matching rule wins, else the default. */
function costCategoryValue(account: AwsAccount): string {
  for (const rule of COST_CATEGORY.Rules) if (matches(rule.Rule, account)) return rule.Value;
  return COST_CATEGORY.DefaultValue;
}

type SharingType = 'DEFAULT' | 'DISABLED' | 'CUSTOM' | 'COST_CATEGORY_RULE';
type ExpectedStatus = 'ACTIVE' | 'PAUSED' | 'EXHAUSTED' | 'EXPIRED' | 'NOT_STARTED';

interface AwsCreditSpec {
  creditId: string;
  creditType: 'Promotion' | 'Refund' | 'TrueUp';
  description: string;
  initial: string;
  products: string[];
  start: number;
  end: number;
  applicationType?: 'BEFORE_CROSS_SERVICE_DISCOUNTS' | 'AFTER_DISCOUNTS';
  sharing: SharingType;
  shareableAccounts?: string[];
  ruleName?: string;
  creditStatus: 'ENABLED' | 'DISABLED';
  /** Paused (creditStatus DISABLED) from this month on; earlier months applied normally. */
  pausedFromMonth?: number;
  consoleVisibility?: string;
  purchaseTypeApplications?: string[];
  accountHasCreditSharingEnabled?: boolean;
  expected: ExpectedStatus;
  expiringSoon?: boolean;
  /** What the credit demonstrates, for the README. */
  note: string;
}

const AWS_CREDITS: AwsCreditSpec[] = [
  {
    creditId: '90000000001', creditType: 'Promotion', description: 'AWS Activate Portfolio credits', initial: '25000.00',
    products: [EC2, S3, RDS], start: monthStart(-11), end: monthStart(13), applicationType: 'BEFORE_CROSS_SERVICE_DISCOUNTS',
    sharing: 'DEFAULT', creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
    expected: 'ACTIVE', note: 'active; shared with the whole organization (DEFAULT); three services only; applied after the restricted credits',
  },
  {
    creditId: '90000000002', creditType: 'Promotion', description: 'Research credits - NSF grant 2026', initial: '25000.00',
    products: [], start: monthStart(-8), end: monthStart(3), applicationType: 'AFTER_DISCOUNTS',
    sharing: 'COST_CATEGORY_RULE', ruleName: 'GrantNSF', creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
    expected: 'ACTIVE', note: 'active; cost-category sharing (FundingSource = GrantNSF: only research-grant); every service; expires within 90 days',
  },
  {
    creditId: '90000000003', creditType: 'Refund', description: 'Service credit - EC2 SLA event', initial: '1200.00',
    products: [EC2], start: monthStart(-7), end: monthStart(5),
    sharing: 'DISABLED', creditStatus: 'DISABLED', pausedFromMonth: -2, accountHasCreditSharingEnabled: true,
    expected: 'PAUSED', note: 'paused (creditStatus DISABLED) since ' + ym(-2) + ': used before, nothing applied since, estimated = remaining; sharing DISABLED (owner account only); no applicationType (optional)',
  },
  {
    creditId: '90000000004', creditType: 'Promotion', description: 'AWS Migration Acceleration Program credits', initial: '26000.00',
    products: [EC2, S3, RDS, DYNAMODB], start: monthStart(-11), end: monthStart(7), applicationType: 'BEFORE_CROSS_SERVICE_DISCOUNTS',
    sharing: 'CUSTOM', shareableAccounts: ['444455556666', '777788889999'], creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
    expected: 'EXHAUSTED', note: 'exhausted: remainingAmount 0.00 with exhaustDate; CUSTOM sharing with team-data and team-web',
  },
  {
    creditId: '90000000005', creditType: 'Promotion', description: 'AWS re:Invent 2025 attendee credit', initial: '1000.00',
    products: [LAMBDA, DYNAMODB], start: monthStart(-11), end: monthStart(-5), applicationType: 'AFTER_DISCOUNTS',
    sharing: 'DEFAULT', creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
    expected: 'EXPIRED', note: 'expired on ' + isoDate(monthStart(-5)).slice(0, 10) + ' with a balance left (remaining stays as it was at expiry)',
  },
  {
    creditId: '90000000006', creditType: 'Promotion', description: 'AWS Generative AI Accelerator credits', initial: '50000.00',
    products: [BEDROCK, SAGEMAKER, EC2], start: monthStart(2), end: monthStart(14), applicationType: 'AFTER_DISCOUNTS',
    sharing: 'COST_CATEGORY_RULE', ruleName: 'Product', creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
    expected: 'NOT_STARTED', note: 'not started yet (starts ' + isoDate(monthStart(2)).slice(0, 10) + '); reuses the FundingSource cost category (value Product)',
  },
  {
    creditId: '90000000007', creditType: 'TrueUp', description: 'Enterprise Discount Program true-up credit 2026', initial: '12000.00',
    products: [], start: monthStart(-5), end: ANCHOR + 23 * DAY, applicationType: 'BEFORE_CROSS_SERVICE_DISCOUNTS',
    sharing: 'CUSTOM', shareableAccounts: ['210987654321', '777788889999'], creditStatus: 'ENABLED',
    consoleVisibility: 'VISIBLE', purchaseTypeApplications: ['OnDemand', 'SavingsPlans'], accountHasCreditSharingEnabled: true,
    expected: 'ACTIVE', expiringSoon: true, note: 'expires within 30 days (' + isoDate(ANCHOR + 23 * DAY).slice(0, 10) + ') with a balance left; TrueUp type; CUSTOM sharing with sandbox-eu and team-web; carries purchaseTypeApplications',
  },
];

interface Allocation {
  creditId: string;
  accountId: string;
  service: string;
  k: number;
  units: bigint;
  estimated: boolean;
}

interface AwsCreditResult {
  spec: AwsCreditSpec;
  initial: bigint;
  remaining: bigint;
  estimated: bigint;
  exhaustDate: number | null;
  finalApplied: bigint;
  estimatedApplied: bigint;
}

/** Usage (units of 1e-10 USD) per month, account and service. The open month is partial. */
function generateAwsUsage(): Map<string, bigint> {
  const rng = makeRng(20261122);
  const usage = new Map<string, bigint>();
  for (const k of MONTHS) {
    for (const account of AWS_ACCOUNTS) {
      for (const [service, dollars] of Object.entries(account.usage)) {
        const growthPct = 100n + BigInt((k - FIRST_MONTH) * 2);
        const jitterPct = 90n + BigInt(rng.next(23));
        let units = (BigInt(dollars) * AWS_SCALE * growthPct * jitterPct) / 10_000n;
        // Most lines have ten decimals, about one in five is whole cents (AWS writes both).
        units = rng.next(5) === 0 ? (units / 100_000_000n) * 100_000_000n : units + BigInt(rng.next(1_000_000_000)) * 10n + BigInt(rng.next(10));
        if (k === 0) units = (units * BigInt(periodDays(0))) / BigInt(daysInMonth(0));
        usage.set(`${k}|${account.id}|${service}`, units);
      }
    }
  }
  return usage;
}

function creditScope(spec: AwsCreditSpec): Set<string> {
  switch (spec.sharing) {
    case 'DEFAULT':
      return new Set(AWS_ACCOUNTS.map((a) => a.id));
    case 'DISABLED':
      return new Set([PAYER]);
    case 'CUSTOM':
      return new Set(spec.shareableAccounts ?? []);
    case 'COST_CATEGORY_RULE':
      return new Set(AWS_ACCOUNTS.filter((a) => costCategoryValue(a) === spec.ruleName).map((a) => a.id));
  }
}

/** The project's application order: expires first, restricted before organization-wide, then id. */
function awsOrder(a: AwsCreditSpec, b: AwsCreditSpec): number {
  if (a.end !== b.end) return a.end - b.end;
  const ra = a.sharing === 'DEFAULT' ? 1 : 0;
  const rb = b.sharing === 'DEFAULT' ? 1 : 0;
  if (ra !== rb) return ra - rb;
  return a.creditId < b.creditId ? -1 : a.creditId > b.creditId ? 1 : 0;
}

function simulateAws(): { allocations: Allocation[]; results: AwsCreditResult[] } {
  const usage = generateAwsUsage();
  const balance = new Map(AWS_CREDITS.map((c) => [c.creditId, parseUnits(c.initial, 10)]));
  const exhaustMonth = new Map<string, number>();
  const scopes = new Map(AWS_CREDITS.map((c) => [c.creditId, creditScope(c)]));
  const allocations: Allocation[] = [];
  const ordered = [...AWS_CREDITS].sort(awsOrder);
  const lines = AWS_ACCOUNTS.flatMap((a) => Object.keys(a.usage).sort().map((service) => ({ accountId: a.id, service })))
    .sort((x, y) => (x.accountId + x.service < y.accountId + y.service ? -1 : 1));

  for (const k of MONTHS) {
    const estimated = k === 0;
    // The open month draws on a copy: it moves only the estimated balance.
    const bal = estimated ? new Map(balance) : balance;
    const active = ordered.filter((c) => c.start <= monthStart(k) && c.end > monthStart(k) && !(c.pausedFromMonth !== undefined && k >= c.pausedFromMonth));
    for (const line of lines) {
      let left = usage.get(`${k}|${line.accountId}|${line.service}`) ?? 0n;
      for (const credit of active) {
        if (left === 0n) break;
        const available = bal.get(credit.creditId)!;
        if (available === 0n) continue;
        if (!scopes.get(credit.creditId)!.has(line.accountId)) continue;
        if (credit.products.length > 0 && !credit.products.includes(line.service)) continue;
        const units = minBig(left, available);
        left -= units;
        bal.set(credit.creditId, available - units);
        if (!estimated && available - units === 0n) exhaustMonth.set(credit.creditId, k);
        allocations.push({ creditId: credit.creditId, accountId: line.accountId, service: line.service, k, units, estimated });
      }
    }
  }

  const results = AWS_CREDITS.map((spec) => {
    const mine = allocations.filter((a) => a.creditId === spec.creditId);
    const finalApplied = sumBig(mine.filter((a) => !a.estimated).map((a) => a.units));
    const estimatedApplied = sumBig(mine.filter((a) => a.estimated).map((a) => a.units));
    const initial = parseUnits(spec.initial, 10);
    const remaining = balance.get(spec.creditId)!;
    const k = exhaustMonth.get(spec.creditId);
    return {
      spec, initial, remaining, estimated: remaining - estimatedApplied, finalApplied, estimatedApplied,
      // Reported at day precision: the last day of the month in which the balance ran out.
      exhaustDate: k === undefined ? null : dayOf(k, daysInMonth(k)),
    };
  });
  return { allocations, results };
}

function awsStatus(r: AwsCreditResult): ExpectedStatus {
  if (r.spec.end <= ANCHOR) return 'EXPIRED';
  if (r.remaining === 0n) return 'EXHAUSTED';
  if (r.spec.creditStatus === 'DISABLED') return 'PAUSED';
  if (r.spec.start > ANCHOR) return 'NOT_STARTED';
  return 'ACTIVE';
}

function awsAmount(units: bigint): Json {
  return { currencyCode: 'USD', currencyAmount: awsAmountText(units) };
}

function checkAws(allocations: Allocation[], results: AwsCreditResult[]): void {
  const problems: string[] = [];
  for (const r of results) {
    const id = r.spec.creditId;
    if (r.initial !== r.remaining + r.finalApplied) problems.push(`${id}: initial != remaining + final allocations`);
    if (r.estimated !== r.remaining - r.estimatedApplied) problems.push(`${id}: estimated != remaining - estimated allocations`);
    if (r.estimated < 0n || r.estimated > r.remaining) problems.push(`${id}: estimated outside [0, remaining]`);
    if (awsStatus(r) !== r.spec.expected) problems.push(`${id}: status ${awsStatus(r)}, expected ${r.spec.expected}`);
    const soon = r.spec.end > ANCHOR && r.spec.end <= ANCHOR + 30 * DAY && r.remaining > 0n;
    if (soon !== !!r.spec.expiringSoon) problems.push(`${id}: expiring-soon is ${soon}`);
    if (r.spec.expected === 'EXHAUSTED' && (r.exhaustDate === null || r.remaining !== 0n)) problems.push(`${id}: not exhausted`);
    if (r.spec.expected === 'EXPIRED' && r.remaining === 0n) problems.push(`${id}: expired credit should keep a balance`);
    if ((r.spec.expected === 'ACTIVE') && r.estimated === 0n) problems.push(`${id}: active credit ran out`);
    if (r.spec.expected === 'NOT_STARTED' && r.finalApplied + r.estimatedApplied !== 0n) problems.push(`${id}: used before it started`);
    const scope = creditScope(r.spec);
    for (const a of allocations.filter((x) => x.creditId === id)) {
      if (!scope.has(a.accountId)) problems.push(`${id}: charged ${a.accountId} outside its sharing`);
      if (r.spec.products.length > 0 && !r.spec.products.includes(a.service)) problems.push(`${id}: paid for ${a.service}`);
      if (monthStart(a.k) < r.spec.start || monthStart(a.k) >= r.spec.end) problems.push(`${id}: applied in ${ym(a.k)} outside its dates`);
      if (r.spec.pausedFromMonth !== undefined && a.k >= r.spec.pausedFromMonth) problems.push(`${id}: applied while paused`);
      if (a.estimated !== (a.k === 0)) problems.push(`${id}: isEstimatedBill wrong in ${ym(a.k)}`);
    }
    if (r.spec.pausedFromMonth !== undefined && !allocations.some((a) => a.creditId === id && a.k < r.spec.pausedFromMonth!)) {
      problems.push(`${id}: paused credit should show use before the pause`);
    }
  }
  if (problems.length > 0) throw new Error(`AWS data inconsistent:\n  ${problems.join('\n  ')}`);
}

function buildAws(): { files: Record<string, Json>; readme: string[] } {
  const { allocations, results } = simulateAws();
  if (process.env.DEMO_DEBUG) {
    for (const r of results) {
      const byMonth = MONTHS.map((k) => awsAmountText(sumBig(allocations.filter((a) => a.creditId === r.spec.creditId && a.k === k).map((a) => a.units))).replace(/(\.\d\d)\d*/, '$1'));
      console.error(`${r.spec.creditId} initial ${awsAmountText(r.initial)} remaining ${awsAmountText(r.remaining)} estimated ${awsAmountText(r.estimated)} per month ${byMonth.join(' ')}`);
    }
  }
  checkAws(allocations, results);

  const accounts: Json = {
    Accounts: AWS_ACCOUNTS.map((a) => {
      const [h, m, s, ms] = a.joinedTime;
      const joined = ANCHOR - a.joinedDaysBefore * DAY + ((h * 60 + m) * 60 + s) * 1000 + ms;
      return {
        Id: a.id,
        Arn: `arn:aws:organizations::${PAYER}:account/${ORG_ID}/${a.id}`,
        Email: a.email,
        Name: a.name,
        Status: 'ACTIVE',
        JoinedMethod: a.joinedMethod,
        JoinedTimestamp: awsCliTimestamp(joined),
      };
    }),
  };

  const credits: Json = {
    credits: results.map((r) => {
      const s = r.spec;
      return {
        creditId: s.creditId,
        accountId: PAYER,
        creditType: s.creditType,
        description: s.description,
        initialAmount: awsAmount(r.initial),
        remainingAmount: awsAmount(r.remaining),
        estimatedAmount: awsAmount(r.estimated),
        applicableProductNames: s.products,
        startDate: epoch(s.start),
        endDate: epoch(s.end),
        exhaustDate: r.exhaustDate === null ? undefined : epoch(r.exhaustDate),
        applicationType: s.applicationType,
        shareableAccounts: s.shareableAccounts,
        accountHasCreditSharingEnabled: s.accountHasCreditSharingEnabled,
        creditConsoleVisibility: s.consoleVisibility,
        creditSharingType: s.sharing,
        costCategoryArn: s.sharing === 'COST_CATEGORY_RULE' ? COST_CATEGORY_ARN : undefined,
        ruleName: s.ruleName,
        creditStatus: s.creditStatus,
        purchaseTypeApplications: s.purchaseTypeApplications,
      };
    }),
  };

  const description = new Map(AWS_CREDITS.map((c) => [c.creditId, c.description]));
  const sorted = [...allocations].sort((a, b) =>
    b.k - a.k || (a.creditId < b.creditId ? -1 : a.creditId > b.creditId ? 1 : 0) ||
    (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0) || (a.service < b.service ? -1 : 1));
  const entries = sorted.map((a) => ({
    creditId: a.creditId,
    creditAmount: awsAmount(-a.units),
    description: description.get(a.creditId)!,
    accountId: a.accountId,
    appliedServiceName: a.service,
    billingMonth: ym(a.k),
    isEstimatedBill: a.estimated,
  }));
  const pageSize = Math.ceil(entries.length / 2);
  const nextToken = Buffer.from(JSON.stringify({ v: 1, offset: pageSize, asOf: DEMO_AS_OF })).toString('base64');
  const history1: Json = { creditAllocationHistoryList: entries.slice(0, pageSize), partialResults: false, failedMonths: [], nextToken };
  const history2: Json = { creditAllocationHistoryList: entries.slice(pageSize), partialResults: false, failedMonths: [] };

  const costCategory = COST_CATEGORY as unknown as Json;

  // README section
  const md: string[] = [];
  md.push('## AWS (demo/aws/)', '');
  md.push(`One organization (\`${ORG_ID}\`): payer (management) account \`${PAYER}\` "Example Corp" and ${AWS_ACCOUNTS.length - 1} linked accounts.`, '');
  md.push('| Account | Name | JoinedMethod | FundingSource value | Services it uses |', '| --- | --- | --- | --- | --- |');
  for (const a of AWS_ACCOUNTS) {
    md.push(`| \`${a.id}\`${a.id === PAYER ? ' (payer)' : ''} | ${a.name} | ${a.joinedMethod} | ${costCategoryValue(a)} | ${Object.keys(a.usage).join(', ')} |`);
  }
  md.push('', `Cost category \`FundingSource\` (${COST_CATEGORY_ARN}): rules, first match wins: GrantNSF = LINKED_ACCOUNT EQUALS 123456789012; ` +
    'Product = LINKED_ACCOUNT EQUALS 444455556666 OR LINKED_ACCOUNT_NAME STARTS_WITH "team-"; Sandbox = LINKED_ACCOUNT_NAME STARTS_WITH "sandbox-"; ' +
    'default Unallocated (the payer falls through to it).', '');
  md.push(`Credits (GetCredits, owner \`${PAYER}\`, all USD), as of ${DEMO_AS_OF}:`, '');
  md.push('| creditId | type | description | sharing | creditStatus | start .. end | initial | remaining | estimated | status | demonstrates |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const s = r.spec;
    const sharing = s.sharing === 'CUSTOM' ? `CUSTOM (${s.shareableAccounts!.join(', ')})` : s.sharing === 'COST_CATEGORY_RULE' ? `COST_CATEGORY_RULE (${s.ruleName})` : s.sharing;
    md.push(`| ${s.creditId} | ${s.creditType} | ${s.description} | ${sharing} | ${s.creditStatus} | ${isoDate(s.start).slice(0, 10)} .. ${isoDate(s.end).slice(0, 10)} | ` +
      `${awsAmountText(r.initial)} | ${awsAmountText(r.remaining)} | ${awsAmountText(r.estimated)} | ${awsStatus(r)}${s.expiringSoon ? ' (expiring soon)' : ''} | ${s.note} |`);
  }
  const exhausted = results.find((r) => r.exhaustDate !== null);
  md.push('');
  if (exhausted) md.push(`Credit ${exhausted.spec.creditId} ran out in ${isoDate(exhausted.exhaustDate!).slice(0, 7)} (exhaustDate ${isoDate(exhausted.exhaustDate!)}).`, '');
  md.push(`Allocation history (GetCreditAllocationHistory, ${ym(FIRST_MONTH)} .. ${ym(0)}): ${entries.length} entries, one per credit x linked account x service x month, ` +
    `\`billingMonth\` descending, split into two pages of at most ${pageSize} (as if requested with \`maxResults\` = ${pageSize}); page 1 carries \`nextToken\`. ` +
    `Only ${ym(0)} has \`isEstimatedBill: true\`.`, '');
  md.push('| creditId | final months | applied in final months | applied in ' + ym(0) + ' (estimated) |', '| --- | --- | --- | --- |');
  for (const r of results) {
    const months = [...new Set(allocations.filter((a) => a.creditId === r.spec.creditId && !a.estimated).map((a) => a.k))].sort((a, b) => a - b);
    const range = months.length === 0 ? '-' : `${ym(months[0])} .. ${ym(months[months.length - 1])}`;
    md.push(`| ${r.spec.creditId} | ${range} | ${awsAmountText(r.finalApplied)} | ${awsAmountText(r.estimatedApplied)} |`);
  }
  md.push('');

  return {
    files: {
      'aws/organizations-list-accounts.json': accounts,
      'aws/cost-category-funding-source.json': costCategory,
      'aws/get-credits.json': credits,
      'aws/credit-allocation-history-page-1.json': history1,
      'aws/credit-allocation-history-page-2.json': history2,
    },
    readme: md,
  };
}

// ---------------------------------------------------------------------------------------------
// Azure: billing account, profiles, lots, events
// ---------------------------------------------------------------------------------------------

const BILLING_ACCOUNT = '5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31';
const BILLING_ACCOUNT_ID = `/providers/Microsoft.Billing/billingAccounts/${BILLING_ACCOUNT}`;

interface ProfileSpec {
  name: string;
  displayName: string;
  currency: 'USD' | 'EUR';
  systemId: string;
  sections: { name: string; displayName: string }[];
  /** Monthly credit-eligible charges in whole units of the billing currency, before jitter. */
  demand: number;
  seed: number;
  /** Lots listed per page in the lots files. */
  lotPages: number[];
}

const PROFILES: ProfileSpec[] = [
  { name: 'PBFV-AB12-CD3-EF4', displayName: 'Development', currency: 'USD', systemId: '1AB2-CD3E-FG4-HIJK-LMN',
    sections: [{ name: 'XYZ1-AB12-PJA-TGB', displayName: 'ML platform' }, { name: 'QRS2-CD34-PJA-TGB', displayName: 'Web' }],
    demand: 2500, seed: 5150, lotPages: [5, 3] },
  { name: 'QWER-1234-ABC-567', displayName: 'Production EU', currency: 'EUR', systemId: '2BC3-DE4F-GH5-IJKL-MNO',
    sections: [{ name: 'LMN3-EF56-PJA-TGB', displayName: 'Data platform EU' }, { name: 'TUV4-GH78-PJA-TGB', displayName: 'Customer portal EU' }],
    demand: 3000, seed: 4030, lotPages: [3] },
];

function profileId(p: ProfileSpec): string {
  return `${BILLING_ACCOUNT_ID}/billingProfiles/${p.name}`;
}

/** USD -> EUR rate per month (units of 1e-4), for the lot whose credit currency differs. */
const USD_EUR_RATE: Record<number, bigint> = {
  [-11]: 8612n, [-10]: 8578n, [-9]: 8531n, [-8]: 8566n, [-7]: 8604n, [-6]: 8647n,
  [-5]: 8689n, [-4]: 8655n, [-3]: 8621n, [-2]: 8590n, [-1]: 8573n, [0]: 8609n,
};

type LotSource = 'PurchasedCredit' | 'PromotionalCredit' | 'ConsumptionCommitment';
type LotStatus = 'None' | 'Active' | 'Inactive' | 'Expired' | 'Complete' | 'Canceled';

interface LotSpec {
  name: string;
  profile: string;
  source: LotSource;
  creditCurrency: 'USD' | 'EUR';
  original: string;
  start: number;
  expiration: number;
  purchased: number;
  poNumber?: string;
  reseller?: boolean;
  status: LotStatus;
  /** Canceled on this instant (an UnKnown event with canceledCredit). */
  canceledAt?: number;
  /** Added in the open period: a PendingNewCredit event, balance estimated. */
  pendingNew?: boolean;
  /** lotSource written on this lot's events when it differs from `source` (real payloads do this). */
  eventLotSource?: string;
  /** Carries the 2024-08-01 fields usedAmount and OrganizationType. */
  organizationType?: 'Primary' | 'Contributor';
  /** Leave out the ...InBillingCurrency amounts (optional in real payloads). */
  omitBillingCurrency?: boolean;
  note: string;
}

const USD_P = PROFILES[0].name;
const EUR_P = PROFILES[1].name;

const LOTS: LotSpec[] = [
  { name: 'G100200301', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '6000.00',
    start: monthStart(-3), expiration: dayOf(1, 10, 23, 59, 59), purchased: monthStart(-3), status: 'Active',
    note: 'active, expires within 30 days; first drawn in the open month; a pending adjustment' },
  { name: 'G100200302', profile: USD_P, source: 'PurchasedCredit', creditCurrency: 'USD', original: '20000.00',
    start: monthStart(-8), expiration: endOfMonth(3), purchased: dayOf(-9, 20), poNumber: 'PO-88231', reseller: true, status: 'Active',
    note: 'active purchased credit bought through a reseller (reseller on the lot and its events)' },
  { name: 'G100200303', profile: USD_P, source: 'PurchasedCredit', creditCurrency: 'USD', original: '18000.00',
    start: monthStart(-11), expiration: endOfMonth(-6), purchased: dayOf(-12, 28), poNumber: 'PO-77120', status: 'Expired',
    note: 'expired with a balance left (settled CreditExpired event with an invoice number); one settled adjustment' },
  { name: 'G100200304', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '2000.00',
    start: monthStart(2), expiration: endOfMonth(13), purchased: dayOf(-1, 14), status: 'Inactive', omitBillingCurrency: true,
    note: 'inactive: starts in the future, no events yet; no ...InBillingCurrency amounts' },
  { name: 'G100200305', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '4000.00',
    start: monthStart(-11), expiration: endOfMonth(1), purchased: monthStart(-11), status: 'Complete',
    note: 'complete: used up before its expiry, closedBalance 0' },
  { name: 'G100200306', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '3000.00',
    start: monthStart(-9), expiration: endOfMonth(2), purchased: monthStart(-9), status: 'Canceled', canceledAt: dayOf(-7, 14, 9, 30),
    note: 'canceled before it was used (an UnKnown event carrying canceledCredit)' },
  { name: 'G100200307', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '12000.00',
    start: monthStart(-3), expiration: dayOf(0, 15, 23, 59, 59), purchased: monthStart(-3), status: 'Expired',
    note: 'expired in the open month: closedBalance is as of the last invoice, the expiry is a PendingExpiredCredit event' },
  { name: 'G100200308', profile: USD_P, source: 'PurchasedCredit', creditCurrency: 'USD', original: '1500.00',
    start: ANCHOR - 6 * DAY, expiration: ANCHOR - 6 * DAY + 365 * DAY - 1000, purchased: ANCHOR - 6 * DAY, poNumber: 'PO-90412', status: 'None', pendingNew: true,
    note: 'status None: bought in the open month, not yet on an invoice (PendingNewCredit, isEstimatedBalance true)' },
  { name: 'G200300401', profile: EUR_P, source: 'ConsumptionCommitment', creditCurrency: 'EUR', original: '40000.00',
    start: monthStart(-10), expiration: endOfMonth(1), purchased: dayOf(-11, 15), status: 'Active', organizationType: 'Primary',
    note: 'active commitment, expires within 60 days; carries the 2024-08-01 fields usedAmount and OrganizationType' },
  { name: 'G200300402', profile: EUR_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '10000.00',
    start: monthStart(-1), expiration: dayOf(1, 20, 23, 59, 59), purchased: monthStart(-1), status: 'Active',
    note: 'USD credit on the EUR profile: every amount also in EUR with a non-1 exchangeRate; expires within 30 days' },
  { name: 'G200300403', profile: EUR_P, source: 'PurchasedCredit', creditCurrency: 'EUR', original: '33000.00',
    start: monthStart(-11), expiration: endOfMonth(-3), purchased: dayOf(-12, 22), poNumber: 'PO-EU-55102', status: 'Expired',
    eventLotSource: 'AzurePrepayment',
    note: 'expired with a balance left; its events use the off-spec values eventType "ExpiredCredit" and lotSource "AzurePrepayment"' },
];

/** Settled adjustments (cents, signed) folded into a lot's SettledCharges event of month k. */
const SETTLED_ADJUSTMENTS: { lot: string; k: number; cents: bigint }[] = [
  { lot: 'G100200303', k: -8, cents: 4530n },
  { lot: 'G200300403', k: -6, cents: 3000n },
];
/** Pending adjustments (cents, signed) in the open month. */
const PENDING_ADJUSTMENTS: { lot: string; cents: bigint }[] = [
  { lot: 'G100200301', cents: 12000n },
  { lot: 'G200300401', cents: -7500n },
];
/** Events written without billingProfileId, as some real payloads are. */
const WITHOUT_PROFILE_ID = new Set(['G100200307|SettledCharges|-2', 'G100200306|UnKnown', 'G200300403|ExpiredCredit']);

type EventType = 'SettledCharges' | 'PendingCharges' | 'PendingAdjustments' | 'PendingNewCredit' | 'PendingExpiredCredit' | 'UnKnown' | 'NewCredit' | 'CreditExpired' | 'ExpiredCredit';

interface LotEvent {
  date: number;
  seq: number;
  lot: LotSpec;
  eventType: EventType;
  description: string;
  /** Signed deltas in the credit currency (cents), and in the billing currency. */
  newCredit: bigint;
  adjustments: bigint;
  creditExpired: bigint;
  charges: bigint;
  canceledCredit: bigint;
  billing: { newCredit: bigint; adjustments: bigint; creditExpired: bigint; charges: bigint; canceledCredit: bigint };
  rate: bigint;
  rateMonth: number;
  pending: boolean;
  invoiceNumber: string;
  /** Month the event belongs to (for WITHOUT_PROFILE_ID keys). */
  k: number;
  minimal?: boolean;
}

interface LotResult {
  spec: LotSpec;
  original: bigint;
  /** Balance after the last settled event (credit currency cents). */
  closed: bigint;
  /** Balance after the pending events too. */
  estimated: bigint;
}

function rateFor(lot: LotSpec, profile: ProfileSpec, k: number): bigint {
  return lot.creditCurrency === profile.currency ? RATE_ONE : USD_EUR_RATE[k];
}

function invoiceDate(k: number): number {
  return dayOf(k + 1, 5);
}

function invoiceNumber(profileIndex: number, k: number): string {
  const d = new Date(invoiceDate(k));
  return `G${String(profileIndex + 1).padStart(2, '0')}${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}00${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** Days of period k during which the lot could pay (started, not expired, not canceled). */
function activeDays(lot: LotSpec, k: number): number {
  const p = periodOf(k);
  const from = Math.max(p.from, lot.start);
  const until = Math.min(p.to, lot.expiration + 1000, lot.canceledAt ?? Infinity);
  return Math.max(0, Math.ceil((until - from) / DAY));
}

function lotOrder(a: LotSpec, b: LotSpec): number {
  return a.expiration - b.expiration || (a.name < b.name ? -1 : 1);
}

function simulateProfile(profile: ProfileSpec, profileIndex: number): { events: LotEvent[]; results: LotResult[] } {
  const rng = makeRng(profile.seed);
  const lots = LOTS.filter((l) => l.profile === profile.name).sort(lotOrder);
  const balance = new Map<string, bigint>();
  const events: LotEvent[] = [];
  let seq = 0;
  const zero = { newCredit: 0n, adjustments: 0n, creditExpired: 0n, charges: 0n, canceledCredit: 0n };
  const add = (e: Omit<LotEvent, 'seq'>): void => {
    events.push({ ...e, seq: seq++ });
  };

  // New credits (settled when the lot starts in a closed period; pending when bought in the open one).
  for (const lot of lots) {
    if (lot.start > ANCHOR) continue;
    const k = monthIndexOf(lot.start);
    const rate = rateFor(lot, profile, k);
    const amount = parseUnits(lot.original, 2);
    add({ date: lot.start, lot, eventType: lot.pendingNew ? 'PendingNewCredit' : 'NewCredit',
      description: lot.pendingNew ? `New credit pending (purchase order ${lot.poNumber})` : 'New credits added',
      ...zero, newCredit: amount, billing: { ...zero, newCredit: convert(amount, rate) }, rate, rateMonth: monthNumber(k),
      pending: !!lot.pendingNew, invoiceNumber: '', k });
  }

  for (const k of MONTHS) {
    const open = k === 0;
    const days = periodDays(k);
    const base = BigInt(profile.demand) * 100n;
    const growth = 100n + BigInt((k - FIRST_MONTH) * 3);
    let demand = (base * growth * (88n + BigInt(rng.next(25)))) / 10_000n + BigInt(rng.next(100));
    if (open) demand = (demand * BigInt(days)) / BigInt(daysInMonth(k));
    const totalDemand = demand;

    // Lots join the balance when they start; cancellations take effect when they happen.
    for (const lot of lots) {
      if (!balance.has(lot.name) && lot.start < periodOf(k).to && !lot.pendingNew) balance.set(lot.name, parseUnits(lot.original, 2));
      if (lot.pendingNew && open) balance.set(lot.name, balance.get(lot.name) ?? parseUnits(lot.original, 2));
    }
    for (const lot of lots) {
      if (lot.canceledAt !== undefined && monthIndexOf(lot.canceledAt) === k) {
        const left = balance.get(lot.name)!;
        add({ date: lot.canceledAt, lot, eventType: 'UnKnown', description: 'Credit canceled', ...zero, canceledCredit: -left,
          billing: { ...zero, canceledCredit: convert(-left, rateFor(lot, profile, k)) }, rate: rateFor(lot, profile, k), rateMonth: monthNumber(k),
          pending: false, invoiceNumber: '', k });
        balance.set(lot.name, 0n);
      }
    }

    const date = open ? ANCHOR - DAY : invoiceDate(k);
    for (const lot of lots) {
      if (!balance.has(lot.name)) continue;
      const adjustment = open
        ? 0n
        : sumBig(SETTLED_ADJUSTMENTS.filter((a) => a.lot === lot.name && a.k === k).map((a) => a.cents));
      const rate = rateFor(lot, profile, k);
      let bal = balance.get(lot.name)! + adjustment;
      let charged = 0n;
      let chargedBilling = 0n;
      const share = activeDays(lot, k);
      if (share > 0 && bal > 0n && demand > 0n) {
        // A lot active for part of the period can only pay for charges of those days.
        const cap = minBig(demand, (totalDemand * BigInt(share)) / BigInt(days));
        if (rate === RATE_ONE) {
          charged = minBig(bal, cap);
          chargedBilling = charged;
        } else {
          charged = minBig(bal, (cap * RATE_ONE) / rate);
          chargedBilling = convert(charged, rate);
          // A credit cent is worth less than a billing cent here, so stepping one credit cent at a
          // time reaches the charge exactly (no 1-cent remainder left to the next lot).
          while (charged < bal && convert(charged + 1n, rate) <= cap) charged += 1n;
          while (convert(charged, rate) > cap) charged -= 1n;
          chargedBilling = convert(charged, rate);
        }
        bal -= charged;
        demand -= chargedBilling;
      }
      balance.set(lot.name, bal);
      if (charged !== 0n || adjustment !== 0n) {
        const expiresInPeriod = lot.expiration < periodOf(k).to;
        add({ date: open && expiresInPeriod ? dayOf(0, new Date(lot.expiration).getUTCDate()) : date, lot,
          eventType: open ? 'PendingCharges' : 'SettledCharges',
          description: `${open ? 'Pending charges' : 'Charges'} for ${monthLabel(k)}`,
          ...zero, charges: -charged, adjustments: adjustment,
          billing: { ...zero, charges: -chargedBilling, adjustments: convert(adjustment, rate) }, rate, rateMonth: monthNumber(k),
          pending: open, invoiceNumber: open ? '' : invoiceNumber(profileIndex, k), k });
      }
    }

    // Lots that expired in this period lose what is left: settled on the period's invoice, or
    // pending when the period is still open.
    for (const lot of lots) {
      if (!balance.has(lot.name) || lot.expiration >= periodOf(k).to || lot.expiration < periodOf(k).from) continue;
      const left = balance.get(lot.name)!;
      if (left === 0n) continue;
      const rate = rateFor(lot, profile, k);
      const offSpec = lot.eventLotSource !== undefined;
      add({ date: open ? lot.expiration + 1000 : invoiceDate(k), lot,
        eventType: open ? 'PendingExpiredCredit' : offSpec ? 'ExpiredCredit' : 'CreditExpired',
        description: open ? 'Credit expired (settles on the next invoice)' : 'Credit expired',
        ...zero, creditExpired: -left, billing: { ...zero, creditExpired: convert(-left, rate) }, rate, rateMonth: monthNumber(k),
        pending: open, invoiceNumber: open ? '' : invoiceNumber(profileIndex, k), k, minimal: offSpec });
      balance.set(lot.name, 0n);
    }
    if (open) {
      for (const adj of PENDING_ADJUSTMENTS) {
        const lot = lots.find((l) => l.name === adj.lot);
        if (!lot) continue;
        const rate = rateFor(lot, profile, k);
        add({ date: ANCHOR - DAY, lot, eventType: 'PendingAdjustments', description: 'Pending credit adjustment',
          ...zero, adjustments: adj.cents, billing: { ...zero, adjustments: convert(adj.cents, rate) }, rate, rateMonth: monthNumber(k),
          pending: true, invoiceNumber: '', k });
      }
    }
  }

  // Replay the events in order: lots' settled and estimated balances.
  events.sort((a, b) => a.date - b.date || a.seq - b.seq);
  const closed = new Map<string, bigint>();
  const estimated = new Map<string, bigint>();
  for (const e of events) {
    const delta = e.newCredit + e.adjustments + e.creditExpired + e.charges + e.canceledCredit;
    const est = (estimated.get(e.lot.name) ?? 0n) + delta;
    if (est < 0n) throw new Error(`${e.lot.name} goes below zero at ${isoDate(e.date)}`);
    estimated.set(e.lot.name, est);
    if (!e.pending) closed.set(e.lot.name, (closed.get(e.lot.name) ?? 0n) + delta);
  }
  const results = lots.map((spec) => {
    const original = parseUnits(spec.original, 2);
    // Lots with no settled event yet (future, or bought in the open month) hold their original amount.
    const c = closed.has(spec.name) ? closed.get(spec.name)! : original;
    const e = estimated.has(spec.name) ? estimated.get(spec.name)! : original;
    return { spec, original, closed: c, estimated: e };
  });
  return { events, results };
}

function lotStatusFromFacts(r: LotResult, events: LotEvent[]): LotStatus {
  const s = r.spec;
  if (events.some((e) => e.lot === s && e.canceledCredit !== 0n)) return 'Canceled';
  if (s.pendingNew) return 'None';
  if (s.start > ANCHOR) return 'Inactive';
  if (s.expiration < ANCHOR) return 'Expired';
  if (r.closed === 0n) return 'Complete';
  return 'Active';
}

function azAmount(currency: string, cents: bigint): Json {
  return { currency, value: new Literal(azureAmountText(cents)) };
}
function azConverted(currency: string, cents: bigint, rate: bigint, month: number): Json {
  return { currency, value: new Literal(azureAmountText(cents)), exchangeRate: new Literal(rateText(rate)), exchangeRateMonth: month };
}
function etag(seed: string): string {
  return `"${hashHex(seed, 15)}"`;
}

function resellerOf(): Json {
  return { resellerId: `${BILLING_ACCOUNT_ID}/reseller/r1`, resellerDescription: 'Fabrikam Cloud Reseller' };
}

function buildAzure(): { files: Record<string, Json>; readme: string[] } {
  const files: Record<string, Json> = {};
  const md: string[] = [];

  files['azure/billing-accounts.json'] = {
    value: [{
      id: BILLING_ACCOUNT_ID,
      name: BILLING_ACCOUNT,
      type: 'Microsoft.Billing/billingAccounts',
      properties: {
        displayName: 'Contoso Research',
        accountStatus: 'Active',
        accountType: 'Enterprise',
        agreementType: 'MicrosoftCustomerAgreement',
        hasReadAccess: true,
        billingProfiles: {
          hasMoreResults: false,
          value: PROFILES.map((p) => ({
            id: profileId(p),
            name: p.name,
            type: 'Microsoft.Billing/billingAccounts/billingProfiles',
            properties: {
              displayName: p.displayName,
              currency: p.currency,
              invoiceDay: 5,
              status: 'Active',
              billingRelationshipType: 'Direct',
              systemId: p.systemId,
              hasReadAccess: true,
              invoiceSections: {
                hasMoreResults: false,
                value: p.sections.map((s) => ({
                  id: `${profileId(p)}/invoiceSections/${s.name}`,
                  name: s.name,
                  type: 'Microsoft.Billing/billingAccounts/billingProfiles/invoiceSections',
                  properties: { displayName: s.displayName, state: 'Active' },
                })),
              },
            },
          })),
        },
      },
    }],
  };

  md.push('## Azure MCA (demo/azure/)', '');
  md.push(`Billing account "Contoso Research" (\`${BILLING_ACCOUNT}\`, MicrosoftCustomerAgreement), invoice day 5 on every profile:`, '');
  md.push('| Billing profile | Display name | Currency | Invoice sections |', '| --- | --- | --- | --- |');
  for (const p of PROFILES) md.push(`| \`${p.name}\` | ${p.displayName} | ${p.currency} | ${p.sections.map((s) => `\`${s.name}\` ${s.displayName}`).join('; ')} |`);
  md.push('');

  const lotRows: string[] = [];
  const eventRows: string[] = [];
  const problems: string[] = [];

  PROFILES.forEach((profile, profileIndex) => {
    const { events, results } = simulateProfile(profile, profileIndex);
    if (process.env.DEMO_DEBUG) {
      for (const e of events) {
        console.error(`${profile.name} ${isoDate(e.date)} ${e.eventType} ${e.lot.name} new ${e.newCredit} adj ${e.adjustments} exp ${e.creditExpired} chg ${e.charges} cxl ${e.canceledCredit}${e.pending ? ' pending' : ''}`);
      }
      for (const r of results) console.error(`${r.spec.name} original ${r.original} closed ${r.closed} estimated ${r.estimated}`);
    }
    const lastClosedK = -1;
    const lotsJson = results.map((r) => {
      const s = r.spec;
      const status = lotStatusFromFacts(r, events);
      if (status !== s.status) problems.push(`${s.name}: facts say ${status}, spec says ${s.status}`);
      const kStart = monthIndexOf(s.start);
      const startRate = rateFor(s, profile, Math.max(FIRST_MONTH, Math.min(0, kStart)));
      const closedRate = rateFor(s, profile, lastClosedK);
      const id = `${profileId(profile)}/providers/Microsoft.Consumption/lots/${s.name}`;
      const tag = etag(`lot|${s.name}|${DEMO_AS_OF}|${r.closed}`);
      return {
        id,
        name: s.name,
        type: 'Microsoft.Consumption/lots',
        eTag: tag,
        properties: {
          creditCurrency: s.creditCurrency,
          billingCurrency: profile.currency,
          originalAmount: azAmount(s.creditCurrency, r.original),
          originalAmountInBillingCurrency: s.omitBillingCurrency ? undefined
            : azConverted(profile.currency, convert(r.original, startRate), startRate, monthNumber(Math.max(FIRST_MONTH, Math.min(0, kStart)))),
          closedBalance: azAmount(s.creditCurrency, r.closed),
          closedBalanceInBillingCurrency: s.omitBillingCurrency ? undefined
            : azConverted(profile.currency, convert(r.closed, closedRate), closedRate, monthNumber(lastClosedK)),
          usedAmount: s.organizationType ? azAmount(s.creditCurrency, r.original - r.closed) : undefined,
          source: s.source,
          startDate: isoDate(s.start),
          expirationDate: isoDate(s.expiration),
          purchasedDate: isoDate(s.purchased),
          poNumber: s.poNumber,
          reseller: s.reseller ? resellerOf() : undefined,
          status: s.status,
          isEstimatedBalance: !!s.pendingNew,
          eTag: tag,
          OrganizationType: s.organizationType,
        },
      };
    });
    let offset = 0;
    profile.lotPages.forEach((count, i) => {
      const page = lotsJson.slice(offset, offset + count);
      offset += count;
      const last = i === profile.lotPages.length - 1;
      const skip = Buffer.from(`lots:${profile.name}:${offset}`).toString('base64');
      files[`azure/lots-${profile.name}-page-${i + 1}.json`] = {
        value: page,
        nextLink: last ? undefined
          : `https://management.azure.com${profileId(profile)}/providers/Microsoft.Consumption/lots?api-version=2023-03-01&$skiptoken=${encodeURIComponent(skip)}`,
      };
    });
    if (offset !== lotsJson.length) problems.push(`${profile.name}: lot pages cover ${offset} of ${lotsJson.length} lots`);

    // Running balance per credit currency (a profile's lots in another currency run separately).
    const running = new Map<string, bigint>();
    const countByDay = new Map<string, number>();
    const eventsJson = events.map((e) => {
      const cur = e.lot.creditCurrency;
      const delta = e.newCredit + e.adjustments + e.creditExpired + e.charges + e.canceledCredit;
      const bal = (running.get(cur) ?? 0n) + delta;
      running.set(cur, bal);
      const day = isoDate(e.date).slice(0, 10);
      const n = (countByDay.get(day) ?? 0) + 1;
      countByDay.set(day, n);
      const name = `ev-${day}-${String(n).padStart(2, '0')}`;
      const key = e.eventType === 'SettledCharges' ? `${e.lot.name}|${e.eventType}|${e.k}` : `${e.lot.name}|${e.eventType}`;
      const bc = profile.currency;
      const conv = (cents: bigint): Json => azConverted(bc, cents, e.rate, e.rateMonth);
      const full = !e.minimal;
      return {
        id: `${profileId(profile)}/providers/Microsoft.Consumption/events/${name}`,
        name,
        type: 'Microsoft.Consumption/events',
        eTag: etag(`event|${profile.name}|${name}|${bal}`),
        properties: {
          transactionDate: isoDate(e.date),
          description: e.description,
          eventType: e.eventType,
          creditCurrency: cur,
          billingCurrency: bc,
          lotId: e.lot.name,
          lotSource: e.lot.eventLotSource ?? e.lot.source,
          newCredit: full ? azAmount(cur, e.newCredit) : undefined,
          newCreditInBillingCurrency: full ? conv(e.billing.newCredit) : undefined,
          adjustments: full ? azAmount(cur, e.adjustments) : undefined,
          adjustmentsInBillingCurrency: full ? conv(e.billing.adjustments) : undefined,
          creditExpired: azAmount(cur, e.creditExpired),
          creditExpiredInBillingCurrency: conv(e.billing.creditExpired),
          charges: full ? azAmount(cur, e.charges) : undefined,
          chargesInBillingCurrency: full ? conv(e.billing.charges) : undefined,
          canceledCredit: full ? azAmount(cur, e.canceledCredit) : undefined,
          canceledCreditInBillingCurrency: full ? conv(e.billing.canceledCredit) : undefined,
          closedBalance: azAmount(cur, bal),
          closedBalanceInBillingCurrency: conv(convert(bal, e.rate)),
          invoiceNumber: e.invoiceNumber,
          billingProfileId: WITHOUT_PROFILE_ID.has(key) ? undefined : profileId(profile),
          billingProfileDisplayName: profile.displayName,
          reseller: e.lot.reseller ? resellerOf() : undefined,
          isEstimatedBalance: e.pending,
          eTag: etag(`event|${profile.name}|${name}|${bal}`),
        },
      };
    });
    files[`azure/events-${profile.name}.json`] = { value: eventsJson };

    // Consistency: the last settled balance of each currency = the lots' closedBalance (lots with
    // a settled new credit); after the pending events = the lots' estimated balances.
    for (const cur of new Set(results.map((r) => r.spec.creditCurrency))) {
      const mine = results.filter((r) => r.spec.creditCurrency === cur);
      const settledLots = mine.filter((r) => events.some((e) => e.lot === r.spec && e.eventType === 'NewCredit'));
      const lastSettled = [...events].reverse().find((e) => !e.pending && e.lot.creditCurrency === cur);
      let settledRunning = 0n;
      for (const e of events) if (!e.pending && e.lot.creditCurrency === cur) settledRunning += e.newCredit + e.adjustments + e.creditExpired + e.charges + e.canceledCredit;
      const sumClosed = sumBig(settledLots.map((r) => r.closed));
      if (lastSettled && settledRunning !== sumClosed) problems.push(`${profile.name} ${cur}: settled balance ${settledRunning} != sum of closedBalance ${sumClosed}`);
      const sumEstimated = sumBig(mine.filter((r) => events.some((e) => e.lot === r.spec)).map((r) => r.estimated));
      if (running.get(cur) !== sumEstimated) problems.push(`${profile.name} ${cur}: estimated balance ${running.get(cur)} != lots ${sumEstimated}`);
    }
    for (const r of results) {
      const mine = events.filter((e) => e.lot === r.spec && !e.pending);
      const moved = sumBig(mine.map((e) => e.charges + e.creditExpired + e.canceledCredit + e.adjustments));
      const expected = r.spec.pendingNew || r.spec.start > ANCHOR ? 0n : r.closed - r.original;
      if (moved !== expected) problems.push(`${r.spec.name}: original + settled movements != closedBalance`);
      if (r.estimated > r.closed + sumBig(PENDING_ADJUSTMENTS.filter((a) => a.lot === r.spec.name && a.cents > 0n).map((a) => a.cents)) && !r.spec.pendingNew) {
        problems.push(`${r.spec.name}: estimated above closed`);
      }
      if (r.spec.status === 'Active' && r.estimated <= 0n) problems.push(`${r.spec.name}: active lot ran out`);
      if (r.spec.status === 'Expired' && !events.some((e) => e.lot === r.spec && e.creditExpired !== 0n)) problems.push(`${r.spec.name}: expired without an expiry event`);
      const sett = events.filter((e) => e.lot === r.spec && e.eventType === 'SettledCharges').map((e) => e.k);
      if (new Set(sett).size !== sett.length) problems.push(`${r.spec.name}: more than one SettledCharges event in a month`);
    }

    for (const r of results) {
      const s = r.spec;
      const soon = s.status === 'Active' && s.expiration <= ANCHOR + 30 * DAY ? ' (expires within 30 days)' : '';
      lotRows.push(`| \`${s.name}\` | ${profile.displayName} | ${s.source} | ${s.status}${soon} | ${s.creditCurrency}/${profile.currency} | ` +
        `${azureAmountText(r.original)} | ${azureAmountText(r.closed)} | ${azureAmountText(r.estimated)} | ${isoDate(s.start).slice(0, 10)} .. ${isoDate(s.expiration).slice(0, 10)} | ${s.note} |`);
    }
    const byType = new Map<string, number>();
    for (const e of events) byType.set(e.eventType, (byType.get(e.eventType) ?? 0) + 1);
    const balances = [...running.entries()].map(([cur, v]) => `${azureAmountText(v)} ${cur}`).join(', ');
    eventRows.push(`| \`${profile.name}\` (${profile.displayName}) | ${events.length} | ${[...byType.entries()].map(([t, n]) => `${t} ${n}`).join(', ')} | ${balances} |`);
  });

  const allTypes = new Set<string>();
  for (const [path, json] of Object.entries(files)) {
    if (!path.startsWith('azure/events-')) continue;
    for (const ev of (json as { value: { properties: { eventType: string } }[] }).value) allTypes.add(ev.properties.eventType);
  }
  for (const t of ['SettledCharges', 'PendingCharges', 'PendingAdjustments', 'PendingNewCredit', 'PendingExpiredCredit', 'UnKnown', 'NewCredit', 'CreditExpired', 'ExpiredCredit']) {
    if (!allTypes.has(t)) problems.push(`no event of type ${t}`);
  }
  for (const st of ['None', 'Active', 'Inactive', 'Expired', 'Complete', 'Canceled']) if (!LOTS.some((l) => l.status === st)) problems.push(`no lot with status ${st}`);
  if (problems.length > 0) throw new Error(`Azure data inconsistent:\n  ${problems.join('\n  ')}`);

  md.push(`Lots (Microsoft.Consumption/lots, api-version 2023-03-01) as of ${DEMO_AS_OF}; amounts in the credit currency; closedBalance is as of the last invoice (${isoDate(invoiceDate(-1)).slice(0, 10)}), "estimated" is after the open month's pending events:`, '');
  md.push('| Lot | Profile | source | status | credit/billing currency | original | closedBalance | estimated | start .. expiration | demonstrates |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  md.push(...lotRows, '');
  md.push('Events (Microsoft.Consumption/events), one file per profile, oldest first:', '');
  md.push('| Profile | events | by eventType | balance after the last event |', '| --- | --- | --- | --- |');
  md.push(...eventRows, '');
  md.push('The Development profile alone carries all eight eventTypes of the spec; the Production EU profile adds the off-spec',
    '`ExpiredCredit` / `AzurePrepayment` values and the second currency. SettledCharges: one event per lot that paid, per month,',
    'dated on the invoice day after the month and carrying that invoice\'s number; NewCredit events are dated on the lot\'s start.', '');
  return { files, readme: md };
}

// ---------------------------------------------------------------------------------------------
// README and output
// ---------------------------------------------------------------------------------------------

function readme(aws: string[], azure: string[], files: string[]): string {
  const lines = [
    '# Demo dataset',
    '',
    `Generated by \`scripts/generate-demo-data.ts\` as of **${DEMO_AS_OF}** (the constant \`DEMO_AS_OF\`): every date is`,
    'relative to that day, so every status below holds on it. Each file is exactly in its provider\'s own',
    'JSON shape (the provider API responses the root README lists), so the ingest paths read it as they would read a real export.',
    'Do not edit the files by hand: change the generator and regenerate.',
    '',
    '```',
    'npm run build && node dist/scripts/generate-demo-data.js demo',
    '```',
    '',
    'The output is deterministic (fixed seed, no clock): regenerating gives byte-identical files.',
    '',
    '## Files',
    '',
    ...files.map((f) => `- \`${f}\``),
    '',
    '## How the data is made',
    '',
    `- Usage is generated per month (${ym(FIRST_MONTH)} .. ${ym(0)}), account/profile and service from a fixed seed; the open month ${ym(0)}`,
    `  holds the charges up to ${isoDate(ANCHOR - DAY).slice(0, 10)} only and is estimated (AWS \`isEstimatedBill: true\`, Azure pending events).`,
    '- Credits pay for it in the project\'s order: the credit that expires first; then restricted credits (owner only, listed',
    '  accounts, cost category) before organization-wide ones; then by id. A credit pays only while active (started, not',
    '  expired, not paused, balance left), only for its applicable services, only for accounts in its sharing scope.',
    '- Money is exact: AWS amounts are decimal strings (two places when whole cents, ten otherwise, as AWS writes them);',
    '  Azure amounts are JSON number literals with two places written into the text by hand (never through a float).',
    '- Invariants the generator checks before writing (it refuses to write otherwise), and that the demo satisfies:',
    '  - AWS, every credit: `initialAmount = remainingAmount + sum(-creditAmount of its final allocations)` (the expired credit',
    '    keeps the balance it had when it expired), `estimatedAmount = remainingAmount - sum(-creditAmount of its ' + ym(0) + ' allocations)`,',
    '    and `0 <= estimatedAmount <= remainingAmount`.',
    '  - Azure, every lot: `originalAmount` + the sum of `adjustments + charges + creditExpired + canceledCredit` over its settled',
    '    events = `closedBalance` (charges, creditExpired and canceledCredit are negative; adjustments carry their own sign).',
    '    Each `...InBillingCurrency.value` is the credit-currency value times `exchangeRate`, rounded half away from zero to the cent.',
    '  - Azure, every event: `closedBalance` is the profile\'s running balance right after the event, per credit currency',
    '    (the EUR profile\'s USD lot runs its own USD balance; `closedBalanceInBillingCurrency` converts it at the event\'s rate).',
    '    Settled events carry the closed balance; pending events (`isEstimatedBalance: true`, empty `invoiceNumber`) continue',
    '    from it, so the last event shows the estimated balance. The last settled balance equals the sum of `closedBalance`',
    '    over the lots that have a settled NewCredit event.',
    '',
    ...aws,
    ...azure,
    '## Things worth knowing',
    '',
    '- AWS `creditConsoleVisibility` and `purchaseTypeApplications` are typed by the AWS SDK models (a string, and a list of',
    '  strings where omitted means every purchase type) but their values are not documented: `"VISIBLE"` and',
    '  `["OnDemand", "SavingsPlans"]` here are illustrative. Credit 90000000003 omits `applicationType` (optional).',
    '- AWS `JoinedTimestamp` is written the way the AWS CLI prints it (`2019-03-14T17:22:53.101000+00:00`).',
    '- Azure lot `G100200307` expired on ' + isoDate(LOTS.find((l) => l.name === 'G100200307')!.expiration).slice(0, 10) + ', after the last invoice: its status is Expired and its',
    '  closedBalance still shows what it held at that invoice; the loss is a PendingExpiredCredit event until the next invoice.',
    '  So "available balance = sum of closedBalance over Active lots" is lower than the last settled event balance by that amount.',
    '- Azure lot `G100200308` (status None) was bought in the open month: closedBalance = originalAmount with',
    '  `isEstimatedBalance: true`, and only a PendingNewCredit event.',
    '- A lot active for part of a month (started or expired mid-month) pays only for that share of the month\'s charges.',
    '- Real-payload quirks on purpose: `"eventType": "ExpiredCredit"` and `"lotSource": "AzurePrepayment"` (lot G200300403, whose',
    '  lot `source` is PurchasedCredit); some events without `billingProfileId`; lot G100200304 without the',
    '  `...InBillingCurrency` amounts; the ExpiredCredit event carries only creditExpired and closedBalance amounts.',
    '- The USD credit on the EUR profile (G200300402) is converted at a monthly USD->EUR rate; charges are drawn in EUR and',
    '  converted back at that rate, rounded half away from zero to the cent.',
    '',
  ];
  return lines.join('\n');
}

export function generate(outDir: string): string[] {
  const aws = buildAws();
  const azure = buildAzure();
  const files = { ...aws.files, ...azure.files };
  const written: string[] = [];
  const texts: [string, string][] = Object.entries(files).map(([path, json]) => [path, `${toJson(json)}\n`]);
  for (const [path, text] of texts) {
    if (Buffer.byteLength(text) > 400_000) throw new Error(`${path} is too large (${Buffer.byteLength(text)} bytes)`);
    JSON.parse(text); // well-formed
  }
  const names = texts.map(([p]) => p).sort();
  texts.push(['README.md', readme(aws.readme, azure.readme, names)]);
  for (const [path, text] of texts) {
    const full = join(outDir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    written.push(full);
  }
  return written;
}

if (require.main === module) {
  const outDir = process.argv[2] ?? 'demo';
  const written = generate(outDir);
  for (const f of written) console.log(`wrote ${f}`);
}

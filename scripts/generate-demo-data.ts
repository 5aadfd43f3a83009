/**
 * Deterministic generator of the demo dataset: the providers' snapshots "as granted" (every
 * credit and lot before any usage) plus 12 months of billing files, from which the product itself
 * computes balances, AWS allocation history and Azure charge events. It renders the demo for any
 * as-of day; the copy checked in under demo/ is the rendering for DEMO_AS_OF (2026-11-22), which
 * the tests use, and `npm start` renders the day of its first start into DATA_DIR/demo-<day>/.
 *
 *   npm run build && node dist/scripts/generate-demo-data.js [outDir] [--as-of YYYY-MM-DD]
 *   (defaults: demo, DEMO_AS_OF)
 *
 * - AWS: Organizations ListAccounts, the FundingSource cost category, GetCredits with
 *   remaining = estimated = initial, and one Programmatic Billing CSV per month.
 * - Azure MCA: billing accounts (profiles, invoice sections), lots with closedBalance =
 *   originalAmount, one NewCredit event per started lot, and one cost details CSV per billing
 *   profile per month.
 *
 * Every date is relative to the as-of day (the anchor): months before it, days before or after
 * it; the open month (the anchor's) is estimated and holds usage up to the day before the anchor.
 * The story (which credit is active, used up, expired, expiring within 30/60/90 days) is the same
 * on any day. Usage comes from fixed seeds (integers only), and money never touches a binary
 * float: BigInt units, written as decimal text. The same day always gives byte-identical files.
 *
 * Before anything is written to outDir the generator checks the data with the project's own code:
 * it writes the CSVs to a temporary folder, reads them back with the real parsers
 * (subgraphs/aws/charges/billing-csv.ts, subgraphs/azure/charges/cost-details-csv.ts), applies them
 * with the real engine (lib/domain/charges, applyCharges) exactly as the ingest does, and refuses to finish
 * when a parser rejects a file or the story the README tells does not hold on that day. The
 * README's balance tables are the engine's results.
 *
 * DEMO_DEBUG=1 prints the engine's per-month applications to stderr (handy when tuning usage).
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { formatExact, parseExact } from '../lib/domain/charges/amount';
import { applyCharges } from '../lib/domain/charges/engine';
import type { CreditOutcome, CreditScope, EngineCredit, EnginePeriod, EngineResult } from '../lib/domain/charges/types';
import { deriveStatus, expiresWithin, isExpiringSoon } from '../lib/domain/credit-status';
import type { CreditStatus } from '../lib/domain/provider-contract';
import { checkDay } from '../lib/platform/today';
import { AWS_BILLING_COLUMNS, parseAwsBillingCsv } from '../subgraphs/aws/charges/billing-csv';
import { parseCostDetailsCsv } from '../subgraphs/azure/charges/cost-details-csv';

/** The day the dataset describes. Change it and every date moves with it. */
export const DEMO_AS_OF = '2026-11-22';

// ---------------------------------------------------------------------------------------------
// Dates (relative to the anchor)
// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000;
/** Months of billing files: k = -11 .. 0, where 0 is the anchor's (open, estimated) month. */
const FIRST_MONTH = -11;
const MONTHS: number[] = Array.from({ length: 1 - FIRST_MONTH }, (_, i) => FIRST_MONTH + i);

/** Checks an as-of day (YYYY-MM-DD, a calendar day from 2000 to 2999) and returns it; throws a DayError naming it. */
export function checkAsOf(value: string): string {
  return checkDay(value, "the demo's as-of day");
}

/** Every date of the dataset, relative to the as-of day (the anchor): month k = 0 is the anchor's, the open month. */
class Calendar {
  readonly asOf: string;
  /** Midnight UTC at the start of the anchor day. */
  readonly anchor: number;
  /** The instant statuses are computed at in the README: the anchor day's midnight. */
  readonly nowIso: string;
  private readonly y: number;
  private readonly m: number;
  /** The anchor's day of the month (1-based). */
  readonly day: number;

  constructor(asOf: string) {
    this.asOf = checkAsOf(asOf);
    [this.y, this.m, this.day] = asOf.split('-').map(Number);
    this.anchor = Date.UTC(this.y, this.m - 1, this.day);
    this.nowIso = `${asOf}T00:00:00Z`;
  }

  /** First instant of month k relative to the anchor month. */
  monthStart(k: number): number {
    return Date.UTC(this.y, this.m - 1 + k, 1);
  }
  /** Day `day` (1-based) of month k, at hh:mm:ss UTC. */
  dayOf(k: number, day: number, hh = 0, mm = 0, ss = 0): number {
    return Date.UTC(this.y, this.m - 1 + k, day, hh, mm, ss);
  }
  /** The last second of the day before month k + 1 starts (Azure writes expirations like this). */
  endOfMonth(k: number): number {
    return this.monthStart(k + 1) - 1000;
  }
  /** `days` days after (before, if negative) the anchor, at hh:mm:ss UTC. */
  daysFromAnchor(days: number, hh = 0, mm = 0, ss = 0): number {
    return this.anchor + days * DAY + ((hh * 60 + mm) * 60 + ss) * 1000;
  }
  ym(k: number): string {
    return isoDate(this.monthStart(k)).slice(0, 7);
  }
  monthNumber(k: number): number {
    return new Date(this.monthStart(k)).getUTCMonth() + 1;
  }
  /** Month index k of an instant. */
  monthIndexOf(ms: number): number {
    const d = new Date(ms);
    return (d.getUTCFullYear() - this.y) * 12 + d.getUTCMonth() - (this.m - 1);
  }
  daysInMonth(k: number): number {
    return Math.round((this.monthStart(k + 1) - this.monthStart(k)) / DAY);
  }
  /**
   * Days of month k that have usage: the whole month, or in the open month up to the day before
   * the anchor. On the 1st of a month the open month holds that first day, so it is never empty
   * (month-to-date figures always have a month to show).
   */
  usageDays(k: number): number {
    return k === 0 ? Math.max(1, this.day - 1) : this.daysInMonth(k);
  }
}

/** ISO-8601 with a Z and no milliseconds: 2026-11-22T00:00:00Z. */
function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
function isoDay(ms: number): string {
  return isoDate(ms).slice(0, 10);
}
function yearOf(ms: number): number {
  return new Date(ms).getUTCFullYear();
}
/** Epoch seconds (AWS Billing API dates). */
function epoch(ms: number): number {
  return Math.floor(ms / 1000);
}
/** AWS CLI style timestamp: 2019-03-14T17:22:53.101000+00:00 */
function awsCliTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}
/** Programmatic Billing dates: 2026/10/01 00:00:00 */
function awsCsvDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/');
}

// ---------------------------------------------------------------------------------------------
// Exact money
// ---------------------------------------------------------------------------------------------

/** Billing-file amounts: BigInt units of 1e-10 (AWS and Azure CSVs write ten places). */
const SCALE = 10_000_000_000n;
/** Exchange rates: BigInt units of 1e-4. */
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

/** Writes units of 10^-scale with exactly `places` places (never dropping a non-zero digit). */
function formatUnits(units: bigint, scale: number, places: number): string {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const base = 10n ** BigInt(scale);
  const int = abs / base;
  let frac = (abs % base).toString().padStart(scale, '0');
  if (places < scale && (abs % base) % 10n ** BigInt(scale - places) !== 0n) throw new Error(`formatUnits would lose digits of ${units}`);
  frac = places <= scale ? frac.slice(0, places) : frac.padEnd(places, '0');
  return `${neg ? '-' : ''}${int}${places > 0 ? `.${frac}` : ''}`;
}

/** Ten places, as both providers' billing files write amounts. */
function tenPlaces(units: bigint): string {
  return formatUnits(units, 10, 10);
}

/** Azure lot/event amount literal from cents: 3120.55, 0. */
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

/** Converts cents at a 1e-4 rate, half away from zero. */
function convertCents(cents: bigint, rate: bigint): bigint {
  return divRound(cents * rate, RATE_ONE);
}

/** A decimal text rounded half up to cents, for the README's overview tables (never for data). */
function cents(text: string): string {
  const { units } = parseExact(text); // 1e-20 units
  return formatExact(divRound(units, 10n ** 18n) * 10n ** 18n, 2);
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
type Rng = ReturnType<typeof makeRng>;

/** `total` split by integer weights, the last part taking the remainder (so the parts sum exactly). */
function splitBy(total: bigint, weights: number[]): bigint[] {
  const sum = BigInt(weights.reduce((a, b) => a + b, 0));
  const parts = weights.map((w) => (total * BigInt(w)) / sum);
  parts[parts.length - 1] = total - parts.slice(0, -1).reduce((a, b) => a + b, 0n);
  return parts;
}

/** A monthly amount in units: base x growth (pct per month since the first) x jitter (pct range), with sub-cent digits. */
function monthlyUnits(rng: Rng, baseWhole: number, k: number, growthPct: number, jitterFrom: number, jitterSpan: number): bigint {
  const growth = 100n + BigInt((k - FIRST_MONTH) * growthPct);
  const jitter = BigInt(jitterFrom + rng.next(jitterSpan));
  let units = (BigInt(baseWhole) * SCALE * growth * jitter) / 10_000n;
  units += BigInt(rng.next(1_000_000_000)) * 10n + BigInt(rng.next(10));
  return units;
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
// CSV text
// ---------------------------------------------------------------------------------------------

/** Programmatic Billing quotes every field. */
function csvAllQuoted(rows: string[][]): string {
  return rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n';
}
/** Cost details exports quote only what needs it. */
function csvMinimal(rows: string[][]): string {
  return rows.map((r) => r.map((f) => (/[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')).join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// AWS: organization, cost category, credits
// ---------------------------------------------------------------------------------------------

const PAYER = '111122223333';
const PAYER_NAME = 'Example Corp';
const ORG_ID = 'o-exampleorgid';

const EC2 = 'Amazon Elastic Compute Cloud';
const S3 = 'Amazon Simple Storage Service';
const RDS = 'Amazon Relational Database Service';
const SAGEMAKER = 'Amazon SageMaker';
const LAMBDA = 'AWS Lambda';
const DYNAMODB = 'Amazon DynamoDB';
const CLOUDFRONT = 'Amazon CloudFront';
const BEDROCK = 'Amazon Bedrock';

interface AwsAccount {
  id: string;
  name: string;
  email: string;
  joinedMethod: 'INVITED' | 'CREATED';
  /** Joined this many days before the anchor, at this time of day (UTC). */
  joinedDaysBefore: number;
  joinedTime: [number, number, number, number];
  /** Monthly usage in whole dollars per service (ProductName), before growth and jitter. */
  usage: Record<string, number>;
}

const AWS_ACCOUNTS: AwsAccount[] = [
  { id: PAYER, name: PAYER_NAME, email: 'aws-billing@example.com', joinedMethod: 'INVITED', joinedDaysBefore: 2810, joinedTime: [17, 22, 53, 101],
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

/** Line items of each service: ProductCode and usage types (share of the service's monthly cost in percent). */
interface AwsUsageType {
  usageType: string;
  operation: string;
  rateId: string;
  /** BlendedRate in USD per unit of usage. */
  rate: string;
  description: string;
  share: number;
}
const AWS_SERVICES: Record<string, { code: string; usageTypes: AwsUsageType[] }> = {
  [EC2]: { code: 'AmazonEC2', usageTypes: [
    { usageType: 'BoxUsage:m7i.large', operation: 'RunInstances', rateId: '12345678', rate: '0.1008', description: '$0.1008 per On Demand Linux m7i.large Instance Hour', share: 80 },
    { usageType: 'EBS:VolumeUsage.gp3', operation: 'CreateVolume-Gp3', rateId: '12345679', rate: '0.08', description: '$0.08 per GB-month of General Purpose (gp3) provisioned storage - US East (N. Virginia)', share: 20 },
  ] },
  [S3]: { code: 'AmazonS3', usageTypes: [
    { usageType: 'TimedStorage-ByteHrs', operation: 'StandardStorage', rateId: '23456789', rate: '0.023', description: '$0.023 per GB - first 50 TB / month of storage used', share: 85 },
    { usageType: 'Requests-Tier1', operation: 'PutObject', rateId: '23456790', rate: '0.000005', description: '$0.005 per 1,000 PUT, COPY, POST, or LIST requests', share: 15 },
  ] },
  [RDS]: { code: 'AmazonRDS', usageTypes: [
    { usageType: 'InstanceUsage:db.r6g.large', operation: 'CreateDBInstance:0014', rateId: '45678901', rate: '0.225', description: '$0.225 per RDS db.r6g.large instance hour (or partial hour) running PostgreSQL', share: 100 },
  ] },
  [DYNAMODB]: { code: 'AmazonDynamoDB', usageTypes: [
    { usageType: 'ReadRequestUnits', operation: 'PayPerRequestThroughput', rateId: '56789012', rate: '0.00000025', description: '$0.25 per million read request units', share: 45 },
    { usageType: 'WriteRequestUnits', operation: 'PayPerRequestThroughput', rateId: '56789013', rate: '0.00000125', description: '$1.25 per million write request units', share: 55 },
  ] },
  [CLOUDFRONT]: { code: 'AmazonCloudFront', usageTypes: [
    { usageType: 'US-DataTransfer-Out-Bytes', operation: 'WebDistribution', rateId: '67890123', rate: '0.085', description: '$0.085 per GB - first 10 TB / month data transfer out (United States)', share: 100 },
  ] },
  [LAMBDA]: { code: 'AWSLambda', usageTypes: [
    { usageType: 'Request', operation: 'Invoke', rateId: '78901234', rate: '0.0000002', description: '$0.20 per 1M requests', share: 20 },
    { usageType: 'Lambda-GB-Second', operation: 'Invoke', rateId: '78901235', rate: '0.0000166667', description: '$0.0000166667 for every GB-second', share: 80 },
  ] },
  [SAGEMAKER]: { code: 'AmazonSageMaker', usageTypes: [
    { usageType: 'USE1-Train:ml.g5.2xlarge', operation: 'CreateTrainingJob', rateId: '34567891', rate: '1.515', description: '$1.515 per hour for ml.g5.2xlarge Training', share: 85 },
    { usageType: 'USE1-Notebk:ml.t3.medium', operation: 'RunInstance', rateId: '34567890', rate: '0.05', description: '$0.05 per hour for ml.t3.medium', share: 15 },
  ] },
};

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

const COST_CATEGORY_RULES: CostCategoryRule[] = [
  { Value: 'GrantNSF', Type: 'REGULAR', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['123456789012'], MatchOptions: ['EQUALS'] } } },
  { Value: 'Product', Type: 'REGULAR', Rule: { Or: [
    { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['444455556666'], MatchOptions: ['EQUALS'] } },
    { Dimensions: { Key: 'LINKED_ACCOUNT_NAME', Values: ['team-'], MatchOptions: ['STARTS_WITH'] } },
  ] } },
  { Value: 'Sandbox', Type: 'REGULAR', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT_NAME', Values: ['sandbox-'], MatchOptions: ['STARTS_WITH'] } } },
];
const COST_CATEGORY_DEFAULT = 'Unallocated';

/** The cost category definition (DescribeCostCategoryDefinition), effective since the first billing month. */
function costCategory(c: Calendar): Json {
  return {
    CostCategoryArn: COST_CATEGORY_ARN,
    Name: 'FundingSource',
    EffectiveStart: isoDate(c.monthStart(FIRST_MONTH)),
    RuleVersion: 'CostCategoryExpression.v1',
    Rules: COST_CATEGORY_RULES as unknown as Json,
    DefaultValue: COST_CATEGORY_DEFAULT,
  };
}

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
  for (const rule of COST_CATEGORY_RULES) if (matches(rule.Rule, account)) return rule.Value;
  return COST_CATEGORY_DEFAULT;
}

type SharingType = 'DEFAULT' | 'DISABLED' | 'CUSTOM' | 'COST_CATEGORY_RULE';

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
  consoleVisibility?: string;
  purchaseTypeApplications?: string[];
  accountHasCreditSharingEnabled?: boolean;
  /** What the credit shows once the billing files are applied, for the README (some of it read from the engine's results). */
  story: string | ((aws: EngineResult) => string);
  /** The product's status the story gives it on the as-of day, whatever the day (the generator checks it). */
  status: CreditStatus;
  /** The story has it expire within this window (30, 60 or 90 days) of the as-of day, and not within the window before. */
  expiresWithinDays?: 30 | 60 | 90;
}

/** The AWS credits as granted, dated relative to the anchor. */
function awsCredits(c: Calendar): AwsCreditSpec[] {
  return [
    {
      creditId: '90000000001', creditType: 'Promotion', description: 'AWS Activate Portfolio credits', initial: '25000.00',
      products: [EC2, S3, RDS], start: c.monthStart(-11), end: c.monthStart(13), applicationType: 'BEFORE_CROSS_SERVICE_DISCOUNTS',
      sharing: 'DEFAULT', creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
      status: 'ACTIVE',
      story: 'organization-wide (DEFAULT), three services; used after the restricted credits, so it burns faster once 90000000004 runs out',
    },
    {
      creditId: '90000000002', creditType: 'Promotion', description: `Research credits - NSF grant ${yearOf(c.monthStart(-8))}`, initial: '25000.00',
      products: [], start: c.monthStart(-8), end: c.daysFromAnchor(71), applicationType: 'AFTER_DISCOUNTS',
      sharing: 'COST_CATEGORY_RULE', ruleName: 'GrantNSF', creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
      status: 'ACTIVE', expiresWithinDays: 90,
      story: 'cost-category sharing (FundingSource = GrantNSF): pays only research-grant (123456789012) usage, every service',
    },
    {
      creditId: '90000000003', creditType: 'Refund', description: 'Service credit - EC2 SLA event', initial: '1200.00',
      products: [EC2], start: c.monthStart(-7), end: c.monthStart(5),
      sharing: 'DISABLED', creditStatus: 'DISABLED', accountHasCreditSharingEnabled: true,
      status: 'PAUSED',
      story: 'paused (creditStatus DISABLED) from the start, so never used; sharing DISABLED (owner account only); no applicationType',
    },
    {
      creditId: '90000000004', creditType: 'Promotion', description: 'AWS Migration Acceleration Program credits', initial: '26000.00',
      products: [EC2, S3, RDS, DYNAMODB], start: c.monthStart(-11), end: c.monthStart(7), applicationType: 'BEFORE_CROSS_SERVICE_DISCOUNTS',
      sharing: 'CUSTOM', shareableAccounts: ['444455556666', '777788889999'], creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
      status: 'EXHAUSTED',
      story: (aws) => 'CUSTOM sharing with team-data and team-web; runs out in ' + exhaustMonth(aws, '90000000004'),
    },
    {
      creditId: '90000000005', creditType: 'Promotion', description: `AWS re:Invent ${yearOf(c.monthStart(-11))} attendee credit`, initial: '1000.00',
      products: [LAMBDA, DYNAMODB], start: c.monthStart(-11), end: c.monthStart(-5), applicationType: 'AFTER_DISCOUNTS',
      sharing: 'DEFAULT', creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
      status: 'EXPIRED',
      story: 'Lambda and DynamoDB only; expires on ' + isoDay(c.monthStart(-5)) + ' with a balance left',
    },
    {
      creditId: '90000000006', creditType: 'Promotion', description: 'AWS Generative AI Accelerator credits', initial: '50000.00',
      products: [BEDROCK, SAGEMAKER, EC2], start: c.monthStart(2), end: c.monthStart(14), applicationType: 'AFTER_DISCOUNTS',
      sharing: 'COST_CATEGORY_RULE', ruleName: 'Product', creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
      status: 'NOT_STARTED',
      story: 'not started yet (starts ' + isoDay(c.monthStart(2)) + '); reuses the FundingSource cost category (value Product)',
    },
    {
      creditId: '90000000007', creditType: 'TrueUp', description: `Enterprise Discount Program true-up credit ${yearOf(c.monthStart(-5))}`, initial: '12000.00',
      products: [], start: c.monthStart(-5), end: c.daysFromAnchor(23), applicationType: 'BEFORE_CROSS_SERVICE_DISCOUNTS',
      sharing: 'CUSTOM', shareableAccounts: ['210987654321', '777788889999'], creditStatus: 'ENABLED',
      consoleVisibility: 'VISIBLE', purchaseTypeApplications: ['OnDemand', 'SavingsPlans'], accountHasCreditSharingEnabled: true,
      status: 'ACTIVE', expiresWithinDays: 30,
      story: 'CUSTOM sharing with sandbox-eu and team-web, every service; expires within 30 days (' + isoDay(c.daysFromAnchor(23)) + ') with a balance left',
    },
  ];
}

/** The invoice id of a final AWS month (9 digits, unique per month). */
function awsInvoiceId(c: Calendar, k: number): string {
  const d = new Date(c.monthStart(k));
  return `4${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}7103`;
}

/** The consumers a credit's sharing resolves to (null = everyone in the organization). */
function awsScope(spec: AwsCreditSpec): string[] | null {
  switch (spec.sharing) {
    case 'DEFAULT':
      return null;
    case 'DISABLED':
      return [PAYER];
    case 'CUSTOM':
      return [...(spec.shareableAccounts ?? [])];
    case 'COST_CATEGORY_RULE':
      return AWS_ACCOUNTS.filter((a) => costCategoryValue(a) === spec.ruleName).map((a) => a.id);
  }
}

/** The engine's credit, by the ingest's rules (the brief of this dataset states them). */
function awsEngineCredit(spec: AwsCreditSpec): EngineCredit {
  const openingMonth = isoDate(spec.start).slice(0, 7);
  const consumers = awsScope(spec);
  const scope: CreditScope = consumers === null ? { kind: 'everyone' } : { kind: 'consumers', consumerIds: consumers };
  return {
    id: spec.creditId,
    group: PAYER,
    currency: 'USD',
    openingBalance: spec.initial,
    openingMonth,
    startsAt: isoDate(spec.start),
    expiresAt: isoDate(spec.end),
    applicableServices: spec.products,
    controls: [{ from: openingMonth, paused: spec.creditStatus === 'DISABLED', scope }],
  };
}

// ---------------------------------------------------------------------------------------------
// AWS: Programmatic Billing CSVs
// ---------------------------------------------------------------------------------------------

// The 29 columns, in order, exactly as the parser requires them.
const AWS_COLUMNS = AWS_BILLING_COLUMNS;
type AwsRow = Record<(typeof AWS_COLUMNS)[number], string>;

const SELLER = 'Amazon Web Services, Inc.';
const TAX_ADDRESS = '1 Main St, Seattle, WA';

interface AwsLineItem {
  account: AwsAccount;
  service: string;
  ut: AwsUsageType;
  startDay: number;
  endDay: number;
  quantity: bigint; // 1e-8
  rate: bigint; // 1e-10
  cost: bigint; // 1e-10
}

interface AwsMonthFile {
  k: number;
  name: string;
  text: string;
  final: boolean;
  invoiceId: string;
  lineItems: number;
  total: bigint;
}

/** Splits a month's usage of one usage type into 1..3 rows with different UsageStartDate days. */
function segments(rng: Rng, days: number): [number, number][] {
  // No more rows than days (the open month may have only one or two days of usage).
  const n = Math.min(1 + rng.next(3), days);
  const starts = new Set<number>([1]);
  while (starts.size < n) starts.add(2 + rng.next(days - 1));
  const sorted = [...starts].sort((a, b) => a - b);
  return sorted.map((s, i) => [s, i + 1 < sorted.length ? sorted[i + 1] - 1 : days]);
}

/**
 * The open month's data runs up to its last usage day (the day before the as-of day): when no
 * line item happens to start on that day, the longest one ending then is split so that its last
 * day is a line item of its own (same usage, the cost shared by days). No randomness is drawn, so
 * a month that already has that day renders as before.
 */
function endOpenMonthOnItsLastDay(c: Calendar, items: AwsLineItem[], days: number): void {
  if (days < 2 || items.some((i) => i.startDay === days)) return;
  let longest = -1;
  items.forEach((item, i) => {
    if (item.endDay === days && (longest < 0 || item.endDay - item.startDay > items[longest].endDay - items[longest].startDay)) longest = i;
  });
  const item = items[longest];
  const parts = splitBy(item.cost, [days - item.startDay, 1]).map((part) => {
    const quantity = divRound(part * 100_000_000n, item.rate);
    const cost = divRound(quantity * item.rate, 100_000_000n);
    if (cost <= 0n) throw new Error(`AWS ${c.ym(0)} ${item.account.id} ${item.ut.usageType}: no cost left to split`);
    return { quantity, cost };
  });
  items.splice(longest, 1, { ...item, endDay: days - 1, ...parts[0] }, { ...item, startDay: days, ...parts[1] });
}

function buildAwsBillingFiles(c: Calendar): AwsMonthFile[] {
  const rng = makeRng(20261122);
  const files: AwsMonthFile[] = [];
  for (const k of MONTHS) {
    const final = k < 0;
    const invoiceId = final ? awsInvoiceId(c, k) : 'Estimated';
    const days = c.usageDays(k);
    const items: AwsLineItem[] = [];
    for (const account of AWS_ACCOUNTS) {
      for (const [service, dollars] of Object.entries(account.usage)) {
        let monthly = monthlyUnits(rng, dollars, k, 2, 90, 23);
        if (k === 0) monthly = (monthly * BigInt(days)) / BigInt(c.daysInMonth(0));
        const svc = AWS_SERVICES[service];
        const perType = splitBy(monthly, svc.usageTypes.map((u) => u.share));
        svc.usageTypes.forEach((ut, i) => {
          const segs = segments(rng, days);
          const perSeg = splitBy(perType[i], segs.map(([a, b]) => b - a + 1));
          segs.forEach(([startDay, endDay], j) => {
            const rate = parseUnits(ut.rate, 10);
            const quantity = divRound(perSeg[j] * 100_000_000n, rate);
            const cost = divRound(quantity * rate, 100_000_000n);
            if (cost <= 0n) throw new Error(`AWS ${c.ym(k)} ${account.id} ${ut.usageType}: no cost`);
            items.push({ account, service, ut, startDay, endDay, quantity, rate, cost });
          });
        });
      }
    }
    if (k === 0) endOpenMonthOnItsLastDay(c, items, days);
    // Linked accounts' items first (in account order), then the payer's own.
    const linked = items.filter((i) => i.account.id !== PAYER);
    const payer = items.filter((i) => i.account.id === PAYER);
    const periodStart = awsCsvDate(c.monthStart(k));
    const periodEnd = awsCsvDate(c.monthStart(k + 1) - 1000);
    const invoiceDate = final ? awsCsvDate(c.dayOf(k + 1, 2, 8, 11, 27)) : awsCsvDate(c.anchor + (4 * 3600 + 17 * 60 + 9) * 1000);
    const blank = (): AwsRow => Object.fromEntries(AWS_COLUMNS.map((c) => [c, ''])) as AwsRow;
    const rows: AwsRow[] = [];
    let seq = 0;
    const d = new Date(c.monthStart(k));
    const recordPrefix = `5${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    for (const it of [...linked, ...payer]) {
      const isPayer = it.account.id === PAYER;
      seq++;
      rows.push({
        ...blank(),
        InvoiceID: invoiceId,
        PayerAccountId: PAYER,
        LinkedAccountId: isPayer ? '' : it.account.id,
        RecordType: isPayer ? 'PayerLineItem' : 'LinkedLineItem',
        RecordID: `${recordPrefix}${String(seq).padStart(8, '0')}`,
        BillingPeriodStartDate: periodStart,
        BillingPeriodEndDate: periodEnd,
        InvoiceDate: invoiceDate,
        PayerAccountName: PAYER_NAME,
        LinkedAccountName: isPayer ? '' : it.account.name,
        TaxationAddress: TAX_ADDRESS,
        ProductCode: AWS_SERVICES[it.service].code,
        ProductName: it.service,
        SellerOfRecord: SELLER,
        UsageType: it.ut.usageType,
        Operation: it.ut.operation,
        RateId: it.ut.rateId,
        ItemDescription: it.ut.description,
        UsageStartDate: awsCsvDate(c.dayOf(k, it.startDay)),
        UsageEndDate: awsCsvDate(c.dayOf(k, it.endDay, 23, 59, 59)),
        UsageQuantity: formatUnits(it.quantity, 8, 8),
        BlendedRate: tenPlaces(it.rate),
        CurrencyCode: 'USD',
        CostBeforeTax: tenPlaces(it.cost),
        Credits: tenPlaces(0n),
        TaxAmount: '0.000000',
        TaxType: 'None',
        TotalCost: tenPlaces(it.cost),
      });
    }
    const totalRow = (over: Partial<AwsRow>, cost: bigint): AwsRow => ({
      ...blank(),
      PayerAccountId: PAYER,
      BillingPeriodStartDate: periodStart,
      BillingPeriodEndDate: periodEnd,
      InvoiceDate: invoiceDate,
      PayerAccountName: PAYER_NAME,
      CurrencyCode: 'USD',
      CostBeforeTax: tenPlaces(cost),
      Credits: tenPlaces(0n),
      TaxAmount: '0.000000',
      TotalCost: tenPlaces(cost),
      ...over,
    });
    const accountsInOrder = [...AWS_ACCOUNTS.filter((a) => a.id !== PAYER), ...AWS_ACCOUNTS.filter((a) => a.id === PAYER)];
    for (const a of accountsInOrder) {
      const cost = items.filter((i) => i.account === a).reduce((s, i) => s + i.cost, 0n);
      rows.push(totalRow({
        InvoiceID: invoiceId, LinkedAccountId: a.id, RecordType: 'AccountTotal', RecordID: `AccountTotal:${a.id}`, LinkedAccountName: a.name,
        TaxationAddress: TAX_ADDRESS, ItemDescription: `Total amount for linked account# ${a.id}(${a.name})`,
      }, cost));
    }
    const total = items.reduce((s, i) => s + i.cost, 0n);
    rows.push(totalRow({
      InvoiceID: invoiceId, RecordType: 'InvoiceTotal', RecordID: `InvoiceTotal:${invoiceId}`, TaxationAddress: TAX_ADDRESS,
      SellerOfRecord: SELLER, ItemDescription: `Total for invoice ${invoiceId}`,
    }, total));
    rows.push(totalRow({
      RecordType: 'StatementTotal', RecordID: `StatementTotal:${PAYER}`,
      ItemDescription: `Total statement amount for period ${periodStart} - ${periodEnd}`,
    }, total));
    const text = csvAllQuoted([[...AWS_COLUMNS], ...rows.map((r) => AWS_COLUMNS.map((c) => r[c]))]);
    files.push({ k, name: `aws/${PAYER}-aws-billing-csv-${c.ym(k)}.csv`, text, final, invoiceId, lineItems: items.length, total });
  }
  return files;
}

function buildAwsSnapshots(d: Demo): Record<string, Json> {
  const c = d.cal;
  const accounts: Json = {
    Accounts: AWS_ACCOUNTS.map((a) => {
      const [h, m, s, ms] = a.joinedTime;
      const joined = c.anchor - a.joinedDaysBefore * DAY + ((h * 60 + m) * 60 + s) * 1000 + ms;
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
  const amount = (text: string): Json => ({ currencyCode: 'USD', currencyAmount: text });
  const credits: Json = {
    credits: d.awsCredits.map((s) => ({
      creditId: s.creditId,
      accountId: PAYER,
      creditType: s.creditType,
      description: s.description,
      initialAmount: amount(s.initial),
      // As granted: nothing used yet. The product computes the balances from the billing files.
      remainingAmount: amount(s.initial),
      estimatedAmount: amount(s.initial),
      applicableProductNames: s.products,
      startDate: epoch(s.start),
      endDate: epoch(s.end),
      applicationType: s.applicationType,
      shareableAccounts: s.shareableAccounts,
      accountHasCreditSharingEnabled: s.accountHasCreditSharingEnabled,
      creditConsoleVisibility: s.consoleVisibility,
      creditSharingType: s.sharing,
      costCategoryArn: s.sharing === 'COST_CATEGORY_RULE' ? COST_CATEGORY_ARN : undefined,
      ruleName: s.ruleName,
      creditStatus: s.creditStatus,
      purchaseTypeApplications: s.purchaseTypeApplications,
    })),
  };
  return {
    'aws/organizations-list-accounts.json': accounts,
    'aws/cost-category-funding-source.json': costCategory(c),
    'aws/get-credits.json': credits,
  };
}

// ---------------------------------------------------------------------------------------------
// Azure: billing account, profiles, sections, lots
// ---------------------------------------------------------------------------------------------

const BILLING_ACCOUNT = '5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31';
const BILLING_ACCOUNT_ID = `/providers/Microsoft.Billing/billingAccounts/${BILLING_ACCOUNT}`;
const BILLING_ACCOUNT_NAME = 'Contoso Research';

/** One meter of a section's usage: the cost details columns it fills, and its share of the section's cost. */
interface AzureMeter {
  serviceFamily: string;
  consumedService: string;
  meterCategory: string;
  productName: string;
  /** USD price per unit of quantity (for the quantity column only). */
  unitPrice: string;
  share: number;
}

interface SectionSpec {
  name: string;
  displayName: string;
  subscriptionId: string;
  subscriptionName: string;
  /** Share of the profile's monthly credit-eligible cost (percent). */
  share: number;
  meters: AzureMeter[];
}

/** A monthly charge credits never pay, in the billing currency. */
interface IneligibleSpec {
  section: number;
  day: number;
  serviceFamily: string;
  consumedService: string;
  meterCategory: string;
  productName: string;
  publisherType: 'Azure' | 'Marketplace';
  publisherName: string;
  chargeType: 'Usage' | 'Purchase';
  quantity: string;
  /** Monthly amount in the billing currency. */
  amount: string;
  isAzureCreditEligible: boolean;
  why: string;
}

interface ProfileSpec {
  name: string;
  displayName: string;
  currency: 'USD' | 'EUR';
  systemId: string;
  sections: SectionSpec[];
  /** Monthly credit-eligible cost in whole units of the billing currency, before growth and jitter. */
  demand: number;
  seed: number;
  ineligible: IneligibleSpec[];
  /** Lots listed per page in the lots files. */
  lotPages: number[];
  /** Days the open month's usage may end before its last usage day (cost exports often lag). */
  openMonthLagDays: number;
}

const PROFILES: ProfileSpec[] = [
  { name: 'PBFV-AB12-CD3-EF4', displayName: 'Development', currency: 'USD', systemId: '1AB2-CD3E-FG4-HIJK-LMN', demand: 2500, seed: 5150, lotPages: [5, 3], openMonthLagDays: 0,
    sections: [
      { name: 'XYZ1-AB12-PJA-TGB', displayName: 'ML platform', subscriptionId: '1f2e3d4c-5b6a-7980-a1b2-c3d4e5f6a7b8', subscriptionName: 'ml-training', share: 60, meters: [
        { serviceFamily: 'Compute', consumedService: 'Microsoft.Compute', meterCategory: 'Virtual Machines', productName: 'Virtual Machines NCadsH100v5 Series - NC40ads H100 v5 - US East', unitPrice: '7.0533', share: 70 },
        { serviceFamily: 'Storage', consumedService: 'Microsoft.Storage', meterCategory: 'Storage', productName: 'Premium SSD Managed Disks - P30 LRS - US East', unitPrice: '4.4434', share: 15 },
        { serviceFamily: 'AI + Machine Learning', consumedService: 'Microsoft.CognitiveServices', meterCategory: 'Cognitive Services', productName: 'Azure OpenAI - GPT-4o Global Input Tokens', unitPrice: '0.0025', share: 15 },
      ] },
      { name: 'QRS2-CD34-PJA-TGB', displayName: 'Web', subscriptionId: '9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4', subscriptionName: 'web-prod', share: 40, meters: [
        { serviceFamily: 'Compute', consumedService: 'Microsoft.Web', meterCategory: 'Azure App Service', productName: 'Azure App Service Premium v3 Plan - P1 v3 - US East', unitPrice: '0.169', share: 45 },
        { serviceFamily: 'Databases', consumedService: 'Microsoft.Sql', meterCategory: 'SQL Database', productName: 'SQL Database Single/Elastic Pool General Purpose - Compute Gen5 - US East', unitPrice: '0.5044', share: 40 },
        { serviceFamily: 'Networking', consumedService: 'Microsoft.Network', meterCategory: 'Bandwidth', productName: 'Rtn Preference: MGN - Standard Data Transfer Out - Zone 1', unitPrice: '0.087', share: 15 },
      ] },
    ],
    ineligible: [
      { section: 1, day: 1, serviceFamily: 'Developer Tools', consumedService: 'Microsoft.SaaS', meterCategory: 'SaaS', productName: 'Datadog - Pro (Monthly)', publisherType: 'Marketplace',
        publisherName: 'Datadog', chargeType: 'Purchase', quantity: '1', amount: '230.00', isAzureCreditEligible: true, why: 'Marketplace (publisherType), although isAzureCreditEligible is True' },
      { section: 1, day: 4, serviceFamily: 'Compute', consumedService: 'Microsoft.Compute', meterCategory: 'Virtual Machines', productName: 'Ubuntu Advantage - Essential', publisherType: 'Marketplace',
        publisherName: 'Canonical', chargeType: 'Usage', quantity: '3', amount: '75.00', isAzureCreditEligible: false, why: 'isAzureCreditEligible False (and a listed product)' },
      { section: 0, day: 1, serviceFamily: 'Management and Governance', consumedService: 'Microsoft.Support', meterCategory: 'Azure Support', productName: 'Azure Support Plan - Standard', publisherType: 'Azure',
        publisherName: 'Microsoft', chargeType: 'Purchase', quantity: '1', amount: '100.00', isAzureCreditEligible: true, why: 'Azure support plan, although isAzureCreditEligible is True' },
    ] },
  { name: 'QWER-1234-ABC-567', displayName: 'Production EU', currency: 'EUR', systemId: '2BC3-DE4F-GH5-IJKL-MNO', demand: 3000, seed: 4030, lotPages: [3], openMonthLagDays: 1,
    sections: [
      { name: 'LMN3-EF56-PJA-TGB', displayName: 'Data platform EU', subscriptionId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', subscriptionName: 'data-eu-prod', share: 55, meters: [
        { serviceFamily: 'Compute', consumedService: 'Microsoft.Compute', meterCategory: 'Virtual Machines', productName: 'Virtual Machines Ddsv5 Series - D16ds v5 - EU West', unitPrice: '0.904', share: 45 },
        { serviceFamily: 'Analytics', consumedService: 'Microsoft.Databricks', meterCategory: 'Azure Databricks', productName: 'Azure Databricks Premium - Jobs Compute - DBU - EU West', unitPrice: '0.15', share: 35 },
        { serviceFamily: 'Storage', consumedService: 'Microsoft.Storage', meterCategory: 'Storage', productName: 'General Block Blob v2 Hierarchical Namespace - Hot LRS Data Stored - EU West', unitPrice: '0.0196', share: 20 },
      ] },
      { name: 'TUV4-GH78-PJA-TGB', displayName: 'Customer portal EU', subscriptionId: '7d8e9f0a-1b2c-4d3e-9f4a-5b6c7d8e9f0a', subscriptionName: 'portal-eu-prod', share: 45, meters: [
        { serviceFamily: 'Compute', consumedService: 'Microsoft.Web', meterCategory: 'Azure App Service', productName: 'Azure App Service Premium v3 Plan - P2 v3 - EU West', unitPrice: '0.338', share: 40 },
        { serviceFamily: 'Databases', consumedService: 'Microsoft.DocumentDB', meterCategory: 'Azure Cosmos DB', productName: 'Azure Cosmos DB - Autoscale Provisioned Throughput - 100 RU/s - EU West', unitPrice: '0.012', share: 45 },
        { serviceFamily: 'Networking', consumedService: 'Microsoft.Cdn', meterCategory: 'Azure Front Door Service', productName: 'Azure Front Door Standard - Data Transfer Out - Zone 1', unitPrice: '0.083', share: 15 },
      ] },
    ],
    ineligible: [
      { section: 0, day: 1, serviceFamily: 'Analytics', consumedService: 'Microsoft.SaaS', meterCategory: 'SaaS', productName: 'Elastic Cloud (Elasticsearch) - Standard (Monthly)', publisherType: 'Marketplace',
        publisherName: 'Elastic', chargeType: 'Purchase', quantity: '1', amount: '310.00', isAzureCreditEligible: true, why: 'Marketplace (publisherType), although isAzureCreditEligible is True' },
      { section: 1, day: 6, serviceFamily: 'Compute', consumedService: 'Microsoft.Compute', meterCategory: 'Virtual Machines', productName: 'Ubuntu Advantage - Essential', publisherType: 'Marketplace',
        publisherName: 'Canonical', chargeType: 'Usage', quantity: '2', amount: '43.00', isAzureCreditEligible: false, why: 'isAzureCreditEligible False (and a listed product)' },
      { section: 0, day: 1, serviceFamily: 'Management and Governance', consumedService: 'Microsoft.Support', meterCategory: 'Azure Support', productName: 'Azure Support Plan - Standard', publisherType: 'Azure',
        publisherName: 'Microsoft', chargeType: 'Purchase', quantity: '1', amount: '86.00', isAzureCreditEligible: true, why: 'Azure support plan, although isAzureCreditEligible is True' },
    ] },
];

function profileId(p: ProfileSpec): string {
  return `${BILLING_ACCOUNT_ID}/billingProfiles/${p.name}`;
}
function sectionId(p: ProfileSpec, section: string): string {
  return `${profileId(p)}/invoiceSections/${section}`;
}

/** USD -> EUR rate per month (units of 1e-4): pricing (USD) to billing currency on the EUR profile. */
const USD_EUR_RATE: Record<number, bigint> = {
  [-11]: 8612n, [-10]: 8578n, [-9]: 8531n, [-8]: 8566n, [-7]: 8604n, [-6]: 8647n,
  [-5]: 8689n, [-4]: 8655n, [-3]: 8621n, [-2]: 8590n, [-1]: 8573n, [0]: 8609n,
};
function pricingToBilling(p: ProfileSpec, k: number): bigint {
  return p.currency === 'USD' ? RATE_ONE : USD_EUR_RATE[Math.max(FIRST_MONTH, Math.min(0, k))];
}

type LotSource = 'PurchasedCredit' | 'PromotionalCredit' | 'ConsumptionCommitment';

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
  /** The provider canceled the lot: its status stays Canceled and it never pays. */
  canceled?: boolean;
  /** lotSource written on this lot's events when it differs from `source` (real payloads do this). */
  eventLotSource?: string;
  /** Its NewCredit event comes without billingProfileId (some real payloads do this). */
  eventWithoutProfileId?: boolean;
  /** Carries the 2024-08-01 fields usedAmount and OrganizationType. */
  organizationType?: 'Primary' | 'Contributor';
  /** Leave out the ...InBillingCurrency amounts (optional in real payloads). */
  omitBillingCurrency?: boolean;
  story: string;
  /** The product's status the story gives it on the as-of day, whatever the day (the generator checks it). */
  status: CreditStatus;
  /** The story has it expire within this window (30, 60 or 90 days) of the as-of day, and not within the window before. */
  expiresWithinDays?: 30 | 60 | 90;
}

const USD_P = PROFILES[0].name;
const EUR_P = PROFILES[1].name;

/** The Azure lots as granted, dated relative to the anchor. */
function lots(c: Calendar): LotSpec[] {
  // G100200307 expires a week before the as-of day: inside the open month from the 8th on, else
  // in the last final month (so its balance left has moved to expired already).
  const g307Expires = c.daysFromAnchor(-7, 23, 59, 59);
  const g307InOpenMonth = c.monthIndexOf(g307Expires) === 0;
  const g308Bought = c.daysFromAnchor(-6);
  return [
    { name: 'G100200301', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '6000.00',
      start: c.monthStart(-3), expiration: c.daysFromAnchor(18, 23, 59, 59), purchased: c.monthStart(-3),
      status: 'ACTIVE', expiresWithinDays: 30,
      story: g307InOpenMonth
        ? 'behind G100200307 in the order (expires later), so first drawn in the open month, once G100200307 has expired; expires within 30 days'
        : 'behind G100200307 in the order (expires later), so drawn only once G100200307 has expired (' + isoDay(g307Expires) + '); expires within 30 days' },
    { name: 'G100200302', profile: USD_P, source: 'PurchasedCredit', creditCurrency: 'USD', original: '20000.00',
      start: c.monthStart(-8), expiration: c.endOfMonth(3), purchased: c.dayOf(-9, 20), poNumber: 'PO-88231', reseller: true,
      status: 'ACTIVE',
      story: 'purchased through a reseller (reseller on the lot and its event); pays what G100200305 could not in ' + c.ym(-4) },
    { name: 'G100200303', profile: USD_P, source: 'PurchasedCredit', creditCurrency: 'USD', original: '18000.00',
      start: c.monthStart(-11), expiration: c.endOfMonth(-6), purchased: c.dayOf(-12, 28), poNumber: 'PO-77120',
      status: 'EXPIRED',
      story: 'expires first, so pays everything until it expires on ' + isoDay(c.endOfMonth(-6)) + ' with a balance left (would become Expired)' },
    { name: 'G100200304', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '2000.00',
      start: c.monthStart(2), expiration: c.endOfMonth(13), purchased: c.dayOf(-1, 14), omitBillingCurrency: true,
      status: 'NOT_STARTED',
      story: 'starts in the future (status None), no event yet; no ...InBillingCurrency amounts' },
    { name: 'G100200305', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '4000.00',
      start: c.monthStart(-11), expiration: c.endOfMonth(1), purchased: c.monthStart(-11),
      status: 'EXHAUSTED',
      story: 'next in line once G100200303 has expired: used up in ' + c.ym(-4) + ' (would become Complete)' },
    { name: 'G100200306', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '3000.00',
      start: c.monthStart(-9), expiration: c.endOfMonth(2), purchased: c.monthStart(-9), canceled: true, eventWithoutProfileId: true,
      status: 'CANCELED',
      story: 'canceled by the provider (status Canceled): never pays; its event comes without billingProfileId' },
    { name: 'G100200307', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '12000.00',
      start: c.monthStart(-3), expiration: g307Expires, purchased: c.monthStart(-3),
      status: 'EXPIRED',
      story: g307InOpenMonth
        ? 'pays from ' + c.ym(-3) + '; expires inside the open month (' + isoDay(g307Expires) + '): the remaining balance is as of the last final month, and moves to expired once ' + c.ym(0) + ' is final'
        : 'pays from ' + c.ym(-3) + '; expires in the last final month (' + isoDay(g307Expires) + ') with a balance left (would become Expired)' },
    { name: 'G100200308', profile: USD_P, source: 'PurchasedCredit', creditCurrency: 'USD', original: '1500.00',
      start: g308Bought, expiration: c.daysFromAnchor(-6 + 365) - 1000, purchased: g308Bought, poNumber: 'PO-90412',
      status: 'ACTIVE',
      story: (c.monthIndexOf(g308Bought) === 0 ? 'bought in the open month' : 'bought on ' + isoDay(g308Bought)) + '; behind G100200301 in the order, so not drawn yet' },
    { name: 'G200300401', profile: EUR_P, source: 'ConsumptionCommitment', creditCurrency: 'EUR', original: '40000.00',
      start: c.monthStart(-10), expiration: c.daysFromAnchor(39, 23, 59, 59), purchased: c.dayOf(-11, 15), organizationType: 'Primary',
      status: 'ACTIVE', expiresWithinDays: 60,
      story: 'commitment, expires within 60 days; pays from ' + c.ym(-2) + ', once G200300403 has expired; carries the 2024-08-01 fields usedAmount and OrganizationType' },
    { name: 'G200300402', profile: EUR_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '10000.00',
      start: c.monthStart(-1), expiration: c.daysFromAnchor(28, 23, 59, 59), purchased: c.monthStart(-1),
      status: 'ACTIVE', expiresWithinDays: 30,
      story: 'USD credit on the EUR profile (every amount also in EUR, non-1 exchangeRate): the profile\'s charges are in EUR, so under the currency rule it pays nothing' },
    { name: 'G200300403', profile: EUR_P, source: 'PurchasedCredit', creditCurrency: 'EUR', original: '33000.00',
      start: c.monthStart(-11), expiration: c.endOfMonth(-3), purchased: c.dayOf(-12, 22), poNumber: 'PO-EU-55102',
      eventLotSource: 'AzurePrepayment', eventWithoutProfileId: true,
      status: 'EXPIRED',
      story: 'expires on ' + isoDay(c.endOfMonth(-3)) + ' with a balance left (would become Expired); its event says lotSource "AzurePrepayment" and has no billingProfileId' },
  ];
}

function lotOrder(a: LotSpec, b: LotSpec): number {
  return a.expiration - b.expiration || (a.name < b.name ? -1 : 1);
}

function lotId(lot: LotSpec): string {
  const p = PROFILES.find((x) => x.name === lot.profile)!;
  return `${profileId(p)}/providers/Microsoft.Consumption/lots/${lot.name}`;
}

/** Credit currency -> billing currency rate of a lot in month k. */
function lotRate(lot: LotSpec, p: ProfileSpec, k: number): bigint {
  return lot.creditCurrency === p.currency ? RATE_ONE : USD_EUR_RATE[Math.max(FIRST_MONTH, Math.min(0, k))];
}

/** The snapshot's status of a lot as granted: Canceled stays; started lots Active; future ones None. */
function grantedStatus(c: Calendar, lot: LotSpec): string {
  if (lot.canceled) return 'Canceled';
  return lot.start > c.anchor ? 'None' : 'Active';
}

/** The engine's credit, by the ingest's rules (the brief of this dataset states them). */
function azureEngineCredit(lot: LotSpec): EngineCredit {
  const p = PROFILES.find((x) => x.name === lot.profile)!;
  const openingMonth = isoDate(lot.start).slice(0, 7);
  return {
    id: lotId(lot),
    group: profileId(p),
    currency: lot.creditCurrency,
    openingBalance: lot.original,
    openingMonth,
    startsAt: isoDate(lot.start),
    expiresAt: isoDate(lot.expiration),
    applicableServices: [],
    // A canceled lot never pays (see the README: the ingest must do the same).
    controls: lot.canceled ? [{ from: openingMonth, paused: true, scope: { kind: 'everyone' } }] : [],
  };
}

function azAmount(currency: string, c: bigint): Json {
  return { currency, value: new Literal(azureAmountText(c)) };
}
function azConverted(currency: string, c: bigint, rate: bigint, month: number): Json {
  return { currency, value: new Literal(azureAmountText(c)), exchangeRate: new Literal(rateText(rate)), exchangeRateMonth: month };
}
function etag(seed: string): string {
  return `"${hashHex(seed, 15)}"`;
}
function resellerOf(): Json {
  return { resellerId: `${BILLING_ACCOUNT_ID}/reseller/r1`, resellerDescription: 'Fabrikam Cloud Reseller' };
}

function buildAzureSnapshots(d: Demo): Record<string, Json> {
  const c = d.cal;
  const files: Record<string, Json> = {};
  files['azure/billing-accounts.json'] = {
    value: [{
      id: BILLING_ACCOUNT_ID,
      name: BILLING_ACCOUNT,
      type: 'Microsoft.Billing/billingAccounts',
      properties: {
        displayName: BILLING_ACCOUNT_NAME,
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
                  id: sectionId(p, s.name),
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

  for (const profile of PROFILES) {
    const lots = d.lots.filter((l) => l.profile === profile.name).sort(lotOrder);
    const lotsJson = lots.map((s) => {
      const kStart = c.monthIndexOf(s.start);
      const rate = lotRate(s, profile, kStart);
      const rateMonth = c.monthNumber(Math.max(FIRST_MONTH, Math.min(0, kStart)));
      const original = parseUnits(s.original, 2);
      const id = lotId(s);
      const status = grantedStatus(c, s);
      const tag = etag(`lot|${s.name}|${status}|${original}`);
      return {
        id,
        name: s.name,
        type: 'Microsoft.Consumption/lots',
        eTag: tag,
        properties: {
          creditCurrency: s.creditCurrency,
          billingCurrency: profile.currency,
          originalAmount: azAmount(s.creditCurrency, original),
          originalAmountInBillingCurrency: s.omitBillingCurrency ? undefined : azConverted(profile.currency, convertCents(original, rate), rate, rateMonth),
          // As granted: nothing used yet. The product computes the balances from the cost details.
          closedBalance: azAmount(s.creditCurrency, original),
          closedBalanceInBillingCurrency: s.omitBillingCurrency ? undefined : azConverted(profile.currency, convertCents(original, rate), rate, rateMonth),
          usedAmount: s.organizationType ? azAmount(s.creditCurrency, 0n) : undefined,
          source: s.source,
          startDate: isoDate(s.start),
          expirationDate: isoDate(s.expiration),
          purchasedDate: isoDate(s.purchased),
          poNumber: s.poNumber,
          reseller: s.reseller ? resellerOf() : undefined,
          status,
          isEstimatedBalance: false,
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
    if (offset !== lotsJson.length) throw new Error(`${profile.name}: lot pages cover ${offset} of ${lotsJson.length} lots`);

    // One NewCredit event per started lot, on its start; closedBalance = the profile's running
    // balance per credit currency after it.
    const started = lots.filter((l) => l.start <= c.anchor).sort((a, b) => a.start - b.start || (a.name < b.name ? -1 : 1));
    const running = new Map<string, bigint>();
    const countByDay = new Map<string, number>();
    const zero = 0n;
    files[`azure/events-${profile.name}.json`] = {
      value: started.map((lot) => {
        const cur = lot.creditCurrency;
        const amount = parseUnits(lot.original, 2);
        const bal = (running.get(cur) ?? 0n) + amount;
        running.set(cur, bal);
        const day = isoDay(lot.start);
        const n = (countByDay.get(day) ?? 0) + 1;
        countByDay.set(day, n);
        const name = `ev-${day}-${String(n).padStart(2, '0')}`;
        const k = c.monthIndexOf(lot.start);
        const rate = lotRate(lot, profile, k);
        const rateMonth = c.monthNumber(Math.max(FIRST_MONTH, Math.min(0, k)));
        const bc = profile.currency;
        const conv = (c: bigint): Json => azConverted(bc, convertCents(c, rate), rate, rateMonth);
        const tag = etag(`event|${profile.name}|${name}|${bal}`);
        return {
          id: `${profileId(profile)}/providers/Microsoft.Consumption/events/${name}`,
          name,
          type: 'Microsoft.Consumption/events',
          eTag: tag,
          properties: {
            transactionDate: isoDate(lot.start),
            description: 'New credits added',
            eventType: 'NewCredit',
            creditCurrency: cur,
            billingCurrency: bc,
            lotId: lot.name,
            lotSource: lot.eventLotSource ?? lot.source,
            newCredit: azAmount(cur, amount),
            newCreditInBillingCurrency: conv(amount),
            adjustments: azAmount(cur, zero),
            adjustmentsInBillingCurrency: conv(zero),
            creditExpired: azAmount(cur, zero),
            creditExpiredInBillingCurrency: conv(zero),
            charges: azAmount(cur, zero),
            chargesInBillingCurrency: conv(zero),
            canceledCredit: azAmount(cur, zero),
            canceledCreditInBillingCurrency: conv(zero),
            closedBalance: azAmount(cur, bal),
            closedBalanceInBillingCurrency: conv(bal),
            invoiceNumber: '',
            billingProfileId: lot.eventWithoutProfileId ? undefined : profileId(profile),
            billingProfileDisplayName: profile.displayName,
            reseller: lot.reseller ? resellerOf() : undefined,
            isEstimatedBalance: false,
            eTag: tag,
          },
        };
      }),
    };
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Azure: cost details CSVs
// ---------------------------------------------------------------------------------------------

const AZURE_COLUMNS = [
  'invoiceId', 'billingAccountId', 'billingAccountName', 'billingProfileId', 'billingProfileName', 'invoiceSectionId', 'invoiceSectionName',
  'billingPeriodStartDate', 'billingPeriodEndDate', 'date', 'serviceFamily', 'consumedService', 'meterCategory', 'ProductName',
  'SubscriptionId', 'subscriptionName', 'publisherType', 'publisherName', 'chargeType', 'quantity', 'billingCurrency',
  'costInBillingCurrency', 'costInUsd', 'exchangeRatePricingToBilling', 'isAzureCreditEligible',
] as const;
type AzureRow = Record<(typeof AZURE_COLUMNS)[number], string>;

/** The invoice of profile p for billing month k (issued on the 5th of the next month): G + 9 digits. */
function azureInvoiceId(c: Calendar, profileIndex: number, k: number): string {
  const d = new Date(c.dayOf(k + 1, 5));
  return `G${profileIndex + 1}${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}00${String(d.getUTCDate()).padStart(2, '0')}`;
}

interface AzureMonthFile {
  k: number;
  profile: ProfileSpec;
  /** The last day that has a row. */
  dataThrough: string;
  name: string;
  text: string;
  final: boolean;
  invoiceId: string;
  rows: number;
  /** Billing-currency units (1e-10). */
  eligible: bigint;
  ineligible: bigint;
}

function quantityText(usd: bigint, unitPrice: string): string {
  const q = divRound(usd * 1_000_000n, parseUnits(unitPrice, 10)); // 1e-6 units
  return formatUnits(q, 6, 6).replace(/\.?0+$/, '') || '0';
}

function buildAzureCostDetails(c: Calendar): AzureMonthFile[] {
  const files: AzureMonthFile[] = [];
  PROFILES.forEach((profile, profileIndex) => {
    const rng = makeRng(profile.seed);
    for (const k of MONTHS) {
      const final = k < 0;
      const invoiceId = final ? azureInvoiceId(c, profileIndex, k) : '';
      const days = c.usageDays(k);
      const rate = pricingToBilling(profile, k);
      const rows: AzureRow[] = [];
      let eligible = 0n;
      let ineligible = 0n;
      const base = (section: SectionSpec, day: number): AzureRow => ({
        invoiceId,
        billingAccountId: BILLING_ACCOUNT,
        billingAccountName: BILLING_ACCOUNT_NAME,
        billingProfileId: profile.name,
        billingProfileName: profile.displayName,
        invoiceSectionId: section.name,
        invoiceSectionName: section.displayName,
        billingPeriodStartDate: isoDay(c.monthStart(k)),
        billingPeriodEndDate: isoDay(c.monthStart(k + 1) - DAY),
        date: isoDay(c.dayOf(k, day)),
        serviceFamily: '', consumedService: '', meterCategory: '', ProductName: '',
        SubscriptionId: section.subscriptionId,
        subscriptionName: section.subscriptionName,
        publisherType: 'Azure', publisherName: 'Microsoft', chargeType: 'Usage', quantity: '',
        billingCurrency: profile.currency,
        costInBillingCurrency: '', costInUsd: '',
        exchangeRatePricingToBilling: rateText(rate),
        isAzureCreditEligible: 'True',
      });
      /** The USD and billing amounts of a billing-currency target: USD first (10 places), billing = USD x rate. */
      const amounts = (billingTarget: bigint): { usd: bigint; billing: bigint } => {
        const usd = divRound(billingTarget * RATE_ONE, rate);
        return { usd, billing: divRound(usd * rate, RATE_ONE) };
      };

      // Credit-eligible usage: the month's demand, split by section and meter, on a few days a week.
      let monthly = monthlyUnits(rng, profile.demand, k, 3, 88, 25);
      if (k === 0) monthly = (monthly * BigInt(days)) / BigInt(c.daysInMonth(0));
      const perSection = splitBy(monthly, profile.sections.map((s) => s.share));
      const usage: { section: SectionSpec; meter: AzureMeter; day: number; target: bigint }[] = [];
      profile.sections.forEach((section, si) => {
        const perMeter = splitBy(perSection[si], section.meters.map((m) => m.share));
        section.meters.forEach((meter, mi) => {
          const dayList: number[] = [];
          for (let w = 0; w < 5; w++) {
            const day = 1 + 7 * w + rng.next(7);
            if (day <= days) dayList.push(day);
          }
          const perDay = splitBy(perMeter[mi], dayList.map(() => 80 + rng.next(41)));
          dayList.forEach((day, di) => usage.push({ section, meter, day, target: perDay[di] }));
        });
      });
      // The open month's usage runs up to its last usage day, less the profile's lag: when no meter
      // happens to have usage that late, the latest usage is shared with that day (no randomness
      // is drawn, so a month that has it already renders as before).
      const through = Math.max(1, days - profile.openMonthLagDays);
      if (k === 0 && usage.length > 0 && !usage.some((u) => u.day >= through)) {
        const latest = usage.reduce((best, u, i) => (u.day > usage[best].day ? i : best), 0);
        const [kept, moved] = splitBy(usage[latest].target, [1, 1]);
        usage.splice(latest, 1, { ...usage[latest], target: kept }, { ...usage[latest], day: through, target: moved });
      }
      for (const { section, meter, day, target } of usage) {
        const { usd, billing } = amounts(target);
        if (billing <= 0n) throw new Error(`Azure ${profile.name} ${c.ym(k)}: no cost`);
        eligible += billing;
        rows.push({
          ...base(section, day),
          serviceFamily: meter.serviceFamily, consumedService: meter.consumedService, meterCategory: meter.meterCategory, ProductName: meter.productName,
          quantity: quantityText(usd, meter.unitPrice),
          costInBillingCurrency: tenPlaces(billing), costInUsd: tenPlaces(usd),
        });
      }
      // Charges credits never pay.
      for (const x of profile.ineligible) {
        if (x.day > days) continue;
        const section = profile.sections[x.section];
        const { usd, billing } = amounts(parseUnits(x.amount, 10));
        ineligible += billing;
        rows.push({
          ...base(section, x.day),
          serviceFamily: x.serviceFamily, consumedService: x.consumedService, meterCategory: x.meterCategory, ProductName: x.productName,
          publisherType: x.publisherType, publisherName: x.publisherName, chargeType: x.chargeType, quantity: x.quantity,
          costInBillingCurrency: tenPlaces(billing), costInUsd: tenPlaces(usd),
          isAzureCreditEligible: x.isAzureCreditEligible ? 'True' : 'False',
        });
      }
      rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || (a.invoiceSectionId < b.invoiceSectionId ? -1 : a.invoiceSectionId > b.invoiceSectionId ? 1 : 0));
      const text = csvMinimal([[...AZURE_COLUMNS], ...rows.map((r) => AZURE_COLUMNS.map((c) => r[c]))]);
      const dataThrough = rows[rows.length - 1].date;
      files.push({ k, profile, dataThrough, name: `azure/cost-details-${profile.name}-${c.ym(k)}.csv`, text, final, invoiceId, rows: rows.length, eligible, ineligible });
    }
  });
  return files;
}

// ---------------------------------------------------------------------------------------------
// The check: the real parsers and the real engine
// ---------------------------------------------------------------------------------------------

interface Checked {
  aws: EngineResult;
  azure: EngineResult;
  /** Azure with the canceled lot passed as an ordinary lot (what an ingest that ignores status would compute). */
  azureCanceledUnpaused: EngineResult;
  awsPeriods: EnginePeriod[];
  azurePeriods: EnginePeriod[];
  ineligibleReasons: Record<string, number>;
}

const units = (text: string): bigint => parseExact(text).units;
const isZero = (text: string): boolean => units(text) === 0n;

/** The month in which a credit's final applications reach its opening balance, or null. */
function exhaustMonth(result: EngineResult, id: string): string | null {
  const outcome = result.credits.find((c) => c.creditId === id)!;
  const opening = units(outcome.openingBalance);
  let used = 0n;
  const months = [...new Set(result.applications.filter((a) => a.creditId === id && !a.estimated).map((a) => a.month))].sort();
  for (const m of months) {
    for (const a of result.applications) if (a.creditId === id && !a.estimated && a.month === m) used += units(a.amount);
    if (used >= opening) return m;
  }
  return null;
}

function appliedIn(result: EngineResult, id: string, month: string, estimated: boolean): bigint {
  let s = 0n;
  for (const a of result.applications) if (a.creditId === id && a.month === month && a.estimated === estimated) s += units(a.amount);
  return s;
}

async function checkWithEngine(d: Demo, aws: AwsMonthFile[], azure: AzureMonthFile[]): Promise<Checked> {
  const c = d.cal;
  const problems: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'demo-billing-'));
  try {
    // 1. The real parsers, on the files exactly as written.
    const awsPeriods: EnginePeriod[] = [];
    for (const f of aws) {
      const path = join(dir, f.name.split('/').pop()!);
      writeFileSync(path, f.text);
      const parsed = await parseAwsBillingCsv(path);
      if (!parsed.ok) {
        problems.push(`${f.name}: rejected by parseAwsBillingCsv:\n    ${parsed.problems.slice(0, 10).map((p) => `line ${p.line} col ${p.column}: ${p.reason}`).join('\n    ')}`);
        continue;
      }
      const s = parsed.summary;
      if (s.final !== f.final) problems.push(`${f.name}: parsed as ${s.final ? 'final' : 'estimated'}`);
      if (s.month !== c.ym(f.k) || s.payerAccountId !== PAYER) problems.push(`${f.name}: parsed as ${s.payerAccountId} ${s.month}`);
      if (s.lineItems !== f.lineItems) problems.push(`${f.name}: ${s.lineItems} line items parsed, ${f.lineItems} written`);
      if (units(s.totals.USD?.costBeforeTax ?? '0') !== f.total * 10n ** 10n) problems.push(`${f.name}: parsed total ${s.totals.USD?.costBeforeTax}`);
      const last = isoDay(c.dayOf(0, c.usageDays(0)));
      if (f.k === 0 && parsed.periods[0]?.dataThrough !== last) problems.push(`${f.name}: data through ${parsed.periods[0]?.dataThrough}, not ${last}`);
      awsPeriods.push(...parsed.periods);
    }
    const azurePeriods: EnginePeriod[] = [];
    const ineligibleReasons: Record<string, number> = {};
    for (const f of azure) {
      const path = join(dir, f.name.split('/').pop()!);
      writeFileSync(path, f.text);
      const parsed = await parseCostDetailsCsv(path);
      if (!parsed.ok) {
        problems.push(`${f.name}: rejected by parseCostDetailsCsv:\n    ${parsed.problems.slice(0, 10).map((p) => `line ${p.line} col ${p.column}: ${p.reason}`).join('\n    ')}`);
        continue;
      }
      const s = parsed.summary;
      const t = s.totals[f.profile.currency];
      if (parsed.periods.length !== 1 || parsed.periods[0].month !== c.ym(f.k) || parsed.periods[0].final !== f.final || parsed.periods[0].group !== f.profile.name) {
        problems.push(`${f.name}: parsed into ${parsed.periods.map((p) => `${p.group} ${p.month} ${p.final ? 'final' : 'estimated'}`).join(', ')}`);
      }
      if (!t || units(t.eligible) !== f.eligible * 10n ** 10n || units(t.ineligible) !== f.ineligible * 10n ** 10n) {
        problems.push(`${f.name}: parsed eligible/ineligible ${t?.eligible}/${t?.ineligible}, written ${tenPlaces(f.eligible)}/${tenPlaces(f.ineligible)}`);
      }
      if (f.k === 0) {
        const last = isoDay(c.dayOf(0, c.usageDays(0)));
        const earliest = isoDay(c.dayOf(0, Math.max(1, c.usageDays(0) - f.profile.openMonthLagDays)));
        const through = parsed.periods[0]?.dataThrough ?? '';
        if (through < earliest || through > last || through !== f.dataThrough) problems.push(`${f.name}: data through ${through}, not ${earliest} .. ${last}`);
      }
      for (const [why, n] of Object.entries(s.ineligibleRows)) ineligibleReasons[why] = (ineligibleReasons[why] ?? 0) + n;
      // The ingest's mapping: the period's group is the profile's full ARM id, consumers are full invoice section ids.
      for (const p of parsed.periods) {
        const profile = PROFILES.find((x) => x.name === p.group)!;
        azurePeriods.push({ ...p, group: profileId(profile), charges: p.charges.map((ch) => ({ ...ch, consumerId: sectionId(profile, ch.consumerId) })) });
      }
    }
    if (problems.length > 0) throw new Error(`billing files rejected:\n  ${problems.join('\n  ')}`);
    for (const why of ['isAzureCreditEligible False', 'Azure Marketplace', 'Azure support plan']) {
      if (!ineligibleReasons[why]) problems.push(`no cost details row is ineligible for "${why}"`);
    }

    // 2. The real engine, with the ingest's inputs.
    const awsCredits = d.awsCredits.map(awsEngineCredit);
    const azureCredits = d.lots.map(azureEngineCredit);
    const awsResult = applyCharges(awsCredits, awsPeriods);
    const azureResult = applyCharges(azureCredits, azurePeriods);
    const azureCanceledUnpaused = applyCharges(d.lots.map((l) => ({ ...azureEngineCredit(l), controls: [] })), azurePeriods);
    if (process.env.DEMO_DEBUG) debugPrint(c, awsResult, azureResult);

    // 3. The story.
    const story = (ok: boolean, what: string) => {
      if (!ok) problems.push(what);
    };
    const cr = (r: EngineResult, id: string): CreditOutcome => r.credits.find((o) => o.creditId === id)!;
    const finalMonths = MONTHS.filter((k) => k < 0).map((k) => c.ym(k));
    const open = c.ym(0);
    const burnsEveryMonth = (r: EngineResult, id: string, from: string, until: string) => {
      for (const m of finalMonths) if (m >= from && m <= until) story(appliedIn(r, id, m, false) > 0n, `${id} pays nothing in ${m}`);
    };
    const a = (id: string) => cr(awsResult, id);

    // AWS
    for (const id of ['90000000001', '90000000002', '90000000007']) {
      story(!isZero(a(id).remaining) && !isZero(a(id).estimated), `${id} should keep a balance (remaining ${a(id).remaining}, estimated ${a(id).estimated})`);
      story(units(a(id).estimated) < units(a(id).remaining), `${id} should be drawn in the open month`);
    }
    burnsEveryMonth(awsResult, '90000000001', c.ym(-11), c.ym(-1));
    burnsEveryMonth(awsResult, '90000000002', c.ym(-8), c.ym(-1));
    burnsEveryMonth(awsResult, '90000000007', c.ym(-5), c.ym(-1));
    story(isZero(a('90000000004').remaining) && isZero(a('90000000004').expired), `90000000004 should be used up (remaining ${a('90000000004').remaining})`);
    // When it runs out depends on the usage of the months the as-of day puts in the window; the README says when.
    const ranOut004 = exhaustMonth(awsResult, '90000000004');
    story(ranOut004 !== null && ranOut004 < open, `90000000004 should run out before ${open}, ran out in ${ranOut004}`);
    burnsEveryMonth(awsResult, '90000000004', c.ym(-11), ranOut004 ?? c.ym(-1));
    story(!isZero(a('90000000005').expired) && isZero(a('90000000005').remaining), `90000000005 should expire with a balance (expired ${a('90000000005').expired})`);
    burnsEveryMonth(awsResult, '90000000005', c.ym(-11), c.ym(-6));
    story(awsResult.applications.every((x) => x.creditId !== '90000000005' || x.month < c.ym(-5)), '90000000005 paid after its expiry');
    story(awsResult.applications.every((x) => x.creditId !== '90000000002' || x.consumerId === '123456789012'), '90000000002 paid for an account other than research-grant');
    story(a('90000000003').remaining === '1200.00' && a('90000000003').estimated === '1200.00', '90000000003 (paused) should never be used');
    story(units(a('90000000006').appliedFinal) + units(a('90000000006').appliedEstimated) === 0n, '90000000006 (not started) should never be used');

    // Azure
    const lot = (name: string) => d.lots.find((l) => l.name === name)!;
    const z = (name: string) => cr(azureResult, lotId(lot(name)));
    // G100200307 lapses a week before the as-of day: in the open month from the 8th on, else in the last final month.
    const lapse307 = c.ym(c.monthIndexOf(lot('G100200307').expiration));
    const lapsesInOpenMonth = lapse307 === open;
    story(!isZero(z('G100200303').expired) && isZero(z('G100200303').remaining), `G100200303 should expire with a balance (expired ${z('G100200303').expired})`);
    story(!isZero(z('G200300403').expired) && isZero(z('G200300403').remaining), `G200300403 should expire with a balance (expired ${z('G200300403').expired})`);
    story(isZero(z('G100200305').remaining) && isZero(z('G100200305').expired), `G100200305 should be used up (remaining ${z('G100200305').remaining})`);
    story(exhaustMonth(azureResult, lotId(d.lots.find((l) => l.name === 'G100200305')!)) === c.ym(-4), 'G100200305 should be used up in ' + c.ym(-4));
    for (const name of lapsesInOpenMonth ? ['G100200302', 'G100200307', 'G200300401'] : ['G100200302', 'G200300401']) {
      story(units(z(name).appliedFinal) > 0n && !isZero(z(name).remaining), `${name} should burn down and keep a balance (remaining ${z(name).remaining})`);
    }
    story(appliedIn(azureResult, lotId(lot('G100200302')), c.ym(-4), false) > 0n, `G100200302 should pay what G100200305 could not in ${c.ym(-4)}`);
    burnsEveryMonth(azureResult, lotId(d.lots.find((l) => l.name === 'G100200303')!), c.ym(-11), c.ym(-6));
    burnsEveryMonth(azureResult, lotId(d.lots.find((l) => l.name === 'G100200307')!), c.ym(-3), c.ym(-1));
    burnsEveryMonth(azureResult, lotId(d.lots.find((l) => l.name === 'G200300403')!), c.ym(-11), c.ym(-3));
    burnsEveryMonth(azureResult, lotId(d.lots.find((l) => l.name === 'G200300401')!), c.ym(-2), c.ym(-1));
    if (lapsesInOpenMonth) {
      story(z('G100200301').remaining === '6000.00' && units(z('G100200301').appliedEstimated) > 0n, 'G100200301 should be drawn first in the open month');
    } else {
      story(!isZero(z('G100200307').expired) && isZero(z('G100200307').remaining), `G100200307 should expire in ${lapse307} with a balance (expired ${z('G100200307').expired})`);
      story(!isZero(z('G100200301').estimated), `G100200301 should keep a balance (estimated ${z('G100200301').estimated})`);
    }
    story(azureResult.applications.every((x) => x.creditId !== lotId(lot('G100200301')) || x.month >= lapse307), 'G100200301 paid before G100200307 expired');
    for (const name of ['G100200304', 'G100200306', 'G100200308', 'G200300402']) {
      story(units(z(name).appliedFinal) + units(z(name).appliedEstimated) === 0n, `${name} should pay nothing`);
    }
    // The canceled lot: if an ingest passed it as an ordinary lot, the story must still hold.
    const u = (name: string) => cr(azureCanceledUnpaused, lotId(d.lots.find((l) => l.name === name)!));
    story(!isZero(u('G100200303').expired) && isZero(u('G100200305').remaining) && !isZero(u('G100200302').remaining), 'the story breaks when the canceled lot pays');

    // Whatever the day, each credit has the status the story gives it, and the soonest expire within 30, 60 and 90 days.
    const window = (id: string, status: CreditStatus, expiresAt: string, remaining: string, days: 30 | 60 | 90) => {
      const within = (n: number) => expiresWithin({ status, expiresAt }, c.nowIso, n);
      story(within(days) && (days === 30 || !within(days - 30)) && !isZero(remaining), `${id} should expire within ${days} days and not sooner, with a balance left (expires ${expiresAt}, remaining ${remaining})`);
    };
    for (const spec of d.awsCredits) {
      const status = awsStatus(c, spec, a(spec.creditId));
      story(status === spec.status, `${spec.creditId} should be ${spec.status} on ${c.asOf}, is ${status}`);
      if (spec.expiresWithinDays) window(spec.creditId, status, isoDate(spec.end), a(spec.creditId).estimated, spec.expiresWithinDays);
    }
    for (const spec of d.lots) {
      const status = lotStatus(c, spec, z(spec.name));
      story(status === spec.status, `${spec.name} should be ${spec.status} on ${c.asOf}, is ${status}`);
      if (spec.expiresWithinDays) window(spec.name, status, isoDate(spec.expiration), z(spec.name).estimated, spec.expiresWithinDays);
    }

    // Nothing but the estimates depends on the open month: final periods alone give the same remaining and expired.
    const awsFinalOnly = applyCharges(awsCredits, awsPeriods.filter((p) => p.final));
    const azureFinalOnly = applyCharges(azureCredits, azurePeriods.filter((p) => p.final));
    for (const [full, part] of [[awsResult, awsFinalOnly], [azureResult, azureFinalOnly]] as const) {
      for (const f of full.credits) {
        const o = part.credits.find((x) => x.creditId === f.creditId)!;
        story(f.remaining === o.remaining && f.expired === o.expired, `${f.creditId}: remaining/expired depend on ${open}`);
      }
    }
    // Ineligible charges are never paid.
    for (const p of azurePeriods) {
      const outcome = azureResult.periods.find((o) => o.group === p.group && o.month === p.month)!;
      p.charges.forEach((ch, i) => story(ch.creditEligible || isZero(outcome.coverage[i].covered), `${p.group} ${p.month}: ineligible ${ch.productCode} was paid`));
    }
    if (problems.length > 0) throw new Error(`the demo's story does not hold:\n  ${problems.join('\n  ')}`);
    return { aws: awsResult, azure: azureResult, azureCanceledUnpaused, awsPeriods, azurePeriods, ineligibleReasons };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function debugPrint(c: Calendar, aws: EngineResult, azure: EngineResult): void {
  for (const [label, r] of [['AWS', aws], ['Azure', azure]] as const) {
    for (const o of r.credits) {
      const per = MONTHS.map((k) => cents(formatExact(appliedIn(r, o.creditId, c.ym(k), k === 0), 20)));
      console.error(`${label} ${o.creditId.split('/').pop()} open ${o.openingBalance} rem ${cents(o.remaining)} est ${cents(o.estimated)} exp ${cents(o.expired)} | ${per.join(' ')}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// README
// ---------------------------------------------------------------------------------------------

function sharingText(s: AwsCreditSpec): string {
  if (s.sharing === 'CUSTOM') return `CUSTOM (${s.shareableAccounts!.join(', ')})`;
  if (s.sharing === 'COST_CATEGORY_RULE') return `COST_CATEGORY_RULE (${s.ruleName} = ${awsScope(s)!.join(', ')})`;
  return s.sharing;
}

/** The product's status of an AWS credit on the as-of day, from the engine's outcome (lib/domain/credit-status). */
function awsStatus(c: Calendar, s: AwsCreditSpec, o: CreditOutcome): CreditStatus {
  return deriveStatus({
    canceled: false, expiredFlag: false, expiresAt: isoDate(s.end), exhausted: isZero(o.remaining), paused: s.creditStatus === 'DISABLED',
    notStartedFlag: false, startsAt: isoDate(s.start),
  }, c.nowIso);
}

/** The product's status of an Azure lot on the as-of day, from the engine's outcome (lib/domain/credit-status). */
function lotStatus(c: Calendar, l: LotSpec, o: CreditOutcome): CreditStatus {
  return deriveStatus({
    canceled: !!l.canceled, expiredFlag: false, expiresAt: isoDate(l.expiration), exhausted: isZero(o.remaining), paused: false, notStartedFlag: false,
    startsAt: isoDate(l.start),
  }, c.nowIso);
}

function awsStatusOf(c: Calendar, s: AwsCreditSpec, o: CreditOutcome): string {
  const status = awsStatus(c, s, o);
  return status + (isExpiringSoon(status, isoDate(s.end), c.nowIso) ? ' (expiring soon)' : '');
}

function lotStatusOf(c: Calendar, l: LotSpec, o: CreditOutcome): { product: string; azure: string } {
  const expiresAt = isoDate(l.expiration);
  const product = lotStatus(c, l, o);
  const azure = l.canceled ? 'Canceled' : l.start > c.anchor ? 'None' : !isZero(o.expired) || l.expiration < c.anchor ? 'Expired' : isZero(o.remaining) ? 'Complete' : 'Active';
  return { product: product + (isExpiringSoon(product, expiresAt, c.nowIso) ? ' (expiring soon)' : ''), azure };
}

function readme(d: Demo, checked: Checked, aws: AwsMonthFile[], azure: AzureMonthFile[], names: string[]): string {
  const c = d.cal;
  const md: string[] = [];
  const push = (...lines: string[]) => md.push(...lines);
  const open = c.ym(0);
  const lastFinal = c.ym(-1);
  const cut = isoDay(c.dayOf(0, c.usageDays(0)));
  const lotOutcome = (r: EngineResult, name: string) => r.credits.find((o) => o.creditId === lotId(d.lots.find((l) => l.name === name)!))!;
  const canceledPaid = lotOutcome(checked.azureCanceledUnpaused, 'G100200306').appliedFinal;
  const g302Alt = lotOutcome(checked.azureCanceledUnpaused, 'G100200302').remaining;

  push('# Demo dataset', '',
    `The demo as of **${c.asOf}**, rendered by \`scripts/generate-demo-data.ts\`. Every date in it is relative to that day (the`,
    `as-of day): its month, ${open}, is the open month, with usage up to the day before (on the 1st of a month, that first`,
    'day, so the open month is never empty). Rendered for any other day, the demo tells the same story with that day\'s dates',
    'and numbers.', '',
    '## Which day, and where', '',
    '- **`npm start` renders the demo for the day of its first start** (UTC): when every provider database is empty, it',
    '  generates the demo for that day into `DATA_DIR/demo-<day>/` (this README included, telling that day\'s story) and',
    '  loads it. The folder is kept. Later starts generate and load nothing: from then on the data ages as real data would',
    '  (credits reach their expiry, the open month stays the first start\'s month), and the banner says since when. To',
    '  start afresh on today\'s date, stop and delete `DATA_DIR` (`./data` by default). A provider database that alone is',
    '  empty is loaded from the same day\'s rendering as the others.',
    `- **The copy checked in under \`demo/\` is the rendering for ${DEMO_AS_OF}** (\`DEMO_AS_OF\`), which the tests load with their`,
    `  clock pinned to ${DEMO_AS_OF}T12:00Z. A test renders it again and compares it byte for byte, so never edit these files:`,
    '  change the generator and regenerate. Another test renders other days (a 31st, a 29 February, a 1st, a day in 2030)',
    '  and loads them, and one starts the product on two far-apart days.',
    '- **`DEMO_TODAY=YYYY-MM-DD` is for tests only**: `npm start` then renders the demo for that day and every service\'s',
    '  clock reads that day at 12:00 UTC, frozen. It is refused with `NODE_ENV=production`.', '',
    `To render it for a day (\`outDir\` defaults to \`demo\`, the day to ${DEMO_AS_OF}):`, '',
    '```', 'npm run build && node dist/scripts/generate-demo-data.js [outDir] [--as-of YYYY-MM-DD]', '```', '',
    'The output is deterministic (fixed seeds, no clock): the same day gives byte-identical files. Rendering takes a few tenths',
    'of a second, checks included (below); a day on which the story would not hold is refused, naming what breaks.', '',
    '## How the data is made', '',
    'The dataset is what a customer would export from the two clouds, before this product has computed anything:', '',
    '- **Snapshots "as granted"**: the providers\' own JSON (AWS GetCredits, Organizations ListAccounts, a cost category;',
    '  Azure billing accounts, lots, events) showing every credit and lot *before any usage*: AWS `remainingAmount` =',
    '  `estimatedAmount` = `initialAmount`; Azure `closedBalance` = `originalAmount` and one `NewCredit` event per started lot.',
    `- **Billing files**, one per month from ${c.ym(FIRST_MONTH)} to ${open}: AWS Programmatic Billing CSVs and Azure MCA cost details CSVs.`,
    `  ${c.ym(FIRST_MONTH)} .. ${lastFinal} are final (invoiced); ${open} is the open month: estimated, with usage up to ${cut} at most.`,
    '- The product applies the billing files to the credits with its charges engine (`lib/domain/charges`, docs/CHARGES.md) and',
    '  computes every balance, the AWS allocation history and the Azure charge events itself. The tables below are the',
    '  engine\'s results on exactly these files.', '',
    'Usage is generated per month, account / invoice section and service from a fixed seed (integers only); money is exact',
    '(BigInt units written as decimal text, never a binary float). Before it writes anything the generator reads its CSVs back',
    'with the project\'s parsers (`parseAwsBillingCsv`, `parseCostDetailsCsv`), runs `applyCharges` on them with the ingest\'s',
    'rules (below) and refuses to finish when a file is rejected or the story told here does not hold.', '',
    '### How the engine is fed (the ingest\'s rules)', '',
    `- AWS, per credit of GetCredits: \`id\` = creditId, \`group\` = \`${PAYER}\` (the payer), \`currency\` USD, \`openingBalance\` = initialAmount,`,
    '  `openingMonth` = month of startDate, `startsAt` / `expiresAt` = startDate / endDate, `applicableServices` = applicableProductNames,',
    '  `controls: [{ from: openingMonth, paused: creditStatus === "DISABLED", scope }]`, scope = everyone for DEFAULT, the owner account',
    '  for DISABLED, shareableAccounts for CUSTOM, the accounts of the cost category value for COST_CATEGORY_RULE',
    '  (GrantNSF = 123456789012; Product = 444455556666, 777788889999). Billing CSV charges: consumer = LinkedAccountId (the payer',
    '  for PayerLineItem), service = ProductName, amount = CostBeforeTax, date = UsageStartDate.',
    '- Azure, per lot: `id` = the lot\'s ARM id, `group` = the full ARM id of its billing profile, `currency` = closedBalance currency,',
    '  `openingBalance` = originalAmount, `openingMonth` = month of startDate, `startsAt` / `expiresAt` = startDate / expirationDate.',
    '  A cost details period\'s group is the profile\'s full ARM id (the CSV\'s `billingProfileId` is the short profile name);',
    '  consumers are full invoice section ARM ids (`<profile ARM id>/invoiceSections/<invoiceSectionId>`).',
    '  The Canceled lot G100200306 is passed with `controls: [{ from: openingMonth, paused: true, scope: everyone }]`: a canceled',
    '  credit never pays (an assumption of this dataset; the ingest must do the same for the numbers below). Passed as an',
    `  ordinary lot it would pay ${cents(canceledPaid)} of ${c.ym(-4)} in place of G100200302 (which would then keep ${cents(g302Alt)});`,
    '  the generator checks that the story holds either way.', '');

  push('## Files', '');
  const csvs = names.filter((n) => n.endsWith('.csv'));
  for (const n of names.filter((x) => !x.endsWith('.csv'))) push(`- \`${n}\``);
  push(`- \`aws/${PAYER}-aws-billing-csv-YYYY-MM.csv\` for ${c.ym(FIRST_MONTH)} .. ${open} (${aws.length} files)`);
  for (const p of PROFILES) push(`- \`azure/cost-details-${p.name}-YYYY-MM.csv\` for ${c.ym(FIRST_MONTH)} .. ${open} (${azure.filter((f) => f.profile === p).length} files)`);
  push('', `${names.length} data files, ${csvs.length} of them CSV.`, '');

  // AWS
  push('## AWS (demo/aws/)', '',
    `One organization (\`${ORG_ID}\`): payer (management) account \`${PAYER}\` "${PAYER_NAME}" and ${AWS_ACCOUNTS.length - 1} linked accounts.`, '',
    '| Account | Name | JoinedMethod | FundingSource value | Services it uses |', '| --- | --- | --- | --- | --- |');
  for (const a of AWS_ACCOUNTS) push(`| \`${a.id}\`${a.id === PAYER ? ' (payer)' : ''} | ${a.name} | ${a.joinedMethod} | ${costCategoryValue(a)} | ${Object.keys(a.usage).join(', ')} |`);
  push('', `Cost category \`FundingSource\` (${COST_CATEGORY_ARN}): rules, first match wins: GrantNSF = LINKED_ACCOUNT EQUALS 123456789012; ` +
    'Product = LINKED_ACCOUNT EQUALS 444455556666 OR LINKED_ACCOUNT_NAME STARTS_WITH "team-"; Sandbox = LINKED_ACCOUNT_NAME STARTS_WITH "sandbox-"; ' +
    'default Unallocated (the payer falls through to it).', '');
  push('### Billing CSVs', '',
    'Exactly the 29 Programmatic Billing columns, every field quoted, dates like `2026/10/01 00:00:00`, amounts with ten places.',
    'Per month: `LinkedLineItem` rows per linked account, service and usage type (1 to 3 rows each, with different',
    '`UsageStartDate` days), `PayerLineItem` rows for the payer\'s own usage (LinkedAccountId empty), then one `AccountTotal` per',
    'account, the `InvoiceTotal` and the `StatementTotal`, which sum the line items exactly (Credits `0.0000000000`, TaxAmount',
    '`0.000000`, TotalCost = CostBeforeTax: the files carry no credits, the product applies them).', '',
    '| Month | InvoiceID | line items | CostBeforeTax (USD) |', '| --- | --- | --- | --- |');
  for (const f of aws) push(`| ${c.ym(f.k)} | \`${f.invoiceId}\` | ${f.lineItems} | ${tenPlaces(f.total)} |`);
  push('');

  push(`### Credits as of ${c.asOf} (the engine's results)`, '',
    'GetCredits holds them as granted (remaining = estimated = initial); the product computes these. "remaining" is after the',
    `final months (${c.ym(FIRST_MONTH)} .. ${lastFinal}) and expiry, "estimated" also after the open month ${open}. All USD, owner \`${PAYER}\`.`, '',
    '| creditId | description | sharing | creditStatus | start .. end | initial | remaining | estimated | expired | status | story |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const s of d.awsCredits) {
    const o = checked.aws.credits.find((x) => x.creditId === s.creditId)!;
    push(`| ${s.creditId} | ${s.description} | ${sharingText(s)} | ${s.creditStatus} | ${isoDay(s.start)} .. ${isoDay(s.end)} | ${s.initial} | ${o.remaining} | ${o.estimated} | ${o.expired} | ${awsStatusOf(c, s, o)} | ${typeof s.story === 'string' ? s.story : s.story(checked.aws)} |`);
  }
  push('', 'Applied per month (the allocation history the product derives; rounded to the cent here, exact in the product;',
    `${open} is estimated):`, '',
    `| Month | ${d.awsCredits.map((s) => s.creditId).join(' | ')} |`, `| --- | ${d.awsCredits.map(() => '---').join(' | ')} |`);
  for (const k of MONTHS) {
    push(`| ${c.ym(k)}${k === 0 ? ' (est.)' : ''} | ${d.awsCredits.map((s) => cents(formatExact(appliedIn(checked.aws, s.creditId, c.ym(k), k === 0), 10))).join(' | ')} |`);
  }
  push('');

  // Azure
  push('## Azure MCA (demo/azure/)', '',
    `Billing account "${BILLING_ACCOUNT_NAME}" (\`${BILLING_ACCOUNT}\`, MicrosoftCustomerAgreement), invoice day 5 on every profile:`, '',
    '| Billing profile | Display name | Currency | Invoice sections |', '| --- | --- | --- | --- |');
  for (const p of PROFILES) push(`| \`${p.name}\` | ${p.displayName} | ${p.currency} | ${p.sections.map((s) => `\`${s.name}\` ${s.displayName}`).join('; ')} |`);
  push('', '### Cost details CSVs', '',
    'MCA cost details schema (the columns of the reference example, read by header name): `billingProfileId` and',
    '`invoiceSectionId` carry the SHORT names, amounts have ten places, costInBillingCurrency = costInUsd x',
    'exchangeRatePricingToBilling (1 on the USD profile; the month\'s USD->EUR rate on the EUR profile). Each profile\'s',
    'credit-eligible usage is spread over its sections\' meters on a few days a week. Final months carry the invoice id;',
    `${open} has none: it is estimated, with usage up to ${PROFILES.map((p) => `${azure.find((f) => f.profile === p && f.k === 0)!.dataThrough} on ${p.displayName}`).join(', ')}`,
    `(${PROFILES.filter((p) => p.openMonthLagDays > 0).map((p) => `${p.displayName}'s cost exports may lag ${p.openMonthLagDays === 1 ? 'a day' : `${p.openMonthLagDays} days`}`).join('; ')}). Each month also holds three charges credits never pay:`, '');
  for (const x of PROFILES[0].ineligible) push(`- ${x.productName} (${x.publisherType}, ${x.publisherName}, isAzureCreditEligible ${x.isAzureCreditEligible ? 'True' : 'False'}): ${x.why}.`);
  push('', 'The Marketplace and support plan rows say isAzureCreditEligible True on purpose, so the parser\'s publisherType and',
    'support-plan rules, not the flag, exclude them.', '',
    '| Month | ' + PROFILES.map((p) => `${p.displayName} invoiceId | eligible (${p.currency}) | ineligible (${p.currency})`).join(' | ') + ' |',
    '| --- | ' + PROFILES.map(() => '--- | --- | ---').join(' | ') + ' |');
  for (const k of MONTHS) {
    const cells = PROFILES.map((p) => {
      const f = azure.find((x) => x.profile === p && x.k === k)!;
      return `${f.invoiceId ? `\`${f.invoiceId}\`` : '(estimated)'} | ${tenPlaces(f.eligible)} | ${tenPlaces(f.ineligible)}`;
    });
    push(`| ${c.ym(k)} | ${cells.join(' | ')} |`);
  }
  push('');

  push(`### Lots as of ${c.asOf} (the engine's results)`, '',
    'The lots files hold them as granted (closedBalance = originalAmount, status Active, None for the lot that starts after',
    `${c.asOf}, Canceled kept); the product computes these, in the credit currency. "status" is the product's normalized`,
    'status (lib/domain/credit-status); "Azure status" is the lot status the numbers amount to.', '',
    '| Lot | Profile | source | credit/billing currency | start .. expiration | original | remaining | estimated | expired | status | Azure status | story |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const p of PROFILES) {
    for (const l of d.lots.filter((x) => x.profile === p.name).sort(lotOrder)) {
      const o = checked.azure.credits.find((x) => x.creditId === lotId(l))!;
      const st = lotStatusOf(c, l, o);
      push(`| \`${l.name}\` | ${p.displayName} | ${l.source} | ${l.creditCurrency}/${p.currency} | ${isoDay(l.start)} .. ${isoDay(l.expiration)} | ${l.original} | ${o.remaining} | ${o.estimated} | ${o.expired} | ${st.product} | ${st.azure} | ${l.story} |`);
    }
  }
  const paying = d.lots.filter((l) => {
    const o = checked.azure.credits.find((x) => x.creditId === lotId(l))!;
    return units(o.appliedFinal) + units(o.appliedEstimated) > 0n;
  });
  push('', 'Applied per month (the charge events the product derives; rounded to the cent here; lots that paid something):', '',
    `| Month | ${paying.map((l) => `${l.name} (${l.creditCurrency})`).join(' | ')} |`, `| --- | ${paying.map(() => '---').join(' | ')} |`);
  for (const k of MONTHS) {
    push(`| ${c.ym(k)}${k === 0 ? ' (est.)' : ''} | ${paying.map((l) => cents(formatExact(appliedIn(checked.azure, lotId(l), c.ym(k), k === 0), 10))).join(' | ')} |`);
  }
  push('', 'Events: one `NewCredit` event per lot that has started, dated on its start, `invoiceNumber` "", `closedBalance` = the',
    'profile\'s running balance per credit currency after it (the EUR profile\'s USD lot runs its own USD balance). G100200304',
    'starts after the as-of day and has no event yet.', '');

  const g307 = d.lots.find((l) => l.name === 'G100200307')!;
  push('## Things worth knowing', '',
    ...(c.monthIndexOf(g307.expiration) === 0
      ? [`- G100200307 expires on ${isoDay(g307.expiration)}, inside the open month. The engine moves a balance to expired only when its expiry`,
        `  falls within a final month, so until ${open} is final the lot keeps its remaining balance as of ${lastFinal} (status EXPIRED`,
        '  by its date); its estimate covers its usage up to the expiry, and G100200301 pays from the next day.']
      : [`- G100200307 expires on ${isoDay(g307.expiration)}, a week before the as-of day and so in ${lastFinal}, a final month: its balance left`,
        `  has moved to expired, and G100200301 pays from the next day. (From the 8th of a month on, the expiry falls inside the open`,
        '  month, where the engine keeps the remaining balance until the month is final.)']),
    '- G200300402 is a USD lot on the EUR profile. The profile\'s charges are in EUR and the engine pays only charges in the',
    '  credit\'s currency, so it pays nothing (the cost details do carry costInUsd and the exchange rate, should the product ever',
    '  convert).',
    '- G100200306 is Canceled: it is passed to the engine paused and pays nothing.',
    '- AWS `creditConsoleVisibility` and `purchaseTypeApplications` are typed by the AWS SDK models but their values are not',
    '  documented: `"VISIBLE"` and `["OnDemand", "SavingsPlans"]` here are illustrative. Credit 90000000003 omits `applicationType`.',
    '- AWS `JoinedTimestamp` is written the way the AWS CLI prints it (`2019-03-14T17:22:53.101000+00:00`).',
    '- Real-payload quirks kept on purpose: the NewCredit event of G200300403 says `"lotSource": "AzurePrepayment"` (its lot',
    '  `source` is PurchasedCredit); the events of G200300403 and G100200306 have no `billingProfileId`; lot G100200304 has no',
    '  `...InBillingCurrency` amounts.',
    '');
  return md.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

/**
 * Files of earlier layouts of this dataset that the current one replaces, and billing files of
 * months (a rendering for another day) that are not written this time.
 */
const OBSOLETE = [/^credit-allocation-history-page-\d+\.json$/, /-aws-billing-csv-\d{4}-\d{2}\.csv$/, /^cost-details-.*-\d{4}-\d{2}\.csv$/];

/** The dataset's world on one as-of day: its calendar, and the credits and lots dated by it. */
interface Demo {
  cal: Calendar;
  awsCredits: AwsCreditSpec[];
  lots: LotSpec[];
}

function demoFor(asOf: string): Demo {
  const cal = new Calendar(asOf);
  return { cal, awsCredits: awsCredits(cal), lots: lots(cal) };
}

/** One credit as the story means it on the as-of day: the product's status, and the expiry window it falls in. */
export interface StoryCredit {
  provider: 'AWS' | 'AZURE';
  /** AWS creditId, or the Azure lot's name. */
  nativeId: string;
  status: CreditStatus;
  expiresWithinDays: 30 | 60 | 90 | null;
}

/** Every credit of the story rendered for `asOf`; the generator refuses a day on which one does not hold. */
export function storyCredits(asOf: string = DEMO_AS_OF): StoryCredit[] {
  const d = demoFor(asOf);
  return [
    ...d.awsCredits.map((s) => ({ provider: 'AWS' as const, nativeId: s.creditId, status: s.status, expiresWithinDays: s.expiresWithinDays ?? null })),
    ...d.lots.map((l) => ({ provider: 'AZURE' as const, nativeId: l.name, status: l.status, expiresWithinDays: l.expiresWithinDays ?? null })),
  ];
}

/** The demo rendered for one as-of day: every file's path (relative to the output folder) and text, README.md last. */
export interface DemoRendering {
  asOf: string;
  files: [string, string][];
}

/**
 * Renders the demo for `asOf` (YYYY-MM-DD, UTC) in memory, checked with the real parsers and
 * engine; throws a DayError for a bad day and an Error naming every broken part of the story.
 */
export async function renderDemo(asOf: string = DEMO_AS_OF): Promise<DemoRendering> {
  const d = demoFor(asOf);
  const c = d.cal;
  const awsFiles = buildAwsBillingFiles(c);
  const azureFiles = buildAzureCostDetails(c);
  const checked = await checkWithEngine(d, awsFiles, azureFiles);

  const json = { ...buildAwsSnapshots(d), ...buildAzureSnapshots(d) };
  const texts: [string, string][] = Object.entries(json).map(([path, value]) => [path, `${toJson(value)}\n`]);
  for (const [, text] of texts) JSON.parse(text); // well-formed
  texts.push(...awsFiles.map((f) => [f.name, f.text] as [string, string]), ...azureFiles.map((f) => [f.name, f.text] as [string, string]));
  texts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const names = texts.map(([p]) => p);
  texts.push(['README.md', readme(d, checked, awsFiles, azureFiles, names)]);
  const size = texts.reduce((s, [, t]) => s + Buffer.byteLength(t), 0);
  if (size > 1_500_000) throw new Error(`the dataset is too large (${size} bytes)`);
  return { asOf: c.asOf, files: texts };
}

/** Renders the demo for `asOf` and writes it into outDir (files of earlier layouts there are removed); returns the paths written. */
export async function generate(outDir: string, asOf: string = DEMO_AS_OF): Promise<string[]> {
  const { files: texts } = await renderDemo(asOf);

  const written: string[] = [];
  for (const sub of ['aws', 'azure']) {
    const dir = join(outDir, sub);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const rendered = texts.some(([path]) => path === `${sub}/${name}`);
      if (!rendered && OBSOLETE.some((re) => re.test(name))) unlinkSync(join(dir, name));
    }
  }
  for (const [path, text] of texts) {
    const full = join(outDir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    written.push(full);
  }
  return written;
}

/** `[outDir] [--as-of YYYY-MM-DD]` (defaults: demo, DEMO_AS_OF); throws naming a bad argument. */
export function parseArguments(args: string[]): { outDir: string; asOf: string } {
  let outDir: string | null = null;
  let asOf = DEMO_AS_OF;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--as-of') {
      if (i + 1 >= args.length) throw new Error('--as-of needs a day, YYYY-MM-DD');
      asOf = checkAsOf(args[++i]);
    } else if (arg.startsWith('--as-of=')) {
      asOf = checkAsOf(arg.slice('--as-of='.length));
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}: usage: generate-demo-data [outDir] [--as-of YYYY-MM-DD]`);
    } else if (outDir === null) {
      outDir = arg;
    } else {
      throw new Error(`one output folder only, got ${outDir} and ${arg}: usage: generate-demo-data [outDir] [--as-of YYYY-MM-DD]`);
    }
  }
  return { outDir: outDir ?? 'demo', asOf };
}

if (require.main === module) {
  let args: { outDir: string; asOf: string };
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const { outDir, asOf } = args;
  generate(outDir, asOf).then(
    (written) => {
      for (const f of written) console.log(`wrote ${f}`);
      console.log(`checked: every billing file parses, and the engine's results tell the README's story as of ${asOf}`);
    },
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 1;
    },
  );
}

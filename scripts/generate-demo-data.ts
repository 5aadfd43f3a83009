/**
 * Deterministic generator of the demo dataset in demo/: the providers' snapshots "as granted"
 * (every credit and lot before any usage) plus 12 months of billing files, from which the product
 * itself computes balances, AWS allocation history and Azure charge events.
 *
 *   npm run build && node dist/scripts/generate-demo-data.js [outDir]      (default outDir: demo)
 *
 * - AWS: Organizations ListAccounts, the FundingSource cost category, GetCredits with
 *   remaining = estimated = initial, and one Programmatic Billing CSV per month.
 * - Azure MCA: billing accounts (profiles, invoice sections), lots with closedBalance =
 *   originalAmount, one NewCredit event per started lot, and one cost details CSV per billing
 *   profile per month.
 *
 * Every date is derived from the anchor DEMO_AS_OF; the open month (the anchor's) is estimated and
 * holds usage up to the day before the anchor. Usage comes from a fixed seed (integers only), and
 * money never touches a binary float: BigInt units, written as decimal text.
 *
 * Before anything is written to outDir the generator checks the data with the project's own code:
 * it writes the CSVs to a temporary folder, reads them back with the real parsers
 * (subgraphs/aws/charges/billing-csv.ts, subgraphs/azure/charges/cost-details-csv.ts), applies them
 * with the real engine (lib/charges, applyCharges) exactly as the ingest does, and refuses to finish
 * when a parser rejects a file or the story the README tells does not hold. The README's balance
 * tables are the engine's results.
 *
 * DEMO_DEBUG=1 prints the engine's per-month applications to stderr (handy when tuning usage).
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { formatExact, parseExact } from '../lib/charges/amount';
import { applyCharges } from '../lib/charges/engine';
import type { CreditOutcome, CreditScope, EngineCredit, EnginePeriod, EngineResult } from '../lib/charges/types';
import { deriveStatus, isExpiringSoon } from '../lib/credit-status';
import { AWS_BILLING_COLUMNS, parseAwsBillingCsv } from '../subgraphs/aws/charges/billing-csv';
import { parseCostDetailsCsv } from '../subgraphs/azure/charges/cost-details-csv';

/** The day the dataset describes. Change it and every date moves with it. */
export const DEMO_AS_OF = '2026-11-22';

// ---------------------------------------------------------------------------------------------
// Dates (relative to the anchor)
// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const [AS_OF_Y, AS_OF_M, AS_OF_D] = DEMO_AS_OF.split('-').map(Number);
/** Midnight UTC at the start of the anchor day. */
const ANCHOR = Date.UTC(AS_OF_Y, AS_OF_M - 1, AS_OF_D);
const NOW_ISO = `${DEMO_AS_OF}T00:00:00Z`;
/** Months of billing files: k = -11 .. 0, where 0 is the anchor's (open, estimated) month. */
const FIRST_MONTH = -11;
const MONTHS: number[] = Array.from({ length: 1 - FIRST_MONTH }, (_, i) => FIRST_MONTH + i);

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
function isoDay(ms: number): string {
  return isoDate(ms).slice(0, 10);
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
function daysInMonth(k: number): number {
  return Math.round((monthStart(k + 1) - monthStart(k)) / DAY);
}
/** Days of month k that have usage: the whole month, or up to the day before the anchor. */
function usageDays(k: number): number {
  return k === 0 ? Math.round((ANCHOR - monthStart(0)) / DAY) : daysInMonth(k);
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
  /** What the credit shows once the billing files are applied, for the README. */
  story: string;
}

const AWS_CREDITS: AwsCreditSpec[] = [
  {
    creditId: '90000000001', creditType: 'Promotion', description: 'AWS Activate Portfolio credits', initial: '25000.00',
    products: [EC2, S3, RDS], start: monthStart(-11), end: monthStart(13), applicationType: 'BEFORE_CROSS_SERVICE_DISCOUNTS',
    sharing: 'DEFAULT', creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
    story: 'organization-wide (DEFAULT), three services; used after the restricted credits, so it burns faster once 90000000004 runs out',
  },
  {
    creditId: '90000000002', creditType: 'Promotion', description: 'Research credits - NSF grant 2026', initial: '25000.00',
    products: [], start: monthStart(-8), end: monthStart(3), applicationType: 'AFTER_DISCOUNTS',
    sharing: 'COST_CATEGORY_RULE', ruleName: 'GrantNSF', creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
    story: 'cost-category sharing (FundingSource = GrantNSF): pays only research-grant (123456789012) usage, every service',
  },
  {
    creditId: '90000000003', creditType: 'Refund', description: 'Service credit - EC2 SLA event', initial: '1200.00',
    products: [EC2], start: monthStart(-7), end: monthStart(5),
    sharing: 'DISABLED', creditStatus: 'DISABLED', accountHasCreditSharingEnabled: true,
    story: 'paused (creditStatus DISABLED) from the start, so never used; sharing DISABLED (owner account only); no applicationType',
  },
  {
    creditId: '90000000004', creditType: 'Promotion', description: 'AWS Migration Acceleration Program credits', initial: '26000.00',
    products: [EC2, S3, RDS, DYNAMODB], start: monthStart(-11), end: monthStart(7), applicationType: 'BEFORE_CROSS_SERVICE_DISCOUNTS',
    sharing: 'CUSTOM', shareableAccounts: ['444455556666', '777788889999'], creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
    story: 'CUSTOM sharing with team-data and team-web; runs out in ' + ym(-4),
  },
  {
    creditId: '90000000005', creditType: 'Promotion', description: 'AWS re:Invent 2025 attendee credit', initial: '1000.00',
    products: [LAMBDA, DYNAMODB], start: monthStart(-11), end: monthStart(-5), applicationType: 'AFTER_DISCOUNTS',
    sharing: 'DEFAULT', creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
    story: 'Lambda and DynamoDB only; expires on ' + isoDay(monthStart(-5)) + ' with a balance left',
  },
  {
    creditId: '90000000006', creditType: 'Promotion', description: 'AWS Generative AI Accelerator credits', initial: '50000.00',
    products: [BEDROCK, SAGEMAKER, EC2], start: monthStart(2), end: monthStart(14), applicationType: 'AFTER_DISCOUNTS',
    sharing: 'COST_CATEGORY_RULE', ruleName: 'Product', creditStatus: 'ENABLED', consoleVisibility: 'VISIBLE', accountHasCreditSharingEnabled: true,
    story: 'not started yet (starts ' + isoDay(monthStart(2)) + '); reuses the FundingSource cost category (value Product)',
  },
  {
    creditId: '90000000007', creditType: 'TrueUp', description: 'Enterprise Discount Program true-up credit 2026', initial: '12000.00',
    products: [], start: monthStart(-5), end: ANCHOR + 23 * DAY, applicationType: 'BEFORE_CROSS_SERVICE_DISCOUNTS',
    sharing: 'CUSTOM', shareableAccounts: ['210987654321', '777788889999'], creditStatus: 'ENABLED',
    consoleVisibility: 'VISIBLE', purchaseTypeApplications: ['OnDemand', 'SavingsPlans'], accountHasCreditSharingEnabled: true,
    story: 'CUSTOM sharing with sandbox-eu and team-web, every service; expires within 30 days (' + isoDay(ANCHOR + 23 * DAY) + ') with a balance left',
  },
];

/** The invoice id of a final AWS month (9 digits, unique per month). */
function awsInvoiceId(k: number): string {
  const d = new Date(monthStart(k));
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
  const n = 1 + rng.next(3);
  const starts = new Set<number>([1]);
  while (starts.size < n) starts.add(2 + rng.next(days - 1));
  const sorted = [...starts].sort((a, b) => a - b);
  return sorted.map((s, i) => [s, i + 1 < sorted.length ? sorted[i + 1] - 1 : days]);
}

function buildAwsBillingFiles(): AwsMonthFile[] {
  const rng = makeRng(20261122);
  const files: AwsMonthFile[] = [];
  for (const k of MONTHS) {
    const final = k < 0;
    const invoiceId = final ? awsInvoiceId(k) : 'Estimated';
    const days = usageDays(k);
    const items: AwsLineItem[] = [];
    for (const account of AWS_ACCOUNTS) {
      for (const [service, dollars] of Object.entries(account.usage)) {
        let monthly = monthlyUnits(rng, dollars, k, 2, 90, 23);
        if (k === 0) monthly = (monthly * BigInt(days)) / BigInt(daysInMonth(0));
        const svc = AWS_SERVICES[service];
        const perType = splitBy(monthly, svc.usageTypes.map((u) => u.share));
        svc.usageTypes.forEach((ut, i) => {
          const segs = segments(rng, days);
          const perSeg = splitBy(perType[i], segs.map(([a, b]) => b - a + 1));
          segs.forEach(([startDay, endDay], j) => {
            const rate = parseUnits(ut.rate, 10);
            const quantity = divRound(perSeg[j] * 100_000_000n, rate);
            const cost = divRound(quantity * rate, 100_000_000n);
            if (cost <= 0n) throw new Error(`AWS ${ym(k)} ${account.id} ${ut.usageType}: no cost`);
            items.push({ account, service, ut, startDay, endDay, quantity, rate, cost });
          });
        });
      }
    }
    // Linked accounts' items first (in account order), then the payer's own.
    const linked = items.filter((i) => i.account.id !== PAYER);
    const payer = items.filter((i) => i.account.id === PAYER);
    const periodStart = awsCsvDate(monthStart(k));
    const periodEnd = awsCsvDate(monthStart(k + 1) - 1000);
    const invoiceDate = final ? awsCsvDate(dayOf(k + 1, 2, 8, 11, 27)) : awsCsvDate(ANCHOR + (4 * 3600 + 17 * 60 + 9) * 1000);
    const blank = (): AwsRow => Object.fromEntries(AWS_COLUMNS.map((c) => [c, ''])) as AwsRow;
    const rows: AwsRow[] = [];
    let seq = 0;
    const d = new Date(monthStart(k));
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
        UsageStartDate: awsCsvDate(dayOf(k, it.startDay)),
        UsageEndDate: awsCsvDate(dayOf(k, it.endDay, 23, 59, 59)),
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
    files.push({ k, name: `aws/${PAYER}-aws-billing-csv-${ym(k)}.csv`, text, final, invoiceId, lineItems: items.length, total });
  }
  return files;
}

function buildAwsSnapshots(): Record<string, Json> {
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
  const amount = (text: string): Json => ({ currencyCode: 'USD', currencyAmount: text });
  const credits: Json = {
    credits: AWS_CREDITS.map((s) => ({
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
    'aws/cost-category-funding-source.json': COST_CATEGORY as unknown as Json,
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
}

const PROFILES: ProfileSpec[] = [
  { name: 'PBFV-AB12-CD3-EF4', displayName: 'Development', currency: 'USD', systemId: '1AB2-CD3E-FG4-HIJK-LMN', demand: 2500, seed: 5150, lotPages: [5, 3],
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
  { name: 'QWER-1234-ABC-567', displayName: 'Production EU', currency: 'EUR', systemId: '2BC3-DE4F-GH5-IJKL-MNO', demand: 3000, seed: 4030, lotPages: [3],
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
}

const USD_P = PROFILES[0].name;
const EUR_P = PROFILES[1].name;

const LOTS: LotSpec[] = [
  { name: 'G100200301', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '6000.00',
    start: monthStart(-3), expiration: dayOf(1, 10, 23, 59, 59), purchased: monthStart(-3),
    story: 'behind G100200307 in the order (expires later), so first drawn in the open month, once G100200307 has expired; expires within 30 days' },
  { name: 'G100200302', profile: USD_P, source: 'PurchasedCredit', creditCurrency: 'USD', original: '20000.00',
    start: monthStart(-8), expiration: endOfMonth(3), purchased: dayOf(-9, 20), poNumber: 'PO-88231', reseller: true,
    story: 'purchased through a reseller (reseller on the lot and its event); pays what G100200305 could not in ' + ym(-4) },
  { name: 'G100200303', profile: USD_P, source: 'PurchasedCredit', creditCurrency: 'USD', original: '18000.00',
    start: monthStart(-11), expiration: endOfMonth(-6), purchased: dayOf(-12, 28), poNumber: 'PO-77120',
    story: 'expires first, so pays everything until it expires on ' + isoDay(endOfMonth(-6)) + ' with a balance left (would become Expired)' },
  { name: 'G100200304', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '2000.00',
    start: monthStart(2), expiration: endOfMonth(13), purchased: dayOf(-1, 14), omitBillingCurrency: true,
    story: 'starts in the future (status None), no event yet; no ...InBillingCurrency amounts' },
  { name: 'G100200305', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '4000.00',
    start: monthStart(-11), expiration: endOfMonth(1), purchased: monthStart(-11),
    story: 'next in line once G100200303 has expired: used up in ' + ym(-4) + ' (would become Complete)' },
  { name: 'G100200306', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '3000.00',
    start: monthStart(-9), expiration: endOfMonth(2), purchased: monthStart(-9), canceled: true, eventWithoutProfileId: true,
    story: 'canceled by the provider (status Canceled): never pays; its event comes without billingProfileId' },
  { name: 'G100200307', profile: USD_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '12000.00',
    start: monthStart(-3), expiration: dayOf(0, 15, 23, 59, 59), purchased: monthStart(-3),
    story: 'pays from ' + ym(-3) + '; expires inside the open month (' + isoDay(dayOf(0, 15)) + '): the remaining balance is as of the last final month, and moves to expired once ' + ym(0) + ' is final' },
  { name: 'G100200308', profile: USD_P, source: 'PurchasedCredit', creditCurrency: 'USD', original: '1500.00',
    start: ANCHOR - 6 * DAY, expiration: ANCHOR - 6 * DAY + 365 * DAY - 1000, purchased: ANCHOR - 6 * DAY, poNumber: 'PO-90412',
    story: 'bought in the open month; behind G100200301 in the order, so not drawn yet' },
  { name: 'G200300401', profile: EUR_P, source: 'ConsumptionCommitment', creditCurrency: 'EUR', original: '40000.00',
    start: monthStart(-10), expiration: endOfMonth(1), purchased: dayOf(-11, 15), organizationType: 'Primary',
    story: 'commitment, expires within 60 days; pays from ' + ym(-2) + ', once G200300403 has expired; carries the 2024-08-01 fields usedAmount and OrganizationType' },
  { name: 'G200300402', profile: EUR_P, source: 'PromotionalCredit', creditCurrency: 'USD', original: '10000.00',
    start: monthStart(-1), expiration: dayOf(1, 20, 23, 59, 59), purchased: monthStart(-1),
    story: 'USD credit on the EUR profile (every amount also in EUR, non-1 exchangeRate): the profile\'s charges are in EUR, so under the currency rule it pays nothing' },
  { name: 'G200300403', profile: EUR_P, source: 'PurchasedCredit', creditCurrency: 'EUR', original: '33000.00',
    start: monthStart(-11), expiration: endOfMonth(-3), purchased: dayOf(-12, 22), poNumber: 'PO-EU-55102',
    eventLotSource: 'AzurePrepayment', eventWithoutProfileId: true,
    story: 'expires on ' + isoDay(endOfMonth(-3)) + ' with a balance left (would become Expired); its event says lotSource "AzurePrepayment" and has no billingProfileId' },
];

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
function grantedStatus(lot: LotSpec): string {
  if (lot.canceled) return 'Canceled';
  return lot.start > ANCHOR ? 'None' : 'Active';
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

function buildAzureSnapshots(): Record<string, Json> {
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
    const lots = LOTS.filter((l) => l.profile === profile.name).sort(lotOrder);
    const lotsJson = lots.map((s) => {
      const kStart = monthIndexOf(s.start);
      const rate = lotRate(s, profile, kStart);
      const rateMonth = monthNumber(Math.max(FIRST_MONTH, Math.min(0, kStart)));
      const original = parseUnits(s.original, 2);
      const id = lotId(s);
      const status = grantedStatus(s);
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
    const started = lots.filter((l) => l.start <= ANCHOR).sort((a, b) => a.start - b.start || (a.name < b.name ? -1 : 1));
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
        const k = monthIndexOf(lot.start);
        const rate = lotRate(lot, profile, k);
        const rateMonth = monthNumber(Math.max(FIRST_MONTH, Math.min(0, k)));
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
function azureInvoiceId(profileIndex: number, k: number): string {
  const d = new Date(dayOf(k + 1, 5));
  return `G${profileIndex + 1}${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}00${String(d.getUTCDate()).padStart(2, '0')}`;
}

interface AzureMonthFile {
  k: number;
  profile: ProfileSpec;
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

function buildAzureCostDetails(): AzureMonthFile[] {
  const files: AzureMonthFile[] = [];
  PROFILES.forEach((profile, profileIndex) => {
    const rng = makeRng(profile.seed);
    for (const k of MONTHS) {
      const final = k < 0;
      const invoiceId = final ? azureInvoiceId(profileIndex, k) : '';
      const days = usageDays(k);
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
        billingPeriodStartDate: isoDay(monthStart(k)),
        billingPeriodEndDate: isoDay(monthStart(k + 1) - DAY),
        date: isoDay(dayOf(k, day)),
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
      if (k === 0) monthly = (monthly * BigInt(days)) / BigInt(daysInMonth(0));
      const perSection = splitBy(monthly, profile.sections.map((s) => s.share));
      profile.sections.forEach((section, si) => {
        const perMeter = splitBy(perSection[si], section.meters.map((m) => m.share));
        section.meters.forEach((meter, mi) => {
          const dayList: number[] = [];
          for (let w = 0; w < 5; w++) {
            const day = 1 + 7 * w + rng.next(7);
            if (day <= days) dayList.push(day);
          }
          const perDay = splitBy(perMeter[mi], dayList.map(() => 80 + rng.next(41)));
          dayList.forEach((day, di) => {
            const { usd, billing } = amounts(perDay[di]);
            if (billing <= 0n) throw new Error(`Azure ${profile.name} ${ym(k)}: no cost`);
            eligible += billing;
            rows.push({
              ...base(section, day),
              serviceFamily: meter.serviceFamily, consumedService: meter.consumedService, meterCategory: meter.meterCategory, ProductName: meter.productName,
              quantity: quantityText(usd, meter.unitPrice),
              costInBillingCurrency: tenPlaces(billing), costInUsd: tenPlaces(usd),
            });
          });
        });
      });
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
      files.push({ k, profile, name: `azure/cost-details-${profile.name}-${ym(k)}.csv`, text, final, invoiceId, rows: rows.length, eligible, ineligible });
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

async function checkWithEngine(aws: AwsMonthFile[], azure: AzureMonthFile[]): Promise<Checked> {
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
      if (s.month !== ym(f.k) || s.payerAccountId !== PAYER) problems.push(`${f.name}: parsed as ${s.payerAccountId} ${s.month}`);
      if (s.lineItems !== f.lineItems) problems.push(`${f.name}: ${s.lineItems} line items parsed, ${f.lineItems} written`);
      if (units(s.totals.USD?.costBeforeTax ?? '0') !== f.total * 10n ** 10n) problems.push(`${f.name}: parsed total ${s.totals.USD?.costBeforeTax}`);
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
      if (parsed.periods.length !== 1 || parsed.periods[0].month !== ym(f.k) || parsed.periods[0].final !== f.final || parsed.periods[0].group !== f.profile.name) {
        problems.push(`${f.name}: parsed into ${parsed.periods.map((p) => `${p.group} ${p.month} ${p.final ? 'final' : 'estimated'}`).join(', ')}`);
      }
      if (!t || units(t.eligible) !== f.eligible * 10n ** 10n || units(t.ineligible) !== f.ineligible * 10n ** 10n) {
        problems.push(`${f.name}: parsed eligible/ineligible ${t?.eligible}/${t?.ineligible}, written ${tenPlaces(f.eligible)}/${tenPlaces(f.ineligible)}`);
      }
      for (const [why, n] of Object.entries(s.ineligibleRows)) ineligibleReasons[why] = (ineligibleReasons[why] ?? 0) + n;
      // The ingest's mapping: the period's group is the profile's full ARM id, consumers are full invoice section ids.
      for (const p of parsed.periods) {
        const profile = PROFILES.find((x) => x.name === p.group)!;
        azurePeriods.push({ ...p, group: profileId(profile), charges: p.charges.map((c) => ({ ...c, consumerId: sectionId(profile, c.consumerId) })) });
      }
    }
    if (problems.length > 0) throw new Error(`billing files rejected:\n  ${problems.join('\n  ')}`);
    for (const why of ['isAzureCreditEligible False', 'Azure Marketplace', 'Azure support plan']) {
      if (!ineligibleReasons[why]) problems.push(`no cost details row is ineligible for "${why}"`);
    }

    // 2. The real engine, with the ingest's inputs.
    const awsCredits = AWS_CREDITS.map(awsEngineCredit);
    const azureCredits = LOTS.map(azureEngineCredit);
    const awsResult = applyCharges(awsCredits, awsPeriods);
    const azureResult = applyCharges(azureCredits, azurePeriods);
    const azureCanceledUnpaused = applyCharges(LOTS.map((l) => ({ ...azureEngineCredit(l), controls: [] })), azurePeriods);
    if (process.env.DEMO_DEBUG) debugPrint(awsResult, azureResult);

    // 3. The story.
    const story = (ok: boolean, what: string) => {
      if (!ok) problems.push(what);
    };
    const cr = (r: EngineResult, id: string): CreditOutcome => r.credits.find((c) => c.creditId === id)!;
    const finalMonths = MONTHS.filter((k) => k < 0).map(ym);
    const open = ym(0);
    const burnsEveryMonth = (r: EngineResult, id: string, from: string, until: string) => {
      for (const m of finalMonths) if (m >= from && m <= until) story(appliedIn(r, id, m, false) > 0n, `${id} pays nothing in ${m}`);
    };
    const a = (id: string) => cr(awsResult, id);

    // AWS
    for (const c of ['90000000001', '90000000002', '90000000007']) {
      story(!isZero(a(c).remaining) && !isZero(a(c).estimated), `${c} should keep a balance (remaining ${a(c).remaining}, estimated ${a(c).estimated})`);
      story(units(a(c).estimated) < units(a(c).remaining), `${c} should be drawn in the open month`);
    }
    burnsEveryMonth(awsResult, '90000000001', ym(-11), ym(-1));
    burnsEveryMonth(awsResult, '90000000002', ym(-8), ym(-1));
    burnsEveryMonth(awsResult, '90000000007', ym(-5), ym(-1));
    story(isZero(a('90000000004').remaining) && isZero(a('90000000004').expired), `90000000004 should be used up (remaining ${a('90000000004').remaining})`);
    story(exhaustMonth(awsResult, '90000000004') === ym(-4), `90000000004 should run out in ${ym(-4)}, ran out in ${exhaustMonth(awsResult, '90000000004')}`);
    burnsEveryMonth(awsResult, '90000000004', ym(-11), ym(-4));
    story(!isZero(a('90000000005').expired) && isZero(a('90000000005').remaining), `90000000005 should expire with a balance (expired ${a('90000000005').expired})`);
    burnsEveryMonth(awsResult, '90000000005', ym(-11), ym(-6));
    story(awsResult.applications.every((x) => x.creditId !== '90000000005' || x.month < ym(-5)), '90000000005 paid after its expiry');
    story(awsResult.applications.every((x) => x.creditId !== '90000000002' || x.consumerId === '123456789012'), '90000000002 paid for an account other than research-grant');
    story(a('90000000003').remaining === '1200.00' && a('90000000003').estimated === '1200.00', '90000000003 (paused) should never be used');
    story(units(a('90000000006').appliedFinal) + units(a('90000000006').appliedEstimated) === 0n, '90000000006 (not started) should never be used');

    // Azure
    const z = (name: string) => cr(azureResult, lotId(LOTS.find((l) => l.name === name)!));
    story(!isZero(z('G100200303').expired) && isZero(z('G100200303').remaining), `G100200303 should expire with a balance (expired ${z('G100200303').expired})`);
    story(!isZero(z('G200300403').expired) && isZero(z('G200300403').remaining), `G200300403 should expire with a balance (expired ${z('G200300403').expired})`);
    story(isZero(z('G100200305').remaining) && isZero(z('G100200305').expired), `G100200305 should be used up (remaining ${z('G100200305').remaining})`);
    story(exhaustMonth(azureResult, lotId(LOTS.find((l) => l.name === 'G100200305')!)) === ym(-4), 'G100200305 should be used up in ' + ym(-4));
    for (const name of ['G100200302', 'G100200307', 'G200300401']) {
      story(units(z(name).appliedFinal) > 0n && !isZero(z(name).remaining), `${name} should burn down and keep a balance (remaining ${z(name).remaining})`);
    }
    burnsEveryMonth(azureResult, lotId(LOTS.find((l) => l.name === 'G100200303')!), ym(-11), ym(-6));
    burnsEveryMonth(azureResult, lotId(LOTS.find((l) => l.name === 'G100200307')!), ym(-3), ym(-1));
    burnsEveryMonth(azureResult, lotId(LOTS.find((l) => l.name === 'G200300403')!), ym(-11), ym(-3));
    burnsEveryMonth(azureResult, lotId(LOTS.find((l) => l.name === 'G200300401')!), ym(-2), ym(-1));
    story(z('G100200301').remaining === '6000.00' && units(z('G100200301').appliedEstimated) > 0n, 'G100200301 should be drawn first in the open month');
    for (const name of ['G100200304', 'G100200306', 'G100200308', 'G200300402']) {
      story(units(z(name).appliedFinal) + units(z(name).appliedEstimated) === 0n, `${name} should pay nothing`);
    }
    // The canceled lot: if an ingest passed it as an ordinary lot, the story must still hold.
    const u = (name: string) => cr(azureCanceledUnpaused, lotId(LOTS.find((l) => l.name === name)!));
    story(!isZero(u('G100200303').expired) && isZero(u('G100200305').remaining) && !isZero(u('G100200302').remaining), 'the story breaks when the canceled lot pays');

    // Nothing but the estimates depends on the open month: final periods alone give the same remaining and expired.
    const awsFinalOnly = applyCharges(awsCredits, awsPeriods.filter((p) => p.final));
    const azureFinalOnly = applyCharges(azureCredits, azurePeriods.filter((p) => p.final));
    for (const [full, part] of [[awsResult, awsFinalOnly], [azureResult, azureFinalOnly]] as const) {
      for (const c of full.credits) {
        const o = part.credits.find((x) => x.creditId === c.creditId)!;
        story(c.remaining === o.remaining && c.expired === o.expired, `${c.creditId}: remaining/expired depend on ${open}`);
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

function debugPrint(aws: EngineResult, azure: EngineResult): void {
  for (const [label, r] of [['AWS', aws], ['Azure', azure]] as const) {
    for (const c of r.credits) {
      const per = MONTHS.map((k) => cents(formatExact(appliedIn(r, c.creditId, ym(k), k === 0), 20)));
      console.error(`${label} ${c.creditId.split('/').pop()} open ${c.openingBalance} rem ${cents(c.remaining)} est ${cents(c.estimated)} exp ${cents(c.expired)} | ${per.join(' ')}`);
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

function awsStatusOf(s: AwsCreditSpec, o: CreditOutcome): string {
  const expiresAt = isoDate(s.end);
  const status = deriveStatus({
    canceled: false, expiredFlag: false, expiresAt, exhausted: isZero(o.remaining), paused: s.creditStatus === 'DISABLED',
    notStartedFlag: false, startsAt: isoDate(s.start),
  }, NOW_ISO);
  return status + (isExpiringSoon(status, expiresAt, NOW_ISO) ? ' (expiring soon)' : '');
}

function lotStatusOf(l: LotSpec, o: CreditOutcome): { product: string; azure: string } {
  const expiresAt = isoDate(l.expiration);
  const product = deriveStatus({
    canceled: !!l.canceled, expiredFlag: false, expiresAt, exhausted: isZero(o.remaining), paused: false, notStartedFlag: false, startsAt: isoDate(l.start),
  }, NOW_ISO);
  const azure = l.canceled ? 'Canceled' : l.start > ANCHOR ? 'None' : !isZero(o.expired) || l.expiration < ANCHOR ? 'Expired' : isZero(o.remaining) ? 'Complete' : 'Active';
  return { product: product + (isExpiringSoon(product, expiresAt, NOW_ISO) ? ' (expiring soon)' : ''), azure };
}

function readme(checked: Checked, aws: AwsMonthFile[], azure: AzureMonthFile[], names: string[]): string {
  const md: string[] = [];
  const push = (...lines: string[]) => md.push(...lines);
  const open = ym(0);
  const lastFinal = ym(-1);
  const cut = isoDay(ANCHOR - DAY);
  const lotOutcome = (r: EngineResult, name: string) => r.credits.find((c) => c.creditId === lotId(LOTS.find((l) => l.name === name)!))!;
  const canceledPaid = lotOutcome(checked.azureCanceledUnpaused, 'G100200306').appliedFinal;
  const g302Alt = lotOutcome(checked.azureCanceledUnpaused, 'G100200302').remaining;

  push('# Demo dataset', '',
    `Generated by \`scripts/generate-demo-data.ts\` as of **${DEMO_AS_OF}** (the constant \`DEMO_AS_OF\`). Every date is relative to`,
    'that day. Do not edit the files by hand: change the generator and regenerate:', '',
    '```', 'npm run build && node dist/scripts/generate-demo-data.js demo', '```', '',
    'The output is deterministic (fixed seed, no clock): regenerating gives byte-identical files.', '',
    '## How the data is made', '',
    'The dataset is what a customer would export from the two clouds, before this product has computed anything:', '',
    '- **Snapshots "as granted"**: the providers\' own JSON (AWS GetCredits, Organizations ListAccounts, a cost category;',
    '  Azure billing accounts, lots, events) showing every credit and lot *before any usage*: AWS `remainingAmount` =',
    '  `estimatedAmount` = `initialAmount`; Azure `closedBalance` = `originalAmount` and one `NewCredit` event per started lot.',
    `- **Billing files**, one per month from ${ym(FIRST_MONTH)} to ${open}: AWS Programmatic Billing CSVs and Azure MCA cost details CSVs.`,
    `  ${ym(FIRST_MONTH)} .. ${lastFinal} are final (invoiced); ${open} is the open month: estimated, with usage up to ${cut} only.`,
    '- The product applies the billing files to the credits with its charges engine (`lib/charges`, docs/CHARGES.md) and',
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
    `  ordinary lot it would pay ${cents(canceledPaid)} of ${ym(-4)} in place of G100200302 (which would then keep ${cents(g302Alt)});`,
    '  the generator checks that the story holds either way.', '');

  push('## Files', '');
  const csvs = names.filter((n) => n.endsWith('.csv'));
  for (const n of names.filter((x) => !x.endsWith('.csv'))) push(`- \`${n}\``);
  push(`- \`aws/${PAYER}-aws-billing-csv-YYYY-MM.csv\` for ${ym(FIRST_MONTH)} .. ${open} (${aws.length} files)`);
  for (const p of PROFILES) push(`- \`azure/cost-details-${p.name}-YYYY-MM.csv\` for ${ym(FIRST_MONTH)} .. ${open} (${azure.filter((f) => f.profile === p).length} files)`);
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
  for (const f of aws) push(`| ${ym(f.k)} | \`${f.invoiceId}\` | ${f.lineItems} | ${tenPlaces(f.total)} |`);
  push('');

  push(`### Credits as of ${DEMO_AS_OF} (the engine's results)`, '',
    'GetCredits holds them as granted (remaining = estimated = initial); the product computes these. "remaining" is after the',
    `final months (${ym(FIRST_MONTH)} .. ${lastFinal}) and expiry, "estimated" also after the open month ${open}. All USD, owner \`${PAYER}\`.`, '',
    '| creditId | description | sharing | creditStatus | start .. end | initial | remaining | estimated | expired | status | story |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const s of AWS_CREDITS) {
    const o = checked.aws.credits.find((c) => c.creditId === s.creditId)!;
    push(`| ${s.creditId} | ${s.description} | ${sharingText(s)} | ${s.creditStatus} | ${isoDay(s.start)} .. ${isoDay(s.end)} | ${s.initial} | ${o.remaining} | ${o.estimated} | ${o.expired} | ${awsStatusOf(s, o)} | ${s.story} |`);
  }
  push('', 'Applied per month (the allocation history the product derives; rounded to the cent here, exact in the product;',
    `${open} is estimated):`, '',
    `| Month | ${AWS_CREDITS.map((c) => c.creditId).join(' | ')} |`, `| --- | ${AWS_CREDITS.map(() => '---').join(' | ')} |`);
  for (const k of MONTHS) {
    push(`| ${ym(k)}${k === 0 ? ' (est.)' : ''} | ${AWS_CREDITS.map((c) => cents(formatExact(appliedIn(checked.aws, c.creditId, ym(k), k === 0), 10))).join(' | ')} |`);
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
    `${open} has none (estimated, usage up to ${cut}). Each month also holds three charges credits never pay:`, '');
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
    push(`| ${ym(k)} | ${cells.join(' | ')} |`);
  }
  push('');

  push(`### Lots as of ${DEMO_AS_OF} (the engine's results)`, '',
    'The lots files hold them as granted (closedBalance = originalAmount, status Active, None for the lot that starts after',
    `${DEMO_AS_OF}, Canceled kept); the product computes these, in the credit currency. "status" is the product's normalized`,
    'status (lib/credit-status); "Azure status" is the lot status the numbers amount to.', '',
    '| Lot | Profile | source | credit/billing currency | start .. expiration | original | remaining | estimated | expired | status | Azure status | story |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const p of PROFILES) {
    for (const l of LOTS.filter((x) => x.profile === p.name).sort(lotOrder)) {
      const o = checked.azure.credits.find((c) => c.creditId === lotId(l))!;
      const st = lotStatusOf(l, o);
      push(`| \`${l.name}\` | ${p.displayName} | ${l.source} | ${l.creditCurrency}/${p.currency} | ${isoDay(l.start)} .. ${isoDay(l.expiration)} | ${l.original} | ${o.remaining} | ${o.estimated} | ${o.expired} | ${st.product} | ${st.azure} | ${l.story} |`);
    }
  }
  const paying = LOTS.filter((l) => {
    const o = checked.azure.credits.find((c) => c.creditId === lotId(l))!;
    return units(o.appliedFinal) + units(o.appliedEstimated) > 0n;
  });
  push('', 'Applied per month (the charge events the product derives; rounded to the cent here; lots that paid something):', '',
    `| Month | ${paying.map((l) => `${l.name} (${l.creditCurrency})`).join(' | ')} |`, `| --- | ${paying.map(() => '---').join(' | ')} |`);
  for (const k of MONTHS) {
    push(`| ${ym(k)}${k === 0 ? ' (est.)' : ''} | ${paying.map((l) => cents(formatExact(appliedIn(checked.azure, lotId(l), ym(k), k === 0), 10))).join(' | ')} |`);
  }
  push('', 'Events: one `NewCredit` event per lot that has started, dated on its start, `invoiceNumber` "", `closedBalance` = the',
    'profile\'s running balance per credit currency after it (the EUR profile\'s USD lot runs its own USD balance). G100200304',
    'starts after the as-of day and has no event yet.', '');

  push('## Things worth knowing', '',
    `- G100200307 expires on ${isoDay(dayOf(0, 15))}, inside the open month. The engine moves a balance to expired only when its expiry`,
    `  falls within a final month, so until ${open} is final the lot keeps its remaining balance as of ${lastFinal} (status EXPIRED`,
    '  by its date); its estimate covers its usage up to the expiry, and G100200301 pays from the next day.',
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

/** Files of earlier layouts of this dataset that the current one replaces. */
const OBSOLETE = [/^credit-allocation-history-page-\d+\.json$/];

export async function generate(outDir: string): Promise<string[]> {
  const awsFiles = buildAwsBillingFiles();
  const azureFiles = buildAzureCostDetails();
  const checked = await checkWithEngine(awsFiles, azureFiles);

  const json = { ...buildAwsSnapshots(), ...buildAzureSnapshots() };
  const texts: [string, string][] = Object.entries(json).map(([path, value]) => [path, `${toJson(value)}\n`]);
  for (const [path, text] of texts) JSON.parse(text); // well-formed
  texts.push(...awsFiles.map((f) => [f.name, f.text] as [string, string]), ...azureFiles.map((f) => [f.name, f.text] as [string, string]));
  texts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const names = texts.map(([p]) => p);
  texts.push(['README.md', readme(checked, awsFiles, azureFiles, names)]);
  const size = texts.reduce((s, [, t]) => s + Buffer.byteLength(t), 0);
  if (size > 1_500_000) throw new Error(`the dataset is too large (${size} bytes)`);

  const written: string[] = [];
  for (const sub of ['aws', 'azure']) {
    const dir = join(outDir, sub);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) if (OBSOLETE.some((re) => re.test(name))) unlinkSync(join(dir, name));
  }
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
  generate(outDir).then(
    (written) => {
      for (const f of written) console.log(`wrote ${f}`);
      console.log('checked: every billing file parses, and the engine\'s results tell the README\'s story');
    },
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 1;
    },
  );
}

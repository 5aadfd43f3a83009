/**
 * The benchmark dataset: large, deterministic (fixed seed), in the providers' own formats, written
 * file by file with bounded memory (a buffered synchronous writer; nothing is held in memory but
 * the entity being written and a few counters).
 *
 *   node dist/bench/dataset.js [--quick] [outDir]
 *
 * Layout of outDir (every JSON file is accepted by `npm run ingest`):
 *   aws/accounts/   Organizations ListAccounts per organization, a cost category per organization
 *   aws/credits/    GetCredits per organization (payerAccountFlag: the whole organization)
 *   aws/history/part-NNN/  GetCreditAllocationHistory pages (newest billing month first, nextToken)
 *   azure/billing-accounts.json  billingAccounts?$expand=billingProfiles (profiles, invoice sections)
 *   azure/lots/     Microsoft.Consumption/lots pages per billing profile (nextLink)
 *   azure/events/part-NNN/  Microsoft.Consumption/events pages per billing profile
 *   charges/<payer>-aws-billing-csv-2026-10.csv   Programmatic Billing CSV (29 columns, totals that add up)
 *   charges/azure-cost-details-mca-2026-10.csv    MCA cost details export
 *   manifest.json   what was generated, and the ids the benchmarks query
 *
 * Money never touches a binary float: AWS and CSV amounts are BigInt units of 1e-10, Azure JSON
 * amounts BigInt cents, written as exact decimal text. Uses only Node built-ins.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AWS_BILLING_COLUMNS } from '../subgraphs/aws/charges/billing-csv';
import type { DatasetConfig } from './config';

/** The day the dataset describes; the benchmark services run with this clock. */
export const AS_OF = '2026-11-22';
export const AS_OF_INSTANT = `${AS_OF}T12:00:00.000Z`;
/** Months of history: 2025-12 .. 2026-11; the last one is open (estimated / pending). */
export const MONTHS = Array.from({ length: 12 }, (_, i) => monthText(2025, 12 + i));
export const BILLING_MONTH = '2026-10';

const DAY_MS = 86_400_000;
const ANCHOR_MS = Date.parse(`${AS_OF}T00:00:00Z`);

function monthText(year: number, month: number): string {
  const y = year + Math.floor((month - 1) / 12);
  const m = ((month - 1) % 12) + 1;
  return `${y}-${String(m).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness and exact money
// ---------------------------------------------------------------------------------------------

/** mulberry32: `next(n)` is an integer in [0, n). */
export interface Rng {
  next(n: number): number;
  chance(percent: number): boolean;
  pick<T>(list: readonly T[]): T;
}

export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (n: number): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  return { next, chance: (p) => next(100) < p, pick: (list) => list[next(list.length)] };
}

/** An independent stream per entity, so every entity can be generated again on its own. */
export function rngFor(seed: number, ...keys: (string | number)[]): Rng {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of keys.join('\u0001')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return makeRng(h >>> 0);
}

function hex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** Units of 1e-10 as a plain decimal with ten places ("-12.0000000001"). */
export function units10(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  return `${negative ? '-' : ''}${abs / 10_000_000_000n}.${(abs % 10_000_000_000n).toString().padStart(10, '0')}`;
}

/** Cents as a plain decimal JSON number literal ("1234.50", "0"). */
export function cents(units: bigint): string {
  if (units === 0n) return '0';
  const negative = units < 0n;
  const abs = negative ? -units : units;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** A random amount of 1e-10 units in [min, max) whole currency units, never zero. */
function randomUnits10(rng: Rng, min: number, max: number): bigint {
  const whole = BigInt(min + rng.next(Math.max(1, max - min)));
  const fraction = BigInt(rng.next(1_000_000)) * 10_000n + BigInt(rng.next(10_000));
  const value = whole * 10_000_000_000n + fraction;
  return value === 0n ? 1n : value;
}

// ---------------------------------------------------------------------------------------------
// Bounded-memory writing
// ---------------------------------------------------------------------------------------------

/** Buffers text and writes it out in ~1 MB chunks: memory stays flat whatever the file size. */
class FileWriter {
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'w');
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const buffer = Buffer.from(this.parts.join(''), 'utf8');
    fs.writeSync(this.fd, buffer);
    this.bytes += buffer.length;
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

const q = JSON.stringify;

/**
 * A JSON list document written entry by entry: `{ "<list>": [\n entry,\n entry\n], ...tail }`.
 * Entries are JSON text built here (amounts stay exact literals); one entry per line.
 */
class JsonListWriter {
  private writer: FileWriter;
  private count = 0;

  constructor(file: string, listName: string) {
    this.writer = new FileWriter(file);
    this.writer.write(`{\n  ${q(listName)}: [\n`);
  }

  add(entryJson: string): void {
    this.writer.write(`${this.count++ === 0 ? '' : ',\n'}    ${entryJson}`);
  }

  close(tail: Record<string, string> = {}): void {
    const members = Object.entries(tail).map(([k, v]) => `,\n  ${q(k)}: ${v}`);
    this.writer.write(`\n  ]${members.join('')}\n}\n`);
    this.writer.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The model: organizations, accounts, credits; billing accounts, profiles, sections, lots
// ---------------------------------------------------------------------------------------------

export const AWS_SERVICES = [
  { name: 'Amazon Elastic Compute Cloud', code: 'AmazonEC2', usage: ['BoxUsage:m7i.large', 'BoxUsage:c7g.xlarge', 'EBS:VolumeUsage.gp3'] },
  { name: 'Amazon Simple Storage Service', code: 'AmazonS3', usage: ['TimedStorage-ByteHrs', 'Requests-Tier1'] },
  { name: 'Amazon Relational Database Service', code: 'AmazonRDS', usage: ['InstanceUsage:db.r6g.large', 'RDS:GP3-Storage'] },
  { name: 'Amazon SageMaker', code: 'AmazonSageMaker', usage: ['ml.g5.xlarge-Training', 'ml.m5.large-Hosting'] },
  { name: 'AWS Lambda', code: 'AWSLambda', usage: ['Lambda-GB-Second', 'Request'] },
  { name: 'Amazon DynamoDB', code: 'AmazonDynamoDB', usage: ['ReadRequestUnits', 'TimedStorage-ByteHrs'] },
  { name: 'Amazon CloudFront', code: 'AmazonCloudFront', usage: ['DataTransfer-Out-Bytes', 'Requests-HTTPS'] },
  { name: 'Amazon Bedrock', code: 'AmazonBedrock', usage: ['InputTokenCount', 'OutputTokenCount'] },
] as const;

const TEAM_NAMES = ['data', 'web', 'ml', 'platform', 'mobile', 'payments', 'search', 'infra', 'analytics', 'security'];
const CREDIT_NAMES = [
  'AWS Activate Portfolio credits',
  'Migration Acceleration Program credits',
  'Research credits',
  'Proof of concept credits',
  'Service credit (SLA)',
  'Generative AI accelerator credits',
  'Training and certification credits',
  'Marketplace true-up',
];

export interface AwsOrganization {
  index: number;
  organizationId: string;
  payer: string;
  accounts: { id: string; name: string }[];
  costCategoryArn: string;
}

export function awsOrganization(config: DatasetConfig, index: number): AwsOrganization {
  const payer = String(200_000_000_000 + index * 1_000);
  const accounts = [{ id: payer, name: `Organization ${index + 1} management` }];
  for (let j = 1; j < config.awsAccountsPerOrganization; j++) {
    const prefix = j % 5 === 4 ? 'sandbox' : 'team';
    accounts.push({ id: String(Number(payer) + j), name: `${prefix}-${TEAM_NAMES[j % TEAM_NAMES.length]}-${j}` });
  }
  return {
    index,
    organizationId: `o-bench${String(index + 1).padStart(5, '0')}`,
    payer,
    accounts,
    costCategoryArn: `arn:aws:ce::${payer}:costcategory/${hex(`cc${index}`, 8)}-${hex(`cc${index}a`, 4)}-${hex(`cc${index}b`, 4)}-${hex(`cc${index}c`, 4)}-${hex(`cc${index}d`, 12)}`,
  };
}

const COST_CATEGORY_VALUES = ['Grant', 'Product', 'Sandbox'];

/** Credits of organization `o`: global indexes [first, first + count). The payer owns the first `payerCreditsPerOrganization`. */
export function organizationCredits(config: DatasetConfig, o: number): { first: number; count: number } {
  const base = Math.floor(config.awsCredits / config.awsOrganizations);
  const extra = config.awsCredits % config.awsOrganizations;
  return { first: o * base + Math.min(o, extra), count: base + (o < extra ? 1 : 0) };
}

export function awsCreditId(globalIndex: number): string {
  return String(90_000_000_001 + globalIndex);
}

/** History entries of (credit, month): the rows are spread evenly over every credit and month. */
function historyCellCount(config: DatasetConfig, creditIndex: number, month: number): number {
  const cells = config.awsCredits * MONTHS.length;
  const cell = creditIndex * MONTHS.length + month;
  return Math.floor(config.awsHistoryRows / cells) + (cell < config.awsHistoryRows % cells ? 1 : 0);
}

interface HistoryEntry {
  accountId: string;
  service: string;
  month: string;
  /** What the credit paid (positive 1e-10 units); written negative, as AWS does. */
  units: bigint;
  estimated: boolean;
}

function historyOf(config: DatasetConfig, org: AwsOrganization, creditIndex: number, month: number): HistoryEntry[] {
  const n = historyCellCount(config, creditIndex, month);
  const rng = rngFor(config.seed, 'history', creditIndex, month);
  const entries: HistoryEntry[] = [];
  for (let s = 0; s < n; s++) {
    entries.push({
      accountId: org.accounts[(creditIndex + s) % org.accounts.length].id,
      service: AWS_SERVICES[(creditIndex + 3 * s) % AWS_SERVICES.length].name,
      month: MONTHS[month],
      units: randomUnits10(rng, 0, 120),
      estimated: month === MONTHS.length - 1,
    });
  }
  return entries;
}

export interface AwsCreditModel {
  creditId: string;
  accountId: string;
  json: string;
  /** ENABLED, started, not expired: a credit `pauseCredit` can meaningfully pause and activate. */
  pausable: boolean;
  historyRows: number;
}

/** Days from the anchor to a credit's expiry: from 120 days ago to two years ahead, for both clouds. */
function expiryDay(rng: Rng): number {
  return rng.next(850) - 120;
}

/** An expiry drawn for a credit that starts at `startMs`: as drawn, or a year after the start when drawn before it. */
function notBefore(startMs: number, endMs: number): number {
  return endMs < startMs ? startMs + 365 * DAY_MS : endMs;
}

function epoch(ms: number): number {
  return Math.floor(ms / 1000);
}

function awsCredit(config: DatasetConfig, org: AwsOrganization, globalIndex: number, localIndex: number): AwsCreditModel {
  const rng = rngFor(config.seed, 'credit', globalIndex);
  const isPayerCredit = localIndex < config.payerCreditsPerOrganization;
  const owner = isPayerCredit ? org.accounts[0] : org.accounts[1 + (localIndex % (org.accounts.length - 1))];
  let paidFinal = 0n;
  let paidEstimated = 0n;
  let historyRows = 0;
  for (let m = 0; m < MONTHS.length; m++) {
    for (const entry of historyOf(config, org, globalIndex, m)) {
      historyRows++;
      if (entry.estimated) paidEstimated += entry.units;
      else paidFinal += entry.units;
    }
  }
  // 8% are used up: nothing is left after the final months.
  const leftover = rng.chance(8) ? 0n : randomUnits10(rng, 0, 20_000);
  const initial = paidFinal + paidEstimated + leftover;
  // Whole-dollar initial amounts look like real credits: round the leftover up to the next dollar.
  const initialRounded = initial + ((10_000_000_000n - (initial % 10_000_000_000n)) % 10_000_000_000n);
  const remaining = initialRounded - paidFinal;
  const estimated = remaining - paidEstimated;
  const services = rng.chance(40) ? [] : Array.from(new Set([rng.pick(AWS_SERVICES).name, rng.pick(AWS_SERVICES).name]));
  const startMs = ANCHOR_MS - (30 + rng.next(400)) * DAY_MS;
  const notStarted = rng.chance(4);
  const start = notStarted ? ANCHOR_MS + (5 + rng.next(60)) * DAY_MS : startMs;
  const neverExpires = rng.chance(12);
  // Expiry at midnight UTC of a day from 120 days ago to two years ahead: the same spread as the
  // Azure lots, so a page ordered by expiry mixes both clouds. A credit cannot end before it
  // starts (ingest refuses it): one whose day falls before its start expires a year after it.
  const endMs = neverExpires ? null : notBefore(start, ANCHOR_MS + expiryDay(rng) * DAY_MS);
  const sharingRoll = rng.next(100);
  const sharing = sharingRoll < 60 ? 'DEFAULT' : sharingRoll < 75 ? 'DISABLED' : sharingRoll < 90 ? 'CUSTOM' : 'COST_CATEGORY_RULE';
  const paused = rng.chance(10);
  const credit: Record<string, string> = {
    creditId: q(awsCreditId(globalIndex)),
    accountId: q(owner.id),
    creditType: q(rng.pick(['Promotion', 'Promotion', 'Promotion', 'Refund', 'TrueUp', 'Credit'])),
    description: q(`${CREDIT_NAMES[globalIndex % CREDIT_NAMES.length]} ${globalIndex + 1}`),
    initialAmount: `{"currencyCode": "USD", "currencyAmount": ${q(units10(initialRounded))}}`,
    remainingAmount: `{"currencyCode": "USD", "currencyAmount": ${q(units10(remaining))}}`,
    estimatedAmount: `{"currencyCode": "USD", "currencyAmount": ${q(units10(estimated))}}`,
    applicableProductNames: q(services),
    startDate: String(epoch(start)),
    ...(endMs !== null ? { endDate: String(epoch(endMs)) } : {}),
    // Used up late in the last closed month (never before the credit starts: ingest refuses that).
    ...(remaining === 0n ? { exhaustDate: String(epoch(Math.max(start, Date.parse(`${MONTHS[MONTHS.length - 2]}-28T00:00:00Z`)))) } : {}),
    applicationType: q(rng.chance(70) ? 'BEFORE_CROSS_SERVICE_DISCOUNTS' : 'AFTER_DISCOUNTS'),
    accountHasCreditSharingEnabled: 'true',
    creditConsoleVisibility: q('VISIBLE'),
    creditSharingType: q(sharing),
  };
  if (sharing === 'CUSTOM') {
    const shared = new Set<string>();
    const n = 1 + rng.next(4);
    for (let i = 0; i < n; i++) shared.add(org.accounts[1 + rng.next(org.accounts.length - 1)].id);
    credit.shareableAccounts = q([...shared].sort());
  }
  if (sharing === 'COST_CATEGORY_RULE') {
    credit.costCategoryArn = q(org.costCategoryArn);
    credit.ruleName = q(rng.pick(COST_CATEGORY_VALUES));
  }
  credit.creditStatus = q(paused ? 'DISABLED' : 'ENABLED');
  const json = `{${Object.entries(credit)
    .map(([k, v]) => `${q(k)}: ${v}`)
    .join(', ')}}`;
  const pausable = !paused && !notStarted && (endMs === null || endMs > ANCHOR_MS + 30 * DAY_MS) && remaining > 0n;
  return { creditId: awsCreditId(globalIndex), accountId: owner.id, json, pausable, historyRows };
}

export interface AzureProfile {
  accountIndex: number;
  profileIndex: number;
  /** Index over all profiles of all billing accounts. */
  globalIndex: number;
  billingAccountName: string;
  billingAccountId: string;
  name: string;
  id: string;
  displayName: string;
  currency: string;
  sections: { name: string; id: string; displayName: string }[];
  invoiceId: string;
}

export function azureBillingAccountName(config: DatasetConfig, a: number): string {
  const h = hex(`billing-account-${config.seed}-${a}`, 64);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}:${h.slice(32, 40)}-${h.slice(40, 44)}-${h.slice(44, 48)}-${h.slice(48, 52)}-${h.slice(52, 64)}_2019-05-31`;
}

function azureName(seed: string, shape: [number, number, number, number]): string {
  const h = hex(seed, 32).toUpperCase();
  let at = 0;
  return shape.map((n) => h.slice(at, (at += n))).join('-');
}

export function azureProfile(config: DatasetConfig, a: number, p: number): AzureProfile {
  const billingAccountName = azureBillingAccountName(config, a);
  const billingAccountId = `/providers/Microsoft.Billing/billingAccounts/${billingAccountName}`;
  const globalIndex = a * config.azureProfilesPerAccount + p;
  const name = azureName(`profile-${config.seed}-${globalIndex}`, [4, 4, 3, 3]);
  const id = `${billingAccountId}/billingProfiles/${name}`;
  const sections = Array.from({ length: config.azureSectionsPerProfile }, (_, s) => {
    const sectionName = azureName(`section-${config.seed}-${globalIndex}-${s}`, [4, 4, 3, 3]);
    return { name: sectionName, id: `${id}/invoiceSections/${sectionName}`, displayName: `${TEAM_NAMES[s % TEAM_NAMES.length]} ${s + 1}` };
  });
  return {
    accountIndex: a,
    profileIndex: p,
    globalIndex,
    billingAccountName,
    billingAccountId,
    name,
    id,
    displayName: `Profile ${globalIndex + 1}`,
    currency: globalIndex % 5 === 4 ? 'EUR' : 'USD',
    sections,
    invoiceId: `G${String(100_000_000 + globalIndex * 7919).padStart(9, '0')}`,
  };
}

function allProfiles(config: DatasetConfig): AzureProfile[] {
  const out: AzureProfile[] = [];
  for (let a = 0; a < config.azureBillingAccounts; a++) for (let p = 0; p < config.azureProfilesPerAccount; p++) out.push(azureProfile(config, a, p));
  return out;
}

function profileCount(config: DatasetConfig): number {
  return config.azureBillingAccounts * config.azureProfilesPerAccount;
}

/** Lots of profile g: [first, first + count) of all lots. */
function profileLots(config: DatasetConfig, g: number): { first: number; count: number } {
  const profiles = profileCount(config);
  const base = Math.floor(config.azureLots / profiles);
  const extra = config.azureLots % profiles;
  return { first: g * base + Math.min(g, extra), count: base + (g < extra ? 1 : 0) };
}

function lotEventCount(config: DatasetConfig, lotIndex: number): number {
  return Math.floor(config.azureEvents / config.azureLots) + (lotIndex < config.azureEvents % config.azureLots ? 1 : 0);
}

interface LotEvent {
  name: string;
  date: string;
  type: string;
  description: string;
  newCredit: bigint;
  /** Charges the lot paid: written negative. */
  charges: bigint;
  closedBalance: bigint;
  invoiceNumber: string;
}

interface LotModel {
  name: string;
  id: string;
  original: bigint;
  closed: bigint;
  source: string;
  start: string;
  expiration: string;
  status: string;
  events: LotEvent[];
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function azureLot(config: DatasetConfig, profile: AzureProfile, lotIndex: number): LotModel {
  const rng = rngFor(config.seed, 'lot', lotIndex);
  const name = `G${String(300_000_000 + lotIndex).padStart(9, '0')}`;
  const id = `${profile.id}/providers/Microsoft.Consumption/lots/${name}`;
  const source = rng.pick(['PurchasedCredit', 'PromotionalCredit', 'PromotionalCredit', 'ConsumptionCommitment']);
  const startMs = Date.parse('2025-11-01T00:00:00Z') - rng.next(120) * DAY_MS;
  // Expiry: the last second of a day (as Azure writes it), spread like the AWS credits' expiry.
  const expirationMs = ANCHOR_MS + (expiryDay(rng) + 1) * DAY_MS - 1000;
  const expired = expirationMs < ANCHOR_MS;
  const n = lotEventCount(config, lotIndex);
  const charges: { date: number; units: bigint; month: number }[] = [];
  for (let k = 1; k < n; k++) {
    const month = Math.min(MONTHS.length - 1, Math.floor(((k - 1) * MONTHS.length) / Math.max(1, n - 1)));
    const [y, m] = MONTHS[month].split('-').map(Number);
    const dateMs = Date.UTC(y, m - 1, 1 + ((k * 7) % 27), 0, 0, 0);
    if (dateMs >= expirationMs || dateMs >= ANCHOR_MS) {
      charges.push({ date: Math.min(expirationMs, ANCHOR_MS) - DAY_MS, units: 0n, month });
      continue;
    }
    charges.push({ date: dateMs, units: BigInt(1 + rng.next(80_000)), month });
  }
  const paid = charges.reduce((s, c) => s + c.units, 0n);
  const used = rng.chance(8);
  const original = used ? paid : ((paid + BigInt(rng.next(2_000_000)) + 100_00n) / 100_00n) * 100_00n;
  let balance = original;
  const events: LotEvent[] = [
    {
      name: `ev-${name}-000`,
      date: iso(startMs),
      type: 'NewCredit',
      description: 'New credits added',
      newCredit: original,
      charges: 0n,
      closedBalance: original,
      invoiceNumber: profile.invoiceId.replace(/^G/, 'E'),
    },
  ];
  charges.forEach((c, k) => {
    balance -= c.units;
    const pending = c.month === MONTHS.length - 1;
    events.push({
      name: `ev-${name}-${String(k + 1).padStart(3, '0')}`,
      date: iso(c.date),
      type: pending ? 'PendingCharges' : 'SettledCharges',
      description: pending ? 'Pending charges' : 'Charges settled',
      newCredit: 0n,
      charges: c.units,
      closedBalance: balance,
      invoiceNumber: pending ? '' : `${profile.invoiceId}${c.month}`,
    });
  });
  const status = expired ? 'Expired' : balance === 0n ? 'Complete' : 'Active';
  return { name, id, original, closed: balance, source, start: iso(startMs), expiration: iso(expirationMs), status, events };
}

function amountJson(currency: string, value: bigint): string {
  return `{"currency": ${q(currency)}, "value": ${cents(value)}}`;
}

function amountWithRateJson(currency: string, value: bigint, month: number): string {
  return `{"currency": ${q(currency)}, "value": ${cents(value)}, "exchangeRate": 1, "exchangeRateMonth": ${month}}`;
}

function lotJson(profile: AzureProfile, lot: LotModel, rng: Rng): string {
  const c = profile.currency;
  const etag = q(`"${hex(lot.id, 15)}"`);
  const props = [
    `"creditCurrency": ${q(c)}`,
    `"billingCurrency": ${q(c)}`,
    `"originalAmount": ${amountJson(c, lot.original)}`,
    `"originalAmountInBillingCurrency": ${amountWithRateJson(c, lot.original, 12)}`,
    `"closedBalance": ${amountJson(c, lot.closed)}`,
    `"closedBalanceInBillingCurrency": ${amountWithRateJson(c, lot.closed, 10)}`,
    `"source": ${q(lot.source)}`,
    `"startDate": ${q(lot.start)}`,
    `"expirationDate": ${q(lot.expiration)}`,
    `"purchasedDate": ${q(lot.start)}`,
    ...(rng.chance(30) ? [`"poNumber": ${q(`PO-${70_000 + rng.next(9_999)}`)}`] : []),
    `"status": ${q(lot.status)}`,
    `"isEstimatedBalance": false`,
    `"eTag": ${etag}`,
  ];
  return `{"id": ${q(lot.id)}, "name": ${q(lot.name)}, "type": "Microsoft.Consumption/lots", "eTag": ${etag}, "properties": {${props.join(', ')}}}`;
}

function eventJson(profile: AzureProfile, lot: LotModel, event: LotEvent): string {
  const c = profile.currency;
  const id = `${profile.id}/providers/Microsoft.Consumption/events/${event.name}`;
  const month = Number(event.date.slice(5, 7));
  const etag = q(`"${hex(id, 15)}"`);
  const props = [
    `"transactionDate": ${q(event.date)}`,
    `"description": ${q(event.description)}`,
    `"eventType": ${q(event.type)}`,
    `"creditCurrency": ${q(c)}`,
    `"billingCurrency": ${q(c)}`,
    `"lotId": ${q(lot.name)}`,
    `"lotSource": ${q(lot.source)}`,
    `"newCredit": ${amountJson(c, event.newCredit)}`,
    `"newCreditInBillingCurrency": ${amountWithRateJson(c, event.newCredit, month)}`,
    `"charges": ${amountJson(c, -event.charges)}`,
    `"chargesInBillingCurrency": ${amountWithRateJson(c, -event.charges, month)}`,
    `"closedBalance": ${amountJson(c, event.closedBalance)}`,
    `"closedBalanceInBillingCurrency": ${amountWithRateJson(c, event.closedBalance, month)}`,
    `"invoiceNumber": ${q(event.invoiceNumber)}`,
    `"billingProfileId": ${q(profile.id)}`,
    `"billingProfileDisplayName": ${q(profile.displayName)}`,
    `"isEstimatedBalance": ${event.type.startsWith('Pending')}`,
    `"eTag": ${etag}`,
  ];
  return `{"id": ${q(id)}, "name": ${q(event.name)}, "type": "Microsoft.Consumption/events", "eTag": ${etag}, "properties": {${props.join(', ')}}}`;
}

// ---------------------------------------------------------------------------------------------
// Writers per format
// ---------------------------------------------------------------------------------------------

export interface DatasetManifest {
  config: DatasetConfig;
  asOf: string;
  generatedInMs: number;
  counts: {
    awsAccounts: number;
    awsCredits: number;
    awsHistoryRows: number;
    azureBillingAccounts: number;
    azureProfiles: number;
    azureInvoiceSections: number;
    azureLots: number;
    azureEvents: number;
    awsBillingCsvRows: number;
    awsBillingCsvLineItems: number;
    costDetailsRows: number;
  };
  bytes: Record<string, number>;
  /** Folder groups for `npm run ingest`, in load order (each inner list is one call). */
  ingestCalls: string[][];
  files: { awsBillingCsv: string; costDetailsCsv: string };
  /** Ids the benchmarks use. */
  ids: {
    awsPayers: string[];
    azureBillingAccountIds: string[];
    /** The payer of the first organization: `awsCredits(accountId, first: 50)` returns its `payerCreditsPerOrganization` credits. */
    nativePageAccountId: string;
    /** An AWS credit with history in each of the 12 months. */
    historyCreditId: string;
    historyCreditRows: number;
    /** ENABLED, started, unexpired AWS credits of the first organization's payer, for pause/activate. */
    pausableCreditIds: string[];
  };
}

function writeAws(config: DatasetConfig, out: string, manifest: DatasetManifest): void {
  let historyFiles = 0;
  const parts: string[] = [];
  const pausable: string[] = [];
  for (let o = 0; o < config.awsOrganizations; o++) {
    const org = awsOrganization(config, o);
    // ListAccounts
    const accounts = new JsonListWriter(path.join(out, 'aws/accounts', `organizations-list-accounts-${String(o + 1).padStart(3, '0')}.json`), 'Accounts');
    org.accounts.forEach((a, j) => {
      const joined = new Date(Date.parse('2019-03-14T17:22:53.101Z') + (o * 97 + j * 13) * DAY_MS).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
      accounts.add(
        `{"Id": ${q(a.id)}, "Arn": ${q(`arn:aws:organizations::${org.payer}:account/${org.organizationId}/${a.id}`)}, "Email": ${q(`aws-${a.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}@org${o + 1}.example.com`)}, "Name": ${q(a.name)}, "Status": "ACTIVE", "JoinedMethod": ${q(j === 0 ? 'INVITED' : 'CREATED')}, "JoinedTimestamp": ${q(joined)}}`,
      );
    });
    accounts.close();
    manifest.counts.awsAccounts += org.accounts.length;
    // Cost category
    const grant = org.accounts.slice(1, 4).map((a) => a.id);
    const category = {
      CostCategoryArn: org.costCategoryArn,
      Name: 'FundingSource',
      EffectiveStart: '2025-12-01T00:00:00Z',
      RuleVersion: 'CostCategoryExpression.v1',
      Rules: [
        { Value: 'Grant', Type: 'REGULAR', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: grant, MatchOptions: ['EQUALS'] } } },
        { Value: 'Product', Type: 'REGULAR', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT_NAME', Values: ['team-'], MatchOptions: ['STARTS_WITH'] } } },
        { Value: 'Sandbox', Type: 'REGULAR', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT_NAME', Values: ['sandbox-'], MatchOptions: ['STARTS_WITH'] } } },
      ],
      DefaultValue: 'Unallocated',
    };
    const categoryWriter = new FileWriter(path.join(out, 'aws/accounts', `cost-category-${String(o + 1).padStart(3, '0')}.json`));
    categoryWriter.write(`${JSON.stringify(category, null, 2)}\n`);
    categoryWriter.close();
    // GetCredits (payerAccountFlag: every credit of the organization)
    const { first, count } = organizationCredits(config, o);
    const credits = new JsonListWriter(path.join(out, 'aws/credits', `get-credits-${String(o + 1).padStart(3, '0')}.json`), 'credits');
    for (let i = 0; i < count; i++) {
      const credit = awsCredit(config, org, first + i, i);
      credits.add(credit.json);
      manifest.counts.awsCredits++;
      if (o === 0 && credit.accountId === org.payer && credit.pausable) pausable.push(credit.creditId);
      if (o === 0 && i === 0) {
        manifest.ids.historyCreditId = credit.creditId;
        manifest.ids.historyCreditRows = credit.historyRows;
      }
    }
    credits.close();
    // GetCreditAllocationHistory for the organization, newest billing month first, in pages.
    let page: string[] = [];
    let pageNumber = 0;
    const flush = (last: boolean) => {
      if (page.length === 0 && !last) return;
      if (historyFiles % config.ingestFilesPerCall === 0) parts.push(path.join('aws/history', `part-${String(parts.length).padStart(3, '0')}`));
      const file = path.join(out, parts[parts.length - 1], `credit-allocation-history-${String(o + 1).padStart(3, '0')}-page-${String(++pageNumber).padStart(5, '0')}.json`);
      const writer = new JsonListWriter(file, 'creditAllocationHistoryList');
      for (const entry of page) writer.add(entry);
      const token = last ? 'null' : q(Buffer.from(JSON.stringify({ v: 1, org: o, page: pageNumber })).toString('base64'));
      writer.close({ partialResults: 'false', failedMonths: '[]', nextToken: token });
      historyFiles++;
      page = [];
    };
    for (let m = MONTHS.length - 1; m >= 0; m--) {
      for (let i = 0; i < count; i++) {
        const c = first + i;
        for (const e of historyOf(config, org, c, m)) {
          page.push(
            `{"creditId": ${q(awsCreditId(c))}, "creditAmount": {"currencyCode": "USD", "currencyAmount": ${q(units10(-e.units))}}, "description": ${q(`${CREDIT_NAMES[c % CREDIT_NAMES.length]} ${c + 1}`)}, "accountId": ${q(e.accountId)}, "appliedServiceName": ${q(e.service)}, "billingMonth": ${q(e.month)}, "isEstimatedBill": ${e.estimated}}`,
          );
          manifest.counts.awsHistoryRows++;
          if (page.length >= config.historyPageSize) flush(false);
        }
      }
    }
    flush(true);
    manifest.ids.awsPayers.push(org.payer);
    if (o === 0) manifest.ids.nativePageAccountId = org.payer;
  }
  manifest.ids.pausableCreditIds = pausable.slice(0, 20);
  manifest.ingestCalls.push(...parts.map((p) => [p]));
}

function writeAzure(config: DatasetConfig, out: string, manifest: DatasetManifest): void {
  const profiles = allProfiles(config);
  // Billing accounts with their profiles and invoice sections.
  const accounts = new JsonListWriter(path.join(out, 'azure/billing-accounts.json'), 'value');
  for (let a = 0; a < config.azureBillingAccounts; a++) {
    const mine = profiles.filter((p) => p.accountIndex === a);
    const billingAccountId = mine[0].billingAccountId;
    const profileJson = mine.map((p) => {
      const sections = p.sections.map(
        (s) => `{"id": ${q(s.id)}, "name": ${q(s.name)}, "type": "Microsoft.Billing/billingAccounts/billingProfiles/invoiceSections", "properties": {"displayName": ${q(s.displayName)}, "state": "Active"}}`,
      );
      manifest.counts.azureInvoiceSections += sections.length;
      return `{"id": ${q(p.id)}, "name": ${q(p.name)}, "type": "Microsoft.Billing/billingAccounts/billingProfiles", "properties": {"displayName": ${q(p.displayName)}, "currency": ${q(p.currency)}, "invoiceDay": 5, "status": "Active", "billingRelationshipType": "Direct", "systemId": ${q(azureName(`system-${p.id}`, [4, 4, 3, 4]))}, "hasReadAccess": true, "invoiceSections": {"hasMoreResults": false, "value": [${sections.join(', ')}]}}}`;
    });
    accounts.add(
      `{"id": ${q(billingAccountId)}, "name": ${q(mine[0].billingAccountName)}, "type": "Microsoft.Billing/billingAccounts", "properties": {"displayName": ${q(`Bench billing account ${a + 1}`)}, "accountStatus": "Active", "accountType": "Enterprise", "agreementType": "MicrosoftCustomerAgreement", "hasReadAccess": true, "billingProfiles": {"hasMoreResults": false, "value": [${profileJson.join(', ')}]}}}`,
    );
    manifest.counts.azureBillingAccounts++;
    manifest.counts.azureProfiles += mine.length;
    manifest.ids.azureBillingAccountIds.push(billingAccountId);
  }
  accounts.close();

  // Lots pages and events pages, per billing profile.
  const eventParts: string[] = [];
  let eventFiles = 0;
  for (const profile of profiles) {
    const { first, count } = profileLots(config, profile.globalIndex);
    const lotsLink = (page: number) =>
      `https://management.azure.com${profile.id}/providers/Microsoft.Consumption/lots?api-version=2023-03-01&$skiptoken=${Buffer.from(`lots:${profile.name}:${page}`).toString('base64')}`;
    const eventsLink = (page: number) =>
      `https://management.azure.com${profile.id}/providers/Microsoft.Consumption/events?api-version=2023-03-01&startDate=2025-12-01&endDate=${AS_OF}&$skiptoken=${Buffer.from(`events:${profile.name}:${page}`).toString('base64')}`;
    const lotPages = Math.max(1, Math.ceil(count / config.lotsPageSize));
    let lotWriter: JsonListWriter | null = null;
    let lotsInPage = 0;
    let lotPage = 0;
    let events: string[] = [];
    let eventPage = 0;
    const totalEvents = Array.from({ length: count }, (_, i) => lotEventCount(config, first + i)).reduce((s, n) => s + n, 0);
    const eventPages = Math.max(1, Math.ceil(totalEvents / config.eventsPageSize));
    const flushEvents = () => {
      if (eventFiles % config.ingestFilesPerCall === 0) eventParts.push(path.join('azure/events', `part-${String(eventParts.length).padStart(3, '0')}`));
      eventPage++;
      const writer = new JsonListWriter(path.join(out, eventParts[eventParts.length - 1], `events-${profile.name}-page-${String(eventPage).padStart(4, '0')}.json`), 'value');
      for (const e of events) writer.add(e);
      writer.close(eventPage < eventPages ? { nextLink: q(eventsLink(eventPage + 1)) } : {});
      eventFiles++;
      events = [];
    };
    for (let i = 0; i < count; i++) {
      if (!lotWriter) {
        lotPage++;
        lotWriter = new JsonListWriter(path.join(out, 'azure/lots', `lots-${profile.name}-page-${String(lotPage).padStart(3, '0')}.json`), 'value');
      }
      const lot = azureLot(config, profile, first + i);
      lotWriter.add(lotJson(profile, lot, rngFor(config.seed, 'lot-json', first + i)));
      manifest.counts.azureLots++;
      if (++lotsInPage >= config.lotsPageSize || i === count - 1) {
        lotWriter.close(lotPage < lotPages ? { nextLink: q(lotsLink(lotPage + 1)) } : {});
        lotWriter = null;
        lotsInPage = 0;
      }
      for (const event of lot.events) {
        events.push(eventJson(profile, lot, event));
        manifest.counts.azureEvents++;
        if (events.length >= config.eventsPageSize) flushEvents();
      }
    }
    if (events.length > 0) flushEvents();
  }
  manifest.ingestCalls.push(...eventParts.map((p) => [p]));
}

// ---------------------------------------------------------------------------------------------
// Billing files
// ---------------------------------------------------------------------------------------------


const csvQuoted = (fields: readonly string[]) => `"${fields.map((f) => f.replace(/"/g, '""')).join('","')}"\n`;

/** Sums of the four amount columns, in 1e-10 units. */
class ColumnSums {
  cost = 0n;
  credits = 0n;
  tax = 0n;
  total = 0n;
  add(cost: bigint, credits: bigint, tax: bigint, total: bigint): void {
    this.cost += cost;
    this.credits += credits;
    this.tax += tax;
    this.total += total;
  }
}

/**
 * The first organization's Programmatic Billing CSV of 2026-10, final (a real InvoiceID): line
 * items for every account, an AccountTotal per account, one Rounding row, the InvoiceTotal and the
 * StatementTotal, every total the exact sum of what it covers.
 */
function writeAwsBillingCsv(config: DatasetConfig, out: string, manifest: DatasetManifest): string {
  const org = awsOrganization(config, 0);
  const file = path.join(out, 'charges', `${org.payer}-aws-billing-csv-${BILLING_MONTH}.csv`);
  const writer = new FileWriter(file);
  writer.write(csvQuoted(AWS_BILLING_COLUMNS));
  const invoice = '4123456789';
  const rng = rngFor(config.seed, 'aws-billing-csv');
  const base = {
    InvoiceID: invoice,
    PayerAccountId: org.payer,
    BillingPeriodStartDate: '2026/10/01 00:00:00',
    BillingPeriodEndDate: '2026/10/31 23:59:59',
    InvoiceDate: '2026/11/02 08:11:27',
    PayerAccountName: org.accounts[0].name,
    CurrencyCode: 'USD',
  } as Record<string, string>;
  const row = (values: Record<string, string>) => csvQuoted(AWS_BILLING_COLUMNS.map((c) => values[c] ?? base[c] ?? ''));
  const invoiceSums = new ColumnSums();
  let recordId = 5_100_000_000_000;
  let rows = 0;
  const accounts = org.accounts.length;
  for (let a = 0; a < accounts; a++) {
    const account = org.accounts[a];
    const isPayer = a === 0;
    const n = Math.floor(config.awsBillingCsvRows / accounts) + (a < config.awsBillingCsvRows % accounts ? 1 : 0);
    const sums = new ColumnSums();
    for (let i = 0; i < n; i++) {
      const service = AWS_SERVICES[rng.next(AWS_SERVICES.length)];
      const day = 1 + rng.next(31);
      const refund = rng.chance(2);
      let cost = randomUnits10(rng, 0, 40);
      if (refund) cost = -cost / 4n;
      const credits = !refund && rng.chance(20) ? -(cost / BigInt(1 + rng.next(4))) : 0n;
      const tax = refund ? 0n : ((cost + credits) * 8n) / 100n;
      const total = cost + credits + tax;
      sums.add(cost, credits, tax, total);
      const usage = rng.pick(service.usage);
      const dayText = `2026/10/${String(day).padStart(2, '0')}`;
      writer.write(
        row({
          LinkedAccountId: isPayer ? '' : account.id,
          RecordType: isPayer ? 'PayerLineItem' : 'LinkedLineItem',
          RecordID: String(recordId++),
          LinkedAccountName: isPayer ? '' : account.name,
          ProductCode: service.code,
          ProductName: service.name,
          SellerOfRecord: 'Amazon Web Services, Inc.',
          UsageType: usage,
          Operation: refund ? 'Refund' : 'RunInstances',
          RateId: String(10_000_000 + rng.next(90_000_000)),
          ItemDescription: `${service.name} ${usage}${refund ? ' refund' : ''}`,
          UsageStartDate: `${dayText} 00:00:00`,
          UsageEndDate: `${dayText} 23:59:59`,
          UsageQuantity: `${1 + rng.next(1000)}.${String(rng.next(1_000_000)).padStart(6, '0')}`,
          BlendedRate: `0.${String(rng.next(100_000_000)).padStart(8, '0')}`,
          CostBeforeTax: units10(cost),
          Credits: units10(credits),
          TaxAmount: units10(tax),
          TaxType: tax === 0n ? 'None' : 'US Sales Tax',
          TotalCost: units10(total),
        }),
      );
      rows++;
    }
    writer.write(
      row({
        LinkedAccountId: account.id,
        RecordType: 'AccountTotal',
        RecordID: `AccountTotal:${account.id}`,
        ItemDescription: `Total for linked account# ${account.id} (${account.name})`,
        CostBeforeTax: units10(sums.cost),
        Credits: units10(sums.credits),
        TaxAmount: units10(sums.tax),
        TotalCost: units10(sums.total),
      }),
    );
    invoiceSums.add(sums.cost, sums.credits, sums.tax, sums.total);
  }
  // A rounding row for the invoice, counted by the invoice and statement totals.
  invoiceSums.add(1n, 0n, 0n, 1n);
  writer.write(row({ RecordType: 'Rounding', RecordID: `Rounding:${invoice}`, ItemDescription: 'Rounding', CostBeforeTax: units10(1n), Credits: units10(0n), TaxAmount: units10(0n), TotalCost: units10(1n) }));
  const totals = { CostBeforeTax: units10(invoiceSums.cost), Credits: units10(invoiceSums.credits), TaxAmount: units10(invoiceSums.tax), TotalCost: units10(invoiceSums.total) };
  writer.write(row({ RecordType: 'InvoiceTotal', RecordID: `InvoiceTotal:${invoice}`, ItemDescription: `Total for invoice ${invoice}`, ...totals }));
  writer.write(row({ InvoiceID: '', RecordType: 'StatementTotal', RecordID: `StatementTotal:${org.payer}`, ItemDescription: 'Total statement amount for period 2026-10-01 - 2026-10-31', ...totals }));
  writer.close();
  manifest.counts.awsBillingCsvLineItems = rows;
  manifest.counts.awsBillingCsvRows = rows + accounts + 3;
  manifest.bytes.awsBillingCsv = writer.bytes;
  return file;
}

const COST_DETAILS_COLUMNS = [
  'invoiceId', 'previousInvoiceId', 'billingAccountId', 'billingAccountName', 'billingProfileId', 'billingProfileName',
  'invoiceSectionId', 'invoiceSectionName', 'costCenter', 'billingPeriodStartDate', 'billingPeriodEndDate', 'servicePeriodStartDate',
  'servicePeriodEndDate', 'date', 'serviceFamily', 'productOrderName', 'consumedService', 'meterId', 'meterName', 'meterCategory',
  'meterSubCategory', 'meterRegion', 'ProductId', 'ProductName', 'SubscriptionId', 'subscriptionName', 'publisherType', 'publisherName',
  'resourceGroupName', 'ResourceId', 'resourceLocation', 'effectivePrice', 'quantity', 'unitOfMeasure', 'chargeType', 'billingCurrency',
  'pricingCurrency', 'costInBillingCurrency', 'costInPricingCurrency', 'costInUsd', 'exchangeRatePricingToBilling', 'exchangeRateDate',
  'isAzureCreditEligible', 'tags',
] as const;

const AZURE_METERS = [
  { family: 'Compute', service: 'Microsoft.Compute', category: 'Virtual Machines', sub: 'NCadsH100v5 Series', product: 'Virtual Machines NCadsH100v5 Series - NC40ads H100 v5 - US East', unit: '1 Hour' },
  { family: 'Compute', service: 'Microsoft.Compute', category: 'Virtual Machines', sub: 'Dv5 Series', product: 'Virtual Machines Dv5 Series - D4 v5 - EU West', unit: '1 Hour' },
  { family: 'Storage', service: 'Microsoft.Storage', category: 'Storage', sub: 'Premium SSD Managed Disks', product: 'Premium SSD Managed Disks - P30 LRS - Disk', unit: '1/Month' },
  { family: 'Networking', service: 'Microsoft.Network', category: 'Bandwidth', sub: 'Rtn Preference: MGN', product: 'Rtn Preference: MGN - Standard Data Transfer Out - Zone 1', unit: '1 GB' },
  { family: 'Databases', service: 'Microsoft.Sql', category: 'SQL Database', sub: 'Single vCore', product: 'SQL Database Single vCore - General Purpose - Compute Gen5', unit: '1 Hour' },
  { family: 'Databases', service: 'Microsoft.DocumentDB', category: 'Azure Cosmos DB', sub: 'RUs', product: 'Azure Cosmos DB - 100 RU/s', unit: '100 RU/s/Hour' },
  { family: 'Compute', service: 'Microsoft.Web', category: 'Azure App Service', sub: 'Premium v3 Plan', product: 'Azure App Service Premium v3 Plan - P1 v3', unit: '1 Hour' },
  { family: 'AI + Machine Learning', service: 'Microsoft.CognitiveServices', category: 'Foundry Models', sub: 'Azure OpenAI', product: 'Azure OpenAI - GPT-4o - Input Tokens', unit: '1K' },
];
/** Charges credits never pay: Marketplace, a support plan, a listed product, eligibility False. */
const AZURE_INELIGIBLE = [
  { family: 'Compute', service: 'Microsoft.Compute', category: 'Virtual Machines', sub: 'Ubuntu', product: 'Ubuntu Advantage - Essential', unit: '1 Hour', publisherType: 'Azure', publisherName: 'Canonical', eligible: 'True' },
  { family: 'Developer Tools', service: 'Microsoft.Support', category: 'Azure Support', sub: 'Standard', product: 'Azure Support Plan - Standard', unit: '1/Month', publisherType: 'Azure', publisherName: 'Microsoft', eligible: 'True' },
  { family: 'Compute', service: 'Microsoft.Compute', category: 'Virtual Machines', sub: 'Marketplace', product: 'Contoso Firewall Appliance', unit: '1 Hour', publisherType: 'Marketplace', publisherName: 'Contoso Security', eligible: 'False' },
  { family: 'Storage', service: 'Microsoft.Storage', category: 'Storage', sub: 'Archive', product: 'Archive Storage - LRS', unit: '1 GB/Month', publisherType: 'Azure', publisherName: 'Microsoft', eligible: 'False' },
];

/** The MCA cost details export of 2026-10 for every billing profile: invoiced (final), columns in the export's own order. */
function writeCostDetailsCsv(config: DatasetConfig, out: string, manifest: DatasetManifest): string {
  const file = path.join(out, 'charges', `azure-cost-details-mca-${BILLING_MONTH}.csv`);
  const writer = new FileWriter(file);
  writer.write(`${COST_DETAILS_COLUMNS.join(',')}\n`);
  const profiles = allProfiles(config);
  const rng = rngFor(config.seed, 'cost-details-csv');
  const csv = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  for (let i = 0; i < config.costDetailsRows; i++) {
    const profile = profiles[i % profiles.length];
    const section = profile.sections[rng.next(profile.sections.length)];
    const ineligible = rng.chance(6);
    const meter = ineligible ? rng.pick(AZURE_INELIGIBLE) : { ...rng.pick(AZURE_METERS), publisherType: 'Azure', publisherName: 'Microsoft', eligible: 'True' };
    const day = String(1 + rng.next(31)).padStart(2, '0');
    const cost = randomUnits10(rng, 0, 25);
    const subscription = `${hex(`sub-${profile.globalIndex}-${section.name}`, 8)}-${hex(`sub2-${section.name}`, 4)}-4${hex(`sub3-${section.name}`, 3)}-8${hex(`sub4-${section.name}`, 3)}-${hex(`sub5-${section.name}`, 12)}`;
    const resourceGroup = `rg-${section.displayName.split(' ')[0]}-${1 + rng.next(5)}`;
    const tags = rng.chance(30) ? `{"team": "${section.displayName.split(' ')[0]}", "env": "${rng.pick(['prod', 'dev', 'test'])}"}` : '';
    const values: Record<(typeof COST_DETAILS_COLUMNS)[number], string> = {
      invoiceId: profile.invoiceId,
      previousInvoiceId: '',
      billingAccountId: profile.billingAccountName,
      billingAccountName: `Bench billing account ${profile.accountIndex + 1}`,
      billingProfileId: profile.name,
      billingProfileName: profile.displayName,
      invoiceSectionId: section.name,
      invoiceSectionName: section.displayName,
      costCenter: '',
      billingPeriodStartDate: '2026-10-01',
      billingPeriodEndDate: '2026-10-31',
      servicePeriodStartDate: '2026-10-01',
      servicePeriodEndDate: '2026-10-31',
      date: `2026-10-${day}`,
      serviceFamily: meter.family,
      productOrderName: 'Azure plan',
      consumedService: meter.service,
      meterId: `${hex(meter.product, 8)}-${hex(meter.product + 1, 4)}-${hex(meter.product + 2, 4)}-${hex(meter.product + 3, 4)}-${hex(meter.product + 4, 12)}`,
      meterName: meter.sub,
      meterCategory: meter.category,
      meterSubCategory: meter.sub,
      meterRegion: rng.pick(['US East', 'EU West', 'US West 2']),
      ProductId: `DZH318Z0${hex(meter.product, 4).toUpperCase()}`,
      ProductName: meter.product,
      SubscriptionId: subscription,
      subscriptionName: `${section.displayName} subscription`,
      publisherType: meter.publisherType,
      publisherName: meter.publisherName,
      resourceGroupName: resourceGroup,
      ResourceId: `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/${meter.service}/resource-${rng.next(100)}`,
      resourceLocation: 'eastus',
      effectivePrice: `0.${String(rng.next(100_000_000)).padStart(8, '0')}`,
      quantity: `${rng.next(100)}.${String(rng.next(1_000_000)).padStart(6, '0')}`,
      unitOfMeasure: meter.unit,
      chargeType: 'Usage',
      billingCurrency: profile.currency,
      pricingCurrency: profile.currency,
      costInBillingCurrency: units10(cost),
      costInPricingCurrency: units10(cost),
      costInUsd: units10(cost),
      exchangeRatePricingToBilling: '1',
      exchangeRateDate: '2026-10-01',
      isAzureCreditEligible: meter.eligible,
      tags,
    };
    writer.write(`${COST_DETAILS_COLUMNS.map((c) => csv(values[c])).join(',')}\n`);
  }
  writer.close();
  manifest.counts.costDetailsRows = config.costDetailsRows;
  manifest.bytes.costDetailsCsv = writer.bytes;
  return file;
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(p) : fs.statSync(p).size;
  }
  return total;
}

/** Writes the whole dataset into `out` (emptied first) and returns its manifest. */
export function generateDataset(config: DatasetConfig, out: string): DatasetManifest {
  const started = Date.now();
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const manifest: DatasetManifest = {
    config,
    asOf: AS_OF,
    generatedInMs: 0,
    counts: {
      awsAccounts: 0,
      awsCredits: 0,
      awsHistoryRows: 0,
      azureBillingAccounts: 0,
      azureProfiles: 0,
      azureInvoiceSections: 0,
      azureLots: 0,
      azureEvents: 0,
      awsBillingCsvRows: 0,
      awsBillingCsvLineItems: 0,
      costDetailsRows: 0,
    },
    bytes: {},
    ingestCalls: [['aws/accounts', 'aws/credits', 'azure/billing-accounts.json', 'azure/lots']],
    files: { awsBillingCsv: '', costDetailsCsv: '' },
    ids: { awsPayers: [], azureBillingAccountIds: [], nativePageAccountId: '', historyCreditId: '', historyCreditRows: 0, pausableCreditIds: [] },
  };
  writeAws(config, out, manifest);
  writeAzure(config, out, manifest);
  manifest.files.awsBillingCsv = path.relative(out, writeAwsBillingCsv(config, out, manifest));
  manifest.files.costDetailsCsv = path.relative(out, writeCostDetailsCsv(config, out, manifest));
  manifest.bytes.aws = folderBytes(path.join(out, 'aws'));
  manifest.bytes.azure = folderBytes(path.join(out, 'azure'));
  manifest.generatedInMs = Date.now() - started;
  fs.writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The manifest of a dataset already in `out` generated from exactly `config`, or null. */
/** Where a run keeps its dataset unless told otherwise: a temporary folder, never the repository. */
export function defaultBenchDir(mode: string): string {
  return path.join(os.tmpdir(), 'cloud-credits-bench', mode);
}

export function existingDataset(config: DatasetConfig, out: string): DatasetManifest | null {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as DatasetManifest;
    return JSON.stringify(manifest.config) === JSON.stringify(config) ? manifest : null;
  } catch {
    return null;
  }
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { FULL, QUICK } = require('./config') as typeof import('./config');
  const args = process.argv.slice(2);
  const config = args.includes('--quick') ? QUICK.dataset : FULL.dataset;
  const out = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(defaultBenchDir(args.includes('--quick') ? 'quick' : 'full'), 'dataset'));
  const manifest = generateDataset(config, out);
  console.log(`dataset written to ${out} in ${(manifest.generatedInMs / 1000).toFixed(1)} s`);
  console.log(JSON.stringify(manifest.counts, null, 2));
}

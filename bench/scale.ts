/**
 * `npm run bench -- --scale [--db sqlite|postgres]`: whether the cost of a request grows with the
 * work it does, not with the data held. The same operations through our gateway over a provider
 * pair holding 1,000 credits each and one holding 100,000 each (one AWS organization, one Azure
 * billing account), in one run, on one database kind:
 *
 *   - loading the snapshot (GetCredits and the lots pages) with `npm run ingest`: credits/s and
 *     the command's peak RSS;
 *   - sequential medians through the gateway of the first page of 50 by expiry, page 2, a page
 *     halfway, a text search that matches nothing, `creditSummary`, and `pauseCredit` /
 *     `activateCredit` alternating on credits of the organization with billing files applied;
 *   - the peak RSS of every service while it answers them.
 *
 * The targets are ratios between the two sizes measured in this run (docs/BENCHMARKS.md, "Scale").
 */
import fs from 'node:fs';
import path from 'node:path';
import { signToken } from '../lib/platform/auth/tokens';
import { encodeCreditId } from '../lib/api/global-id';
import { encodeCreditCursor } from '../subgraphs/credits/domain/cursor';
import { DatasetConfig, GENERATOR_VERSION } from './config';
import { AS_OF_INSTANT, DatasetManifest, existingDataset, generateDataset } from './dataset';
import { runIngestCommand } from './ingestion';
import { RunningService, sampleRss, ServiceOptions, startService } from './process';
import { ACTIVATE, gql, PAUSE } from './graphql-load';
import { type BenchDatabase, int, type MachineInfo, mb, type Target } from './report';

/** The two sizes compared: credits per provider. */
export const SCALE_SIZES = [1_000, 100_000] as const;

/** A provider pair of `credits` credits each, two history rows and two events a credit, small billing files. */
export function scaleDataset(credits: number): DatasetConfig {
  return {
    version: GENERATOR_VERSION,
    seed: 20261208,
    awsOrganizations: 1,
    awsAccountsPerOrganization: 50,
    awsCredits: credits,
    payerCreditsPerOrganization: 50,
    awsHistoryRows: credits * 2,
    historyPageSize: 1_000,
    azureBillingAccounts: 1,
    azureProfilesPerAccount: 10,
    azureSectionsPerProfile: 5,
    azureLots: credits,
    lotsPageSize: 50,
    azureEvents: credits * 2,
    eventsPageSize: 1_000,
    awsBillingCsvRows: 10_000,
    costDetailsRows: 10_000,
    ingestFilesPerCall: 100,
  };
}

/** The snapshot's folders: what "ingest of the 100,000-credit JSON snapshot" loads. */
const SNAPSHOT = ['aws/accounts', 'aws/credits', 'azure/billing-accounts.json', 'azure/lots'];

const PAGE = `query Page($after: String, $filter: CreditFilter) {
  credits(first: 50, after: $after, filter: $filter, orderBy: { field: EXPIRES_AT, direction: ASC }) {
    edges { node { id name status remainingBalance { amount currencyCode } expiresAt } }
    pageInfo { endCursor hasNextPage }
  }
}`;
const SUMMARY = `query Summary {
  creditSummary {
    creditCount
    totals { provider currencyCode creditCount usableCreditCount usableBalance { amount currencyCode } unusableBalance { amount currencyCode } }
    statusCounts { status count }
    expiring { withinDays provider creditCount remainingBalance { amount currencyCode } }
  }
}`;

export interface ScaleOperation {
  name: string;
  title: string;
  /** Sequential requests measured (after three unmeasured ones). */
  samples: number;
  /** Null when the operation failed. */
  medianMs: number | null;
  p90Ms: number | null;
  /** What one answer held (credits on the page, the summary's count). */
  answered: string;
  /** Why the operation failed, when it did. */
  failed?: string;
}

export interface ScaleSizeResult {
  creditsPerProvider: number;
  snapshot: { credits: number; wallMs: number; creditsPerSecond: number; peakRssBytes: number | null };
  /** The rest of the dataset (history, events, billing files), loaded unmeasured: its wall time. */
  restLoadMs: number;
  operations: ScaleOperation[];
  /** Peak RSS of each service while it answered the operations. */
  servicePeakRssBytes: Record<string, number>;
}

export interface ScaleResults {
  sizes: ScaleSizeResult[];
}

/** A snapshot load in one line: its time, rate and peak RSS. */
const snapshotText = (s: ScaleSizeResult['snapshot']) => `${(s.wallMs / 1000).toFixed(1)} s, ${int(s.creditsPerSecond)} credits/s, peak RSS ${mb(s.peakRssBytes)}`;

/** Each service's peak RSS in one line. */
const rssText = (peaks: Record<string, number>) => Object.entries(peaks).map(([role, bytes]) => `${role} ${mb(bytes)}`).join(', ');

async function post(url: string, token: string, body: string): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  const json = await response.json();
  if (response.status !== 200 || json.errors?.length) {
    const errors = (json.errors ?? []).map((e: any) => `${e.extensions?.code ?? 'ERROR'}${e.extensions?.reason ? ` (${e.extensions.reason})` : ''}: ${e.message}`);
    throw new Error(`HTTP ${response.status}: ${errors.join('; ') || JSON.stringify(json).slice(0, 300)}`);
  }
  return json.data;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/**
 * Three unmeasured requests, then `samples` measured ones, one at a time; `check` refuses a wrong
 * answer. An operation that fails (a timeout, an error in the answer) is recorded as failed with
 * what it said, and the run goes on.
 */
async function timed(name: string, title: string, samples: number, request: (i: number) => Promise<any>, check: (data: any) => string): Promise<ScaleOperation> {
  let answered = '';
  const times: number[] = [];
  try {
    for (let i = 0; i < 3; i++) answered = check(await request(i));
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      const data = await request(i + 3);
      times.push(performance.now() - t0);
      answered = check(data);
    }
  } catch (error) {
    return { name, title, samples: times.length, medianMs: null, p90Ms: null, answered, failed: (error as Error).message.slice(0, 300) };
  }
  times.sort((a, b) => a - b);
  return { name, title, samples, medianMs: percentile(times, 0.5), p90Ms: percentile(times, 0.9), answered };
}

/** The expiry key halfway through both providers' credits, read from the snapshot files: a cursor there pages from the middle. */
function halfwayExpiry(datasetDir: string): string {
  const keys: string[] = [];
  for (const file of fs.readdirSync(path.join(datasetDir, 'aws/credits'))) {
    for (const c of JSON.parse(fs.readFileSync(path.join(datasetDir, 'aws/credits', file), 'utf8')).credits) if (c.endDate !== undefined) keys.push(new Date(Number(c.endDate) * 1000).toISOString());
  }
  for (const file of fs.readdirSync(path.join(datasetDir, 'azure/lots'))) {
    for (const lot of JSON.parse(fs.readFileSync(path.join(datasetDir, 'azure/lots', file), 'utf8')).value) if (lot.properties.expirationDate) keys.push(new Date(lot.properties.expirationDate).toISOString());
  }
  keys.sort();
  return keys[Math.floor(keys.length / 2)];
}

async function measureSize(
  credits: number,
  root: string,
  options: { auth: ServiceOptions['auth']; resetDatabase: () => Promise<void>; log: (line: string) => void },
): Promise<ScaleSizeResult> {
  const { log } = options;
  const config = scaleDataset(credits);
  const datasetDir = path.join(root, `dataset-${credits}`);
  const manifest: DatasetManifest = existingDataset(config, datasetDir) ?? generateDataset(config, datasetDir);
  const dataDir = path.join(root, `db-${credits}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  await options.resetDatabase();

  const load = async (paths: string[]) => {
    const run = await runIngestCommand(paths.map((p) => path.join(datasetDir, p)), dataDir);
    if (run.exitCode !== 0) throw new Error(`npm run ingest ${paths.join(' ')} failed (exit ${run.exitCode}):\n${run.stderrTail}`);
    return run;
  };
  const snapshotRun = await load(SNAPSHOT);
  const snapshotCredits = manifest.counts.awsCredits + manifest.counts.azureLots;
  const snapshot = { credits: snapshotCredits, wallMs: snapshotRun.wallMs, creditsPerSecond: snapshotCredits / (snapshotRun.wallMs / 1000), peakRssBytes: snapshotRun.peakRssBytes };
  log(`  ${int(credits)} a provider: snapshot of ${int(snapshotCredits)} credits: ${snapshotText(snapshot)}`);
  const restStarted = Date.now();
  for (const call of manifest.ingestCalls.filter((c) => !c.some((p) => SNAPSHOT.includes(p)))) await load(call);
  await load([manifest.files.awsBillingCsv, manifest.files.costDetailsCsv]);
  const restLoadMs = Date.now() - restStarted;

  const services: RunningService[] = [];
  const samplers: { role: string; sampler: ReturnType<typeof sampleRss> }[] = [];
  try {
    const base: ServiceOptions = { dataDir, now: AS_OF_INSTANT, auth: options.auth };
    const aws = await startService('aws', base);
    services.push(aws);
    const azure = await startService('azure', base);
    services.push(azure);
    const gateway = await startService('gateway-ours', { ...base, subgraphUrls: { aws: aws.url, azure: azure.url } });
    services.push(gateway);
    for (const s of services) samplers.push({ role: s.role, sampler: sampleRss(s.pid, 50) });
    const token = await signToken({ ...options.auth, jwksUrl: null, production: false }, 'bench-scale', {
      aws: { accountIds: manifest.ids.awsPayers },
      azure: { roleAssignments: manifest.ids.azureBillingAccountIds.map((scope) => ({ scope, role: 'billing_account_owner' })) },
    }, '12h');
    const ask = (query: string, variables: Record<string, unknown> = {}) => post(gateway.url, token, gql(query, variables));
    const page = (data: any) => {
      const edges = data.credits.edges;
      if (edges.length !== 50) throw new Error(`a page of ${edges.length} credits, not 50`);
      return `${edges.length} credits`;
    };
    const first = await ask(PAGE);
    const order = { field: 'EXPIRES_AT', direction: 'ASC' } as const;
    const halfway = encodeCreditCursor({ key: halfwayExpiry(datasetDir), provider: 'AWS', providerCreditId: '' }, order);
    const pausable = manifest.ids.pausableCreditIds.map((id) => encodeCreditId({ provider: 'AWS', providerCreditId: id }));
    if (pausable.length === 0) throw new Error('the scale dataset has no pausable credit');
    const operations = [
      await timed('firstPage', 'first page of 50 by expiry', 15, () => ask(PAGE), page),
      await timed('page2', 'page 2', 15, () => ask(PAGE, { after: first.credits.pageInfo.endCursor }), page),
      await timed('halfway', 'a page halfway', 15, () => ask(PAGE, { after: halfway }), page),
      await timed('searchNoMatch', 'text search that matches nothing', 15, (i) => ask(PAGE, { filter: { search: `no-such-credit-${i}` } }), (data) => {
        if (data.credits.edges.length !== 0) throw new Error('a search for nothing found credits');
        return '0 credits';
      }),
      await timed('creditSummary', '`creditSummary`', 7, () => ask(SUMMARY), (data) => {
        if (data.creditSummary.creditCount !== snapshotCredits) throw new Error(`creditSummary counted ${data.creditSummary.creditCount}, not ${snapshotCredits}`);
        return `${data.creditSummary.creditCount} credits`;
      }),
      await timed('pauseCredit', '`pauseCredit` / `activateCredit`, alternating', 8, (i) => ask(i % 2 === 0 ? PAUSE : ACTIVATE, { id: pausable[Math.floor(i / 2) % pausable.length] }), (data) => {
        const payload = data.pauseCredit ?? data.activateCredit;
        if (payload.userErrors.length) throw new Error(`userErrors: ${JSON.stringify(payload.userErrors)}`);
        return payload.credit.status;
      }),
    ];
    for (const o of operations) log(`    ${o.title}: ${o.failed ? `FAILED (${o.failed})` : `median ${o.medianMs!.toFixed(1)} ms, p90 ${o.p90Ms!.toFixed(1)} ms (${o.answered})`}`);
    const servicePeakRssBytes = Object.fromEntries(samplers.splice(0).map(({ role, sampler }) => [role, sampler.stop().peakBytes]));
    log(`    peak RSS: ${rssText(servicePeakRssBytes)}`);
    return { creditsPerProvider: credits, snapshot, restLoadMs, operations, servicePeakRssBytes };
  } finally {
    for (const { sampler } of samplers) sampler.stop();
    await Promise.all(services.map((s) => s.stop()));
  }
}

/** Both sizes, one after the other, on the database kind the run uses (`resetDatabase` empties it between them). */
export async function measureScale(root: string, options: { auth: ServiceOptions['auth']; resetDatabase: () => Promise<void>; log: (line: string) => void }): Promise<ScaleResults> {
  const sizes: ScaleSizeResult[] = [];
  for (const credits of SCALE_SIZES) sizes.push(await measureSize(credits, root, options));
  return { sizes };
}

/** A kept scale run (bench/results/scale-<db>.json). */
export interface ScaleRun extends ScaleResults {
  database: BenchDatabase;
  startedAt: string;
  totalSeconds: number;
  machine: MachineInfo;
}

/** Within 2x of the 1,000-credit latency at 100,000. */
const MAX_LATENCY_RATIO = 2;
const MAX_SERVICE_RSS_BYTES = 500e6;
const MIN_SNAPSHOT_CREDITS_PER_SECOND = 50_000;

const ms = (value: number | null) => (value === null ? 'failed' : `${value.toFixed(1)} ms`);

/** The issue's targets from one scale run: latency ratios between the sizes, services' memory, the snapshot's load rate. */
export function scaleTargets(run: ScaleResults): Target[] {
  const [small, large] = [run.sizes[0], run.sizes[run.sizes.length - 1]];
  const targets: Target[] = large.operations.map((big) => {
    const base = small.operations.find((o) => o.name === big.name)!;
    const ratio = big.medianMs !== null && base.medianMs !== null ? big.medianMs / base.medianMs : null;
    return {
      measure: `${big.title}: ${int(large.creditsPerProvider)} vs ${int(small.creditsPerProvider)} credits a provider`,
      target: `at most ${MAX_LATENCY_RATIO}x`,
      measured: `${ratio === null ? 'n/a' : `${ratio.toFixed(2)}x`} (${ms(big.medianMs)} vs ${ms(base.medianMs)})`,
      met: base.medianMs === null ? null : ratio !== null && ratio <= MAX_LATENCY_RATIO,
      note: big.failed ?? base.failed,
    };
  });
  const peak = Object.entries(large.servicePeakRssBytes).sort((a, b) => b[1] - a[1])[0];
  targets.push({
    measure: `peak RSS of any service while serving them (${int(large.creditsPerProvider)} a provider)`,
    target: `at most ${MAX_SERVICE_RSS_BYTES / 1e6} MB`,
    measured: peak ? `${mb(peak[1])} (${peak[0]})` : 'n/a',
    met: peak ? peak[1] <= MAX_SERVICE_RSS_BYTES : null,
  });
  targets.push({
    measure: `npm run ingest of the ${int(large.snapshot.credits)}-credit snapshot (GetCredits and lots)`,
    target: `at least ${int(MIN_SNAPSHOT_CREDITS_PER_SECOND)} credits/s`,
    measured: snapshotText(large.snapshot),
    met: large.snapshot.creditsPerSecond >= MIN_SNAPSHOT_CREDITS_PER_SECOND,
  });
  return targets;
}

/** What a failure said, short enough for a table cell: the errors' codes and reasons where it names them. */
function failure(text: string): string {
  const reasons = [...text.matchAll(/"code":"(\w+)"[^}]*?"reason":"(\w+)"/g)].map((m) => `${m[1]} (${m[2]})`);
  const short = reasons.length > 0 ? [...new Set(reasons)].join(', ') : text;
  return short.replace(/\|/g, '/').slice(0, 160);
}

/**
 * The "Scale" section of docs/BENCHMARKS.md from the latest scale run of each database (either
 * may be missing): the operations at both sizes, their ratios against the targets, memory and the
 * snapshot load.
 */
export function renderScaleSection(runs: Partial<Record<BenchDatabase, ScaleRun>>): string[] {
  const kept = (['sqlite', 'postgres'] as const).filter((db) => runs[db]);
  if (kept.length === 0) return [];
  const name = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;
  const lines = [
    '## Scale: 1,000 and 100,000 credits a provider',
    '',
    'The same operations through our gateway over one AWS organization and one Azure billing account holding 1,000 credits each, then',
    '100,000 each, in one run (`npm run bench -- --scale [--db postgres]`, bench/scale.ts): sequential requests, medians after three',
    'unmeasured ones. The target is each operation within 2x of its latency at 1,000, no service above 500 MB, and the snapshot',
    '(GetCredits and the lots pages) loaded at 50,000 credits/s or more.',
    '',
  ];
  for (const db of kept) {
    const run = runs[db]!;
    const [small, large] = [run.sizes[0], run.sizes[run.sizes.length - 1]];
    lines.push(`### ${name[db]} (${run.startedAt}, ${(run.totalSeconds / 60).toFixed(1)} minutes)`, '');
    lines.push(`| Operation | ${int(small.creditsPerProvider)} a provider | ${int(large.creditsPerProvider)} a provider |`, '| --- | --- | --- |');
    for (const big of large.operations) {
      const base = small.operations.find((o) => o.name === big.name)!;
      const cell = (o: ScaleOperation) => (o.failed ? `failed: ${failure(o.failed)}` : `${o.medianMs!.toFixed(1)} ms (p90 ${o.p90Ms!.toFixed(1)})`);
      lines.push(`| ${big.title} | ${cell(base)} | ${cell(big)} |`);
    }
    lines.push(`| peak RSS while serving | ${rssText(small.servicePeakRssBytes)} | ${rssText(large.servicePeakRssBytes)} |`, `| snapshot load (\`npm run ingest\`) | ${snapshotText(small.snapshot)} | ${snapshotText(large.snapshot)} |`, '');
    lines.push('| Target | Measured | Met |', '| --- | --- | --- |');
    for (const t of scaleTargets(run)) lines.push(`| ${t.measure}: ${t.target} | ${t.measured} | ${t.met === null ? '-' : t.met ? 'yes' : '**no**'} |`);
    lines.push('');
  }
  return lines;
}

/**
 * `npm run bench [-- --quick | --scale] [--db sqlite|postgres] [--json FILE] [--dir DIR] [--fresh]`: the
 * benchmark suite (`--scale`: bench/scale.ts alone). `--db postgres` keeps every provider database on PostgreSQL (a database made
 * for the run on the server BENCH_DATABASE_URL or TEST_DATABASE_URL names, dropped after it).
 *
 *   1. the dataset (bench/dataset.ts), generated once per settings and reused;
 *   2. its JSON files loaded into fresh databases with the real ingest command;
 *   3. (a) billing-file ingestion, (b) the charges engine, each in a child process;
 *   4. the AWS, Azure and standalone credits subgraphs as child processes, then (c) GraphQL load
 *      and (d) SQL statements per request, through each gateway in turn;
 *   5. the ratios the issue targets printed, `--json` written, the run's results kept in
 *      bench/results/<mode>-<db>.json, and docs/BENCHMARKS.md rewritten from this run with the
 *      latest run of the same mode on the other database beside it.
 *
 * Every process this run starts is stopped before it exits, also when a step fails.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signToken } from '../lib/platform/auth/tokens';
import { encodeCreditId } from '../lib/api/global-id';
import { FULL, QUICK } from './config';
import { AS_OF_INSTANT, DatasetManifest, defaultBenchDir, existingDataset, generateDataset } from './dataset';
import { measureEngine } from './engine';
import { BenchIds, measureGraphql } from './graphql-load';
import { loadJsonDataset, measureIngestion } from './ingestion';
import { RunningService, ServiceOptions, startService } from './process';
import { BenchDatabase, BenchResults, computeTargets, machineInfo, printTargets, renderMarkdown } from './report';
import { PostgresBench, startPostgresBench } from './postgres';
import { measureScale, renderScaleSection, SCALE_SIZES, ScaleRun, scaleTargets } from './scale';

const ROOT = path.resolve(__dirname, '..', '..');

/** Authentication of the benchmark's services: fixed development values, never production ones. */
const AUTH: ServiceOptions['auth'] = {
  jwtSecret: 'bench-only-jwt-secret-bench-only-jwt-secret-0123',
  issuer: 'cloud-credits-bench',
  audience: 'cloud-credits-api',
  gatewaySecret: 'bench-only-gateway-secret',
};

function parseArgs(argv: string[]) {
  const args = { quick: false, scale: false, db: 'sqlite' as BenchDatabase, json: null as string | null, dir: null as string | null, fresh: false, render: null as string | null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--scale') args.scale = true;
    else if (a === '--fresh') args.fresh = true;
    else if (a === '--json') args.json = argv[++i] ?? null;
    else if (a === '--dir') args.dir = argv[++i] ?? null;
    else if (a === '--render') args.render = argv[++i] ?? null;
    else if (a === '--db') {
      const db = argv[++i];
      if (db !== 'sqlite' && db !== 'postgres') throw new Error(`--db takes sqlite or postgres, got ${db ?? 'nothing'}`);
      args.db = db;
    } else throw new Error(`unknown option ${a} (use --quick, --scale, --db sqlite|postgres, --json FILE, --dir DIR, --fresh, --render FILE)`);
  }
  if (args.json === null && argv.includes('--json')) throw new Error('--json needs a file name');
  if (args.scale && args.quick) throw new Error('--scale has one size of its own: use it without --quick');
  return args;
}

/** The committed supergraph with each subgraph's URL pointing at the running process. */
export function supergraphWithUrls(urls: Record<string, string>): string {
  const sdl = fs.readFileSync(path.join(ROOT, 'schema', 'supergraph.graphql'), 'utf8');
  return sdl.replace(/@join__graph\(name: "(\w+)", url: "[^"]*"\)/g, (whole, name: string) => {
    if (!urls[name]) throw new Error(`no running service for subgraph ${name}`);
    return `@join__graph(name: "${name}", url: "${urls[name]}")`;
  });
}

const DOC = path.join(ROOT, 'docs', 'BENCHMARKS.md');
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const resultsFile = (mode: string, db: BenchDatabase) => path.join(RESULTS_DIR, `${mode}-${db}.json`);

/** The latest kept run of `mode` on the other database, to show beside this one. */
function otherDatabase(mode: string, db: BenchDatabase): BenchResults | undefined {
  const file = resultsFile(mode, db === 'sqlite' ? 'postgres' : 'sqlite');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResults) : undefined;
}
/** The latest scale run of each database, as a section of the page. */
function scaleSection(): string[] {
  const read = (db: BenchDatabase) => (fs.existsSync(resultsFile('scale', db)) ? (JSON.parse(fs.readFileSync(resultsFile('scale', db), 'utf8')) as ScaleRun) : undefined);
  return renderScaleSection({ sqlite: read('sqlite'), postgres: read('postgres') });
}

/** The latest kept full run (either database): what the page is rendered from when a scale run rewrites it. */
function latestFullRun(): BenchResults | undefined {
  const runs = (['sqlite', 'postgres'] as const).map((db) => resultsFile('full', db)).filter((f) => fs.existsSync(f)).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as BenchResults);
  return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
}
const SPEEDUPS = path.join(ROOT, 'bench', 'speedups.md');
const speedups = () => (fs.existsSync(SPEEDUPS) ? fs.readFileSync(SPEEDUPS, 'utf8') : undefined);

/** `--render FILE`: rewrites docs/BENCHMARKS.md from a run's `--json` results, measuring nothing. */
function render(file: string): void {
  const saved = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8')) as BenchResults;
  const { targets: _old, ...partial } = saved;
  const results: BenchResults = { ...partial, targets: computeTargets(partial) };
  printTargets(results.targets, console.log);
  fs.writeFileSync(DOC, renderMarkdown(results, speedups(), otherDatabase(results.mode, results.database ?? 'sqlite'), scaleSection()));
  console.log(`${DOC} rewritten from ${file} (a ${results.mode} run of ${results.startedAt})`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.render) return render(args.render);
  // On PostgreSQL every process of the run (ingest commands, services) inherits the databases' URLs.
  const postgres = args.db === 'postgres' ? await startPostgresBench(args.scale ? 'scale' : (args.quick ? QUICK : FULL).mode) : null;
  if (postgres) console.log(`provider databases on PostgreSQL: ${postgres.describe()}`);
  try {
    await (args.scale ? runScale(args, postgres) : runSuite(args, postgres));
  } finally {
    await postgres?.drop();
  }
}

/** `--scale`: the scale suite alone (bench/scale.ts), its results kept in bench/results/scale-<db>.json. */
async function runScale(args: ReturnType<typeof parseArgs>, postgres: PostgresBench | null): Promise<void> {
  const started = Date.now();
  const startedAt = new Date().toISOString();
  const root = path.resolve(args.dir ?? defaultBenchDir('scale'));
  console.log(`== scale: ${SCALE_SIZES.map((n) => n.toLocaleString('en-US')).join(' and ')} credits a provider, in ${root}`);
  const scale = await measureScale(root, { auth: AUTH, resetDatabase: () => postgres?.reset() ?? Promise.resolve(), log: (line) => console.log(line) });
  const results: ScaleRun = { database: args.db, startedAt, totalSeconds: (Date.now() - started) / 1000, machine: machineInfo(ROOT), ...scale };
  const targets = scaleTargets(results);
  printTargets(targets, (line) => console.log(line));
  if (args.json) fs.writeFileSync(path.resolve(args.json), `${JSON.stringify({ ...results, targets }, null, 2)}\n`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(resultsFile('scale', args.db), `${JSON.stringify({ ...results, targets }, null, 2)}\n`);
  const full = latestFullRun();
  if (full) fs.writeFileSync(DOC, renderMarkdown(full, speedups(), otherDatabase(full.mode, full.database ?? 'sqlite'), scaleSection()));
  console.log(`bench/results/scale-${args.db}.json written${full ? ', docs/BENCHMARKS.md rewritten' : ''}; the run took ${(results.totalSeconds / 60).toFixed(1)} minutes`);
}

async function runSuite(args: ReturnType<typeof parseArgs>, postgres: PostgresBench | null): Promise<void> {
  const config = args.quick ? QUICK : FULL;
  const started = Date.now();
  const startedAt = new Date().toISOString();
  const loadAtStart = os.loadavg()[0];
  const log = (line: string) => console.log(line);
  const phases: Record<string, number> = {};
  const phase = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    const t0 = Date.now();
    log(`\n== ${name}`);
    const value = await work();
    phases[name] = (Date.now() - t0) / 1000;
    return value;
  };

  const root = path.resolve(args.dir ?? defaultBenchDir(config.mode));
  const datasetDir = path.join(root, 'dataset');
  const dataDir = path.join(root, 'db');
  const scratchDir = path.join(root, 'db-scratch');

  let reused = false;
  const manifest: DatasetManifest = await phase('dataset', () => {
    const existing = args.fresh ? null : existingDataset(config.dataset, datasetDir);
    if (existing) {
      reused = true;
      log(`  reusing ${datasetDir}`);
      return existing;
    }
    log(`  generating into ${datasetDir}`);
    const m = generateDataset(config.dataset, datasetDir);
    log(`  done in ${(m.generatedInMs / 1000).toFixed(1)} s`);
    return m;
  });

  const jsonLoad = await phase('load JSON with npm run ingest', () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    return loadJsonDataset(datasetDir, manifest, dataDir, log);
  });

  const ingestion = await phase('(a) billing-file ingestion', async () => {
    fs.rmSync(scratchDir, { recursive: true, force: true });
    if (fs.existsSync(dataDir)) fs.cpSync(dataDir, scratchDir, { recursive: true });
    else fs.mkdirSync(scratchDir, { recursive: true }); // on PostgreSQL the data folder holds no database
    // The loads go into a copy, so the GraphQL runs below see the JSON dataset alone.
    const restore = postgres ? await postgres.useCopy() : () => Promise.resolve();
    try {
      return await measureIngestion(datasetDir, manifest, scratchDir, log);
    } finally {
      await restore();
      fs.rmSync(scratchDir, { recursive: true, force: true });
    }
  });

  const engine = await phase('(b) charges engine', async () => {
    const e = await measureEngine(config.engine);
    log(`  ${e.charges.toLocaleString('en-US')} charges over ${e.credits.toLocaleString('en-US')} credits: ${(e.applyMs / 1000).toFixed(1)} s, peak RSS ${((e.peakRssBytes ?? 0) / 1e6).toFixed(0)} MB`);
    return e;
  });

  const services: RunningService[] = [];
  const stopAll = () => Promise.all(services.splice(0).map((s) => s.stop()));
  const onSignal = () => {
    stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let graphql;
  try {
    graphql = await phase('(c) GraphQL under load, (d) SQL statements per request', async () => {
      const base: ServiceOptions = { dataDir, now: AS_OF_INSTANT, auth: AUTH };
      const aws = await startService('aws', base);
      services.push(aws);
      const azure = await startService('azure', base);
      services.push(azure);
      const subgraphUrls = { aws: aws.url, azure: azure.url };
      const credits = await startService('credits', { ...base, subgraphUrls });
      services.push(credits);
      const supergraphSdl = supergraphWithUrls({ aws: aws.url, azure: azure.url, credits: credits.url });
      const token = await signToken({ ...AUTH, jwksUrl: null, production: false }, 'bench-finops', {
        aws: { accountIds: manifest.ids.awsPayers },
        azure: { roleAssignments: manifest.ids.azureBillingAccountIds.map((scope) => ({ scope, role: 'billing_account_owner' })) },
      }, '12h');
      const ids: BenchIds = {
        nativePageAccountId: manifest.ids.nativePageAccountId,
        historyCreditId: manifest.ids.historyCreditId,
        historyCreditGlobalId: encodeCreditId({ provider: 'AWS', providerCreditId: manifest.ids.historyCreditId }),
        pausable: manifest.ids.pausableCreditIds.map((creditId) => ({ creditId, globalId: encodeCreditId({ provider: 'AWS', providerCreditId: creditId }) })),
      };
      if (ids.pausable.length < config.load.connections) throw new Error(`the dataset has only ${ids.pausable.length} pausable credits`);
      return measureGraphql({
        aws,
        azure,
        credits,
        serviceOptions: { ...base, subgraphUrls },
        supergraphSdl,
        token,
        gatewaySecret: AUTH.gatewaySecret,
        ids,
        load: config.load,
        log,
      });
    });
  } finally {
    await stopAll();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }

  const partial: Omit<BenchResults, 'targets'> = {
    mode: config.mode,
    database: args.db,
    startedAt,
    totalSeconds: (Date.now() - started) / 1000,
    machine: { ...machineInfo(ROOT), loadAverage: { start: loadAtStart, end: os.loadavg()[0] } },
    config,
    dataset: { dir: datasetDir, reused, generatedInMs: manifest.generatedInMs, counts: manifest.counts, bytes: manifest.bytes },
    jsonLoad,
    ingestion,
    engine,
    graphql,
    phaseSeconds: phases,
  };
  const results: BenchResults = { ...partial, targets: computeTargets(partial) };
  printTargets(results.targets, log);
  if (args.json) {
    fs.writeFileSync(path.resolve(args.json), `${JSON.stringify(results, null, 2)}\n`);
    log(`\nresults written to ${path.resolve(args.json)}`);
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(resultsFile(results.mode, args.db), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(DOC, renderMarkdown(results, speedups(), otherDatabase(results.mode, args.db), scaleSection()));
  log(`${path.relative(process.cwd(), DOC) || DOC} rewritten; the run took ${(results.totalSeconds / 60).toFixed(1)} minutes`);
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});

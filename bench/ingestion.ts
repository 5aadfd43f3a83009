/**
 * (a) Ingestion of the billing files: throughput (rows/s) and peak RSS of the 1,000,000-row AWS
 * Programmatic Billing CSV and MCA cost details CSV. Each run is a child process of its own, so
 * its peak RSS is its own: for now the parsers (`parseAwsBillingCsv`, `parseCostDetailsCsv`), and
 * the same way the full ingest command (`node dist/scripts/ingest.js <file>` with DATA_DIR), which
 * is measured as soon as it accepts the CSV files (until then its refusal is recorded).
 *
 * Also measured here: loading the JSON files of the dataset with `npm run ingest` (the benchmark's
 * own setup), in the calls the manifest lists.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetManifest } from './dataset';
import { runMeasured } from './process';

const DIST = path.resolve(__dirname, '..');
const INGEST_SCRIPT = path.join(DIST, 'scripts', 'ingest.js');

export interface FileMeasurement {
  what: string;
  file: string;
  bytes: number;
  rows: number;
  /** Whether the command accepted the file; false = not measured (see `note`). */
  ok: boolean;
  /** Time to process the file: the parse inside the child (parsers), the whole process (command). */
  ms: number;
  wallMs: number;
  rowsPerSecond: number | null;
  peakRssBytes: number | null;
  charges?: number;
  note?: string;
}

async function measureParser(kind: 'aws' | 'azure', file: string, rows: number): Promise<FileMeasurement> {
  const run = await runMeasured<{ ok: boolean; parseMs: number; rows?: number; charges?: number; problems?: unknown[] }>(path.join(__dirname, 'parse-child.js'), [kind, file]);
  const r = run.result;
  const ok = run.exitCode === 0 && r?.ok === true;
  return {
    what: kind === 'aws' ? 'parseAwsBillingCsv (AWS Programmatic Billing CSV)' : 'parseCostDetailsCsv (Azure MCA cost details CSV)',
    file: path.basename(file),
    bytes: fs.statSync(file).size,
    rows: r?.rows ?? rows,
    ok,
    ms: r?.parseMs ?? run.wallMs,
    wallMs: run.wallMs,
    rowsPerSecond: ok && r ? (r.rows ?? rows) / (r.parseMs / 1000) : null,
    peakRssBytes: run.peakRssBytes,
    charges: r?.charges,
    note: ok ? undefined : `refused: ${JSON.stringify(r?.problems ?? run.stderrTail).slice(0, 300)}`,
  };
}

/** Runs the real ingest command on `paths`; `dataDir` is its DATA_DIR. */
export async function runIngestCommand(paths: string[], dataDir: string) {
  return runMeasured(INGEST_SCRIPT, paths, { env: { DATA_DIR: dataDir } });
}

async function measureIngestCommand(file: string, rows: number, dataDir: string, label: string): Promise<FileMeasurement> {
  const run = await runIngestCommand([file], dataDir);
  const ok = run.exitCode === 0;
  const firstProblem = (run.stderrTail.split('\n').find((l) => l.trim().startsWith('/')) ?? run.stderrTail.split('\n')[0] ?? '').trim();
  return {
    what: `npm run ingest (${label})`,
    file: path.basename(file),
    bytes: fs.statSync(file).size,
    rows,
    ok,
    ms: run.wallMs,
    wallMs: run.wallMs,
    rowsPerSecond: ok ? rows / (run.wallMs / 1000) : null,
    peakRssBytes: run.peakRssBytes,
    note: ok ? undefined : `not measured: the command refused the file (exit ${run.exitCode}, "${(/\.csv(?::\d+:\d+)?: (.*)$/.exec(firstProblem)?.[1] ?? firstProblem).slice(0, 120)}")`,
  };
}

export interface IngestionMeasurement {
  files: FileMeasurement[];
}

/**
 * `scratchDataDir` is a copy of the loaded databases the ingest command may write into (the
 * services' own databases stay as loaded).
 */
export async function measureIngestion(datasetDir: string, manifest: DatasetManifest, scratchDataDir: string, log: (line: string) => void): Promise<IngestionMeasurement> {
  const aws = path.join(datasetDir, manifest.files.awsBillingCsv);
  const azure = path.join(datasetDir, manifest.files.costDetailsCsv);
  const files: FileMeasurement[] = [];
  for (const m of [
    () => measureParser('aws', aws, manifest.counts.awsBillingCsvRows),
    () => measureParser('azure', azure, manifest.counts.costDetailsRows),
    () => measureIngestCommand(aws, manifest.counts.awsBillingCsvRows, scratchDataDir, 'AWS billing CSV'),
    () => measureIngestCommand(azure, manifest.counts.costDetailsRows, scratchDataDir, 'Azure cost details CSV'),
  ]) {
    const result = await m();
    log(`  ${result.what}: ${result.ok ? `${Math.round(result.rowsPerSecond!).toLocaleString('en-US')} rows/s, peak RSS ${((result.peakRssBytes ?? 0) / 1e6).toFixed(0)} MB` : result.note}`);
    files.push(result);
  }
  return { files };
}

export interface JsonLoadMeasurement {
  calls: number;
  rows: number;
  wallMs: number;
  rowsPerSecond: number;
  /** The highest peak RSS of one ingest call. */
  peakRssBytes: number | null;
}

/** Loads the dataset's JSON files into `dataDir` with the ingest command, call by call. */
export async function loadJsonDataset(datasetDir: string, manifest: DatasetManifest, dataDir: string, log: (line: string) => void): Promise<JsonLoadMeasurement> {
  let wallMs = 0;
  let peak: number | null = null;
  for (const [i, call] of manifest.ingestCalls.entries()) {
    const run = await runIngestCommand(call.map((p) => path.join(datasetDir, p)), dataDir);
    if (run.exitCode !== 0) throw new Error(`npm run ingest ${call.join(' ')} failed (exit ${run.exitCode}):\n${run.stderrTail}`);
    wallMs += run.wallMs;
    if (run.peakRssBytes !== null) peak = Math.max(peak ?? 0, run.peakRssBytes);
    if (i === 0 || (i + 1) % 5 === 0 || i === manifest.ingestCalls.length - 1) log(`  ingest call ${i + 1}/${manifest.ingestCalls.length} done (${(wallMs / 1000).toFixed(1)} s so far)`);
  }
  const c = manifest.counts;
  const rows = c.awsAccounts + c.awsCredits + c.awsHistoryRows + c.azureBillingAccounts + c.azureProfiles + c.azureInvoiceSections + c.azureLots + c.azureEvents + manifest.config.awsOrganizations;
  return { calls: manifest.ingestCalls.length, rows, wallMs, rowsPerSecond: rows / (wallMs / 1000), peakRssBytes: peak };
}

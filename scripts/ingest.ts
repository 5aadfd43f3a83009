/**
 * `npm run ingest -- <file or folder>...`: loads provider files into the subgraphs' databases under
 * DATA_DIR: AWS GetCredits, credit allocation history, cost categories, Organizations
 * ListAccounts and Programmatic Billing CSVs; Azure billing accounts, lots pages, events and MCA
 * cost details CSVs. The format is recognised from the content. Billing files are applied to the
 * credits (balances, history, events are recomputed). Any problem in any file: every problem is
 * listed, nothing is written, exit code 1. On a terminal a progress bar shows the files being read;
 * the summary at the end says what was loaded and applied.
 */
import 'reflect-metadata';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../lib/platform/config';
import { formatProblem, ingestFiles, IngestProgress } from '../lib/store/ingest';
import { PROVIDER_INGESTS } from './providers-ingest';
import { runScript } from '../lib/platform/cli';

/** A progress bar over the bytes of every file read, drawn only on a terminal. */
function progressBar(): { onProgress?: (p: IngestProgress) => void; stop(): void } {
  if (!process.stderr.isTTY) return { stop: () => undefined };
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'reading {file} [{bar}] {percentage}% | {value}/{total} MB',
    hideCursor: true,
    clearOnComplete: true,
  });
  let current: string | null = null;
  return {
    onProgress(p) {
      const mb = (bytes: number) => Math.round(bytes / 104857.6) / 10;
      if (p.file !== current) {
        if (current !== null) bar.stop();
        current = p.file;
        bar.start(mb(p.totalBytes), 0, { file: path.basename(p.file) });
      }
      bar.update(mb(p.bytesRead));
    },
    stop: () => bar.stop(),
  };
}

async function main(): Promise<number> {
  const paths = process.argv.slice(2);
  if (paths.length === 0) {
    console.error('usage: npm run ingest -- <file or folder>...');
    return 2;
  }
  const { dataDir } = loadConfig();
  const started = process.hrtime.bigint();
  const bar = progressBar();
  const result = await ingestFiles(paths, dataDir, PROVIDER_INGESTS, { onProgress: bar.onProgress }).finally(() => bar.stop());
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!result.ok) {
    console.error(`Nothing was loaded: ${result.problems.length} problem(s) found.`);
    for (const problem of result.problems) console.error(`  ${formatProblem(problem)}`);
    return 1;
  }
  let rows = 0;
  let periods = 0;
  for (const file of result.loaded) {
    if (file.rows !== undefined) {
      rows += file.rows;
      periods += file.periods ?? 0;
      console.log(`loaded ${file.file} (${file.format}, ${file.rows} rows, ${file.periods} month(s), ${file.entries} charges)`);
    } else console.log(`loaded ${file.file} (${file.format}, ${file.entries} entries)`);
  }
  for (const { provider, summary } of result.recomputed) {
    const applied = Object.entries(summary.applied).map(([currency, amount]) => `${amount} ${currency}`).join(', ') || 'nothing';
    console.log(
      `${provider}: applied ${summary.periods} billing month(s) of ${summary.groups} billing group(s) to ${summary.credits} credit(s): ` +
        `${summary.chargesCovered} of ${summary.charges} charges paid by credits, ${applied} in all`,
    );
  }
  const perSecond = rows > 0 && seconds > 0 ? `, ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s` : '';
  console.log(`${result.loaded.length} file(s) loaded into ${dataDir}: ${rows} billing rows, ${periods} billing month(s), ${seconds.toFixed(1)} s${perSecond}`);
  return 0;
}

runScript(main);

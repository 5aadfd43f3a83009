/**
 * `npm run ingest -- <file or folder>...`: loads provider files (AWS GetCredits, credit allocation
 * history, cost categories, Organizations ListAccounts; Azure billing accounts, lots pages,
 * events) into the subgraphs' databases under DATA_DIR. The format is recognised from the content.
 * Any problem in any file: every problem is listed, nothing is written, exit code 1.
 */
import 'reflect-metadata';
import { loadConfig } from '../lib/config';
import { formatProblem, ingestFiles } from '../lib/ingest';
import { PROVIDER_INGESTS } from './providers-ingest';
import { runScript } from '../lib/cli';

async function main(): Promise<number> {
  const paths = process.argv.slice(2);
  if (paths.length === 0) {
    console.error('usage: npm run ingest -- <file or folder>...');
    return 2;
  }
  const { dataDir } = loadConfig();
  const result = await ingestFiles(paths, dataDir, PROVIDER_INGESTS);
  if (!result.ok) {
    console.error(`Nothing was loaded: ${result.problems.length} problem(s) found.`);
    for (const problem of result.problems) console.error(`  ${formatProblem(problem)}`);
    return 1;
  }
  for (const file of result.loaded) console.log(`loaded ${file.file} (${file.format}, ${file.entries} entries)`);
  console.log(`${result.loaded.length} file(s) loaded into ${dataDir}`);
  return 0;
}

runScript(main);

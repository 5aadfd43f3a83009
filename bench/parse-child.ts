/**
 * Child process of the ingestion benchmark: `node dist/bench/parse-child.js aws|azure <file>`
 * runs one billing-file parser over the file and reports rows, charges and parse time (the
 * parent reads the process's peak RSS from the kernel).
 */
import { parseAwsBillingCsv } from '../subgraphs/aws/charges/billing-csv';
import { parseCostDetailsCsv } from '../subgraphs/azure/charges/cost-details-csv';
import { reportResult } from './process';

async function main(): Promise<void> {
  const [kind, file] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const parsed = kind === 'aws' ? await parseAwsBillingCsv(file) : await parseCostDetailsCsv(file);
  const parseMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (!parsed.ok) {
    reportResult({ ok: false, parseMs, problems: parsed.problems.slice(0, 5) });
    process.exit(1);
  }
  reportResult({ ok: true, parseMs, rows: parsed.summary.rows, periods: parsed.summary.periods, charges: parsed.summary.charges, totals: parsed.summary.totals });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

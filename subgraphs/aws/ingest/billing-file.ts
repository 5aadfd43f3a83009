/**
 * Format: the AWS Programmatic Billing Access CSV (`<payer>-aws-billing-csv-YYYY-MM.csv`), one
 * payer's month. Loading it stores the month's charges (replacing an earlier load of the same
 * month: AWS overwrites the file during the month, then writes the final one) and the payer's
 * organization is recomputed (subgraphs/aws/charges/book.ts).
 */
import type { BillingFileFormat } from '../../../lib/store/ingest';
import { AWS_BILLING_COLUMNS, parseAwsBillingCsv } from '../charges/billing-csv';

const HEADER = AWS_BILLING_COLUMNS.map((c) => `"${c}"`).join(',');

export const awsBillingCsvFormat: BillingFileFormat = {
  name: 'AWS Programmatic Billing CSV',
  provider: 'AWS',
  // The file's first column names are enough to tell it; the parser checks the whole header.
  detectHeader: (header) => header.startsWith(HEADER.slice(0, 28)) || header.startsWith(AWS_BILLING_COLUMNS.slice(0, 2).join(',')),
  async parse(file, onBytes) {
    const parsed = await parseAwsBillingCsv(file, { onBytes });
    return parsed.ok ? { ok: true, periods: parsed.periods, rows: parsed.summary.rows } : parsed;
  },
};

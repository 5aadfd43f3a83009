/**
 * Streaming CSV reading for the providers' billing files, on csv-parse's streaming API: a file
 * of any size is read record by record in bounded memory. Each record comes with the 1-based line
 * it starts on and, on request, which fields were quoted; syntax errors become IngestProblems
 * (line, column = 1-based field number) and reading goes on with the next record, so a file's
 * every problem is listed at once.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse';
import type { CsvError } from 'csv-parse';
import type { IngestProblem } from './ingest';

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
  /** 1-based field numbers that were not quoted (only with `trackQuoting`). */
  unquoted?: number[];
}

export interface CsvReadOptions {
  /** Report which fields were not quoted (costs a little per field). */
  trackQuoting?: boolean;
  /** Receives each syntax problem; reading continues with the next record. */
  onProblem: (problem: IngestProblem) => void;
  /** Receives the number of bytes read so far, as the file is read (for a progress bar). */
  onBytes?: (bytesRead: number) => void;
}

/** Reads `file` record by record (the header is record 1). A byte order mark is dropped. */
export async function* readCsv(file: string, options: CsvReadOptions): AsyncGenerator<CsvRecord> {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // csv-parse's per-field `cast` context would say which fields were quoted, but costs ten times
    // the parse; the record's raw text is scanned instead.
    raw: options.trackQuoting === true,
    // Runs as each record completes (the stream may parse ahead of the consumer), so the record
    // carries its own line and quoting.
    on_record: (parsed: string[] | { record: string[]; raw: string }, context: { lines: number }) => {
      const fields = Array.isArray(parsed) ? parsed : parsed.record;
      let inner = 0;
      for (const f of fields) if (f.includes('\n')) inner += f.split('\n').length - 1;
      const record: CsvRecord = { line: context.lines - inner, fields };
      if (!Array.isArray(parsed)) record.unquoted = unquotedFields(parsed.raw);
      return record as never;
    },
  });
  parser.on('skip', (error: CsvError) => {
    const e = error as CsvError & { lines?: number; column?: number | string };
    options.onProblem({
      file,
      line: typeof e.lines === 'number' ? e.lines : undefined,
      column: typeof e.column === 'number' ? e.column + 1 : undefined,
      reason: `CSV syntax: ${e.message.replace(/ at line \d+/, '')}`,
    });
  });
  const input = fs.createReadStream(file);
  input.on('error', (error) => parser.destroy(error));
  if (options.onBytes) {
    const report = options.onBytes;
    input.on('data', () => report(input.bytesRead));
  }
  input.pipe(parser);
  for await (const record of parser as AsyncIterable<CsvRecord>) yield record;
}

/** 1-based numbers of the fields of one raw CSV record (comma-separated, '"' quotes) that are not quoted. */
export function unquotedFields(raw: string): number[] {
  const out: number[] = [];
  let end = raw.length;
  while (end > 0 && (raw[end - 1] === '\n' || raw[end - 1] === '\r')) end--;
  let i = 0;
  while (i < end && (raw[i] === '\n' || raw[i] === '\r')) i++; // skipped empty lines stay in raw
  let field = 1;
  for (;;) {
    if (raw[i] === '"') {
      i++;
      for (;;) {
        const q = raw.indexOf('"', i);
        if (q < 0 || q >= end) return out; // unterminated: csv-parse reports it
        if (raw[q + 1] === '"') i = q + 2;
        else {
          i = q + 1;
          break;
        }
      }
    } else out.push(field);
    const comma = raw.indexOf(',', i);
    if (comma < 0 || comma >= end) return out;
    i = comma + 1;
    field++;
  }
}

/** Collects problems up to a cap, then counts the rest into one final "and N more" problem. */
export class ProblemList {
  readonly problems: IngestProblem[] = [];
  private dropped = 0;

  constructor(
    readonly file: string,
    readonly cap = 1000,
  ) {}

  add(problem: Omit<IngestProblem, 'file'> & { file?: string }): void {
    if (this.problems.length < this.cap) this.problems.push({ file: this.file, ...problem });
    else this.dropped++;
  }

  get count(): number {
    return this.problems.length + this.dropped;
  }

  /** The problems, with a last entry saying how many more were not listed. */
  list(): IngestProblem[] {
    return this.dropped === 0 ? this.problems : [...this.problems, { file: this.file, reason: `and ${this.dropped} more problems` }];
  }
}

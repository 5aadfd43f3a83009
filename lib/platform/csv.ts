/**
 * Streaming CSV reading for the providers' billing files: a file of any size is read piece by
 * piece in bounded memory and tokenized by lib/platform/csv-tokenizer.ts. Each record comes with the
 * 1-based line it starts on and, on request, which fields were not quoted; syntax errors become
 * IngestProblems (line, column = 1-based field number) and reading goes on with the next line, so
 * a file's every problem is listed at once.
 */
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import type { IngestProblem } from './file-problems';
import { CsvRecord, CsvTokenizer, detach } from './csv-tokenizer';

export type { CsvRecord } from './csv-tokenizer';
export { detach } from './csv-tokenizer';

export interface CsvReadOptions {
  /** Report which fields were not quoted. */
  trackQuoting?: boolean;
  /**
   * Called with the header (record 1): which fields later records need (true = read it); the
   * others are given as ''. Without it every field is read.
   */
  columns?: (header: string[]) => readonly boolean[] | null;
  /** Receives each syntax problem; reading continues with the next line. */
  onProblem: (problem: IngestProblem) => void;
  /** Receives the number of bytes read so far, as the file is read (for a progress bar). */
  onBytes?: (bytesRead: number) => void;
}

/**
 * How many bytes of `bytes` end on a whole UTF-8 character: a character cut off by the end of a
 * read is left for the next one (its lead byte and fewer continuation bytes than it announces).
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const length = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + length > end ? i : end;
  }
  return end;
}

/** How much of the file is read at a time. */
const READ_BYTES = 1024 * 1024;
/**
 * How much text the tokenizer is given at a time, in whole lines: a string this small is made in
 * V8's young generation, which frees it at once when it is done with; a larger one is made in the
 * old generation, and a megabyte of it for each read made the 750 MB cost details file cost
 * a dozen full collections (about a second).
 */
const PIECE_BYTES = 64 * 1024;
const LF = 0x0a;

/**
 * Reads `file` record by record (the header is record 1), calling `onRecord` for each; it may
 * return false to stop reading. A byte order mark is dropped. The text is UTF-8.
 */
export async function readCsv(file: string, options: CsvReadOptions, onRecord: (record: CsvRecord) => boolean | void): Promise<void> {
  const tokenizer = new CsvTokenizer({
    trackQuoting: options.trackQuoting,
    columns: options.columns,
    onRecord,
    onError: (e) => options.onProblem({ file, line: e.line, column: e.column, reason: `CSV syntax: ${e.reason}` }),
  });
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true }); // the tokenizer drops a BOM at the file's start only
  const handle = await fs.promises.open(file, 'r');
  try {
    // Room for a read after the end of a line that did not fit in the last one.
    const buffer = Buffer.allocUnsafe(2 * READ_BYTES);
    let pending = 0; // bytes after the last line break of the previous read, moved to the buffer's start
    let bytesRead = 0;
    for (;;) {
      const { bytesRead: got } = await handle.read(buffer, pending, READ_BYTES, bytesRead);
      if (got === 0) break;
      bytesRead += got;
      const filled = pending + got;
      // The tokenizer is given whole lines: a record cut by the read would otherwise be joined to
      // the next piece as a concatenated string, which V8 searches several times slower than flat
      // text. A line break never falls inside a UTF-8 character, so the cut is a whole one too.
      // A line longer than the room left is given as it is (the tokenizer carries it over).
      let whole = buffer.lastIndexOf(LF, filled - 1) + 1;
      if (whole === 0 || filled - whole > READ_BYTES) whole = completeUtf8Length(buffer.subarray(0, filled));
      for (let from = 0; from < whole && !tokenizer.stopped; ) {
        let to = whole;
        // A record left unfinished by the last piece gets the rest of the read at once: the
        // tokenizer reads a carried record again from its start with each piece.
        if (from + PIECE_BYTES < whole && !tokenizer.carrying) {
          const lineEnd = buffer.lastIndexOf(LF, from + PIECE_BYTES - 1);
          to = lineEnd >= from ? lineEnd + 1 : buffer.subarray(0, whole).indexOf(LF, from + PIECE_BYTES) + 1 || whole;
        }
        const bytes = buffer.subarray(from, to);
        // Billing files are mostly ASCII: such a piece is read as one-byte text, several times faster than decoding UTF-8.
        tokenizer.feed(isAscii(bytes) ? bytes.toString('latin1') : decoder.decode(bytes));
        from = to;
      }
      pending = filled - whole;
      buffer.copyWithin(0, whole, filled);
      options.onBytes?.(bytesRead);
      if (tokenizer.stopped) return;
    }
    if (pending > 0) tokenizer.feed(decoder.decode(buffer.subarray(0, pending)));
    tokenizer.end();
  } finally {
    await handle.close();
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

/**
 * A memo of a pure function of two texts that keeps only the last pair: a file that repeats one
 * pair row after row (a billing period's start and end) works it out once, and comparing two
 * short texts with the last ones costs less than looking them up.
 */
export function lastPairMemo<T>(fn: (a: string, b: string) => T): (a: string, b: string) => T {
  let lastA: string | null = null;
  let lastB: string | null = null;
  let last: T;
  return (a, b) => {
    if (a !== lastA || b !== lastB) {
      last = fn(a, b);
      lastA = detach(a);
      lastB = detach(b);
    }
    return last;
  };
}

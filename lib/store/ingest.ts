/**
 * Loading the providers' own files. Each provider subgraph declares its formats: JSON documents
 * (`IngestFormat`) and streamed billing files (`BillingFileFormat`, CSV). This module finds the
 * files, recognises each format from its content, validates every file completely and only then
 * writes, one transaction per provider database; after writing, the provider recomputes its
 * credits from the billing periods it holds. A file with any problem is rejected whole with
 * every problem listed, and nothing is written.
 */
import fs from 'node:fs';
import path from 'node:path';
import Decimal from 'decimal.js';
import { isLosslessNumber, parse as parseLossless } from 'lossless-json';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { LoadedFilePeriods, LoadedPeriod, RecomputeSummary } from './ledger';
import type { EngineCharge } from '../domain/charges/types';
import { lockForLoad, retryWhenBusy, tuneLoadTransaction } from '../platform/database';
import { canonicalDecimal, compareDecimal, decimalProblem } from '../domain/money';
import type { ProviderName } from '../domain/provider-contract';
import { controlCharacterProblem, currencyCodeProblem, quoteText } from '../platform/text-checks';

export { formatProblem, type IngestProblem } from '../platform/file-problems';
import type { IngestProblem } from '../platform/file-problems';

/**
 * What one load changed in a provider database, so that only the billing groups it touched are
 * recomputed: groups (a billing file's, an events file's profiles), credits whose snapshot or
 * controls changed, or everything (files that change who belongs where: accounts, categories,
 * history that moves what a snapshot covers).
 */
export class IngestTouches {
  everything = false;
  /** When the load happens (the ingest's clock): a change a file makes holds from the first open month at that time. */
  constructor(readonly loadedAt: string) {}

  readonly groups = new Set<string>();
  readonly credits = new Set<string>();
  /**
   * The charges this load stored per (group, month) (key `group\u0001month`), as stored and in the
   * order stored: recomputing in the same transaction takes them from here instead of reading
   * back what was just written.
   */
  readonly storedCharges = new Map<string, EngineCharge[]>();

  all(): void {
    this.everything = true;
  }
}

/** A format a provider can load, e.g. the AWS GetCredits response. */
export interface IngestFormat<T = unknown> {
  /** Human name, e.g. "AWS GetCredits response". */
  name: string;
  provider: ProviderName;
  /** Load order among a provider's formats: parents (accounts) before children (credits, history). */
  order: number;
  /** Whether a parsed JSON document is in this format (by its shape, not the file name). */
  detect(document: unknown): boolean;
  /**
   * Checks the whole document, reporting every problem through `reader`s; returns what to load.
   * Each keyed entry (a credit by its id, an account, a lot...) is given to `entries`, which
   * refuses two files of one load giving different versions of it.
   */
  validate(document: unknown, file: string, problems: IngestProblem[], entries?: LoadEntries): T;
  /**
   * Writes the validated content, recording in `touched` what the charges may depend on. Must be
   * idempotent: loading the same file twice changes nothing.
   */
  load(content: T, manager: EntityManager, touched: IngestTouches): Promise<number>;
}

/** The outcome of reading a billing file: its periods, or every problem. */
export type BillingFileParse = { ok: true; periods: LoadedPeriod[]; rows: number } | { ok: false; problems: IngestProblem[] };

/**
 * What every provider's billing-file parser (AWS parseAwsBillingCsv, Azure parseCostDetailsCsv)
 * gives: the file's periods with a summary of the file in the provider's terms, or every problem.
 */
export type BillingCsvParse<Summary extends { rows: number }> = { ok: true; periods: LoadedPeriod[]; summary: Summary } | { ok: false; problems: IngestProblem[] };

/** What every billing-file parser takes: how many problems to collect at most, and a callback of the bytes read so far. */
export interface BillingCsvOptions {
  maxProblems?: number;
  onBytes?: (bytesRead: number) => void;
}

/** A streamed billing file format, e.g. the AWS Programmatic Billing CSV. */
export interface BillingFileFormat {
  name: string;
  provider: ProviderName;
  /** Whether the file's first line (its header) is this format's. */
  detectHeader(header: string): boolean;
  /** Reads the whole file (streamed), reporting the bytes read so far. Never throws for bad content. */
  parse(file: string, onBytes: (bytesRead: number) => void): Promise<BillingFileParse>;
}

/** What one provider brings to ingestion: its formats and how to open its database. */
export interface ProviderIngest {
  provider: ProviderName;
  formats: IngestFormat<any>[];
  billingFormats?: BillingFileFormat[];
  openDatabase(dataDir: string): Promise<DataSource>;
  /**
   * Stores the periods of this load's billing files (lib/store/ledger.ts storeLoadedPeriods),
   * resolving their ids against what the database holds and recording their groups in `touched`;
   * returns the problems that make a file unloadable (an unknown billing profile), storing nothing then.
   */
  storePeriods?(manager: EntityManager, files: LoadedFilePeriods[], touched: IngestTouches): Promise<IngestProblem[]>;
  /** Recomputes the billing groups this load touched (null: nothing to compute). */
  recompute?(manager: EntityManager, touched: IngestTouches): Promise<RecomputeSummary | null>;
}

export interface LoadedFile {
  file: string;
  format: string;
  entries: number;
  /** Billing files: data rows read and months loaded. */
  rows?: number;
  periods?: number;
}

/** A validated file, ready to write. */
type Plan =
  | { kind: 'document'; file: string; format: IngestFormat<any>; content: unknown }
  | { kind: 'billing'; file: string; format: BillingFileFormat; periods: LoadedPeriod[]; rows: number };

export interface ProviderRecompute {
  provider: ProviderName;
  summary: RecomputeSummary;
}

export type IngestResult = { ok: true; loaded: LoadedFile[]; recomputed: ProviderRecompute[] } | { ok: false; problems: IngestProblem[] };

/** Progress of reading one file, for a progress bar. */
export interface IngestProgress {
  file: string;
  bytesRead: number;
  totalBytes: number;
}

export interface IngestOptions {
  /** Called as files are read (billing files report as they stream, documents once read). */
  onProgress?: (progress: IngestProgress) => void;
  /** The clock loads are stamped with. */
  clock?: () => Date;
}

/** Names of files a folder is searched for: provider documents (JSON) and billing files (CSV). */
const LOADABLE_EXTENSIONS = ['.json', '.csv'];

/**
 * What a path is when it is neither a folder nor a regular file, or null. Such a path is never
 * opened: opening a named pipe waits for a writer (forever), and reading a device or a socket
 * has no end or effects of its own.
 */
export function notRegularFile(stat: fs.Stats): string | null {
  if (stat.isFile() || stat.isDirectory()) return null;
  if (stat.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (stat.isSocket()) return 'is a socket, not a regular file';
  if (stat.isCharacterDevice()) return 'is a character device, not a regular file';
  if (stat.isBlockDevice()) return 'is a block device, not a regular file';
  return 'is not a regular file';
}

/** Why a path could not be looked at (fs.stat failed), in words. */
function unreadablePath(p: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'symbolic link loop: following its links never reaches a file';
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    let link = false;
    try {
      link = fs.lstatSync(p).isSymbolicLink();
    } catch {
      // the path itself does not exist
    }
    return link ? 'is a symbolic link to nothing (its target does not exist)' : 'no such file or folder';
  }
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot be read: ${(error as Error).message}`;
}

/**
 * Every file below the given paths that could hold a provider document or billing file, sorted.
 * Each path is looked at (stat) before anything is opened: a named pipe, socket or device, given
 * or inside a folder, is a problem and never opened, and so is a symbolic link loop (links that
 * lead to each other, or a folder linked inside itself).
 */
export function expandPaths(paths: string[]): { files: string[]; problems: IngestProblem[] } {
  const files: string[] = [];
  const problems: IngestProblem[] = [];
  // The folders being read (device and inode), to tell a link back to one of them.
  const open = new Set<string>();
  const visit = (p: string, explicit: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (error) {
      problems.push({ file: p, reason: unreadablePath(p, error) });
      return;
    }
    if (stat.isDirectory()) {
      const folder = `${stat.dev}:${stat.ino}`;
      if (open.has(folder)) {
        problems.push({ file: p, reason: 'symbolic link loop: it leads back to a folder it is inside of' });
        return;
      }
      let names: string[];
      try {
        names = fs.readdirSync(p).sort();
      } catch (error) {
        problems.push({ file: p, reason: unreadablePath(p, error) });
        return;
      }
      open.add(folder);
      for (const name of names) visit(path.join(p, name), false);
      open.delete(folder);
      return;
    }
    const kind = notRegularFile(stat);
    if (kind) problems.push({ file: p, reason: kind });
    else if (explicit || LOADABLE_EXTENSIONS.some((ext) => p.toLowerCase().endsWith(ext))) files.push(p);
  };
  for (const p of paths) visit(p, true);
  return { files, problems };
}

/** Line and column (1-based) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** Parses JSON keeping every number's exact text (as a LosslessNumber). */
export function parseJsonExactly(file: string, text: string, problems: IngestProblem[]): unknown {
  try {
    return parseLossless(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const at = position ? lineAndColumn(text, Number(position[1])) : {};
    problems.push({ file, ...at, reason: `not valid JSON: ${message.replace(/ at position \d+/, '')}` });
    return undefined;
  }
}

/** The first line of a file (at most 64 KiB of it), without a byte order mark; '' for an empty file. */
export function firstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(65536);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, read).toString('utf8').replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n/);
    return end < 0 ? text : text.slice(0, end);
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether a file is a billing file (CSV) rather than a JSON document: by its name, else by its first character. */
function looksLikeCsv(file: string, header: string): boolean {
  if (file.toLowerCase().endsWith('.csv')) return true;
  if (file.toLowerCase().endsWith('.json')) return false;
  return !/^\s*[[{]/.test(header);
}

/** Reads and validates one file into a plan, or adds its problems. */
async function planFile(file: string, providers: ProviderIngest[], problems: IngestProblem[], entries: LoadEntries, options: IngestOptions): Promise<Plan | null> {
  // Looked at again just before it is opened: it may have been replaced since the folder was read.
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    problems.push({ file, reason: unreadablePath(file, error) });
    return null;
  }
  const kind = notRegularFile(stat) ?? (stat.isDirectory() ? 'is a folder, not a file' : null);
  if (kind) {
    problems.push({ file, reason: kind });
    return null;
  }
  const totalBytes = stat.size;
  const report = (bytesRead: number) => options.onProgress?.({ file, bytesRead, totalBytes });
  const header = firstLine(file);
  if (looksLikeCsv(file, header)) {
    const billingFormats = providers.flatMap((p) => p.billingFormats ?? []);
    const format = billingFormats.find((f) => f.detectHeader(header));
    if (!format) {
      problems.push({
        file,
        line: 1,
        column: 1,
        reason: `not a recognised billing file: its header is neither of ${billingFormats.map((f) => f.name).join(' nor ')}`,
      });
      return null;
    }
    const parsed = await format.parse(file, report);
    report(totalBytes);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      return null;
    }
    return { kind: 'billing', file, format, periods: parsed.periods, rows: parsed.rows };
  }
  const fileProblems: IngestProblem[] = [];
  const text = fs.readFileSync(file, 'utf8');
  report(totalBytes);
  const document = parseJsonExactly(file, text, fileProblems);
  let plan: Plan | null = null;
  if (fileProblems.length === 0) {
    const formats = providers.flatMap((p) => p.formats);
    const format = formats.find((f) => f.detect(document));
    if (!format) {
      fileProblems.push({
        file,
        reason: `not a recognised provider format (expected one of: ${formats.map((f) => f.name).join('; ')})`,
      });
    } else {
      entries.file = file;
      const content = format.validate(document, file, fileProblems, entries);
      plan = { kind: 'document', file, format, content };
    }
  }
  problems.push(...fileProblems);
  return fileProblems.length === 0 ? plan : null;
}

export async function ingestFiles(paths: string[], dataDir: string, providers: ProviderIngest[], options: IngestOptions = {}): Promise<IngestResult> {
  const { files, problems } = expandPaths(paths);
  const plans: Plan[] = [];
  const entries = new LoadEntries();
  for (const file of files) {
    const plan = await planFile(file, providers, problems, entries, options);
    if (plan) plans.push(plan);
  }
  problems.push(...entries.conflicts());
  if (problems.length > 0) return { ok: false, problems };

  const loadedAt = (options.clock ?? (() => new Date()))().toISOString();
  return retryWhenBusy(() => writePlans(plans, dataDir, providers, loadedAt));
}

/** Thrown inside the write transactions when a file does not fit the database: rolls every write back. */
class RejectedOnWrite extends Error {
  constructor(readonly problems: IngestProblem[]) {
    super('a file does not fit what the database holds');
  }
}

/**
 * Writes every provider's files in its own transaction, and commits only when every provider's
 * writes succeeded: a failure anywhere (a lock lost to a running subgraph, a full disk) rolls back
 * all of them.
 */
async function writePlans(plans: Plan[], dataDir: string, providers: ProviderIngest[], loadedAt: string): Promise<IngestResult> {
  const loaded: LoadedFile[] = [];
  const recomputed: ProviderRecompute[] = [];
  const open: { dataSource: DataSource; runner: QueryRunner }[] = [];
  try {
    for (const provider of providers) {
      const mine = plans.filter((p) => p.format.provider === provider.provider);
      if (mine.length === 0) continue;
      const dataSource = await provider.openDatabase(dataDir);
      const runner = dataSource.createQueryRunner();
      open.push({ dataSource, runner });
      await runner.startTransaction();
      // One load at a time per provider database, also across processes on PostgreSQL (lib/platform/database.ts).
      await lockForLoad(runner.manager);
      await tuneLoadTransaction(runner.manager);
      // Documents first, parents (accounts, profiles) before children; then billing files, whose ids resolve against them.
      const documents = mine.flatMap((p) => (p.kind === 'document' ? [p] : [])).sort((a, b) => a.format.order - b.format.order);
      const touched = new IngestTouches(loadedAt);
      for (const plan of documents) {
        const entries = await plan.format.load(plan.content, runner.manager, touched);
        loaded.push({ file: plan.file, format: plan.format.name, entries });
      }
      const billing = mine.flatMap((p) => (p.kind === 'billing' ? [p] : []));
      if (billing.length > 0) {
        if (!provider.storePeriods) throw new Error(`${provider.provider} declares a billing format but cannot store periods`);
        const rejected = await provider.storePeriods(runner.manager, billing.map((p) => ({ file: p.file, periods: p.periods })), touched);
        if (rejected.length > 0) throw new RejectedOnWrite(rejected);
        for (const plan of billing) {
          const charges = plan.periods.reduce((n, p) => n + p.charges.length, 0);
          loaded.push({ file: plan.file, format: plan.format.name, entries: charges, rows: plan.rows, periods: plan.periods.length });
        }
      }
      const summary = provider.recompute ? await provider.recompute(runner.manager, touched) : null;
      if (summary) recomputed.push({ provider: provider.provider, summary });
    }
    for (const { runner } of open) await runner.commitTransaction();
  } catch (error) {
    for (const { runner } of open) if (runner.isTransactionActive) await runner.rollbackTransaction();
    if (error instanceof RejectedOnWrite) return { ok: false, problems: error.problems };
    throw error;
  } finally {
    for (const { dataSource, runner } of open) {
      await runner.release();
      await dataSource.destroy();
    }
  }
  return { ok: true, loaded, recomputed };
}

/** Where a keyed entry was met first (the entry `list[index]`, or `list` itself when index is -1), and what it held. */
interface SeenEntry {
  file: string;
  list: string;
  index: number;
  content: unknown;
}

/** The path of an entry in its document: `credits[3]` given as `['credits', 3]`, or the whole path. */
export type EntryAt = string | readonly [list: string, index: number];

const entryName = (seen: SeenEntry) => (seen.index < 0 ? seen.list : `${seen.list}[${seen.index}]`);

interface EntryConflict {
  kind: string;
  shown: string;
  first: SeenEntry;
  second: SeenEntry;
  nested: readonly string[];
}

/**
 * The keyed entries every file of one load gives (a credit by its id, an account, a lot...), so
 * that two files giving different versions of one entry are refused: which version would be
 * stored would depend on the order the files are read in. The same content twice is fine (a
 * load is idempotent); repeats inside one file are the format's to report. Only what the rows
 * already hold is kept per entry; the fields that differ are worked out, from the files, only
 * for the entries that do conflict.
 */
export class LoadEntries {
  /** The file being validated (set by the framework before each document). */
  file = '';
  private readonly seen = new Map<string, Map<string, SeenEntry>>();
  private readonly found: EntryConflict[] = [];

  /**
   * Records the entry `at` (its path in the document, e.g. `['credits', 3]`) of the current file:
   * `kind` ("AWS credit") and `key` (its natural id, case-folded where the provider's ids are
   * case-insensitive) name it, `content` is what would be stored (compared as JSON), `shown` is
   * how a problem names it, and `nested` are paths inside the entry that hold entries of their own
   * (not compared as part of this one).
   */
  add(kind: string, key: string, at: EntryAt, content: unknown, options: { shown?: string; nested?: readonly string[] } = {}): void {
    let ofKind = this.seen.get(kind);
    if (!ofKind) this.seen.set(kind, (ofKind = new Map()));
    const [list, index] = typeof at === 'string' ? [at, -1] : at;
    const before = ofKind.get(key);
    if (!before) {
      ofKind.set(key, { file: this.file, list, index, content });
      return;
    }
    if (before.file === this.file || JSON.stringify(before.content) === JSON.stringify(content)) return;
    this.found.push({ kind, shown: options.shown ?? key, first: before, second: { file: this.file, list, index, content }, nested: options.nested ?? [] });
  }

  /** A problem for each entry two files give differently, naming both files and the fields that differ. */
  conflicts(): IngestProblem[] {
    // Each file is read again (once) for the entries it gives differently: the documents were not kept.
    const documents = new Map<string, unknown>();
    const rawEntry = (seen: SeenEntry): unknown => {
      if (!documents.has(seen.file)) {
        let document: unknown;
        try {
          document = parseJsonExactly(seen.file, fs.readFileSync(seen.file, 'utf8'), []);
        } catch {
          document = undefined; // changed or gone since: the problem is listed without the fields
        }
        documents.set(seen.file, document);
      }
      return valueAt(documents.get(seen.file), entryName(seen));
    };
    return this.found.map(({ kind, shown, first, second, nested }) => {
      const differing = differences(rawEntry(second), rawEntry(first), '', nested);
      const listed = differing.slice(0, 5);
      const detail = listed.map((d) => `${d.path || 'the entry'} is ${describeValue(d.here)} here, ${describeValue(d.there)} there`);
      if (differing.length > listed.length) detail.push(`and ${differing.length - listed.length} more fields`);
      const [firstEntry, secondEntry] = [entryName(first), entryName(second)];
      return {
        file: second.file,
        ...(secondEntry ? { entry: secondEntry } : {}),
        ...(listed.length > 0 && listed.every((d) => d.path) ? { field: listed.map((d) => d.path).join(', ') } : {}),
        reason:
          `${kind} ${shown} differs from the one in ${first.file}${firstEntry ? ` ${firstEntry}` : ''}` +
          `${detail.length > 0 ? ` (${detail.join('; ')})` : ''}: the files of one load must agree on an entry (the same content twice is fine)`,
      };
    });
  }
}

/** The value at an entry path (`value[0].properties.billingProfiles.value[1]`; '' is the document). */
function valueAt(document: unknown, entry: string): unknown {
  let value = document;
  for (const [, name, index] of entry.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[name ?? Number(index)];
  }
  return value;
}

interface Difference {
  path: string;
  here: unknown;
  there: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isLosslessNumber(v);
}

/** The paths where two parsed JSON values differ (lists of different lengths as a whole), `skip` paths aside. */
function differences(here: unknown, there: unknown, at: string, skip: readonly string[]): Difference[] {
  if (skip.includes(at)) return [];
  if (isPlainObject(here) && isPlainObject(there)) {
    const keys = [...new Set([...Object.keys(here), ...Object.keys(there)])];
    return keys.flatMap((k) => differences(here[k], there[k], at ? `${at}.${k}` : k, skip));
  }
  if (Array.isArray(here) && Array.isArray(there) && here.length === there.length) {
    return here.flatMap((item, i) => differences(item, there[i], `${at}[${i}]`, skip));
  }
  const text = (v: unknown) => (isLosslessNumber(v) ? `n${v.value}` : v === undefined ? 'u' : JSON.stringify(v));
  return text(here) === text(there) ? [] : [{ path: at, here, there }];
}

/** A parsed JSON value for a problem's message. */
function describeValue(v: unknown): string {
  if (v === undefined) return 'absent';
  if (typeof v === 'string') return quoteText(v);
  if (isLosslessNumber(v)) return v.value;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return describe(v);
}

/**
 * Reads fields of one JSON entry, recording a problem (with file, entry and field path) for each
 * missing or malformed value instead of stopping at the first. Getters return null on a problem.
 */
export class EntryReader {
  constructor(
    private readonly value: unknown,
    private readonly file: string,
    /** The entry's path in its document (`value[3]`), as problems name it. */
    readonly entry: string,
    private readonly problems: IngestProblem[],
    private readonly prefix = '',
  ) {}

  /** How many problems the file has so far: an entry read without adding any is clean. */
  get problemCount(): number {
    return this.problems.length;
  }

  get isObject(): boolean {
    return typeof this.value === 'object' && this.value !== null && !Array.isArray(this.value);
  }

  problem(field: string, reason: string): void {
    this.problems.push({ file: this.file, entry: this.entry, field: this.prefix + field, reason });
  }

  raw(field: string): unknown {
    return this.isObject ? (this.value as Record<string, unknown>)[field] : undefined;
  }

  has(field: string): boolean {
    const v = this.raw(field);
    return v !== undefined && v !== null;
  }

  /** A nested object, read with the same problem list; null (with a problem if required) when absent. */
  object(field: string, required = true): EntryReader | null {
    const v = this.raw(field);
    if (v === undefined || v === null) {
      if (required) this.problem(field, 'is required');
      return null;
    }
    if (typeof v !== 'object' || Array.isArray(v)) {
      this.problem(field, 'must be an object');
      return null;
    }
    return new EntryReader(v, this.file, this.entry, this.problems, `${this.prefix}${field}.`);
  }

  string(field: string, required = true): string | null {
    const v = this.raw(field);
    if (v === undefined || v === null) {
      if (required) this.problem(field, 'is required');
      return null;
    }
    if (typeof v !== 'string') {
      this.problem(field, `must be a string, got ${describe(v)}`);
      return null;
    }
    const control = controlCharacterProblem(v);
    if (control) {
      this.problem(field, control);
      return null;
    }
    return v;
  }

  /** A currency code, shaped as ISO 4217 codes are (three capital letters A-Z). */
  currency(field: string, required = true): string | null {
    const text = this.string(field, required);
    if (text === null) return null;
    const problem = currencyCodeProblem(text);
    if (problem) {
      this.problem(field, problem);
      return null;
    }
    return text;
  }

  boolean(field: string, required = true): boolean | null {
    const v = this.raw(field);
    if (v === undefined || v === null) {
      if (required) this.problem(field, 'is required');
      return null;
    }
    if (typeof v !== 'boolean') {
      this.problem(field, `must be true or false, got ${describe(v)}`);
      return null;
    }
    return v;
  }

  /** A whole number written as a JSON number. */
  integer(field: string, required = true): number | null {
    const v = this.raw(field);
    if (v === undefined || v === null) {
      if (required) this.problem(field, 'is required');
      return null;
    }
    const text = isLosslessNumber(v) ? v.value : typeof v === 'number' ? String(v) : null;
    if (text === null || !/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      this.problem(field, `must be a whole number, got ${describe(v)}`);
      return null;
    }
    return Number(text);
  }

  /** An exact decimal, from a JSON string (AWS) or a JSON number kept exact (Azure). */
  decimal(field: string, required = true, accept: 'string' | 'number' = 'string'): string | null {
    const v = this.raw(field);
    if (v === undefined || v === null) {
      if (required) this.problem(field, 'is required');
      return null;
    }
    const text = accept === 'string' ? (typeof v === 'string' ? v : null) : isLosslessNumber(v) ? v.value : null;
    if (text === null) {
      this.problem(field, `must be a decimal ${accept === 'string' ? 'string such as "12.50"' : 'number'}, got ${describe(v)}`);
      return null;
    }
    const problem = decimalProblem(text);
    if (problem) {
      this.problem(field, problem);
      return null;
    }
    return canonicalDecimal(text);
  }

  /**
   * Epoch seconds (AWS) as an ISO date-time: whole seconds, or with a fraction as AWS's JSON
   * protocol writes timestamps (kept to the millisecond, the rest cut off).
   */
  epochSeconds(field: string, required = true): string | null {
    const v = this.raw(field);
    if (v === undefined || v === null) {
      if (required) this.problem(field, 'is required');
      return null;
    }
    const text = isLosslessNumber(v) ? v.value : typeof v === 'number' ? String(v) : null;
    // AWS writes them as 1767225600, 1767225600.123 or 1.767225600123E9: read exactly (decimal.js), to the millisecond.
    const ms = text !== null && /^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text) ? new Decimal(text).times(1000).floor() : null;
    const date = ms !== null && ms.lte(MAX_DATE_MS) ? new Date(ms.toNumber()) : null;
    if (date === null || Number.isNaN(date.getTime())) {
      this.problem(field, `must be a date in epoch seconds (e.g. 1767225600, 1767225600.123 or 1.767225600123E9), got ${describe(v)}`);
      return null;
    }
    return date.toISOString();
  }

  /** An ISO-8601 date or date-time string, normalised to UTC ISO. */
  isoDate(field: string, required = true): string | null {
    const text = this.string(field, required);
    if (text === null) return null;
    const date = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : new Date(NaN);
    if (Number.isNaN(date.getTime())) {
      this.problem(field, `is not an ISO-8601 date: "${text}"`);
      return null;
    }
    return date.toISOString();
  }

  stringList(field: string, required = false): string[] | null {
    const v = this.raw(field);
    if (v === undefined || v === null) {
      if (required) this.problem(field, 'is required');
      return required ? null : [];
    }
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      this.problem(field, 'must be a list of strings');
      return null;
    }
    let ok = true;
    v.forEach((text: string, i) => {
      const control = controlCharacterProblem(text);
      if (control) {
        this.problem(`${field}[${i}]`, control);
        ok = false;
      }
    });
    return ok ? (v as string[]) : null;
  }

  /** A list of entries, each read by `read`; null (with a problem) when absent or not a list. */
  list<T>(field: string, read: (item: EntryReader, index: number) => T, entryName = field): T[] | null {
    const v = this.raw(field);
    if (!Array.isArray(v)) {
      this.problem(field, v === undefined ? 'is required' : 'must be a list');
      return null;
    }
    return v.map((item, index) => {
      const reader = new EntryReader(item, this.file, `${entryName}[${index}]`, this.problems);
      if (!reader.isObject) reader.problem('', 'must be an object');
      return read(reader, index);
    });
  }
}

/** A value read from a field, with the field it was read from: what the checks across fields compare. */
export interface ReadValue<T> {
  field: string;
  value: T | null;
}

/**
 * Reports each currency that differs from the one all of an entry's amounts must be in: `stated`
 * (a currency the entry states, e.g. Azure's creditCurrency) when given, else the first amount's.
 * Missing values (null) are not compared. Returns whether they all agree.
 */
export function checkSameCurrency(reader: EntryReader, currencies: ReadValue<string>[], stated?: ReadValue<string>, what = 'the amounts of one credit are in one currency'): boolean {
  const reference = stated?.value != null ? stated : currencies.find((c) => c.value !== null);
  let same = true;
  for (const c of currencies) {
    if (!reference || c === reference || c.value === null || c.value === reference.value) continue;
    reader.problem(c.field, `is ${quoteText(c.value)} but ${reference.field} is ${quoteText(reference.value!)} (${what})`);
    same = false;
  }
  return same;
}

/** Reports `amount` above `limit` (exact decimals), e.g. a remaining balance above the original amount. */
export function checkNotAbove(reader: EntryReader, amount: ReadValue<string>, limit: ReadValue<string>, why: string): void {
  if (amount.value === null || limit.value === null) return;
  if (compareDecimal(amount.value, limit.value) > 0) {
    reader.problem(amount.field, `is ${amount.value}, above ${limit.field} (${limit.value}): ${why}`);
  }
}

/** Reports an end before its start (both ISO-8601 UTC as the readers return them); an end equal to the start is allowed. */
export function checkNotBefore(reader: EntryReader, end: ReadValue<string>, start: ReadValue<string>): void {
  if (end.value === null || start.value === null) return;
  if (end.value < start.value) reader.problem(end.field, `is ${end.value}, before ${start.field} (${start.value}): a range cannot end before it starts`);
}

/** The last millisecond of the year 9999: no date the providers write lies beyond it. */
const MAX_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function describe(v: unknown): string {
  if (isLosslessNumber(v)) return `the number ${v.value}`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'an object';
  return JSON.stringify(v);
}

/** True when `document` is an object carrying a list under `field`. */
export function hasList(document: unknown, field: string): boolean {
  return typeof document === 'object' && document !== null && Array.isArray((document as Record<string, unknown>)[field]);
}

/** What is wrong with an input file, and where: the one form every reader of files (CSV, JSON, billing files) reports in. */

/** One thing wrong with an input file: where (file, entry, field or line/column) and why. */
export interface IngestProblem {
  file: string;
  entry?: string;
  field?: string;
  line?: number;
  column?: number;
  reason: string;
}

export function formatProblem(p: IngestProblem): string {
  const where = [p.file + (p.line !== undefined ? `:${p.line}:${p.column ?? 1}` : '')];
  if (p.entry) where.push(p.entry);
  if (p.field) where.push(p.field);
  return `${where.join(' ')}: ${p.reason}`;
}

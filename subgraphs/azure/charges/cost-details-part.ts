/**
 * Worker thread script: reads one part of a cost details file (lib/csv-parts.ts) with a
 * CostDetailsReader and posts what it found back to parseCostDetailsCsv.
 */
import { ProblemList } from '../../../lib/csv';
import { readThisPart } from '../../../lib/csv-parts';
import { CostDetailsReader } from './cost-details-csv';

readThisPart((file) => {
  const reader = new CostDetailsReader(new ProblemList(file));
  return { columns: reader.columns, record: reader.record, onProblem: (p) => reader.problems.add(p), part: () => reader.part() };
});

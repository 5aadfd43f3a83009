/**
 * Child process of the engine benchmark: `node --expose-gc dist/bench/engine-child.js <credits>
 * <charges> <groups> <months>`. Builds the inputs, then times `applyCharges` alone and reports
 * the RSS before it and the process's peak (the parent reads the peak from the kernel too).
 */
import { applyCharges } from '../lib/domain/charges';
import { engineInput } from './engine-input';
import { reportResult } from './process';

const [credits, charges, groups, months] = process.argv.slice(2).map(Number);
const buildStarted = process.hrtime.bigint();
const input = engineInput({ credits, charges, groups, months });
const buildMs = Number(process.hrtime.bigint() - buildStarted) / 1e6;
global.gc?.();
const rssBeforeApply = process.memoryUsage().rss;
const started = process.hrtime.bigint();
const result = applyCharges(input.credits, input.periods);
const applyMs = Number(process.hrtime.bigint() - started) / 1e6;
const rssAfterApply = process.memoryUsage().rss;
reportResult({
  credits: input.credits.length,
  charges: input.periods.reduce((n, p) => n + p.charges.length, 0),
  periods: input.periods.length,
  buildMs,
  applyMs,
  rssBeforeApply,
  rssAfterApply,
  applications: result.applications.length,
  exhaustedCredits: result.credits.filter((c) => /^0(\.0*)?$/.test(c.remaining)).length,
});

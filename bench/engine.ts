/** (b) The charges engine: `applyCharges` over N charges and M credits, in a child process of its own. */
import path from 'node:path';
import type { EngineConfig } from './config';
import { runMeasured } from './process';

export interface EngineMeasurement {
  credits: number;
  charges: number;
  periods: number;
  /** Building the inputs (not part of the engine). */
  buildMs: number;
  /** `applyCharges` alone. */
  applyMs: number;
  chargesPerSecond: number;
  rssBeforeApplyBytes: number;
  rssAfterApplyBytes: number;
  /** Peak RSS of the whole child process (inputs included). */
  peakRssBytes: number | null;
  applications: number;
  exhaustedCredits: number;
}

export async function measureEngine(config: EngineConfig): Promise<EngineMeasurement> {
  const run = await runMeasured<Omit<EngineMeasurement, 'chargesPerSecond' | 'peakRssBytes' | 'rssBeforeApplyBytes' | 'rssAfterApplyBytes'> & { rssBeforeApply: number; rssAfterApply: number }>(
    path.join(__dirname, 'engine-child.js'),
    [config.credits, config.charges, config.groups, config.months].map(String),
    { nodeArgs: ['--expose-gc', '--max-old-space-size=8192'] },
  );
  if (run.exitCode !== 0 || !run.result) throw new Error(`engine benchmark failed (exit ${run.exitCode}):\n${run.stderrTail}`);
  const { rssBeforeApply, rssAfterApply, ...r } = run.result;
  return {
    ...r,
    chargesPerSecond: r.charges / (r.applyMs / 1000),
    rssBeforeApplyBytes: rssBeforeApply,
    rssAfterApplyBytes: rssAfterApply,
    peakRssBytes: run.peakRssBytes,
  };
}

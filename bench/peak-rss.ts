/**
 * Preloaded into a measured child process (`node --require dist/bench/peak-rss.js script.js`):
 * when the process exits, writes its peak resident set size (bytes, from the kernel's maxRSS) to
 * the file BENCH_PEAK_RSS_FILE names. It works for any Node script, so the ingest command is
 * measured as it is, without a line of benchmark code in it.
 */
import fs from 'node:fs';

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) {
  // Children of the measured process measure nothing.
  delete process.env.BENCH_PEAK_RSS_FILE;
  process.on('exit', () => {
    try {
      fs.writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
    } catch {
      // nothing to report to: the parent then has no peak RSS for this run
    }
  });
}

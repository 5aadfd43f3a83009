#!/usr/bin/env node
/**
 * Runs a compiled script of dist/ (`node scripts/fresh.cjs scripts/token.js <args>`), compiling the
 * TypeScript first only when a source file changed since the last build (its own or `npm run
 * build`'s), and never with NODE_ENV=production, which runs what was built: an up-to-date checkout
 * starts at once instead of spending seconds in `tsc` finding nothing to do. The compiler's own
 * output goes to stderr, so the script's stdout stays its own (`$(npm run -s token -- <persona>)`
 * is the token and nothing else).
 *
 * Plain JavaScript on purpose: it is what runs before anything is compiled.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
/** Written after each build this launcher runs: the build is fresh while no source is newer. */
const STAMP = path.join(DIST, '.fresh-build');
const SOURCE_DIRS = ['lib', 'subgraphs', 'gateway', 'scripts', 'test', 'bench', 'routers'];
const SOURCE_FILES = ['tsconfig.json', 'package.json'];

function newestSourceTime() {
  let newest = 0;
  const visit = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) visit(path.join(ROOT, dir));
  for (const file of SOURCE_FILES) newest = Math.max(newest, fs.existsSync(path.join(ROOT, file)) ? fs.statSync(path.join(ROOT, file)).mtimeMs : 0);
  return newest;
}

/** The last build: this launcher's stamp, or the compiler's own build info (`npm run build`). */
function lastBuildTime() {
  const times = [STAMP, path.join(DIST, '.tsbuildinfo')].filter((f) => fs.existsSync(f)).map((f) => fs.statSync(f).mtimeMs);
  return times.length ? Math.max(...times) : -Infinity;
}

function isFresh() {
  return lastBuildTime() >= newestSourceTime();
}

function build() {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  // The stamp's time is taken before compiling: a source saved during the build makes the next run build again.
  const started = new Date();
  const result = spawnSync(process.execPath, [tsc, '-p', ROOT], { stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    console.error('TypeScript did not compile; fix the errors above and run again.');
    process.exit(result.status ?? 1);
  }
  fs.mkdirSync(DIST, { recursive: true });
  fs.writeFileSync(STAMP, '');
  fs.utimesSync(STAMP, started, started);
}

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/fresh.cjs <script under dist/, e.g. scripts/token.js> [args...]');
  process.exit(2);
}
const target = path.join(DIST, script);
if (process.env.NODE_ENV === 'production') {
  // Production runs what was built (npm run build), never compiles at start: the compiler may not
  // even be installed (npm prune --omit=dev), and dist/ may be read-only.
  if (!fs.existsSync(target)) {
    console.error(`${path.relative(ROOT, target)} is not built: run \`npm run build\` before starting in production.`);
    process.exit(1);
  }
} else if (!isFresh()) {
  build();
}
// The script reads its arguments from process.argv as if it had been started itself.
process.argv = [process.argv[0], target, ...args];
require(target);

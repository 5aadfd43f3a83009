/**
 * `npm run -s token -- <persona>` as the README documents it, for `$(...)`: it prints the token and
 * nothing else, and it does not compile when nothing changed since the last build.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { REPO_ROOT } from '../support/stack';

const FRESH = path.join(REPO_ROOT, 'scripts', 'fresh.cjs');
const STAMP = path.join(REPO_ROOT, 'dist', '.fresh-build');

describe('npm run -s token', function () {
  this.timeout(120_000);

  it('prints only the token of the persona on stdout', () => {
    const out = execFileSync('npm', ['run', '-s', 'token', '--', 'aws-linked-engineer'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: '' } });
    expect(out).to.match(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(decodeJwt(out.trim())).to.include({ sub: 'aws-linked-engineer' });
  });

  it('compiles only when a source is newer than the last build, and never onto stdout', () => {
    // npm test has just compiled: mark the build fresh, then a run must not start the compiler.
    fs.writeFileSync(STAMP, '');
    const fresh = spawnSync(process.execPath, [FRESH, 'scripts/token.js', 'finops-both-clouds'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: '', NODE_DEBUG: 'child_process' } });
    expect(fresh.status, fresh.stderr).to.equal(0);
    expect(fresh.stderr, 'no compiler run').to.not.match(/typescript[\\/]bin[\\/]tsc/);
    // Both stamps (this launcher's and the compiler's build info) older than every source: the next
    // run compiles first (its output on stderr), then prints the token alone.
    const past = new Date(Date.UTC(2000, 0, 1));
    fs.utimesSync(STAMP, past, past);
    fs.utimesSync(path.join(REPO_ROOT, 'dist', '.tsbuildinfo'), past, past);
    const stale = spawnSync(process.execPath, [FRESH, 'scripts/token.js', 'finops-both-clouds'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: '', NODE_DEBUG: 'child_process' } });
    expect(stale.status, stale.stderr).to.equal(0);
    expect(stale.stderr, 'the compiler ran').to.match(/typescript[\\/]bin[\\/]tsc/);
    expect(stale.stdout).to.match(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(fs.statSync(STAMP).mtimeMs).to.be.above(past.getTime());
  });

  it('never compiles in production: it runs what was built, or says to build', () => {
    const past = new Date(Date.UTC(2000, 0, 1));
    fs.utimesSync(STAMP, past, past);
    const info = path.join(REPO_ROOT, 'dist', '.tsbuildinfo');
    const infoTime = fs.statSync(info).mtime;
    fs.utimesSync(info, past, past);
    try {
      // Stale by every stamp, but production: no compiler run, and the script runs as built (token refuses there).
      const production = spawnSync(process.execPath, [FRESH, 'scripts/token.js', 'finops-both-clouds'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production', NODE_DEBUG: 'child_process' } });
      expect(production.stderr, 'no compiler run').to.not.match(/typescript[\\/]bin[\\/]tsc/);
      expect(production.stderr).to.match(/refused in production/);
      const missing = spawnSync(process.execPath, [FRESH, 'scripts/not-built.js'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
      expect(missing.status).to.equal(1);
      expect(missing.stderr).to.match(/dist\/scripts\/not-built\.js is not built: run `npm run build` before starting in production/);
    } finally {
      fs.utimesSync(info, infoTime, infoTime);
      fs.writeFileSync(STAMP, '');
    }
  });
});

/**
 * The supervisor (lib/platform/supervisor.ts): the backoff as plain functions, then real child processes
 * (tiny scripts in a temporary folder) that crash, are killed, or misbehave while stopping.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Backoff, BackoffPolicy, DEFAULT_BACKOFF, describeExit, duration, restartDelay, Supervisor } from '../../lib/platform/supervisor';
import { tempDir } from '../support/stack';

describe('supervisor backoff', () => {
  it('waits 1 s after a first crash, doubling up to 30 s', () => {
    const delays = Array.from({ length: 8 }, (_, i) => restartDelay(DEFAULT_BACKOFF, i + 1));
    expect(delays).to.deep.equal([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(restartDelay(DEFAULT_BACKOFF, 10_000)).to.equal(30_000);
    expect(() => restartDelay(DEFAULT_BACKOFF, 0)).to.throw(RangeError, /from 1/);
  });

  it('counts crashes in a row, and starts over once a child stayed up long enough', () => {
    const backoff = new Backoff(DEFAULT_BACKOFF);
    expect(backoff.crashed(200)).to.deep.equal({ crashesInARow: 1, delayMs: 1_000 });
    expect(backoff.crashed(5_000)).to.deep.equal({ crashesInARow: 2, delayMs: 2_000 });
    expect(backoff.crashed(59_999)).to.deep.equal({ crashesInARow: 3, delayMs: 4_000 });
    // Up a minute: it had recovered, so this crash is a first one again.
    expect(backoff.crashed(60_000)).to.deep.equal({ crashesInARow: 1, delayMs: 1_000 });
    expect(backoff.crashed(10)).to.deep.equal({ crashesInARow: 2, delayMs: 2_000 });
  });

  it('says how a child ended and for how long, in words', () => {
    expect(describeExit(1, null)).to.equal('exited with code 1');
    expect(describeExit(null, 'SIGKILL')).to.equal('killed by SIGKILL');
    expect([duration(40), duration(1_000), duration(12_345)]).to.deep.equal(['40 ms', '1 s', '12.3 s']);
  });
});

describe('supervisor with real child processes', function () {
  this.timeout(20_000);
  const FAST: BackoffPolicy = { initialDelayMs: 50, maxDelayMs: 200, stableAfterMs: 60_000 };
  let dir: string;
  let lines: string[];
  let supervisor: Supervisor;

  /** Writes a child script; `body` runs in it. */
  const script = (name: string, body: string) => {
    const file = path.join(dir, `${name}.js`);
    fs.writeFileSync(file, body);
    return file;
  };
  /** A child that runs until SIGTERM (then does `onTerm`), and writes its pid to <script>.ready once it listens for it. */
  const serves = (onTerm = 'process.exit(0)') =>
    `setInterval(() => {}, 1000); process.on('SIGTERM', () => { ${onTerm}; }); require('fs').writeFileSync(__filename + '.ready', String(process.pid));`;
  const listening = (file: string, pid: number | undefined) =>
    until(`${path.basename(file)} to listen for signals`, () => fs.existsSync(`${file}.ready`) && fs.readFileSync(`${file}.ready`, 'utf8') === String(pid));
  const until = async (what: string, condition: () => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; log:\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const alive = (pid: number | undefined) => {
    try {
      process.kill(pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  const started = (name: string) => lines.filter((l) => l.startsWith(`[supervisor] started ${name} `)).length;

  beforeEach(() => {
    dir = tempDir('supervisor-test');
    lines = [];
  });
  afterEach(async () => {
    await supervisor?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('restarts a service that keeps crashing, each delay doubling up to the cap, and logs what died and why', async () => {
    supervisor = new Supervisor({ backoff: FAST, log: (l) => lines.push(l) });
    const service = await supervisor.start({ name: 'crasher', script: script('crash', 'setTimeout(() => process.exit(3), 30);') });
    await until('four restarts', () => started('crasher') >= 5);
    const deaths = lines.filter((l) => l.includes('exited with code 3'));
    expect(deaths.slice(0, 4).map((l) => l.replace(/pid \d+/, 'pid N').replace(/after \d+ ms/, 'after T'))).to.deep.equal([
      '[supervisor] crasher (pid N) exited with code 3 after T; restart #1 in 50 ms',
      '[supervisor] crasher (pid N) exited with code 3 after T; restart #2 in 100 ms (crash 2 in a row)',
      '[supervisor] crasher (pid N) exited with code 3 after T; restart #3 in 200 ms (crash 3 in a row)',
      '[supervisor] crasher (pid N) exited with code 3 after T; restart #4 in 200 ms (crash 4 in a row)',
    ]);
    expect(lines.some((l) => /^\[supervisor\] started crasher \(pid \d+\), restart #2$/.test(l)), 'the restart logs its new pid').to.equal(true);
    expect(service.restarts).to.be.at.least(4);
  });

  it('restarts only the service that was killed, while the other keeps running', async () => {
    supervisor = new Supervisor({ backoff: FAST, log: (l) => lines.push(l) });
    const [aScript, bScript] = [script('a', serves()), script('b', serves())];
    const a = await supervisor.start({ name: 'a', script: aScript });
    const b = await supervisor.start({ name: 'b', script: bScript });
    const [aPid, bPid] = [a.pid!, b.pid!];
    process.kill(aPid, 'SIGKILL');
    await until('a restarted', () => a.pid !== undefined && a.pid !== aPid && alive(a.pid));
    await listening(aScript, a.pid);
    expect(lines.find((l) => l.startsWith(`[supervisor] a (pid ${aPid})`))).to.match(new RegExp(`^\\[supervisor\\] a \\(pid ${aPid}\\) killed by SIGKILL after \\d+ (ms|s); restart #1 in 50 ms$`));
    expect(a.restarts).to.equal(1);
    expect(b.pid).to.equal(bPid);
    expect(b.restarts).to.equal(0);
    expect(alive(bPid)).to.equal(true);

    await supervisor.stop();
    expect([alive(a.pid), alive(bPid)]).to.deep.equal([false, false]);
  });

  it('does not restart a service that crashes while stopping, and stops a child ignoring SIGTERM with SIGKILL', async () => {
    supervisor = new Supervisor({ backoff: FAST, log: (l) => lines.push(l), stopGraceMs: 300 });
    const [badScript, stubbornScript] = [script('bad', serves('process.exit(7)')), script('stubborn', serves('/* ignored */'))];
    const bad = await supervisor.start({ name: 'bad-stop', script: badScript });
    const stubborn = await supervisor.start({ name: 'stubborn', script: stubbornScript });
    await listening(badScript, bad.pid);
    await listening(stubbornScript, stubborn.pid);
    const pids = [bad.pid, stubborn.pid];
    await supervisor.stop();
    await new Promise((r) => setTimeout(r, 300));
    expect(pids.map(alive)).to.deep.equal([false, false]);
    expect(lines.join('\n')).to.match(/bad-stop \(pid \d+\) exited with code 7 after .* while stopping; not restarted/);
    expect(lines.join('\n')).to.match(/stubborn \(pid \d+\) did not stop within 300 ms of SIGTERM; sending SIGKILL/);
    expect(lines.join('\n')).to.match(/stubborn \(pid \d+\) killed by SIGKILL after .* while stopping; not restarted/);
    expect([started('bad-stop'), started('stubborn')]).to.deep.equal([1, 1]);
    expect(lines.some((l) => l.includes('restart #'))).to.equal(false);
  });

  it('cancels a restart that was waiting when stop is called', async () => {
    supervisor = new Supervisor({ backoff: { ...FAST, initialDelayMs: 500, maxDelayMs: 1_000 }, log: (l) => lines.push(l) });
    await supervisor.start({ name: 'once', script: script('once', 'setTimeout(() => process.exit(1), 30);') });
    await until('the crash', () => lines.some((l) => l.includes('restart #1 in 500 ms')));
    await supervisor.stop();
    await new Promise((r) => setTimeout(r, 700));
    expect(started('once')).to.equal(1);
  });

  it('gives up on a service whose first start fails before it is ready, without restarting it', async () => {
    supervisor = new Supervisor({ backoff: FAST, log: (l) => lines.push(l) });
    const failure = await supervisor
      .start({ name: 'broken', script: script('broken', 'process.exit(2);'), waitForReady: true })
      .then(() => 'started', (e: Error) => e.message);
    expect(failure).to.match(/^broken \(pid \d+\) exited with code 2 before it was ready$/);
    await new Promise((r) => setTimeout(r, 200));
    expect(started('broken')).to.equal(1);
    expect(lines.some((l) => l.includes('restart #'))).to.equal(false);
  });

  it('counts a service as up only when its own child says so, not when something else answers on its port', async () => {
    // A process already serving the port the child wants: the child fails to listen and exits.
    const squatter = http.createServer((_req, res) => res.end('{"status":"ok"}'));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as AddressInfo).port;
    try {
      supervisor = new Supervisor({ backoff: FAST, log: (l) => lines.push(l) });
      const listens = `require('node:http').createServer(() => {}).listen(${port}, '127.0.0.1', () => process.send({ type: 'ready' })).on('error', () => process.exit(1));`;
      const failure = await supervisor.start({ name: 'squatted', script: script('squatted', listens), waitForReady: true }).then(() => 'started', (e: Error) => e.message);
      expect(failure).to.match(/^squatted \(pid \d+\) exited with code 1 before it was ready$/);
      expect(started('squatted')).to.equal(1);
    } finally {
      squatter.close();
    }
    // The same child on a free port says it is ready: started, and supervised from then on.
    const free = `require('node:http').createServer(() => {}).listen(0, '127.0.0.1', () => process.send({ type: 'ready' }));`;
    const service = await supervisor.start({ name: 'free', script: script('free', free), waitForReady: true });
    expect(service).to.not.equal(undefined);
    expect(started('free')).to.equal(1);
  });
});

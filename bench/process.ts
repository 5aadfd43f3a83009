/**
 * Child processes of a benchmark run: measured scripts (wall time and peak RSS of the process
 * alone) and long-running services (a subgraph or a gateway in its own process, so its RSS is
 * its own), with /proc sampling of their memory under load.
 */
import { ChildProcess, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GATEWAY_NODE_ARGS } from '../gateway/heap';

const PRELOAD = path.join(__dirname, 'peak-rss.js');
const RESULT_PREFIX = 'BENCH_RESULT ';

export interface ChildRun<T = unknown> {
  exitCode: number | null;
  wallMs: number;
  /** Peak RSS of the child process itself (kernel maxRSS), bytes; null when it could not say. */
  peakRssBytes: number | null;
  /** What the child printed as `BENCH_RESULT {json}`, if anything. */
  result: T | null;
  stdoutTail: string;
  stderrTail: string;
}

/** Prints the result line a measured child hands back to the parent. */
export function reportResult(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

function tail(text: string, max = 4000): string {
  return text.length > max ? text.slice(-max) : text;
}

/** Runs `node <script> <args>` with the peak-RSS preload; resolves when it exits. */
export function runMeasured<T = unknown>(script: string, args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Promise<ChildRun<T>> {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rss-')), 'peak');
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--require', PRELOAD, script, ...args], {
    env: { ...process.env, ...options.env, BENCH_PEAK_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let result: T | null = null;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout = tail(stdout + chunk, 1 << 20);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = tail(stderr + chunk, 1 << 16);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      for (const line of stdout.split('\n')) if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
      let peakRssBytes: number | null = null;
      try {
        peakRssBytes = Number(fs.readFileSync(rssFile, 'utf8'));
      } catch {
        // the child died before its exit handler ran
      }
      fs.rmSync(path.dirname(rssFile), { recursive: true, force: true });
      resolve({ exitCode: code, wallMs, peakRssBytes, result, stdoutTail: tail(stdout), stderrTail: tail(stderr) });
    });
  });
}

/** Current and peak RSS of a live process from /proc (Linux), bytes. */
export function procMemory(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `intervalMs` until stopped: the highest and the mean sample. */
export function sampleRss(pid: number, intervalMs = 100): { stop(): { peakBytes: number; meanBytes: number; samples: number } } {
  let peak = 0;
  let sum = 0;
  let samples = 0;
  const take = () => {
    const m = procMemory(pid);
    if (!m || Number.isNaN(m.rss)) return;
    peak = Math.max(peak, m.rss);
    sum += m.rss;
    samples++;
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakBytes: peak, meanBytes: samples ? sum / samples : 0, samples };
    },
  };
}

export type ServiceRole = 'aws' | 'azure' | 'credits' | 'gateway-ours' | 'gateway-apollo' | 'gateway-hive' | 'gateway-hive-nodedup' | 'gateway-hive-router';

/** How a service child is started (handed over as JSON in BENCH_SERVICE). */
export interface ServiceOptions {
  dataDir?: string;
  /** The fixed "now" of the services (the dataset's day). */
  now: string;
  auth: {
    jwtSecret: string;
    issuer: string;
    audience: string;
    gatewaySecret: string;
  };
  /** Provider subgraph URLs, for the credits subgraph and our gateway. */
  subgraphUrls?: { aws: string; azure: string };
  /** The supergraph with every subgraph URL pointing at the running services (gateways). */
  supergraphSdl?: string;
}

export interface RunningService {
  role: ServiceRole;
  url: string;
  pid: number;
  /** SQL statements the service's databases ran so far (COUNT_SQL_STATEMENTS). */
  sqlStatements(): Promise<number>;
  memory(): { rss: number; hwm: number } | null;
  stop(): Promise<void>;
}

const SERVICE_SCRIPT = path.join(__dirname, 'service.js');

/** Starts a service in its own process and waits until it listens. */
export function startService(role: ServiceRole, options: ServiceOptions, timeoutMs = 60_000): Promise<RunningService> {
  const child: ChildProcess = fork(SERVICE_SCRIPT, [role], {
    // Our gateway runs with the flags every start of it uses (gateway/heap.ts); the peers with their defaults.
    execArgv: [...process.execArgv, ...(role === 'gateway-ours' ? GATEWAY_NODE_ARGS : [])],
    env: { ...process.env, BENCH_SERVICE: JSON.stringify(options), COUNT_SQL_STATEMENTS: '1', NODE_ENV: '' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let log = '';
  const collect = (chunk: Buffer) => {
    log = tail(log + chunk.toString('utf8'), 8000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let nextId = 0;
  const pending = new Map<number, (value: number) => void>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${role} did not start within ${timeoutMs / 1000} s:\n${log}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with code ${code} before it was ready:\n${log}`));
    });
    child.on('message', (message: any) => {
      if (message?.type === 'sql') pending.get(message.id)?.(message.count);
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        role,
        url: message.url,
        pid: child.pid!,
        sqlStatements: () =>
          new Promise((done) => {
            const id = nextId++;
            pending.set(id, (count) => {
              pending.delete(id);
              done(count);
            });
            child.send({ type: 'sql', id });
          }),
        memory: () => procMemory(child.pid!),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

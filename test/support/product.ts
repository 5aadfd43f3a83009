/**
 * `npm start` as an operator runs it, for tests: the real `node dist/scripts/start.js` in a child
 * process with its own DATA_DIR and free ports, its output collected.
 */
import { expect } from 'chai';
import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { TEST_AUTH } from './auth';
import { REPO_ROOT, tempDir } from './stack';

export const START = path.join(REPO_ROOT, 'dist', 'scripts', 'start.js');
export const TOKEN = path.join(REPO_ROOT, 'dist', 'scripts', 'token.js');
export const MIGRATE = path.join(REPO_ROOT, 'dist', 'scripts', 'migrate.js');

/** Binds `port` on 127.0.0.1 and keeps it, or answers null when something holds it already. */
function hold(port: number): Promise<net.Server | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * `count` distinct ports free on 127.0.0.1 for services a test starts. They are drawn below the
 * kernel's ephemeral range (32768-60999 on Linux), so neither another `listen(0)` nor an outgoing
 * connection (a PostgreSQL client's local port) takes one between this call and the service's
 * listen; and every port is held until all are found, so two asked for at once are never the same
 * (`listen(0)` twice in a row may answer one port twice, as CI once saw).
 */
export async function freePorts(count: number): Promise<number[]> {
  const held = new Map<number, net.Server>();
  try {
    for (let tries = 0; held.size < count; tries++) {
      if (tries > 1000) throw new Error(`no ${count} free ports between 20000 and 32767 on 127.0.0.1`);
      const port = 20_000 + Math.floor(Math.random() * 12_768);
      if (held.has(port)) continue;
      const server = await hold(port);
      if (server) held.set(port, server);
    }
    return [...held.keys()];
  } finally {
    await Promise.all([...held.values()].map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

export async function freePort(): Promise<number> {
  return (await freePorts(1))[0];
}

/** The environment without settings the test does not choose (NODE_ENV, AUTH_*, ports, DEMO_TODAY ...). */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(NODE_ENV|AUTH_|GATEWAY_|AWS_|AZURE_|CREDITS_|DATA_DIR$|HOST$|RATE_LIMIT_|INTROSPECTION$|PROVIDER_TIMEOUT_MS$|DEMO_TODAY$)/.test(name)) delete env[name];
  }
  return env;
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The environment of a product on free ports with a new DATA_DIR (or the one given), signing tokens as the tests do. */
export async function productEnv(extra: NodeJS.ProcessEnv = {}, dataDir: string = tempDir('start-test')) {
  const [gatewayPort, awsPort, azurePort] = await freePorts(3);
  const env: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    GATEWAY_PORT: String(gatewayPort),
    AWS_PORT: String(awsPort),
    AZURE_PORT: String(azurePort),
    AUTH_JWT_SECRET: TEST_AUTH.jwtSecret!,
    AUTH_ISSUER: TEST_AUTH.issuer,
    AUTH_AUDIENCE: TEST_AUTH.audience,
    GATEWAY_SECRET: TEST_AUTH.gatewaySecret,
    ...extra,
  };
  return { env, dataDir, gatewayUrl: `http://127.0.0.1:${gatewayPort}/graphql` };
}

/** One compiled service or CLI (`node dist/...`, a router) in a child process, its output collected. */
export class Service {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  protected constructor(readonly name: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk) => (this.output += chunk));
    this.child.stderr!.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts `command args` and waits until its output matches `ready` (it fails with the output if the process ends or `timeoutMs` passes first). */
  static async start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp, timeoutMs = 60_000): Promise<Service> {
    const service = new Service(name, command, args, env);
    await service.waitFor(ready, timeoutMs).catch(async (error) => {
      await service.stop();
      throw error;
    });
    return service;
  }

  /** Waits until the output matches, and returns the match; fails with the output if the process ends or `timeoutMs` passes first. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited (${this.child.exitCode}) before printing ${pattern}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs / 1000} s:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Runs `command args` to its end (SIGKILL after `timeoutMs`): its exit code and output. */
  static async run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ code: number | null; output: string }> {
    const service = new Service(name, command, args, env);
    const killer = setTimeout(() => service.child.kill('SIGKILL'), timeoutMs);
    const { code } = await service.exited;
    clearTimeout(killer);
    return { code, output: service.output };
  }

  /** SIGTERM, then SIGKILL after 10 s; resolves with how it ended. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(killer);
    }
    return this.exited;
  }
}

/** `node dist/scripts/start.js` running in a child process, its output collected. */
export class Product extends Service {
  constructor(env: NodeJS.ProcessEnv) {
    super('start.js', process.execPath, [START], env);
  }

  /** Pid of a service the supervisor started last (it logs each start). */
  pidOf(service: string): number {
    const starts = [...this.output.matchAll(new RegExp(`\\[supervisor\\] started ${service} \\(pid (\\d+)\\)`, 'g'))];
    expect(starts, `${service} started`).to.not.be.empty;
    return Number(starts[starts.length - 1][1]);
  }

  /** Every pid the supervisor logged starting. */
  allPids(): number[] {
    return [...this.output.matchAll(/\[supervisor\] started .* \(pid (\d+)\)/g)].map((m) => Number(m[1]));
  }
}

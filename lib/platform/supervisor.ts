/**
 * Keeps services running as child processes (`npm start`): a child that dies is started again
 * after a delay that doubles with each crash in a row (1 s, 2 s, 4 s ... up to 30 s) and starts
 * over once a child has stayed up a while, and every death is logged with the service, its pid,
 * its exit code or signal, the restart count and the delay. Only the service that died is
 * restarted; the others keep serving meanwhile. `stop()` ends every child (SIGTERM, then SIGKILL
 * after a grace period); a child dying during shutdown is not restarted.
 */
import { ChildProcess, fork } from 'node:child_process';

export interface BackoffPolicy {
  /** Delay before restarting a service after its first crash in a row. */
  initialDelayMs: number;
  /** Longest delay, however many crashes in a row. */
  maxDelayMs: number;
  /** A child up at least this long has recovered: its next crash is again a first one. */
  stableAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, stableAfterMs: 60_000 };

/** The delay before restart number `crashesInARow` (1 for the first crash in a row): doubling from the initial delay, capped. */
export function restartDelay(policy: BackoffPolicy, crashesInARow: number): number {
  if (!Number.isInteger(crashesInARow) || crashesInARow < 1) throw new RangeError(`crashesInARow must be a whole number from 1, got ${crashesInARow}`);
  // 2 ** 31 and above only ever hits the cap; keeps the number finite.
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(crashesInARow - 1, 30));
}

/** One service's crashes in a row, and the delay before its next start. */
export class Backoff {
  private inARow = 0;

  constructor(readonly policy: BackoffPolicy = DEFAULT_BACKOFF) {}

  /** A child died after `uptimeMs`: how many crashes in a row that makes, and how long to wait before the next start. */
  crashed(uptimeMs: number): { crashesInARow: number; delayMs: number } {
    this.inARow = uptimeMs >= this.policy.stableAfterMs ? 1 : this.inARow + 1;
    return { crashesInARow: this.inARow, delayMs: restartDelay(this.policy, this.inARow) };
  }
}

export interface ServiceDefinition {
  /** Name in log lines, e.g. "AWS subgraph". */
  name: string;
  /** The Node script the child runs. */
  script: string;
  args?: string[];
  /** Node flags of the child (e.g. the gateway's heap size). */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /**
   * Wait for the child to say it serves (the `{ type: 'ready' }` message lib/platform/server.ts
   * runUntilSignalled sends over the IPC channel once it listens). Without it, a child counts as
   * started as soon as it spawned. Readiness comes from the child itself, never from whatever
   * answers on its port: another process holding the port must not pass for it.
   */
  waitForReady?: boolean;
}

/** The message a supervised child sends its supervisor once it serves. */
export const READY_MESSAGE = { type: 'ready' } as const;

function isReadyMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === READY_MESSAGE.type;
}

export interface SupervisorOptions {
  backoff?: BackoffPolicy;
  /** Where log lines go (default: stderr). */
  log?: (line: string) => void;
  /** How long stop() waits for a child after SIGTERM before sending SIGKILL. */
  stopGraceMs?: number;
  /** How long a service's first child may take to become ready. */
  startTimeoutMs?: number;
}

/** A service under supervision. */
export interface SupervisedService {
  readonly name: string;
  /** Pid of the running child (undefined while it waits to be restarted). */
  readonly pid: number | undefined;
  /** How many times it was restarted. */
  readonly restarts: number;
}

class Service implements SupervisedService {
  child: ChildProcess | null = null;
  startedAt = 0;
  restarts = 0;
  restartTimer: NodeJS.Timeout | null = null;
  /** Set once its first child was up: from then on a death is restarted. */
  supervised = false;
  readonly backoff: Backoff;

  constructor(
    readonly definition: ServiceDefinition,
    policy: BackoffPolicy,
  ) {
    this.backoff = new Backoff(policy);
  }

  get name(): string {
    return this.definition.name;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
}

/** How a child ended, in words: "exited with code 1", "killed by SIGKILL". */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exited with code ${code}`;
}

/** A duration for log lines: "250 ms", "1 s", "12.3 s". */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

export class Supervisor {
  private readonly services: Service[] = [];
  private readonly policy: BackoffPolicy;
  private readonly log: (line: string) => void;
  private readonly stopGraceMs: number;
  private readonly startTimeoutMs: number;
  private stopPromise: Promise<void> | null = null;

  constructor(options: SupervisorOptions = {}) {
    this.policy = options.backoff ?? DEFAULT_BACKOFF;
    this.log = options.log ?? ((line) => console.error(line));
    this.stopGraceMs = options.stopGraceMs ?? 10_000;
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
  }

  /** Whether stop() was called: no child is started or restarted any more. */
  get stopping(): boolean {
    return this.stopPromise !== null;
  }

  /**
   * Starts a service and keeps it running. Resolves once its first child is up (ready). A first
   * child that dies before that, or is not healthy within the start timeout, rejects and is not
   * restarted: a service that cannot start at all (a port in use, a bad setting) is not fixed by
   * starting it again. From then on every death is restarted with backoff.
   */
  async start(definition: ServiceDefinition): Promise<SupervisedService> {
    if (this.stopping) throw new Error(`cannot start ${definition.name}: the supervisor is stopping`);
    const service = new Service(definition, this.policy);
    this.services.push(service);
    const child = this.spawn(service);
    try {
      await this.untilUp(service, child, this.startTimeoutMs);
    } catch (error) {
      this.services.splice(this.services.indexOf(service), 1);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      throw error;
    }
    service.supervised = true;
    return service;
  }

  /**
   * Stops every service: pending restarts are cancelled, each child gets SIGTERM (SIGKILL after the
   * grace period), and the promise resolves once all have exited. Calling it again returns the same promise.
   */
  stop(): Promise<void> {
    if (this.stopPromise) return this.stopPromise;
    this.stopPromise = Promise.all(
      this.services.map(async (service) => {
        if (service.restartTimer) clearTimeout(service.restartTimer);
        service.restartTimer = null;
        const child = service.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const grace = setTimeout(() => {
          this.log(`[supervisor] ${service.name} (pid ${child.pid}) did not stop within ${duration(this.stopGraceMs)} of SIGTERM; sending SIGKILL`);
          child.kill('SIGKILL');
        }, this.stopGraceMs);
        await exited;
        clearTimeout(grace);
      }),
    ).then(() => undefined);
    return this.stopPromise;
  }

  private spawn(service: Service): ChildProcess {
    const { script, args = [], execArgv = [], env = process.env } = service.definition;
    const child = fork(script, args, { env, execArgv: [...process.execArgv, ...execArgv], stdio: 'inherit' });
    service.child = child;
    service.startedAt = Date.now();
    this.log(`[supervisor] started ${service.name} (pid ${child.pid})${service.restarts ? `, restart #${service.restarts}` : ''}`);
    child.once('error', (error) => this.log(`[supervisor] ${service.name} (pid ${child.pid}): ${error.message}`));
    child.once('exit', (code, signal) => this.exited(service, child, code, signal));
    return child;
  }

  private exited(service: Service, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (service.child !== child) return;
    const uptimeMs = Date.now() - service.startedAt;
    const how = `${service.name} (pid ${child.pid}) ${describeExit(code, signal)} after ${duration(uptimeMs)}`;
    if (this.stopping) {
      this.log(`[supervisor] ${how} while stopping${code === 0 || signal === 'SIGTERM' ? '' : '; not restarted'}`);
      return;
    }
    if (!service.supervised) return; // its first start failed: start() reports it
    const { crashesInARow, delayMs } = service.backoff.crashed(uptimeMs);
    const restart = service.restarts + 1;
    this.log(
      `[supervisor] ${how}; restart #${restart} in ${duration(delayMs)}` +
        (crashesInARow > 1 ? ` (crash ${crashesInARow} in a row)` : ''),
    );
    service.restartTimer = setTimeout(() => {
      service.restartTimer = null;
      if (this.stopping) return;
      service.restarts = restart;
      const next = this.spawn(service);
      this.untilUp(service, next, Infinity).then(
        () => this.log(`[supervisor] ${service.name} is up again (pid ${next.pid}) after restart #${restart}`),
        () => undefined, // it died again: its exit is logged and handled like any other
      );
    }, delayMs);
  }

  /** Resolves when the child is up (it says it is ready, or it spawned); rejects when it exits first or the timeout passes. */
  private untilUp(service: Service, child: ChildProcess, timeoutMs: number): Promise<void> {
    const { waitForReady, name } = service.definition;
    return new Promise<void>((resolve, reject) => {
      const gone = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        reject(new Error(`${name} (pid ${child.pid}) ${describeExit(code, signal)} before it was ready`));
      };
      const timer =
        timeoutMs === Infinity
          ? undefined
          : setTimeout(() => {
              child.off('exit', gone);
              child.off('message', onMessage);
              reject(new Error(`${name} (pid ${child.pid}) was not ready within ${duration(timeoutMs)}`));
            }, timeoutMs);
      const up = () => {
        clearTimeout(timer);
        child.off('exit', gone);
        child.off('message', onMessage);
        resolve();
      };
      const onMessage = (message: unknown) => {
        if (isReadyMessage(message)) up();
      };
      child.once('exit', gone);
      if (waitForReady) {
        child.on('message', onMessage);
        return;
      }
      if (child.pid !== undefined) return up();
      child.once('spawn', up);
    });
  }
}

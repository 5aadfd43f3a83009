/**
 * The product's services as their own processes, as production runs them (the gateway with its
 * production heap), for tests that must watch a process's memory or see it survive.
 */
import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { GATEWAY_NODE_ARGS } from '../../gateway/heap';
import { REPO_ROOT } from './stack';

export interface ServiceProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Output so far (stdout and stderr). */
  output(): string;
  /** Resident memory now, in MB (from /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts `script` (relative to dist/) with `env` on top of this process's environment and waits
 * for its "ready at <url>" line (lib/platform/server.ts runUntilSignalled).
 */
export function startService(name: string, script: string, env: Record<string, string>, execArgv: string[] = []): Promise<ServiceProcess> {
  const child = fork(path.join(REPO_ROOT, 'dist', script), [], {
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    execArgv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${name} did not start within 60 s:\n${output}`)), 60_000);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /ready at (http:\/\/\S+)/.exec(output);
      if (!ready || settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        name,
        url: ready[1],
        child,
        output: () => output,
        rssMb: () => rssMbOf(child.pid!),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code, signal) => fail(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${output}`)));
  });
}

export function rssMbOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** The three services over one data folder, on free ports, with the development authentication defaults. */
export async function startServices(dataDir: string): Promise<{ aws: ServiceProcess; azure: ServiceProcess; gateway: ServiceProcess; stop(): Promise<void> }> {
  const [aws, azure] = await Promise.all([
    startService('aws', 'subgraphs/aws/index.js', { DATA_DIR: dataDir, AWS_PORT: '0' }),
    startService('azure', 'subgraphs/azure/index.js', { DATA_DIR: dataDir, AZURE_PORT: '0' }),
  ]);
  const gateway = await startService(
    'gateway',
    'gateway/index.js',
    { GATEWAY_PORT: '0', AWS_SUBGRAPH_URL: aws.url, AZURE_SUBGRAPH_URL: azure.url },
    GATEWAY_NODE_ARGS,
  );
  return { aws, azure, gateway, stop: () => Promise.all([gateway.stop(), aws.stop(), azure.stop()]).then(() => undefined) };
}

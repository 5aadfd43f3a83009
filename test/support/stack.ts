/**
 * The whole product for tests: the AWS and Azure subgraphs on free ports with their own SQLite
 * databases in a temporary folder (loaded with the demo data), and the gateway in front of them,
 * all with one fixed clock.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestFiles, formatProblem } from '../../lib/ingest';
import type { RunningServer } from '../../lib/server';
import { startGateway } from '../../gateway';
import { startAwsSubgraph } from '../../subgraphs/aws';
import { startAzureSubgraph } from '../../subgraphs/azure';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';

/** The moment the demo data describes; every status in the tests is as of then. */
export const TEST_NOW = new Date('2026-11-22T12:00:00.000Z');

/** The repository root, from test/support in source or dist/test/support when compiled. */
export const REPO_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();

export const DEMO_DIR = path.join(REPO_ROOT, 'demo');

export interface Stack {
  dataDir: string;
  gatewayUrl: string;
  aws: RunningServer;
  azure: RunningServer;
  gateway: RunningServer;
  stop(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export async function startStack(options: { loadDemo?: boolean } = {}): Promise<Stack> {
  const dataDir = tempDir('credits-test');
  if (options.loadDemo !== false) {
    const result = await ingestFiles([DEMO_DIR], dataDir, PROVIDER_INGESTS);
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  }
  const clock = () => TEST_NOW;
  const aws = await startAwsSubgraph({ dataDir, port: 0, clock });
  const azure = await startAzureSubgraph({ dataDir, port: 0, clock });
  const gateway = await startGateway({ port: 0, subgraphUrls: { aws: aws.url, azure: azure.url }, clock });
  return {
    dataDir,
    gatewayUrl: gateway.url,
    aws,
    azure,
    gateway,
    async stop() {
      await gateway.stop();
      await aws.stop();
      await azure.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export async function graphql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** Like `graphql`, but fails the test on any GraphQL error. */
export async function query<T = any>(url: string, text: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await graphql<T>(url, text, variables);
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  return result.data as T;
}

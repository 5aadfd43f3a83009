/**
 * The whole product for tests: the AWS and Azure subgraphs on free ports with their own SQLite
 * databases in a temporary folder (loaded with the demo data), and the gateway in front of them,
 * all with one fixed clock.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestFiles, formatProblem } from '../../lib/store/ingest';
import type { RunningServer } from '../../lib/platform/server';
import { startGateway } from '../../gateway';
import { startAwsSubgraph } from '../../subgraphs/aws';
import { startAzureSubgraph } from '../../subgraphs/azure';
import { startCreditsSubgraph } from '../../subgraphs/credits';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { TEST_AUTH, tokenFor, TestClaims } from './auth';

/** Claims of a caller who sees every demo credit of both clouds (the AWS payer, the Azure account owner). */
export const ADMIN_CLAIMS: TestClaims = {
  aws: { accountIds: ['111122223333'] },
  azure: {
    roleAssignments: [
      {
        scope: '/providers/Microsoft.Billing/billingAccounts/5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31',
        role: 'billing_account_owner',
      },
    ],
  },
};

/** Token the helpers below send when a test names none. */
let defaultToken: string | null = null;

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

export interface StackOptions {
  /** Load the demo data (default true). */
  loadDemo?: boolean;
  /** The demo folder to load (default: the checked-in demo/). */
  demoDir?: string;
  /** Every service's clock (default TEST_NOW, the day the checked-in demo describes). */
  now?: Date;
  providerTimeoutMs?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  defaultToken = await tokenFor(ADMIN_CLAIMS, 'test-admin');
  const dataDir = tempDir('credits-test');
  const now = options.now ?? TEST_NOW;
  const clock = () => now;
  if (options.loadDemo !== false) {
    // Stamped with the stack's clock only when a test chose one (as npm start does with DEMO_TODAY).
    const result = await ingestFiles([options.demoDir ?? DEMO_DIR], dataDir, PROVIDER_INGESTS, options.now ? { clock } : {});
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  }
  const { aws, azure, gateway } = await startServicesOver(dataDir, clock, { providerTimeoutMs: options.providerTimeoutMs });
  const stack: Stack = {
    dataDir,
    gatewayUrl: gateway.url,
    aws,
    azure,
    gateway,
    // Reads the servers from the object: a test may restart one (stack.azure = ...).
    async stop() {
      await stack.gateway.stop();
      await stack.aws.stop();
      await stack.azure.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** The AWS and Azure subgraphs over the databases of `dataDir` and a gateway in front of them, on free ports. */
export async function startServicesOver(dataDir: string, clock: () => Date, options: { providerTimeoutMs?: number } = {}) {
  const aws = await startAwsSubgraph({ dataDir, port: 0, clock, auth: TEST_AUTH });
  const azure = await startAzureSubgraph({ dataDir, port: 0, clock, auth: TEST_AUTH });
  const gateway = await startGateway({ port: 0, subgraphUrls: { aws: aws.url, azure: azure.url }, clock, auth: TEST_AUTH, providerTimeoutMs: options.providerTimeoutMs });
  return { aws, azure, gateway };
}

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/**
 * Sends a GraphQL request. `token` defaults to the admin token of the last stack started; pass
 * null to send none.
 */
export async function graphql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = defaultToken,
): Promise<GraphQLResponse<T> & { status: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await response.json()) as GraphQLResponse<T>), status: response.status };
}

/** Like `graphql`, but fails the test on any GraphQL error. */
export async function query<T = any>(url: string, text: string, variables: Record<string, unknown> = {}, token: string | null = defaultToken): Promise<T> {
  const result = await graphql<T>(url, text, variables, token);
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  return result.data as T;
}

/** The credits subgraph on its own port over a stack's providers (what another router calls), on the stack's clock. */
export function startStandaloneCredits(stack: Stack): Promise<RunningServer> {
  return startCreditsSubgraph({ port: 0, providerUrls: { aws: stack.aws.url, azure: stack.azure.url }, auth: TEST_AUTH, clock: () => TEST_NOW });
}

/** Test support for the AWS subgraph: fixtures, temporary data folders, loading, query counting. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { formatProblem, ingestFiles } from '../../lib/store/ingest';
import type { Principal } from '../../lib/platform/auth/principal';
import { awsIngest } from '../../subgraphs/aws/ingest';
import { principal } from '../support/auth';

/** The moment the tests run at. */
export const NOW = '2026-11-22T00:00:00.000Z';

/** The repository root (the folder holding package.json), whether run from the sources or a build folder. */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(path.dirname(dir)).startsWith('dist')) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
  return dir;
}

export const FIXTURES = path.join(repositoryRoot(), 'test', 'fixtures', 'aws');

export const ALL_FIXTURES = [
  'list-accounts.json',
  'other-org-accounts.json',
  'cost-category.json',
  'cost-category-wrapped.json',
  'get-credits.json',
  'get-credit-allocation-history.json',
];

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'aws-subgraph-test-'));
}

/** Writes a JSON document (or raw text) into `dir` and returns its path. */
export function writeFile(dir: string, name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

export function readFixture(name: string): any {
  return JSON.parse(fs.readFileSync(fixture(name), 'utf8'));
}

/** Loads files into `dataDir`, failing loudly on any problem. */
export async function loadFiles(dataDir: string, files: string[]): Promise<void> {
  const result = await ingestFiles(files, dataDir, [awsIngest]);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
}

/** Loads fixtures (all by default) into `dataDir`. */
export function loadFixtures(dataDir: string, names: string[] = ALL_FIXTURES): Promise<void> {
  return loadFiles(dataDir, names.map(fixture));
}

/** Runs `action` and counts the SQL statements the data source ran meanwhile. */
export async function countQueries<T>(dataSource: DataSource, action: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const logger = dataSource.logger;
  const queries: string[] = [];
  const counting = Object.create(logger);
  counting.logQuery = (query: string) => {
    queries.push(query);
  };
  (dataSource as { logger: unknown }).logger = counting;
  try {
    return { result: await action(), queries };
  } finally {
    (dataSource as { logger: unknown }).logger = logger;
  }
}

/**
 * Callers over the fixtures. Organization o-exampleorg1 is managed by 111122223333 (Example Corp)
 * with linked accounts 444455556666 team-data, 777788889999 team-web, 123456789012 research-grant
 * and 210987654321 Sandbox; o-otherorg22 is managed by 555566667777 with linked 999988887777.
 */
export const CLAIMS = {
  /** The management account of o-exampleorg1. */
  payer: { aws: { accountIds: ['111122223333'] } },
  /** Both management accounts. */
  bothPayers: { aws: { accountIds: ['111122223333', '555566667777'] } },
  /** Linked account team-data. */
  teamData: { aws: { accountIds: ['444455556666'] } },
  /** Linked account team-web. */
  teamWeb: { aws: { accountIds: ['777788889999'] } },
  /** Linked account research-grant (cost category FundingSource = GrantNSF). */
  research: { aws: { accountIds: ['123456789012'] } },
  /** Linked account Sandbox (FundingSource = Unallocated, Environment = Sandbox). */
  sandbox: { aws: { accountIds: ['210987654321'] } },
  /** The linked account of the other organization. */
  otherLinked: { aws: { accountIds: ['999988887777'] } },
  /** An account that was never loaded. */
  unknown: { aws: { accountIds: ['000011112222'] } },
  /** A principal without AWS accounts (Azure only). */
  azureOnly: { azure: { roleAssignments: [{ scope: '/providers/Microsoft.Billing/billingAccounts/1', role: 'billing_account_owner' }] } },
};

/** In-process callers for each of CLAIMS. */
export const CALLERS = Object.fromEntries(Object.entries(CLAIMS).map(([name, claims]) => [name, principal(claims, name)])) as Record<keyof typeof CLAIMS, Principal>;

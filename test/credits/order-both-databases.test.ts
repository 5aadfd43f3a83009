/**
 * Sort keys and keyset paging are the same on both databases: the same files loaded into SQLite
 * and into PostgreSQL, then every order field and direction walked page by page through each
 * provider's contract, give the same credits in the same order. Names are chosen to differ under
 * any collation but byte order (case, accents, non-Latin scripts), amounts and expiries to tie.
 * Runs when the suite runs on PostgreSQL (TEST_DATABASE_URL), where both databases are at hand.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { principalFromClaims } from '../../lib/platform/auth/principal';
import { positionOf } from '../../lib/domain/credit-order';
import { formatProblem, ingestFiles } from '../../lib/store/ingest';
import { CreditProvider, NormalizedCredit, ORDER_FIELDS, OrderDirection } from '../../lib/domain/provider-contract';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { openAwsDatabase } from '../../subgraphs/aws/store';
import { AwsCreditProvider } from '../../subgraphs/aws/provider';
import { openAzureDatabase } from '../../subgraphs/azure/store';
import { AzureCreditProvider } from '../../subgraphs/azure/provider';
import { onPostgres, removeProviderDatabase } from '../support/database';
import { ADMIN_CLAIMS, DEMO_DIR, tempDir, TEST_NOW } from '../support/stack';

const NAMES = ['Alpha', 'alpha', 'beta', 'Beta', 'Émile', 'emile', 'Zed', 'ß-credit', '日本 credit', 'a b', 'a-b', 'a_b', ''];
const AMOUNTS = ['0', '10.5', '10.50', '200', '9.999', '0.0000000001'];
const ENDS = ['2027-01-01', '2027-03-01', null];

/** A GetCredits document of many AWS credits of the demo's organization, with ties and tricky names. */
function manyCredits(): unknown {
  return {
    credits: Array.from({ length: 40 }, (_, i) => ({
      creditId: `7700000000${String(i).padStart(2, '0')}`,
      accountId: '111122223333',
      creditType: 'Promotion',
      description: NAMES[i % NAMES.length],
      initialAmount: { currencyCode: 'USD', currencyAmount: '1000.00' },
      remainingAmount: { currencyCode: 'USD', currencyAmount: AMOUNTS[i % AMOUNTS.length] },
      applicableProductNames: [],
      startDate: Date.parse('2026-01-01T00:00:00Z') / 1000,
      ...(ENDS[i % ENDS.length] ? { endDate: Date.parse(`${ENDS[i % ENDS.length]}T00:00:00Z`) / 1000 } : {}),
      creditSharingType: 'DEFAULT',
    })),
  };
}

/** Runs `work` with the suite's PostgreSQL setting hidden, so databases opened meanwhile are SQLite files. */
async function onSqlite<T>(work: () => Promise<T>): Promise<T> {
  const saved = process.env.TEST_DATABASE;
  delete process.env.TEST_DATABASE;
  try {
    return await work();
  } finally {
    process.env.TEST_DATABASE = saved;
  }
}

async function walk(provider: CreditProvider, field: (typeof ORDER_FIELDS)[number], direction: OrderDirection, pageSize: number): Promise<string[]> {
  const caller = principalFromClaims({ sub: 'order-test', ...ADMIN_CLAIMS });
  const seen: string[] = [];
  let after: ReturnType<typeof positionOf> | null = null;
  for (;;) {
    const page: NormalizedCredit[] = await provider.searchCredits(caller, { filter: {}, order: { field, direction }, after, limit: pageSize, now: TEST_NOW.toISOString() });
    seen.push(...page.map((c) => c.providerCreditId));
    if (page.length < pageSize) return seen;
    after = positionOf(page[page.length - 1], field);
  }
}

describe('credit order and keyset paging, SQLite and PostgreSQL side by side', function () {
  this.timeout(120_000);
  const dirs: { sqlite: string; postgres: string } = { sqlite: '', postgres: '' };
  const open: DataSource[] = [];
  const providers: Record<'sqlite' | 'postgres', CreditProvider[]> = { sqlite: [], postgres: [] };

  before(async function () {
    if (!onPostgres()) this.skip(); // needs both databases: run with TEST_DATABASE_URL
    const files = tempDir('order-files');
    fs.writeFileSync(path.join(files, 'get-credits.json'), JSON.stringify(manyCredits()));
    const paths = [path.join(DEMO_DIR, 'aws'), path.join(DEMO_DIR, 'azure'), path.join(files, 'get-credits.json')];
    const load = async (kind: 'sqlite' | 'postgres') => {
      const dir = (dirs[kind] = tempDir(`order-${kind}`));
      const result = await ingestFiles(paths, dir, PROVIDER_INGESTS);
      if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
      const [aws, azure] = [await openAwsDatabase(dir), await openAzureDatabase(dir)];
      open.push(aws, azure);
      expect(aws.options.type).to.equal(kind);
      providers[kind] = [new AwsCreditProvider(aws), new AzureCreditProvider(azure)];
    };
    await onSqlite(() => load('sqlite'));
    await load('postgres');
    fs.rmSync(files, { recursive: true, force: true });
  });
  after(async () => {
    for (const db of open) await db.destroy();
    for (const p of ['aws', 'azure'] as const) if (dirs.postgres) await removeProviderDatabase(p, dirs.postgres);
    for (const dir of Object.values(dirs)) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const field of ORDER_FIELDS) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`${field} ${direction}: the same credits in the same order, whole and in pages of 7`, async () => {
        for (const [i, name] of ['AWS', 'Azure'].entries()) {
          const whole = await walk(providers.sqlite[i], field, direction, 1000);
          expect(whole.length, `${name} credits`).to.be.greaterThan(i === 0 ? 40 : 8);
          expect(await walk(providers.postgres[i], field, direction, 1000), `${name}, whole`).to.deep.equal(whole);
          expect(await walk(providers.sqlite[i], field, direction, 7), `${name} on SQLite, in pages`).to.deep.equal(whole);
          expect(await walk(providers.postgres[i], field, direction, 7), `${name} on PostgreSQL, in pages`).to.deep.equal(whole);
        }
      });
    }
  }
});

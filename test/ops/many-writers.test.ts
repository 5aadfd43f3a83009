/**
 * Many writers on one database, as replicas and several loaders make them: two replicas of each
 * provider subgraph (each behind its own gateway) changing one billing group's credits at once,
 * and several loads at once. Nothing fails, no update is lost: what is stored is what a quiet
 * recomputation, or the same files loaded in one go, gives. On SQLite the writers are two
 * connections to one file; on PostgreSQL (TEST_DATABASE_URL) two pools on one schema, where only
 * the locks of lib/platform/database.ts keep them apart.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { ChargeBook, readApplications, recomputeGroups } from '../../lib/store/ledger';
import { CreditBalanceRow } from '../../lib/store/storage';
import { writeTransaction } from '../../lib/platform/database';
import { formatProblem, ingestFiles } from '../../lib/store/ingest';
import type { RunningServer } from '../../lib/platform/server';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { createAwsChargeBook } from '../../subgraphs/aws/charges/book';
import { openAwsDatabase } from '../../subgraphs/aws/store';
import { createAzureChargeBook } from '../../subgraphs/azure/charges/book';
import { openAzureDatabase } from '../../subgraphs/azure/store';
import { tokenFor } from '../support/auth';
import { removeProviderDatabase } from '../support/database';
import { ADMIN_CLAIMS, DEMO_DIR, graphql, query, tempDir, startServicesOver, TEST_NOW } from '../support/stack';

const PROVIDERS: { name: 'aws' | 'azure'; open: (dataDir: string) => Promise<DataSource>; book: () => ChargeBook }[] = [
  { name: 'aws', open: openAwsDatabase, book: createAwsChargeBook },
  { name: 'azure', open: openAzureDatabase, book: createAzureChargeBook },
];

/** What the engine stored for every credit of a provider: balances and applications, in a stable order. */
async function ledger(db: DataSource): Promise<string> {
  const balances = await db.manager.find(CreditBalanceRow, { order: { creditId: 'ASC' } });
  const applications = await readApplications(db.manager, balances.map((b) => b.creditId));
  return JSON.stringify({ balances, applications });
}

async function ledgers(dataDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of PROVIDERS) {
    const db = await p.open(dataDir);
    try {
      out[p.name] = await ledger(db);
    } finally {
      await db.destroy();
    }
  }
  return out;
}

async function load(paths: string[], dataDir: string): Promise<void> {
  const result = await ingestFiles(paths, dataDir, PROVIDER_INGESTS);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
}

async function removeData(dataDir: string): Promise<void> {
  for (const p of PROVIDERS) await removeProviderDatabase(p.name, dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const billingFile = (name: string) => name.endsWith('.csv');

describe('many writers on one database', function () {
  this.timeout(180_000);

  describe('two replicas of each provider subgraph, each behind a gateway, changing one billing group at once', () => {
    const clock = () => TEST_NOW;
    const servers: RunningServer[] = [];
    let dataDir: string;
    let gateways: string[];
    let token: string;

    before(async () => {
      token = await tokenFor(ADMIN_CLAIMS, 'replicas-admin');
      dataDir = tempDir('replicas');
      await load([DEMO_DIR], dataDir);
      gateways = [];
      for (let replica = 0; replica < 2; replica++) {
        const { aws, azure, gateway } = await startServicesOver(dataDir, clock);
        servers.push(aws, azure, gateway);
        gateways.push(gateway.url);
      }
    });
    after(async () => {
      for (const s of servers.reverse()) await s.stop();
      await removeData(dataDir);
    });

    it('runs every pause and activation, loses none, and stores what a quiet recomputation gives', async () => {
      const { credits } = await query(gateways[0], `{ credits(first: 100, filter: { statuses: [ACTIVE] }) { nodes { id provider } } }`, {}, token);
      const nodes: { id: string; provider: string }[] = credits.nodes;
      const byProvider = (p: string) => nodes.filter((n) => n.provider === p);
      expect(byProvider('AWS').length, 'active AWS credits of the demo').to.be.greaterThan(2);
      expect(byProvider('AZURE').length, 'active Azure credits of the demo').to.be.greaterThan(2);

      const mutate = (name: 'pauseCredit' | 'activateCredit', id: string, gateway: string) =>
        graphql(gateway, `mutation($id: ID!) { ${name}(input: { creditId: $id }) { credit { id status } userErrors { code message } } }`, { id }, token);
      // Three rounds over every active credit, each round all at once, the credits split over both replicas.
      const rounds: ['pauseCredit' | 'activateCredit', (i: number) => boolean][] = [
        ['pauseCredit', () => true],
        ['activateCredit', () => true],
        ['pauseCredit', (i) => i % 3 === 0],
      ];
      for (const [name, which] of rounds) {
        const answers = await Promise.all(nodes.map((n, i) => (which(i) ? mutate(name, n.id, gateways[i % 2]) : null)));
        answers.forEach((answer, i) => {
          if (!answer) return;
          expect(answer.errors, `${name} of ${nodes[i].id}`).to.equal(undefined);
          expect(answer.data[name].userErrors, `${name} of ${nodes[i].id}`).to.deep.equal([]);
        });
      }

      // Each credit ends as its last change left it, read through either replica.
      for (const [i, n] of nodes.entries()) {
        const { credit } = await query(gateways[(i + 1) % 2], `query($id: ID!) { credit(id: $id) { id status } }`, { id: n.id }, token);
        expect(credit.status, n.id).to.equal(i % 3 === 0 ? 'PAUSED' : 'ACTIVE');
      }

      // Every recomputation saw the changes committed before it: recomputing now changes nothing.
      for (const p of PROVIDERS) {
        const db = await p.open(dataDir);
        try {
          const stored = await ledger(db);
          const groups = [...new Set((await db.manager.find(CreditBalanceRow, { select: ['billingGroup'] })).map((b) => b.billingGroup))].sort();
          expect(groups.length, `${p.name} billing groups`).to.be.greaterThan(0);
          await writeTransaction(db, (manager) => recomputeGroups(manager, p.book(), groups));
          expect(await ledger(db), `${p.name}: stored after the concurrent changes vs recomputed`).to.equal(stored);
        } finally {
          await db.destroy();
        }
      }
    });
  });

  describe('several loads at once', () => {
    const dirs: string[] = [];
    after(async () => {
      for (const dir of dirs) await removeData(dir);
    });

    it("stores what loading the same files in one go stores, whatever order the loads' transactions ran in", async () => {
      const files = (cloud: string) => fs.readdirSync(path.join(DEMO_DIR, cloud)).map((f) => path.join(DEMO_DIR, cloud, f));
      const documents = [...files('aws'), ...files('azure')].filter((f) => !billingFile(f));
      const billing = [...files('aws'), ...files('azure')].filter(billingFile).sort();
      expect(billing.length).to.be.greaterThan(20);

      const together = tempDir('loads-together');
      const apart = tempDir('loads-apart');
      dirs.push(together, apart);
      await load([DEMO_DIR], together);
      await load(documents, apart);
      // Six loads at once, each of every sixth month file of both clouds, so each touches every billing group.
      const shares = [0, 1, 2, 3, 4, 5].map((k) => billing.filter((_, i) => i % 6 === k));
      await Promise.all(shares.map((share) => load(share, apart)));

      const expected = await ledgers(together);
      const actual = await ledgers(apart);
      for (const p of PROVIDERS) {
        expect(JSON.parse(expected[p.name]).balances.length, `${p.name} balances`).to.be.greaterThan(0);
        expect(actual[p.name], `${p.name}: six loads at once vs one load`).to.equal(expected[p.name]);
      }
    });
  });
});

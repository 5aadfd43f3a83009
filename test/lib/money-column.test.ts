/**
 * Money columns (lib/platform/money-column.ts) on the database the suite runs on: numeric on PostgreSQL,
 * text on SQLite, and on both every amount comes back exactly as it was written, at every scale
 * and size a provider writes (beyond what a float holds).
 */
import { expect } from 'chai';
import fs from 'node:fs';
import { CreditBalanceRow } from '../../lib/store/storage';
import { isMoneyColumn } from '../../lib/platform/money-column';
import { openAwsDatabase } from '../../subgraphs/aws/store';
import { openAzureDatabase } from '../../subgraphs/azure/store';
import { onPostgres, removeProviderDatabase, runSql } from '../support/database';
import { tempDir } from '../support/stack';

const AMOUNTS = ['6000.00', '0.0000000001', '0.0000000000', '-12.3400', '123456789012345678.12345678901234567890', '7'];

describe('money columns', () => {
  let dataDir: string;
  before(() => (dataDir = tempDir('money-columns')));
  after(async () => {
    for (const p of ['aws', 'azure'] as const) await removeProviderDatabase(p, dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [name, open] of [['AWS', openAwsDatabase], ['Azure', openAzureDatabase]] as const) {
    it(`are exact decimals in the ${name} database: ${onPostgres() ? 'numeric' : 'text'}, every amount read back as written`, async () => {
      const db = await open(dataDir);
      try {
        const money = db.entityMetadatas.flatMap((m) => m.columns.filter(isMoneyColumn).map((c) => ({ table: m.tableName, column: c.databaseName, type: c.type })));
        expect(money.length, 'money columns').to.be.greaterThan(8);
        if (onPostgres()) {
          const types = await runSql(db, "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()");
          const typeOf = new Map(types.map((t: any) => [`${t.table_name}.${t.column_name}`, t.data_type]));
          for (const m of money) expect(typeOf.get(`${m.table}.${m.column}`), `${m.table}.${m.column}`).to.equal('numeric');
        } else {
          for (const m of money) expect(m.type, `${m.table}.${m.column}`).to.equal('varchar');
        }
        for (const [i, amount] of AMOUNTS.entries()) {
          const row = { creditId: `C${i}`, billingGroup: 'G', currency: 'USD', openingMonth: '2026-01', openingBalance: amount, remaining: amount, estimated: amount, appliedFinal: amount, appliedEstimated: amount, expired: amount, computed: true };
          await db.manager.insert(CreditBalanceRow, row);
        }
        const back = await db.manager.find(CreditBalanceRow, { order: { creditId: 'ASC' } });
        expect(back.map((b) => [b.openingBalance, b.remaining, b.expired])).to.deep.equal(AMOUNTS.map((a) => [a, a, a]));
      } finally {
        await db.destroy();
      }
    });
  }
});

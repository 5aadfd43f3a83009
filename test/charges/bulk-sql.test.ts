/**
 * The ledger's set-based writes (lib/store/bulk-sql.ts) against real SQLite: rows stored by the
 * multi-row INSERTs read back exactly as TypeORM's own insert stores them (booleans, embedded
 * columns, defaults), across statement boundaries; UPDATE ... FROM (VALUES ...) changes only the
 * rows and columns given; and recomputing with charges handed over in memory reads the same
 * periods as reading them back.
 */
import { expect } from 'chai';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, type DataSource } from 'typeorm';
import { insertRows, MAX_PARAMETERS, rowsPerStatement, updateRows, upsertByKey, upsertRows } from '../../lib/store/bulk-sql';
import { readPeriods } from '../../lib/store/ledger';
import { onPostgres, openScratchDatabase } from '../support/database';
import { CHARGES_DOCUMENT } from '../../lib/store/row-documents';
import { BillingPeriodRow, PeriodChargesRow } from '../../lib/store/storage';
import type { EngineCharge } from '../../lib/domain/charges/types';
import { openAzureDatabase } from '../../subgraphs/azure/store';
import { AzureCreditEvent } from '../../subgraphs/azure/entities/credit-event';
import { tempDir } from '../support/stack';

const charge = (i: number, month = '2026-10'): EngineCharge => ({
  date: `${month}-${String((i % 28) + 1).padStart(2, '0')}`,
  consumerKind: 'K',
  consumerId: `C${i}`,
  service: `S${i % 3}`,
  productCode: `P${i % 5}`,
  currency: 'USD',
  amount: `${i}.${String(i % 100).padStart(2, '0')}`,
  creditEligible: i % 2 === 0,
});

/** An application-shaped row: a charge's consumer, service, product and amount, paid by one of four credits. */
const application = (i: number) => {
  const { date: _date, creditEligible, ...line } = charge(i);
  return { creditId: `CR${i % 4}`, billingGroup: 'G1', month: '2026-10', ...line, estimated: creditEligible };
};

/** A table whose id SQLite assigns (AUTOINCREMENT), holding application-shaped rows: insertRows leaves the id out. */
@Entity('auto_id_row')
class AutoIdRow {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('varchar')
  creditId: string;

  @Column('varchar')
  billingGroup: string;

  @Column('varchar')
  month: string;

  @Column('varchar')
  consumerKind: string;

  @Column('varchar')
  consumerId: string;

  @Column('varchar')
  service: string;

  @Column('varchar')
  productCode: string;

  @Column('varchar')
  currency: string;

  @Column('varchar')
  amount: string;

  @Column('boolean')
  estimated: boolean;
}

/** A table whose only column besides its key has a default. */
@Entity('keyed_row')
class KeyedRow {
  @PrimaryColumn('varchar')
  key: string;

  @Column('varchar', { default: 'default note' })
  note: string;
}

const event = (name: string, extra: Partial<AzureCreditEvent> = {}): Partial<AzureCreditEvent> => ({
  id: `/x/events/${name}`,
  name,
  type: 'Microsoft.Consumption/events',
  eTag: null,
  billingAccountId: 'A',
  billingProfileId: 'P',
  transactionDate: '2026-10-01T00:00:00.000Z',
  description: 'Charges for October 2026',
  chargesColumns: { currency: 'USD', value: '-12.50' },
  closedBalanceColumns: { currency: 'USD', value: '87.50' },
  eventType: 'SettledCharges',
  invoiceNumber: 'G1',
  isEstimatedBalance: false,
  ...extra,
});

describe('bulk SQL writes (on the database the suite runs on)', () => {
  let db: DataSource;
  beforeEach(async () => {
    db = await openAzureDatabase(tempDir('bulk-sql'));
  });
  afterEach(async () => {
    await db.destroy();
  });
  const raw = (sql: string) => db.query(sql) as Promise<Record<string, unknown>[]>;

  it('this SQLite build binds as many parameters a statement as the writes use', async function () {
    if (onPostgres()) this.skip(); // PostgreSQL binds up to 65,535 a statement, more than MAX_PARAMETERS
    const options = (await raw('PRAGMA compile_options')).map((r) => String(r.compile_options));
    const limit = options.find((o) => o.startsWith('MAX_VARIABLE_NUMBER='));
    // Without the option listed the build has its default: 32,766 since SQLite 3.32.
    const [major, minor] = String((await raw('SELECT sqlite_version() AS v'))[0].v).split('.').map(Number);
    const max = limit ? Number(limit.split('=')[1]) : major > 3 || minor >= 32 ? 32766 : 999;
    expect(max).to.be.at.least(MAX_PARAMETERS);
  });

  describe('into a table whose ids SQLite assigns', () => {
    let auto: DataSource;
    beforeEach(async () => {
      auto = await openScratchDatabase([AutoIdRow]);
    });
    afterEach(async () => {
      await auto.destroy();
    });

    it('inserts rows over several statements, in order, as TypeORM stores them', async () => {
      const rows = Array.from({ length: 25 }, (_, i) => application(i));
      // 10 columns a row, 40 parameters a statement: 4 rows a statement, the last one with 1.
      expect(rowsPerStatement(10, 40)).to.equal(4);
      await insertRows(auto.manager, AutoIdRow, rows as AutoIdRow[], 40);
      const mine = await auto.manager.find(AutoIdRow, { order: { id: 'ASC' } });
      expect(mine.map(({ id: _id, ...rest }) => rest)).to.deep.equal(rows);
      expect(mine.map((r) => r.id)).to.deep.equal(Array.from({ length: 25 }, (_, i) => i + 1));
      // The same rows through TypeORM's own insert store the same column values.
      await auto.manager.createQueryBuilder().insert().into(AutoIdRow).values(rows).execute();
      const stored = (await auto.query('SELECT * FROM auto_id_row ORDER BY id')) as Record<string, unknown>[];
      const strip = (r: Record<string, unknown>) => ({ ...r, id: undefined });
      expect(stored.slice(0, 25).map(strip)).to.deep.equal(stored.slice(25).map(strip));
      // A flag as each database stores it: SQLite's 1/0, PostgreSQL's boolean.
      expect(stored[0].estimated).to.equal(onPostgres() ? true : 1);
      expect(stored[1].estimated).to.equal(onPostgres() ? false : 0);
    });

    it('inserts many rows with the default statement size', async () => {
      const rows = Array.from({ length: 7000 }, (_, i) => application(i)); // 70,000 parameters: three statements
      await insertRows(auto.manager, AutoIdRow, rows as AutoIdRow[]);
      expect(await auto.manager.count(AutoIdRow)).to.equal(7000);
      expect((await auto.manager.findOneByOrFail(AutoIdRow, { id: 7000 })).consumerId).to.equal('C6999');
    });
  });

  it('stores embedded columns, column defaults and NULLs as TypeORM does', async () => {
    await insertRows(db.manager, AzureCreditEvent, [event('mine-1'), event('mine-2', { origin: 'COMPUTED', superseded: true, lotId: 'L1' })] as AzureCreditEvent[], 60);
    await db.manager.insert(AzureCreditEvent, [event('orm-1'), event('orm-2', { origin: 'COMPUTED', superseded: true, lotId: 'L1' })] as AzureCreditEvent[]);
    const rows = await raw('SELECT * FROM azure_credit_event ORDER BY name');
    const byName = new Map(rows.map((r) => [r.name, { ...r, id: undefined, name: undefined }]));
    expect(byName.get('mine-1')).to.deep.equal(byName.get('orm-1'));
    expect(byName.get('mine-2')).to.deep.equal(byName.get('orm-2'));
    const mine1 = byName.get('mine-1') as Record<string, unknown>;
    expect({ ...mine1, superseded: Number(mine1.superseded) }).to.include({ origin: 'IMPORTED', superseded: 0, chargesValue: '-12.50', newCreditValue: null });
  });

  it('upserts rows over several statements: a row of a stored key replaced whole, a new one inserted, as TypeORM\'s upsert does', async () => {
    const period = (month: string, final: boolean, invoiceIds: string[], dataThrough: string | null) => ({
      billingGroup: 'G1',
      month,
      final,
      invoiceIds,
      dataThrough,
      sourceFile: `${month}.csv`,
      loadedAt: '2026-11-22T12:00:00.000Z',
    });
    await db.manager.upsert(BillingPeriodRow, [period('2026-09', false, [], '2026-09-10'), period('2026-10', false, [], null)], ['billingGroup', 'month']);
    const next = [period('2026-10', true, ['G9', 'G8'], '2026-10-31'), period('2026-11', false, [], '2026-11-05'), period('2026-12', false, [], null)];
    // 7 columns a row, 14 parameters a statement: two rows a statement.
    await upsertRows(db.manager, BillingPeriodRow, next, 14);
    const mine = await raw('SELECT * FROM billing_period ORDER BY month');
    await db.manager.upsert(BillingPeriodRow, next, ['billingGroup', 'month']);
    expect(await raw('SELECT * FROM billing_period ORDER BY month')).to.deep.equal(mine);
    expect(mine.map((r) => [r.month, Number(r.final), r.invoiceIds, r.dataThrough])).to.deep.equal([
      ['2026-09', 0, '[]', '2026-09-10'],
      ['2026-10', 1, '["G9","G8"]', '2026-10-31'],
      ['2026-11', 0, '[]', '2026-11-05'],
      ['2026-12', 0, '[]', null],
    ]);
  });

  it('upserts partial rows on a key: only the columns a row gives are replaced, the last row of a key wins, as row-by-row upserts leave them', async () => {
    const stored = [event('a', { lotId: 'L1', origin: 'COMPUTED' }), event('b', { lotId: 'L2' }), event('c')];
    const given = [
      // Every column but the lot and the origin: a's origin stays; its lot is this row's, which the next row of a does not give.
      event('a', { description: 'first a', closedBalanceColumns: { currency: 'USD', value: '1.00' }, lotId: 'L9' }),
      event('b', { description: 'b again', invoiceNumber: 'G2' }),
      event('a', { description: 'last a', closedBalanceColumns: { currency: 'USD', value: '2.00' } }),
      // Given its lot and origin: both replaced.
      event('c', { lotId: 'L3', origin: 'COMPUTED' }),
      // New rows: the columns they do not give take their defaults.
      event('d', { lotId: 'L4' }),
      event('e'),
    ];
    const read = async () => (await db.manager.find(AzureCreditEvent, { order: { name: 'ASC' } })).map((r) => ({ ...r }));
    await db.manager.insert(AzureCreditEvent, stored as AzureCreditEvent[]);
    // 20 parameters a statement: one row a statement.
    await upsertByKey(db.manager, AzureCreditEvent, given, ['id'], 20);
    const mine = await read();
    await db.manager.clear(AzureCreditEvent);
    await db.manager.insert(AzureCreditEvent, stored as AzureCreditEvent[]);
    for (const row of given) await db.manager.upsert(AzureCreditEvent, row as AzureCreditEvent, { conflictPaths: ['id'], skipUpdateIfNoValuesChanged: false });
    expect(mine).to.deep.equal(await read());
    const byName = new Map(mine.map((r) => [r.name, r]));
    expect(byName.get('a')).to.include({ description: 'last a', lotId: 'L9', origin: 'COMPUTED' });
    expect(byName.get('a')!.closedBalanceColumns).to.deep.equal({ currency: 'USD', value: '2.00' });
    expect(byName.get('b')).to.include({ description: 'b again', invoiceNumber: 'G2', lotId: 'L2' });
    expect(byName.get('c')).to.include({ lotId: 'L3', origin: 'COMPUTED' });
    expect(byName.get('d')).to.include({ lotId: 'L4', origin: 'IMPORTED' });
    expect(byName.get('e')).to.include({ origin: 'IMPORTED', superseded: false, lotId: null });
    await upsertByKey(db.manager, AzureCreditEvent, [{ description: 'no key' }], ['id']).then(
      () => expect.fail('a row without its key was written'),
      (error: Error) => expect(error.message).to.contain('a row without its key id'),
    );
  });

  it('upserts rows that give only their key as no change to the rows they meet, and as new rows with defaults', async () => {
    const keyed = await openScratchDatabase([KeyedRow]);
    try {
      await keyed.manager.insert(KeyedRow, [{ key: 'a', note: 'kept' }]);
      await upsertByKey(keyed.manager, KeyedRow, [{ key: 'a' }, { key: 'b' }], ['key']);
      expect((await keyed.manager.find(KeyedRow, { order: { key: 'ASC' } })).map((r) => [r.key, r.note])).to.deep.equal([['a', 'kept'], ['b', 'default note']]);
    } finally {
      await keyed.destroy();
    }
  });

  it('updates the rows given, the columns given, over several statements', async () => {
    await db.manager.insert(AzureCreditEvent, Array.from({ length: 9 }, (_, i) => event(`e${i}`)) as AzureCreditEvent[]);
    const changes = [1, 3, 4, 8].map((i) => ({
      key: { id: `/x/events/e${i}` },
      set: { description: `changed ${i}`, closedBalanceColumns: { currency: 'EUR', value: `${i}.00` }, superseded: true },
    }));
    await updateRows(db.manager, AzureCreditEvent, changes, 12); // 6 parameters a change: 2 changes a statement
    const rows = await db.manager.find(AzureCreditEvent, { order: { name: 'ASC' } });
    for (const [i, r] of rows.entries()) {
      const changed = [1, 3, 4, 8].includes(i);
      expect(r.description).to.equal(changed ? `changed ${i}` : 'Charges for October 2026');
      expect(r.closedBalanceColumns).to.deep.equal(changed ? { currency: 'EUR', value: `${i}.00` } : { currency: 'USD', value: '87.50' });
      expect(r.superseded).to.equal(changed);
      expect(r.chargesColumns).to.deep.equal({ currency: 'USD', value: '-12.50' });
    }
  });

  it('refuses changes that do not all set the same columns', async () => {
    const changes = [
      { key: { id: 'a' }, set: { description: 'x' } },
      { key: { id: 'b' }, set: { description: 'y', superseded: true } },
    ];
    let error: unknown;
    await updateRows(db.manager, AzureCreditEvent, changes).catch((e) => (error = e));
    expect(String(error)).to.match(/every change must give the same key and columns/);
  });

  it('reads the same periods with charges handed over in memory as read back from the database', async () => {
    const periods = [
      { group: 'G1', month: '2026-09' },
      { group: 'G1', month: '2026-10' },
      { group: 'G2', month: '2026-10' },
    ];
    const charges = new Map<string, EngineCharge[]>();
    for (const [n, p] of periods.entries()) {
      await db.manager.insert(BillingPeriodRow, { billingGroup: p.group, month: p.month, final: n === 0, invoiceIds: n === 0 ? ['I1'] : [], dataThrough: `${p.month}-28`, sourceFile: 'f', loadedAt: 'now' });
      const rows = Array.from({ length: 5 + n }, (_, i) => charge(i * 7 + n, p.month));
      await db.manager.insert(PeriodChargesRow, { billingGroup: p.group, month: p.month, charges: CHARGES_DOCUMENT.encode(rows) });
      charges.set(`${p.group}\u0001${p.month}`, rows);
    }
    const fromDb = await readPeriods(db.manager, ['G1', 'G2']);
    // All in memory; one month of G1 in memory (the other read); nothing of G2 in memory.
    const all = await readPeriods(db.manager, ['G1', 'G2'], charges);
    const some = await readPeriods(db.manager, ['G1', 'G2'], new Map([['G1\u00012026-10', charges.get('G1\u00012026-10')!]]));
    expect(fromDb.map((p) => p.charges.length)).to.deep.equal([5, 6, 7]);
    expect(fromDb.map((p) => p.charges)).to.deep.equal([...charges.values()]);
    expect(all).to.deep.equal(fromDb);
    expect(some).to.deep.equal(fromDb);
  });
});

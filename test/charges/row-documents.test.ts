/**
 * A period's charges and a credit's applications as stored documents (lib/store/row-documents.ts):
 * what is written is read back exactly, in order; a broken document is refused naming whose it
 * is; and a database written with one row per charge or per application has them moved into
 * documents when it is opened.
 */
import { asMadeBeforeMigrations, onPostgres } from '../support/database';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { APPLICATIONS_DOCUMENT, CHARGES_DOCUMENT, type StoredApplication } from '../../lib/store/row-documents';
import { readApplications, readPeriods } from '../../lib/store/ledger';
import type { CreditApplication, EngineCharge } from '../../lib/domain/charges/types';
import { openAwsDatabase } from '../../subgraphs/aws/store';
import { openAzureDatabase } from '../../subgraphs/azure/store';
import { tempDir } from '../support/stack';

const SECTION = '/providers/Microsoft.Billing/billingAccounts/a:b_2019-05-31/billingProfiles/P1/invoiceSections/S1';
const charge = (i: number, extra: Partial<EngineCharge> = {}): EngineCharge => ({
  date: `2026-10-${String((i % 28) + 1).padStart(2, '0')}`,
  consumerKind: 'AZURE_INVOICE_SECTION',
  consumerId: `${SECTION}${i % 3}`,
  service: `Service ${i % 4}`,
  productCode: `Product "${i % 5}", ☕`,
  currency: i % 7 === 0 ? 'EUR' : 'USD',
  amount: `${i}.${String(i).padStart(10, '0')}`,
  creditEligible: i % 2 === 0,
  ...extra,
});

const application = (i: number, extra: Partial<StoredApplication> = {}): StoredApplication => ({
  month: `2026-${String((i % 3) + 8).padStart(2, '0')}`,
  consumerKind: 'AZURE_INVOICE_SECTION',
  consumerId: `${SECTION}${i % 3}`,
  service: `Service ${i % 4}`,
  productCode: `Product "${i % 5}", ☕`,
  currency: 'USD',
  amount: `${i}.${String(i).padStart(10, '0')}`,
  estimated: i % 2 === 0,
  ...extra,
});

/** Opens the database and writes `rows` into an application row table, as the previous version stored them. */
async function writeApplicationRows(open: (dir: string) => Promise<DataSource>, dir: string, rows: readonly CreditApplication[]): Promise<void> {
  const older = await open(dir);
  try {
    await older.query(
      'CREATE TABLE "charge_application" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "creditId" varchar NOT NULL, "billingGroup" varchar NOT NULL, "month" varchar NOT NULL, "consumerKind" varchar NOT NULL, "consumerId" varchar NOT NULL, "service" varchar NOT NULL, "productCode" varchar NOT NULL, "currency" varchar NOT NULL, "amount" varchar NOT NULL, "estimated" boolean NOT NULL)',
    );
    for (const a of rows) {
      await older.query(
        'INSERT INTO charge_application (creditId, billingGroup, month, consumerKind, consumerId, service, productCode, currency, amount, estimated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [a.creditId, a.group, a.month, a.consumerKind, a.consumerId, a.service, a.productCode, a.currency, a.amount, a.estimated ? 1 : 0],
      );
    }
    await asMadeBeforeMigrations(older);
  } finally {
    await older.destroy();
  }
}

describe('charge and application documents', () => {
  it('reads back exactly the charges written, in their order, each distinct text written once', () => {
    const charges = Array.from({ length: 500 }, (_, i) => charge(i));
    charges.push(charge(1, { amount: '-0.000000000000000001', service: '' }));
    const document = CHARGES_DOCUMENT.encode(charges);
    expect(CHARGES_DOCUMENT.decode(document, 'P1 2026-10')).to.deep.equal(charges);
    expect(CHARGES_DOCUMENT.decode(CHARGES_DOCUMENT.encode([]), 'P1 2026-10')).to.deep.equal([]);
    expect(document.split(SECTION).length - 1).to.equal(3);
  });

  it('reads a document as the previous version wrote it', () => {
    // Written by lib/charges/charge-document.ts's encodeCharges before the codec was shared.
    const written = '{"texts":["2026-10-03","AZURE_INVOICE_SECTION","/sec/S1","Virtual Machines","D4s v5","USD","2026-10-04"],"charges":[[0,1,2,3,4,5,1,"80.00"],[6,1,2,3,4,5,0,"5.5"]]}';
    const common = { consumerKind: 'AZURE_INVOICE_SECTION', consumerId: '/sec/S1', service: 'Virtual Machines', productCode: 'D4s v5', currency: 'USD' };
    expect(CHARGES_DOCUMENT.decode(written, 'P1 2026-10')).to.deep.equal([
      { date: '2026-10-03', ...common, creditEligible: true, amount: '80.00' },
      { date: '2026-10-04', ...common, creditEligible: false, amount: '5.5' },
    ]);
    expect(CHARGES_DOCUMENT.encode(CHARGES_DOCUMENT.decode(written, 'P1 2026-10'))).to.equal(written);
  });

  it('refuses a document that is not one, naming the period', () => {
    const where = '2026-10 of P1';
    expect(() => CHARGES_DOCUMENT.decode('{"texts": [', where)).to.throw(/the stored charges of 2026-10 of P1 are not a charges document/);
    expect(() => CHARGES_DOCUMENT.decode('[]', where)).to.throw(/expected "texts" and "charges" lists/);
    expect(() => CHARGES_DOCUMENT.decode('{"texts": ["a"], "charges": [[0, 0, 0, 0, 0, 9, 1, "1.00"]]}', where)).to.throw(/charge 1 names text 9/);
    expect(() => CHARGES_DOCUMENT.decode('{"texts": ["a"], "charges": [[0, 0, 0, 0, 0, 0, 1, 1]]}', where)).to.throw(/charge 1 is not \[date/);
    expect(() => CHARGES_DOCUMENT.decode('{"texts": ["a"], "charges": [[0, 0, 0, 0, 0, 0, true, "1.00"]]}', where)).to.throw(/creditEligible \(1 or 0\)/);
  });

  it('reads back exactly the applications written, in their order, and refuses a broken document naming the credit', () => {
    const applications = Array.from({ length: 200 }, (_, i) => application(i));
    const document = APPLICATIONS_DOCUMENT.encode(applications);
    expect(APPLICATIONS_DOCUMENT.decode(document, 'credit L1')).to.deep.equal(applications);
    expect(document.split(SECTION).length - 1).to.equal(3);
    expect(() => APPLICATIONS_DOCUMENT.decode(CHARGES_DOCUMENT.encode([charge(1)]), 'credit L1')).to.throw(/the stored applications of credit L1 are not an applications document: expected "texts" and "applications" lists/);
    expect(() => APPLICATIONS_DOCUMENT.decode('{"texts": ["a"], "applications": [[0, 0, 0, 0, 0, 0, 2, "1.00"]]}', 'credit L1')).to.throw(/application 1 is not \[month, .*estimated \(1 or 0\), amount\]/);
  });

  it('drops the empty row tables of an older database', async function () {
    if (onPostgres()) this.skip(); // only SQLite databases of earlier releases have them
    const dir = tempDir('charge-rows-empty');
    const older = await openAzureDatabase(dir);
    await older.query('CREATE TABLE "billing_charge" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "billingGroup" varchar NOT NULL, "month" varchar NOT NULL)');
    await older.query('CREATE TABLE "charge_application" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "creditId" varchar NOT NULL, "billingGroup" varchar NOT NULL)');
    await asMadeBeforeMigrations(older);
    await older.destroy();
    const db = await openAzureDatabase(dir);
    try {
      expect(await db.query("SELECT name FROM sqlite_master WHERE name IN ('billing_charge', 'charge_application')")).to.deep.equal([]);
      expect(await readPeriods(db.manager, ['G1'])).to.deep.equal([]);
      expect(await readApplications(db.manager, ['L1'])).to.deep.equal([]);
    } finally {
      await db.destroy();
    }
  });

  for (const [provider, open] of [
    ['Azure', openAzureDatabase],
    ['AWS', openAwsDatabase],
  ] as const) {
    it(`moves the charge rows of an older ${provider} database into documents when it is opened`, async function () {
      if (onPostgres()) this.skip(); // only SQLite databases of earlier releases have row tables
      const dir = tempDir('charge-rows');
      const periods = [
        { group: 'G1', month: '2026-09', charges: [charge(3), charge(1), charge(2)] },
        { group: 'G1', month: '2026-10', charges: [charge(8, { consumerKind: 'AWS_ACCOUNT' })] },
        { group: 'G2', month: '2026-10', charges: [charge(5), charge(4)] },
      ];
      const older = await open(dir);
      try {
        // The table and rows as the previous version stored them, inserted out of period order.
        await older.query(
          'CREATE TABLE "billing_charge" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "billingGroup" varchar NOT NULL, "month" varchar NOT NULL, "date" varchar NOT NULL, "consumerKind" varchar NOT NULL, "consumerId" varchar NOT NULL, "service" varchar NOT NULL, "productCode" varchar NOT NULL, "currency" varchar NOT NULL, "amount" varchar NOT NULL, "creditEligible" boolean NOT NULL)',
        );
        for (const p of periods) {
          await older.query('INSERT INTO billing_period (billingGroup, month, final, invoiceIds, dataThrough, sourceFile, loadedAt) VALUES (?, ?, 0, ?, NULL, ?, ?)', [p.group, p.month, '[]', 'f.csv', 'now']);
        }
        // Rows of the three periods interleaved: each period's charges come back in its rows' order.
        for (const [i, k] of [[0, 0], [2, 0], [1, 0], [0, 1], [2, 1], [0, 2]]) {
          const { group, month, charges } = periods[i];
          const c = charges[k];
          await older.query(
            'INSERT INTO billing_charge (billingGroup, month, date, consumerKind, consumerId, service, productCode, currency, amount, creditEligible) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [group, month, c.date, c.consumerKind, c.consumerId, c.service, c.productCode, c.currency, c.amount, c.creditEligible ? 1 : 0],
          );
        }
        await asMadeBeforeMigrations(older);
      } finally {
        await older.destroy();
      }
      const db = await open(dir);
      try {
        const read = await readPeriods(db.manager, ['G1', 'G2']);
        expect(read.map((p) => [p.group, p.month, p.charges])).to.deep.equal(periods.map((p) => [p.group, p.month, p.charges]));
        expect(await db.query("SELECT name FROM sqlite_master WHERE name = 'billing_charge'")).to.deep.equal([]);
      } finally {
        await db.destroy();
      }
      // Opened again: nothing left to move, the same charges.
      const again = await open(dir);
      try {
        expect((await readPeriods(again.manager, ['G1', 'G2'])).map((p) => p.charges.length)).to.deep.equal([3, 1, 2]);
      } finally {
        await again.destroy();
      }
    });

    it(`moves the application rows of an older ${provider} database into documents, listed in SQLite's byte order`, async function () {
      if (onPostgres()) this.skip(); // only SQLite databases of earlier releases have row tables
      const dir = tempDir('application-rows');
      // Same credit, month and invoice section: 'ｚ' (U+FF5A) sorts before '𝟘' (U+1D7D8) in UTF-8 bytes, as SQLite orders text, and after it in UTF-16 units.
      const rows: CreditApplication[] = [
        { creditId: 'L2', group: 'G1', ...application(1, { month: '2026-10', service: '𝟘' }) },
        { creditId: 'L1', group: 'G1', ...application(2, { month: '2026-10' }) },
        { creditId: 'L2', group: 'G1', ...application(4, { month: '2026-10', service: 'ｚ' }) },
        { creditId: 'L1', group: 'G1', ...application(4, { month: '2026-09' }) },
        { creditId: 'L3', group: 'G2', ...application(5, { consumerKind: 'AWS_ACCOUNT' }) },
      ];
      await writeApplicationRows(open, dir, rows);
      const db = await open(dir);
      try {
        expect(await readApplications(db.manager, ['L1', 'L2', 'L3'])).to.deep.equal([rows[3], rows[1], rows[2], rows[0], rows[4]]);
        expect(await readApplications(db.manager, ['L2'])).to.deep.equal([rows[2], rows[0]]);
        expect(await db.query("SELECT name FROM sqlite_master WHERE name = 'charge_application'")).to.deep.equal([]);
        expect((await db.query('SELECT creditId, billingGroup FROM credit_applications ORDER BY creditId')) as unknown[]).to.deep.equal([
          { creditId: 'L1', billingGroup: 'G1' },
          { creditId: 'L2', billingGroup: 'G1' },
          { creditId: 'L3', billingGroup: 'G2' },
        ]);
      } finally {
        await db.destroy();
      }
    });

    it(`takes an older build's application rows, written after this build's documents, over the documents of their groups (${provider})`, async function () {
      if (onPostgres()) this.skip(); // only SQLite databases of earlier releases have row tables
      const dir = tempDir('application-rows-again');
      const first = [
        { creditId: 'L1', group: 'G1', ...application(1) },
        { creditId: 'L2', group: 'G1', ...application(2) },
        { creditId: 'L3', group: 'G2', ...application(3) },
      ];
      await writeApplicationRows(open, dir, first);
      await (await open(dir)).destroy(); // moved into documents
      // The older build recomputed G1: L1 paid something else, L2 nothing; G2 it did not touch.
      const again = { creditId: 'L1', group: 'G1', ...application(7) };
      await writeApplicationRows(open, dir, [again]);
      const db = await open(dir);
      try {
        expect(await readApplications(db.manager, ['L1', 'L2', 'L3'])).to.deep.equal([again, first[2]]);
      } finally {
        await db.destroy();
      }
    });
  }
});

/**
 * The SQL status filter (lib/domain/credit-status.ts statusSqlCase over store/status-sql.ts's columns) and
 * the normalized status (normalizeLot) agree for every combination of the facts the status uses.
 */
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { CREDIT_STATUSES, CreditStatus } from '../../lib/domain/provider-contract';
import { openAzureDatabase } from '../../subgraphs/azure/store';
import { normalizeLot } from '../../subgraphs/azure/domain/normalize-lot';
import { AzureCreditLot } from '../../subgraphs/azure/entities/credit-lot';
import { AzureCreditProvider } from '../../subgraphs/azure/provider';
import { makeLot, NOW, OWNER, removeDir, tempDir } from './helpers';

/** Every Azure lot status, plus one Azure never documented. */
const AZURE_STATUSES = ['None', 'Active', 'Inactive', 'Expired', 'Complete', 'Canceled', 'Suspended'];
const BEFORE = '2026-06-01T00:00:00.000Z';
const AFTER = '2027-06-01T00:00:00.000Z';
/** No date, before `NOW`, exactly `NOW`, after `NOW`. */
const DATES = [null, BEFORE, NOW, AFTER];
const BALANCES = ['0.00', '0', '12.5'];

describe('azure status filter: SQL equals the normalized status', () => {
  let dir: string;
  let db: DataSource;
  let provider: AzureCreditProvider;
  const lots: AzureCreditLot[] = [];

  before(async () => {
    dir = tempDir();
    db = await openAzureDatabase(dir);
    provider = new AzureCreditProvider(db);
    for (const status of AZURE_STATUSES)
      for (const paused of [false, true])
        for (const value of BALANCES)
          for (const startDate of DATES)
            for (const expirationDate of DATES) {
              lots.push(makeLot({ name: `S${lots.length}`, status, paused, startDate, expirationDate, closedBalance: { currency: 'USD', value } }));
            }
    await db.manager.save(AzureCreditLot, lots, { chunk: 50 });
  });
  after(async () => {
    await db.destroy();
    removeDir(dir);
  });

  // At NOW and at AFTER, so dates fall on each side of (and on) the moment the filter uses.
  for (const now of [NOW, AFTER]) {
    it(`filters each CreditStatus exactly like normalizeLot, at ${now}`, async () => {
      expect(lots).to.have.length(AZURE_STATUSES.length * 2 * BALANCES.length * DATES.length * DATES.length);
      const expected = new Map<CreditStatus, string[]>(CREDIT_STATUSES.map((s) => [s, []]));
      for (const lot of lots) expected.get(normalizeLot(lot, { profile: null, sectionsById: new Map() }, now).status)!.push(lot.id);
      let total = 0;
      for (const status of CREDIT_STATUSES) {
        const found = await provider.searchCredits(OWNER, {
          filter: { statuses: [status] },
          order: { field: 'NAME', direction: 'ASC' },
          after: null,
          limit: null,
          now,
        });
        expect(found.every((c) => c.status === status), status).to.equal(true);
        expect(found.map((c) => c.providerCreditId).sort(), status).to.deep.equal(expected.get(status)!.sort());
        expect(found.length, `some lot is ${status}`).to.be.greaterThan(0);
        total += found.length;
      }
      expect(total).to.equal(lots.length);
    });
  }
});

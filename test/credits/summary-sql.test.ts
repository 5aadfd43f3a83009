/**
 * creditSummary summed in SQL (lib/store/summary-sql.ts) in both providers' stores, on the
 * database the suite runs on: with amounts that test an exact sum (twenty decimal places, long
 * integer parts, negative amounts, whole numbers, every status and expiry window), each store's
 * one statement answers exactly what summing its credits one by one answers (summarizeInPages
 * over its own search), for several filters; and where SQLite's integers cannot hold an amount,
 * it answers null so the provider sums by pages, and the provider's answer is still exact.
 */
import { expect } from 'chai';
import { addDays } from '../../lib/domain/credit-status';
import { creditSortKeys } from '../../lib/domain/credit-order';
import { isZeroDecimal } from '../../lib/domain/money';
import { summarizeInPages } from '../../lib/domain/credit-summary';
import type { CreditFilter, SummarizeCreditsRequest } from '../../lib/domain/provider-contract';
import { onPostgres, runSql } from '../support/database';
import { FIXTURE_STORES, FixtureStore, FixtureStoreKind } from '../support/fixture-stores';
import { repositoryFor as awsRepositoryFor } from '../../subgraphs/aws/store';
import { repositoryFor as azureRepositoryFor } from '../../subgraphs/azure/store';

/** Amounts given to the stored credits in turn (remaining, original, estimated): no provider writes a negative balance. */
const AMOUNTS: [string, string, string | null][] = [
  ['0.00000000000000000001', '12.5', null],
  ['123456789012345.12345678901234567890', '999999999999999.99', '123456789012345.1'],
  ['3.75', '-10', '-4.00000000009'],
  ['6000', '6000.00', '5999.9999999999'],
  ['0', '250.25', '0'],
  ['98765.4321', '100000', null],
  ['0.1', '0.2', '0.3'],
];

/** The store's statement alone (null when it cannot sum exactly), and how to give its credits AMOUNTS and expiries in turn. */
const STORE_SQL: Record<FixtureStoreKind['name'], {
  inSql(store: FixtureStore, request: SummarizeCreditsRequest): Promise<unknown>;
  setAmounts(store: FixtureStore, amounts: [string, string, string | null][], expiries: (string | null)[]): Promise<number>;
}> = {
  AWS: {
    inSql: async (store, request) => (await awsRepositoryFor(store.db.manager, store.caller)).summarizeCredits(request),
    async setAmounts({ db }, amounts, expiries) {
      const ids = (await runSql<{ creditId: string }>(db, 'SELECT creditId FROM aws_credit ORDER BY creditId')).map((r) => r.creditId);
      for (const [i, id] of ids.entries()) {
        const [remaining, original, estimated] = amounts[i % amounts.length];
        const endDate = expiries[i % expiries.length];
        // With the columns derived from them, as a load writes them (creditSortKeys).
        const keys = creditSortKeys({ expiresAt: endDate, remaining });
        await runSql(db, 'UPDATE aws_credit SET remainingCurrencyAmount = ?, initialCurrencyAmount = ?, estimatedCurrencyAmount = ?, endDate = ?, sortRemaining = ?, sortExpiresAt = ? WHERE creditId = ?', [
          remaining, original, estimated, endDate, keys.sortRemaining, keys.sortExpiresAt, id,
        ]);
      }
      return ids.length;
    },
  },
  Azure: {
    inSql: async (store, request) => (await azureRepositoryFor(store.db.manager, store.caller)).summarizeCredits(request),
    async setAmounts({ db }, amounts, expiries) {
      const ids = (await runSql<{ id: string }>(db, 'SELECT id FROM azure_credit_lot ORDER BY id')).map((r) => r.id);
      for (const [i, id] of ids.entries()) {
        const [remaining, original, estimated] = amounts[i % amounts.length];
        const expirationDate = expiries[i % expiries.length];
        const keys = creditSortKeys({ expiresAt: expirationDate, remaining });
        await runSql(db, 'UPDATE azure_credit_lot SET closedBalanceValue = ?, originalAmountValue = ?, estimatedBalanceValue = ?, expirationDate = ?, sortRemaining = ?, sortExpiresAt = ?, closedBalanceIsZero = ? WHERE id = ?', [
          remaining, original, estimated, expirationDate, keys.sortRemaining, keys.sortExpiresAt, isZeroDecimal(remaining), id,
        ]);
      }
      return ids.length;
    },
  },
};

const FILTERS: CreditFilter[] = [{}, { statuses: ['ACTIVE', 'PAUSED'] }, { search: 'credit' }, { currencyCodes: ['EUR'] }, { expiresBefore: '2027-06-01T00:00:00.000Z' }];

for (const store of FIXTURE_STORES) {
  describe(`creditSummary in SQL (${store.name} store, ${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
    let context: FixtureStore;
    const { inSql, setAmounts } = STORE_SQL[store.name];
    beforeEach(async () => {
      context = await store.open();
    });
    afterEach(async () => {
      await context.db.destroy();
      context.cleanUp();
    });
    const byPages = (request: SummarizeCreditsRequest) => summarizeInPages((page) => context.provider.searchCredits(context.caller, page), request, 2);

    it('answers exactly what summing the credits one by one answers, for every filter', async () => {
      // Expiries in each window, past, and never, so every status and window has credits.
      const expiries = [addDays(context.now, 10), addDays(context.now, 45), addDays(context.now, 80), addDays(context.now, 400), addDays(context.now, -3), null];
      const count = await setAmounts(context, AMOUNTS, expiries);
      expect(count).to.be.at.least(AMOUNTS.length);
      for (const filter of FILTERS) {
        const request = { filter, now: context.now };
        const expected = await byPages(request);
        expect(await inSql(context, request), JSON.stringify(filter)).to.deep.equal(expected);
        expect(await context.provider.summarizeCredits(context.caller, request)).to.deep.equal(expected);
      }
      const all = await byPages({ filter: {}, now: context.now });
      expect(all.creditCount).to.equal(count);
      expect(all.expiring.map((e) => e.withinDays)).to.include.members([30, 60, 90]);
      expect(all.totals.some((t) => t.remainingBalance.includes('.') && t.remainingBalance.split('.')[1].length === 20), 'a sum with twenty places').to.equal(true);
    });

    it('on SQLite, answers null where its integers cannot hold an amount, and the provider sums by pages instead', async function () {
      if (onPostgres()) this.skip(); // numeric sums have no such bound
      await setAmounts(context, [['1234567890123456789.5', '1', null]], [null]);
      const request = { filter: {}, now: context.now };
      expect(await inSql(context, request)).to.equal(null);
      const expected = await byPages(request);
      expect(await context.provider.summarizeCredits(context.caller, request)).to.deep.equal(expected);
      expect(expected.totals[0].remainingBalance).to.match(/^\d{19,}\.5$/);

    });
  });
}

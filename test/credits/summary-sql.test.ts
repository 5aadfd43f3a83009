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

/** Each store's statement alone (null when it cannot sum exactly), and the columns a credit's amounts and expiry are stored in. */
const STORE_SQL: Record<FixtureStoreKind['name'], {
  inSql(store: FixtureStore, request: SummarizeCreditsRequest): Promise<unknown>;
  columns: { remaining: string; original: string; estimated: string; expiresAt: string };
  /** Columns a load derives from the remaining balance besides the sort keys. */
  derived?: (remaining: string) => Record<string, unknown>;
}> = {
  AWS: {
    inSql: async (store, request) => (await awsRepositoryFor(store.db.manager, store.caller)).summarizeCredits(request),
    columns: { remaining: 'remainingCurrencyAmount', original: 'initialCurrencyAmount', estimated: 'estimatedCurrencyAmount', expiresAt: 'endDate' },
  },
  Azure: {
    inSql: async (store, request) => (await azureRepositoryFor(store.db.manager, store.caller)).summarizeCredits(request),
    columns: { remaining: 'closedBalanceValue', original: 'originalAmountValue', estimated: 'estimatedBalanceValue', expiresAt: 'expirationDate' },
    derived: (remaining) => ({ closedBalanceIsZero: isZeroDecimal(remaining) }),
  },
};

/** Gives the stored credits of `kind` AMOUNTS and `expiries` in turn, with the columns a load derives from them (creditSortKeys); answers how many there are. */
async function setAmounts(kind: FixtureStoreKind, { db }: FixtureStore, amounts: [string, string, string | null][], expiries: (string | null)[]): Promise<number> {
  const { columns, derived } = STORE_SQL[kind.name];
  const ids = (await runSql<{ key: string }>(db, `SELECT "${kind.key}" AS "key" FROM "${kind.table}" ORDER BY "${kind.key}"`)).map((r) => r.key);
  for (const [i, id] of ids.entries()) {
    const [remaining, original, estimated] = amounts[i % amounts.length];
    const expiresAt = expiries[i % expiries.length];
    const values: Record<string, unknown> = {
      [columns.remaining]: remaining,
      [columns.original]: original,
      [columns.estimated]: estimated,
      [columns.expiresAt]: expiresAt,
      ...creditSortKeys({ expiresAt, remaining }),
      ...derived?.(remaining),
    };
    const names = Object.keys(values);
    await runSql(db, `UPDATE "${kind.table}" SET ${names.map((n) => `"${n}" = ?`).join(', ')} WHERE "${kind.key}" = ?`, [...names.map((n) => values[n]), id]);
  }
  return ids.length;
}

const FILTERS: CreditFilter[] = [{}, { statuses: ['ACTIVE', 'PAUSED'] }, { search: 'credit' }, { currencyCodes: ['EUR'] }, { expiresBefore: '2027-06-01T00:00:00.000Z' }];

for (const store of FIXTURE_STORES) {
  describe(`creditSummary in SQL (${store.name} store, ${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
    let context: FixtureStore;
    const { inSql } = STORE_SQL[store.name];
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
      const count = await setAmounts(store, context, AMOUNTS, expiries);
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
      await setAmounts(store, context, [['1234567890123456789.5', '1', null]], [null]);
      const request = { filter: {}, now: context.now };
      expect(await inSql(context, request)).to.equal(null);
      const expected = await byPages(request);
      expect(await context.provider.summarizeCredits(context.caller, request)).to.deep.equal(expected);
      expect(expected.totals[0].remainingBalance).to.match(/^\d{19,}\.5$/);

    });
  });
}

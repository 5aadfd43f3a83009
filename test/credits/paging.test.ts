/**
 * The cross-provider paging algorithm, end to end in SQL: two providers page their own rows with
 * keysetCondition, the layer merges with mergePages; walking every page must give every credit
 * exactly once, in the global order, for every order field and direction, with many ties.
 */
import { expect } from 'chai';
import sqlite3 from 'sqlite3';
import { compareCredits, keysetCondition, positionOf, sortKeyOf } from '../../lib/domain/credit-order';
import type { CreditOrder, CreditPosition, NormalizedCredit, ProviderName } from '../../lib/domain/provider-contract';
import { mergePages } from '../../subgraphs/credits/domain/merge-pages';
import { decodeCreditCursor, encodeCreditCursor, InvalidCursorError } from '../../subgraphs/credits/domain/cursor';

function credit(provider: ProviderName, id: string, name: string, expiresAt: string | null, remaining: string): NormalizedCredit {
  const money = { amount: remaining, currencyCode: 'USD' };
  return {
    provider, providerCreditId: id, name, type: 'OTHER', providerType: 'x', status: 'ACTIVE', providerStatus: null,
    originalAmount: money, remainingBalance: money, estimatedBalance: money, expiredAmount: money,
    originalAmountInBillingCurrency: null, remainingBalanceInBillingCurrency: null,
    startsAt: null, expiresAt, applicableServices: [],
    owner: { kind: 'AWS_ACCOUNT', id: 'o', name: null },
    sharing: { scope: 'ORGANIZATION', accounts: [], accountCount: 0, costCategory: null, invoiceSections: [], invoiceSectionCount: 0 },
  };
}

function all(db: sqlite3.Database, sql: string, params: Record<string, unknown>): Promise<any[]> {
  return new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));
}

describe('paging across providers (keyset in SQL + merge)', () => {
  const names = ['Alpha', 'beta', 'Gamma', 'alpha', 'Émile', 'Zed'];
  const dates = [null, '2026-12-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z'];
  const amounts = ['0', '10.5', '10.50', '200', '9.999'];
  const data: NormalizedCredit[] = [];
  for (const provider of ['AWS', 'AZURE'] as ProviderName[]) {
    for (let i = 0; i < 23; i++) {
      data.push(credit(provider, `${provider === 'AWS' ? '9000' : '/lots/G'}${(i * 7) % 23}`, names[i % names.length], dates[i % dates.length], amounts[i % amounts.length]));
    }
  }
  let db: sqlite3.Database;

  before(async () => {
    db = new sqlite3.Database(':memory:');
    await all(db, 'CREATE TABLE credits (provider TEXT, id TEXT, k_EXPIRES_AT TEXT, k_REMAINING_BALANCE TEXT, k_NAME TEXT, json TEXT)', {});
    for (const c of data) {
      await all(db, 'INSERT INTO credits VALUES ($p, $i, $e, $r, $n, $j)', {
        $p: c.provider, $i: c.providerCreditId, $e: sortKeyOf(c, 'EXPIRES_AT'), $r: sortKeyOf(c, 'REMAINING_BALANCE'), $n: sortKeyOf(c, 'NAME'), $j: JSON.stringify(c),
      });
    }
  });
  after(() => db.close());

  async function providerPage(provider: ProviderName, order: CreditOrder, after: CreditPosition | null, limit: number) {
    const key = `k_${order.field}`;
    const cond = keysetCondition(provider, after, order.direction, key, 'id');
    const params: Record<string, unknown> = { $provider: provider, $limit: limit };
    let where = 'provider = $provider';
    if (cond) {
      where += ` AND ${cond.sql.replace(/:(\w+)/g, '$$$1')}`;
      for (const [k, v] of Object.entries(cond.params)) params[`$${k}`] = v;
    }
    const rows = await all(db, `SELECT json FROM credits WHERE ${where} ORDER BY ${key} ${order.direction}, id ${order.direction} LIMIT $limit`, params);
    return rows.map((r) => JSON.parse(r.json) as NormalizedCredit);
  }

  for (const field of ['EXPIRES_AT', 'REMAINING_BALANCE', 'NAME'] as const) {
    for (const direction of ['ASC', 'DESC'] as const) {
      for (const first of [1, 4, 7]) {
        it(`${field} ${direction}, pages of ${first}: every credit once, in order`, async () => {
          const order = { field, direction };
          const seen: NormalizedCredit[] = [];
          let cursor: string | null = null;
          for (let guard = 0; guard < 100; guard++) {
            const after = cursor ? decodeCreditCursor(cursor, order) : null;
            const pages = await Promise.all((['AWS', 'AZURE'] as ProviderName[]).map((p) => providerPage(p, order, after, first + 1)));
            const page = mergePages(pages, order, first);
            seen.push(...page.credits);
            if (!page.hasNextPage) break;
            cursor = encodeCreditCursor(positionOf(page.credits[page.credits.length - 1], field), order);
          }
          const expected = [...data].sort((a, b) => compareCredits(a, b, order));
          expect(seen.map((c) => `${c.provider}:${c.providerCreditId}`)).to.deep.equal(expected.map((c) => `${c.provider}:${c.providerCreditId}`));
        });
      }
    }
  }

  it('refuses a cursor of another order, and garbage', () => {
    const cursor = encodeCreditCursor({ key: 'a', provider: 'AWS', providerCreditId: '1' }, { field: 'NAME', direction: 'ASC' });
    expect(() => decodeCreditCursor(cursor, { field: 'NAME', direction: 'DESC' })).to.throw(InvalidCursorError, /ordered by NAME ASC/);
    expect(() => decodeCreditCursor("' OR 1=1 --", { field: 'NAME', direction: 'ASC' })).to.throw(InvalidCursorError);
    expect(() => decodeCreditCursor('eyJmIjoxfQ', { field: 'NAME', direction: 'ASC' })).to.throw(InvalidCursorError);
  });
});

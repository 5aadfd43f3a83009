/**
 * Text search through its index (lib/platform/text-search-sql.ts), in both providers' stores, on
 * the database the suite runs on: every needle (shorter than a trigram, longer, with quotes, LIKE's
 * wildcards, a backslash, characters beyond ASCII, U+0000, nothing that matches) finds exactly the rows
 * whose search text contains it, as a scan with `includes` finds them; and the index follows every
 * write: an UPDATE, a reload's upsert, a DELETE, a new row.
 */
import { expect } from 'chai';
import { foldSearchTerm } from '../../lib/domain/credit-search';
import type { NormalizedCredit } from '../../lib/domain/provider-contract';
import { onPostgres, runSql } from '../support/database';
import { FIXTURE_STORES, FixtureStore, FixtureStoreKind } from '../support/fixture-stores';
import { loadFiles, readFixture, writeFile } from '../aws/support';
import { FIXTURE_FILES as AZURE_FIXTURE_FILES } from '../azure/helpers';
import { ingestFiles } from '../../lib/store/ingest';
import { azureIngest } from '../../subgraphs/azure/ingest';

/** Search texts (folded, as creditSearchText writes them) given to the stored rows in turn. */
const TEXTS = [
  'aws activate credits\n90000000001\npromotional',
  'research grant 50% off_peak\nlot-a\npurchasedcredit',
  'say "hello" to c:\\credits\\q4\nid-3\nrefund',
  'crédit über große ε-lot\nid-4\nfree tier',
  'ab\nx\ny',
];
const NEEDLES = ['a', 'ab', 'act', 'activate credits', 'CREDITS', '50%', 'off_peak', '_', '%', '"hello"', '"', 'c:\\credits', '\\', 'über', 'große ε', 'ε', '\n90000000001\n', 'no such credit', 'zz', 'act\u0000ivate', '\u0000\u0007\u001b[31m'];

/** A reload that upserts every row: AWS's GetCredits file again plus a credit it did not have; Azure's fixture files again. */
async function reload(kind: FixtureStoreKind, store: FixtureStore): Promise<void> {
  await store.db.destroy();
  if (kind.name === 'AWS') {
    const credits = readFixture('get-credits.json');
    await loadFiles(store.dir, [writeFile(store.dir, 'again.json', { credits: [...credits.credits, { ...credits.credits[0], creditId: '90000000099', description: 'Newly granted quokka credit' }] })]);
  } else {
    const result = await ingestFiles(AZURE_FIXTURE_FILES, store.dir, [azureIngest]);
    expect(result, JSON.stringify(result)).to.deep.include({ ok: true });
  }
  await store.db.initialize();
}

for (const store of FIXTURE_STORES) {
  describe(`text search through its index (${store.name} store, ${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
    let context: FixtureStore;
    const q = (name: string) => `"${name}"`;
    const rows = async () => runSql<{ key: string; text: string }>(context.db, `SELECT ${q(store.key)} AS "key", ${q('searchText')} AS "text" FROM ${q(store.table)}`);
    const found = async (needle: string) =>
      (await context.provider.searchCredits(context.caller, { filter: { search: needle }, order: { field: 'NAME', direction: 'ASC' }, after: null, limit: null, now: context.now }))
        .map((c: NormalizedCredit) => c.providerCreditId)
        .sort();
    const expected = async (needle: string) =>
      (await rows())
        .filter((r) => r.text.includes(foldSearchTerm(needle)))
        .map((r) => r.key)
        .sort();

    beforeEach(async () => {
      context = await store.open();
    });
    afterEach(async () => {
      if (context.db.isInitialized) await context.db.destroy();
      context.cleanUp();
    });

    it('finds exactly what a scan finds, for needles shorter and longer than a trigram, wildcards, quotes and accents', async () => {
      const keys = (await rows()).map((r) => r.key).sort();
      expect(keys.length).to.be.at.least(TEXTS.length);
      for (const [i, text] of TEXTS.entries()) await runSql(context.db, `UPDATE ${q(store.table)} SET ${q('searchText')} = ? WHERE ${q(store.key)} = ?`, [text, keys[i]]);
      let matched = 0;
      for (const needle of NEEDLES) {
        const want = await expected(needle);
        matched += want.length;
        expect(await found(needle), `search ${JSON.stringify(needle)}`).to.deep.equal(want);
      }
      expect(matched, 'the needles match some rows').to.be.greaterThan(10);
      // And the index is there to be used: SQLite's key table holds every row, PostgreSQL has the GIN index.
      if (onPostgres()) {
        const indexes = await runSql(context.db, `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '${store.table}' AND indexname = 'IDX_${store.table}_search_trigram'`);
        expect(indexes.map((r) => r.indexdef).join()).to.match(/USING gin \("searchText" \S*gin_trgm_ops\)/);
      } else {
        expect((await runSql(context.db, `SELECT COUNT(*) AS n FROM "${store.table}_search_key"`))[0].n).to.equal(keys.length);
      }
      expect(await found('no such credit')).to.deep.equal([]);
    });

    it('follows deletes, and a reload that rewrites every row and adds one', async () => {
      const [first] = (await rows()).map((r) => r.key).sort();
      const firstText = (await rows()).find((r) => r.key === first)!.text;
      const needle = firstText.split('\n')[0];
      expect(await found(needle)).to.include(first);
      await runSql(context.db, `DELETE FROM ${q(store.table)} WHERE ${q(store.key)} = ?`, [first]);
      expect(await found(needle)).to.not.include(first);
      expect(await found(needle)).to.deep.equal(await expected(needle));
      await reload(store, context);
      for (const n of ['quokka', 'credit', needle]) expect(await found(n), `after the reload, ${n}`).to.deep.equal(await expected(n));
    });
  });
}

/**
 * The partial indexes the Azure recompute names (subgraphs/azure/entities/credit-event.ts
 * EVENT_INDEXES): created with the WHERE the queries repeat, and one left from an earlier WHERE
 * (an older build's name) is dropped when the database is opened.
 */
import { expect } from 'chai';
import { asMadeBeforeMigrations, onPostgres } from '../support/database';
import { openAzureDatabase } from '../../subgraphs/azure/store';
import { EVENT_INDEXES, IMPORTED_PENDING_OR_NEW_CREDIT, SUPERSEDED } from '../../subgraphs/azure/store/event-indexes';
import { tempDir } from '../support/stack';

describe('Azure event partial indexes', () => {
  it('hold the WHERE the queries repeat, and an index of an earlier WHERE is replaced when the database is opened', async function () {
    if (onPostgres()) this.skip(); // INDEXED BY and sqlite_master: the SQLite planner's hints; PostgreSQL plans from statistics
    const dir = tempDir('event-indexes');
    const older = await openAzureDatabase(dir);
    try {
      await older.query(`CREATE INDEX "IDX_azure_credit_event_superseded_00000000" ON "azure_credit_event" ("billingProfileId") WHERE superseded = 2`);
      await asMadeBeforeMigrations(older);
    } finally {
      await older.destroy();
    }
    const db = await openAzureDatabase(dir);
    try {
      const indexes: { name: string; sql: string }[] = await db.query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'azure_credit_event' AND sql LIKE '% WHERE %' ORDER BY name",
      );
      expect(indexes.map((i) => [i.name, i.sql.slice(i.sql.indexOf(' WHERE ') + 7)])).to.deep.equal(
        [
          [EVENT_INDEXES.importedPendingOrNewCredit, IMPORTED_PENDING_OR_NEW_CREDIT],
          [EVENT_INDEXES.superseded, SUPERSEDED],
        ].sort(([a], [b]) => (a < b ? -1 : 1)),
      );
      // SQLite accepts each index for a query repeating its WHERE.
      await db.query(`SELECT id FROM azure_credit_event INDEXED BY ${EVENT_INDEXES.importedPendingOrNewCredit} WHERE ${IMPORTED_PENDING_OR_NEW_CREDIT} AND billingProfileId IN (?)`, ['P']);
      await db.query(`SELECT id FROM azure_credit_event INDEXED BY ${EVENT_INDEXES.superseded} WHERE ${SUPERSEDED} AND billingProfileId IN (?)`, ['P']);
    } finally {
      await db.destroy();
    }
  });
});

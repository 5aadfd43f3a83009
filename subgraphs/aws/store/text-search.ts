/**
 * The text search index of the credits (lib/platform/text-search-sql.ts): what the repository's
 * search condition reads, and the migration that makes it on either dialect.
 */
import type { QueryRunner } from 'typeorm';
import { TextSearchIndex, TextSearchMigration } from '../../../lib/platform/text-search-sql';

export const CREDIT_TEXT_SEARCH: TextSearchIndex = { table: 'aws_credit', key: 'creditId', column: 'searchText' };

/** The B-tree index the entities once declared on searchText: no substring search could use it. */
const UNUSED_SEARCH_TEXT_INDEX = 'IDX_a79f8493d460d06d61fbad1c82';

/** Makes the credits' text search index, and drops the index on searchText that it replaces. */
export abstract class CreditTextSearchMigration extends TextSearchMigration {
  protected readonly index = CREDIT_TEXT_SEARCH;

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS "${UNUSED_SEARCH_TEXT_INDEX}"`);
    await super.up(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await super.down(runner);
    await runner.query(`CREATE INDEX "${UNUSED_SEARCH_TEXT_INDEX}" ON "aws_credit" ("searchText")`);
  }
}

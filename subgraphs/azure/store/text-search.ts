/**
 * The text search index of the lots (lib/platform/text-search-sql.ts): what the repository's
 * search condition reads, and the migration that makes it on either dialect.
 */
import { TextSearchIndex, TextSearchMigration } from '../../../lib/platform/text-search-sql';

export const CREDIT_TEXT_SEARCH: TextSearchIndex = { table: 'azure_credit_lot', key: 'id', column: 'searchText' };

/** Makes the lots' text search index. */
export abstract class CreditTextSearchMigration extends TextSearchMigration {
  protected readonly index = CREDIT_TEXT_SEARCH;
}

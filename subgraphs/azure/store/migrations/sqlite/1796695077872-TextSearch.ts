/** Written by hand (store/text-search.ts): the text search index, sqlite form; checked in, never edited after release. */
import { CreditTextSearchMigration } from '../../text-search';

export class TextSearch1796695077872 extends CreditTextSearchMigration {
  name = 'TextSearch1796695077872';
}

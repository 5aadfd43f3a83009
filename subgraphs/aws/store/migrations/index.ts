/** The aws database's migrations per dialect, in the order they apply (written by `npm run migration:generate`). */
import { Initial1796655160539 as sqliteInitial1796655160539 } from './sqlite/1796655160539-Initial';
import { TextSearch1796695077872 as sqliteTextSearch1796695077872 } from './sqlite/1796695077872-TextSearch';
import { Initial1796655160539 as postgresInitial1796655160539 } from './postgres/1796655160539-Initial';
import { TextSearch1796695077872 as postgresTextSearch1796695077872 } from './postgres/1796695077872-TextSearch';

export const MIGRATIONS = {
  sqlite: [sqliteInitial1796655160539, sqliteTextSearch1796695077872],
  postgres: [postgresInitial1796655160539, postgresTextSearch1796695077872],
};

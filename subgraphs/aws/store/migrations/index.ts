/** The aws database's migrations per dialect, in the order they apply (written by `npm run migration:generate`). */
import { Initial1796655160539 as sqliteInitial1796655160539 } from './sqlite/1796655160539-Initial';
import { Initial1796655160539 as postgresInitial1796655160539 } from './postgres/1796655160539-Initial';

export const MIGRATIONS = {
  sqlite: [sqliteInitial1796655160539],
  postgres: [postgresInitial1796655160539],
};

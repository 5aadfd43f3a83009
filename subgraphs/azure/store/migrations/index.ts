/** The azure database's migrations per dialect, in the order they apply (written by `npm run migration:generate`). */
import { Initial1796654766393 as sqliteInitial1796654766393 } from './sqlite/1796654766393-Initial';
import { Initial1796654766393 as postgresInitial1796654766393 } from './postgres/1796654766393-Initial';

export const MIGRATIONS = {
  sqlite: [sqliteInitial1796654766393],
  postgres: [postgresInitial1796654766393],
};

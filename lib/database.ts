/** Opens a provider subgraph's own SQLite database (TypeORM), creating its tables when new. */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource, EntitySchema } from 'typeorm';

export async function openSqlite(file: string, entities: (Function | EntitySchema)[]): Promise<DataSource> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const dataSource = new DataSource({
    type: 'sqlite',
    database: file,
    entities,
    synchronize: true,
    logging: false,
  });
  await dataSource.initialize();
  // WAL lets `npm run ingest` write while the subgraph serves reads; busy_timeout waits for the lock.
  await dataSource.query('PRAGMA journal_mode = WAL');
  await dataSource.query('PRAGMA busy_timeout = 5000');
  return dataSource;
}

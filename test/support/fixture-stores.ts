/**
 * Each provider's store opened on its test fixtures, for tests that hold both stores to one rule
 * (text search, summaries in SQL): the database, the provider on it, a caller who sees every
 * credit, the fixtures' "now", and the credit table's name and key.
 */
import fs from 'node:fs';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../lib/platform/auth/principal';
import type { CreditProvider } from '../../lib/domain/provider-contract';
import { openAwsDatabase } from '../../subgraphs/aws/store';
import { AwsCreditProvider } from '../../subgraphs/aws/provider';
import { openAzureDatabase } from '../../subgraphs/azure/store';
import { AzureCreditProvider } from '../../subgraphs/azure/provider';
import { CALLERS, loadFixtures, NOW as AWS_NOW, tempDir } from '../aws/support';
import { loadedDataDir, NOW as AZURE_NOW, OWNER, removeDir } from '../azure/helpers';

export interface FixtureStore {
  dir: string;
  db: DataSource;
  provider: CreditProvider;
  caller: Principal;
  now: string;
  cleanUp(): void;
}

export interface FixtureStoreKind {
  name: 'AWS' | 'Azure';
  /** The credit table and its key column. */
  table: string;
  key: string;
  open(): Promise<FixtureStore>;
}

export const FIXTURE_STORES: FixtureStoreKind[] = [
  {
    name: 'AWS',
    table: 'aws_credit',
    key: 'creditId',
    async open() {
      const dir = tempDir();
      await loadFixtures(dir);
      const db = await openAwsDatabase(dir);
      return { dir, db, provider: new AwsCreditProvider(db), caller: CALLERS.payer, now: AWS_NOW, cleanUp: () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'Azure',
    table: 'azure_credit_lot',
    key: 'id',
    async open() {
      const dir = await loadedDataDir();
      const db = await openAzureDatabase(dir);
      return { dir, db, provider: new AzureCreditProvider(db), caller: OWNER, now: AZURE_NOW, cleanUp: () => removeDir(dir) };
    },
  },
];

/** The AWS subgraph's own SQLite database and the entities stored in it. */
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { openSqlite } from '../../lib/database';
import { AwsAccount } from './entities/account';
import { AwsCostCategory } from './entities/cost-category';
import { AwsCredit } from './entities/credit';
import { AwsCreditAllocation } from './entities/credit-allocation';

export const awsEntities = [AwsAccount, AwsCredit, AwsCreditAllocation, AwsCostCategory];

export function openAwsDatabase(dataDir: string): Promise<DataSource> {
  return openSqlite(path.join(dataDir, 'aws.sqlite'), awsEntities);
}

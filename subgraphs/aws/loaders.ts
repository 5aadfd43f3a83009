/**
 * Per-request DataLoaders: every entity lookup and child list a GraphQL request makes goes
 * through them, so a list of N items with their relations costs a constant number of statements.
 */
import DataLoader from 'dataloader';
import { AwsAccount } from './entities/account';
import { AwsCostCategory } from './entities/cost-category';
import { AwsCredit } from './entities/credit';
import { AwsCreditAllocation } from './entities/credit-allocation';
import type { ConsumerMonthRow } from '../../lib/charges/storage';
import { AwsRepository } from './repository';

export interface AwsLoaders {
  accountById: DataLoader<string, AwsAccount | null>;
  creditById: DataLoader<string, AwsCredit | null>;
  costCategoryByArn: DataLoader<string, AwsCostCategory | null>;
  creditsByOwner: DataLoader<string, AwsCredit[]>;
  allocationsByCredit: DataLoader<string, AwsCreditAllocation[]>;
  allocationsByAccount: DataLoader<string, AwsCreditAllocation[]>;
  /** The accounts of an organization, by its management (payer) account id. */
  accountsByPayer: DataLoader<string, AwsAccount[]>;
  /** Month-to-date charges per account (only for accounts the caller sees in full). */
  consumerMonthsByAccount: DataLoader<string, ConsumerMonthRow[]>;
}

/** A loader of one item per key, from a batch query and the item's key. */
function byKey<T>(load: (keys: readonly string[]) => Promise<T[]>, keyOf: (item: T) => string): DataLoader<string, T | null> {
  return new DataLoader(async (keys) => {
    const found = new Map((await load(keys)).map((item) => [keyOf(item), item]));
    return keys.map((k) => found.get(k) ?? null);
  });
}

/** A loader of a list per key, keeping the batch query's order within each list. */
function groupedBy<T>(load: (keys: readonly string[]) => Promise<T[]>, keyOf: (item: T) => string): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const item of await load(keys)) groups.get(keyOf(item))?.push(item);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

export function createLoaders(repository: AwsRepository): AwsLoaders {
  return {
    accountById: byKey((ids) => repository.accountsByIds(ids), (a) => a.accountId),
    creditById: byKey((ids) => repository.creditsByIds(ids), (c) => c.creditId),
    costCategoryByArn: byKey((arns) => repository.costCategoriesByArns(arns), (c) => c.costCategoryArn),
    creditsByOwner: groupedBy((ids) => repository.credits(ids), (c) => c.accountId),
    allocationsByCredit: groupedBy((ids) => repository.allocations({ creditIds: [...ids] }), (a) => a.creditId),
    allocationsByAccount: groupedBy((ids) => repository.allocations({ accountIds: [...ids] }), (a) => a.accountId),
    accountsByPayer: groupedBy((ids) => repository.accountsByPayers(ids), (a) => a.payerAccountId),
    consumerMonthsByAccount: groupedBy((ids) => repository.consumerMonths(ids), (m) => m.consumerId),
  };
}

/**
 * Per-request DataLoaders: every entity lookup and child list a GraphQL request makes goes
 * through them, so a list of N items with their relations costs a constant number of statements.
 * Child connections load a page of children per parent (lib/paged-loader.ts): one statement per
 * batch of parents and page asked for.
 */
import DataLoader from 'dataloader';
import { PagedLoader, pagedLoader } from '../../lib/platform/paged-loader';
import { accountsByValue } from './domain/cost-category-rules';
import { AwsAccount } from './entities/account';
import { AwsCostCategory } from './entities/cost-category';
import { AwsCredit } from './entities/credit';
import { AwsCreditAllocation } from './entities/credit-allocation';
import type { ConsumerMonthRow } from '../../lib/store/storage';
import { AwsRepository } from './repository';

export interface AwsLoaders {
  accountById: DataLoader<string, AwsAccount | null>;
  creditById: DataLoader<string, AwsCredit | null>;
  costCategoryByArn: DataLoader<string, AwsCostCategory | null>;
  /** A page of the credits an account owns, by account id. */
  creditsOfAccount: PagedLoader<AwsCredit>;
  /** A page of the allocation history of a credit, by credit id. */
  allocationsOfCredit: PagedLoader<AwsCreditAllocation>;
  /** A page of the allocation history charged to an account, by account id. */
  allocationsOfAccount: PagedLoader<AwsCreditAllocation>;
  /** The accounts of an organization the caller sees, by its management (payer) account id, in account id order. */
  accountsByPayer: DataLoader<string, AwsAccount[]>;
  /**
   * The accounts of its organization (those the caller sees) a cost category assigns to each of
   * its values, by the category (its rules evaluated once per account and request).
   */
  accountsByValueOfCategory: DataLoader<AwsCostCategory, Map<string, AwsAccount[]>, string>;
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
  const accountsByPayer = groupedBy((ids) => repository.accountsByPayers(ids), (a) => a.payerAccountId);
  return {
    accountById: byKey((ids) => repository.accountsByIds(ids), (a) => a.accountId),
    creditById: byKey((ids) => repository.creditsByIds(ids), (c) => c.creditId),
    costCategoryByArn: byKey((arns) => repository.costCategoriesByArns(arns), (c) => c.costCategoryArn),
    creditsOfAccount: pagedLoader((ids, page) => repository.creditPagesByOwner(ids, page)),
    allocationsOfCredit: pagedLoader((ids, page) => repository.allocationPagesBy('creditId', ids, page)),
    allocationsOfAccount: pagedLoader((ids, page) => repository.allocationPagesBy('accountId', ids, page)),
    accountsByPayer,
    accountsByValueOfCategory: new DataLoader(
      (categories) => Promise.all(categories.map(async (c) => accountsByValue(c.definition, await accountsByPayer.load(c.payerAccountId)))),
      { cacheKeyFn: (c) => c.costCategoryArn },
    ),
    consumerMonthsByAccount: groupedBy((ids) => repository.consumerMonths(ids), (m) => m.consumerId),
  };
}

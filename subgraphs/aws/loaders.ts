/**
 * Per-request DataLoaders: every entity lookup and child list a GraphQL request makes goes
 * through them, so a list of N items with their relations costs a constant number of statements.
 * Child connections load a page of children per parent (lib/platform/loaders.ts): one statement per
 * batch of parents and page asked for.
 */
import DataLoader from 'dataloader';
import { byKey, groupedBy, PagedLoader, pagedLoader } from '../../lib/platform/loaders';
import { accountsByValue } from './domain/cost-category-rules';
import { AwsAccount } from './entities/account';
import { AwsCostCategory } from './entities/cost-category';
import { AwsCredit } from './entities/credit';
import { AwsCreditAllocation } from './entities/credit-allocation';
import type { ConsumerMonthRow } from '../../lib/store/storage';
import { AwsRepository } from './store';

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

export function createAwsLoaders(repository: AwsRepository): AwsLoaders {
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

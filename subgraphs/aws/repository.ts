/**
 * Data access of the AWS subgraph: every query the loaders and the provider contract run, each
 * answering a whole batch of keys in one SQL statement.
 */
import { EntityManager, In } from 'typeorm';
import { AwsAccount } from './entities/account';
import { AwsCostCategory } from './entities/cost-category';
import { AwsCredit } from './entities/credit';
import { AwsCreditAllocation } from './entities/credit-allocation';
import type { SharingLookups } from './domain/sharing';

/** Filters of the allocation history; months are YYYY-MM and inclusive. */
export interface AllocationFilter {
  creditIds?: string[];
  accountIds?: string[];
  startMonth?: string | null;
  endMonth?: string | null;
}

/** Allocation history order, as AWS sorts it: newest month first, then a stable order within a month. */
const ALLOCATION_ORDER = { billingMonth: 'DESC', creditId: 'ASC', accountId: 'ASC', appliedServiceName: 'ASC' } as const;

export class AwsRepository {
  constructor(readonly manager: EntityManager) {}

  accounts(): Promise<AwsAccount[]> {
    return this.manager.find(AwsAccount, { order: { accountId: 'ASC' } });
  }

  accountsByIds(ids: readonly string[]): Promise<AwsAccount[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.manager.findBy(AwsAccount, { accountId: In([...ids]) });
  }

  /** The accounts of the organizations of these management accounts, in account id order. */
  accountsByPayers(payerIds: readonly string[]): Promise<AwsAccount[]> {
    if (payerIds.length === 0) return Promise.resolve([]);
    return this.manager.find(AwsAccount, { where: { payerAccountId: In([...payerIds]) }, order: { accountId: 'ASC' } });
  }

  credits(ownerIds?: readonly string[]): Promise<AwsCredit[]> {
    const where = ownerIds ? { accountId: In([...ownerIds]) } : {};
    return this.manager.find(AwsCredit, { where, order: { creditId: 'ASC' } });
  }

  creditsByIds(ids: readonly string[]): Promise<AwsCredit[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.manager.findBy(AwsCredit, { creditId: In([...ids]) });
  }

  allocations(filter: AllocationFilter): Promise<AwsCreditAllocation[]> {
    if (filter.creditIds?.length === 0 || filter.accountIds?.length === 0) return Promise.resolve([]);
    const qb = this.manager.createQueryBuilder(AwsCreditAllocation, 'allocation');
    if (filter.creditIds) qb.andWhere('allocation.creditId IN (:...creditIds)', { creditIds: filter.creditIds });
    if (filter.accountIds) qb.andWhere('allocation.accountId IN (:...accountIds)', { accountIds: filter.accountIds });
    if (filter.startMonth) qb.andWhere('allocation.billingMonth >= :startMonth', { startMonth: filter.startMonth });
    if (filter.endMonth) qb.andWhere('allocation.billingMonth <= :endMonth', { endMonth: filter.endMonth });
    for (const [column, direction] of Object.entries(ALLOCATION_ORDER)) qb.addOrderBy(`allocation.${column}`, direction);
    return qb.getMany();
  }

  costCategories(): Promise<AwsCostCategory[]> {
    return this.manager.find(AwsCostCategory, { order: { name: 'ASC', costCategoryArn: 'ASC' } });
  }

  costCategoriesByArns(arns: readonly string[]): Promise<AwsCostCategory[]> {
    return arns.length === 0 ? Promise.resolve([]) : this.manager.findBy(AwsCostCategory, { costCategoryArn: In([...arns]) });
  }

  /**
   * Everything normalizing and sharing these credits needs, in at most three statements: the
   * owners and listed accounts (plus `accountIds`), the cost categories (plus `categoryArns`), and
   * the accounts of the owners' organizations.
   */
  async sharingLookups(
    credits: readonly AwsCredit[],
    extra: { accountIds?: string[]; categoryArns?: string[] } = {},
  ): Promise<SharingLookups> {
    const accountIds = new Set(extra.accountIds ?? []);
    const categoryArns = new Set(extra.categoryArns ?? []);
    for (const credit of credits) {
      accountIds.add(credit.accountId);
      if (credit.creditSharingType === 'CUSTOM') for (const id of credit.shareableAccounts ?? []) accountIds.add(id);
      if (credit.creditSharingType === 'COST_CATEGORY_RULE' && credit.costCategoryArn) categoryArns.add(credit.costCategoryArn);
    }
    const [accounts, categories] = await Promise.all([this.accountsByIds([...accountIds]), this.costCategoriesByArns([...categoryArns])]);
    const owners = new Set(credits.map((c) => c.accountId));
    const payers = new Set(accounts.filter((a) => owners.has(a.accountId)).map((a) => a.payerAccountId));
    const members = await this.accountsByPayers([...payers]);
    const organizations = new Map<string, AwsAccount[]>();
    for (const member of members) organizations.set(member.payerAccountId, [...(organizations.get(member.payerAccountId) ?? []), member]);
    return {
      accounts: new Map([...members, ...accounts].map((a) => [a.accountId, a])),
      organizations,
      categories: new Map(
        categories.map((c) => [c.costCategoryArn, { costCategoryArn: c.costCategoryArn, name: c.name, payerAccountId: c.payerAccountId, definition: c.definition }]),
      ),
    };
  }
}

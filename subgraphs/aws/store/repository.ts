/**
 * Data access of the AWS subgraph: every query the loaders and the provider contract run, each
 * answering a whole batch of keys in one SQL statement, and each limited to what the caller may see.
 */
import { EntityManager, In, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Principal } from '../../../lib/platform/auth/principal';
import { accountAsSeen, AwsScope, classifyCallerAccounts, EMPTY_SCOPE, scopeOf, seesFullAccount } from '../domain/access';
import { accountScopeSql, allocationScopeSql, costCategoryScopeSql, creditScopeSql } from './access-sql';
import { ConsumerMonthRow } from '../../../lib/store/storage';
import type { PageRequest } from '../../../lib/platform/loaders';
import { keysetPage, keysetPagesByParent, SortColumn } from '../../../lib/platform/paging-sql';
import { dialectOf } from '../../../lib/platform/sql-dialect';
import { textSearchCondition } from '../../../lib/platform/text-search-sql';
import { CREDIT_TEXT_SEARCH } from './text-search';
import { keysetCondition } from '../../../lib/domain/credit-order';
import { foldSearchTerm } from '../../../lib/domain/credit-search';
import { statusSqlCase } from '../../../lib/domain/credit-status';
import { type CreditOrderField, type CreditSummaryRecord, type SearchCreditsRequest, selectsNothing, type SummarizeCreditsRequest } from '../../../lib/domain/provider-contract';
import { CreditSummaryBuilder } from '../../../lib/domain/credit-summary';
import { summarizeInSql } from '../../../lib/store/summary-sql';
import { CREDIT_ALIAS, CREDIT_STATUS_COLUMNS, CREDIT_SUMMARY_COLUMNS } from './status-sql';
import { AWS_CONSUMER_KIND } from '../charges/billing-csv';
import { AwsAccount } from '../entities/account';
import { AwsCostCategory } from '../entities/cost-category';
import { AwsCredit } from '../entities/credit';
import { AwsCreditAllocation } from '../entities/credit-allocation';
import type { SharingLookups } from '../domain/sharing';

/** Filters of the allocation history; months are YYYY-MM and inclusive. */
export interface AllocationFilter {
  creditIds?: string[];
  accountIds?: string[];
  startMonth?: string | null;
  endMonth?: string | null;
}

/** The stored column each order field sorts by (the NAME column is the normalized `name`). */
const ORDER_COLUMNS: Record<CreditOrderField, string> = {
  EXPIRES_AT: 'credit.sortExpiresAt',
  REMAINING_BALANCE: 'credit.sortRemaining',
  NAME: 'credit.description',
};

/** Accounts in account id order. */
export const ACCOUNT_ORDER: readonly SortColumn[] = [{ column: 'account.accountId', direction: 'ASC' }];

/** Credits in credit id order. */
export const CREDIT_ORDER: readonly SortColumn[] = [{ column: 'credit.creditId', direction: 'ASC' }];

/** Cost categories by name, then ARN (names repeat across organizations). */
export const COST_CATEGORY_ORDER: readonly SortColumn[] = [
  { column: 'category.name', direction: 'ASC' },
  { column: 'category.costCategoryArn', direction: 'ASC' },
];

/**
 * Allocation history order, as AWS sorts it: newest month first, then a stable order within a
 * month. The columns are the primary key, so the order is total and a cursor names one entry.
 * Within one credit it is the contract's applications order (lib/domain/credit-order.ts
 * compareApplications: month, account, service, product code; '' is no product code), `origin`
 * breaking the remaining ties, and these values are an application's position.
 */
export const ALLOCATION_ORDER: readonly SortColumn[] = [
  { column: 'allocation.billingMonth', direction: 'DESC' },
  { column: 'allocation.creditId', direction: 'ASC' },
  { column: 'allocation.accountId', direction: 'ASC' },
  { column: 'allocation.appliedServiceName', direction: 'ASC' },
  { column: 'allocation.productCode', direction: 'ASC' },
  { column: 'allocation.origin', direction: 'ASC' },
];

/** The primary key of an allocation history entry (the rows keysetPagesByParent ranks). */
const ALLOCATION_KEY = ALLOCATION_ORDER.map((c) => c.column);

/** A query in the sort order: one page of it (at most first + 1 rows after the cursor), or all of it. */
function read<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, sort: readonly SortColumn[], page?: PageRequest): Promise<T[]> {
  if (page) return keysetPage(qb, sort, page);
  sort.forEach((c, i) => (i === 0 ? qb.orderBy(c.column, c.direction) : qb.addOrderBy(c.column, c.direction)));
  return qb.getMany();
}

/**
 * The caller's scope from the database: the caller's loaded accounts, which of its ids manage an
 * organization, and the cost categories of its linked accounts' organizations (at most three
 * statements; none for a caller without AWS accounts).
 */
export async function scopeOfCaller(manager: EntityManager, caller: Principal): Promise<AwsScope> {
  const ids = [...new Set(caller.awsAccountIds)];
  if (ids.length === 0) return EMPTY_SCOPE;
  const [accounts, managing] = await Promise.all([
    manager.findBy(AwsAccount, { accountId: In(ids) }),
    manager
      .createQueryBuilder(AwsAccount, 'member')
      .select('DISTINCT member.payerAccountId', 'payerAccountId')
      .where('member.payerAccountId IN (:...ids)', { ids })
      .getRawMany<{ payerAccountId: string }>(),
  ]);
  const classified = classifyCallerAccounts(caller, accounts, new Set(managing.map((m) => m.payerAccountId)));
  const organizations = [...new Set(classified.linked.map((a) => a.payerAccountId))];
  const categories = organizations.length === 0 ? [] : await manager.findBy(AwsCostCategory, { payerAccountId: In(organizations) });
  return scopeOf(classified, categories.map((c) => ({ costCategoryArn: c.costCategoryArn, payerAccountId: c.payerAccountId, definition: c.definition })));
}

/** The caller's repository: its scope read once, every read after limited to it (in `manager`'s transaction when it is one). */
export async function repositoryFor(manager: EntityManager, caller: Principal): Promise<AwsRepository> {
  return new AwsRepository(manager, await scopeOfCaller(manager, caller));
}

/**
 * Reads for one caller: every list and lookup below carries the caller's scope in its WHERE
 * clause (access-sql.ts, the rules of domain/access.ts), so what the caller may not see is never read. Accounts the caller
 * sees minimally come back with their contact and join facts removed. Only `sharingLookups`,
 * which completes records of credits already in scope, reads beyond it.
 */
export class AwsRepository {
  constructor(
    readonly manager: EntityManager,
    readonly scope: AwsScope,
  ) {}

  private scopedAccounts(): SelectQueryBuilder<AwsAccount> {
    const condition = accountScopeSql(dialectOf(this.manager), this.scope, 'account');
    return this.manager.createQueryBuilder(AwsAccount, 'account').where(condition.sql, condition.params);
  }

  private async seen(accounts: Promise<AwsAccount[]>): Promise<AwsAccount[]> {
    return (await accounts).map((a) => accountAsSeen(this.scope, a));
  }

  /** The accounts the caller sees, by account id: one page (first + 1 after the cursor), or all of them. */
  accounts(page?: PageRequest): Promise<AwsAccount[]> {
    return this.seen(read(this.scopedAccounts(), ACCOUNT_ORDER, page));
  }

  accountsByIds(ids: readonly string[]): Promise<AwsAccount[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.seen(this.scopedAccounts().andWhere('account.accountId IN (:...ids)', { ids }).getMany());
  }

  /** The accounts of the organizations of these management accounts the caller sees, in account id order. */
  accountsByPayers(payerIds: readonly string[]): Promise<AwsAccount[]> {
    if (payerIds.length === 0) return Promise.resolve([]);
    return this.seen(this.scopedAccounts().andWhere('account.payerAccountId IN (:...payerIds)', { payerIds }).orderBy('account.accountId', 'ASC').getMany());
  }

  /**
   * The credits the caller sees, as a query to refine (alias `credit`). `readsMostOfScope`: the
   * query reads many of them, a sorted page (read along the sort index, stopping at the page's
   * end) or a summary (the table read in order): for a caller who manages organizations, most
   * credits are in scope, so the scope is then not answered through the owner index (see
   * creditScopeSql's walkOrder; row by row through it, a sum over 100,000 credits took 150 ms,
   * 30 ms in order). A caller acting for linked accounts sees few credits, found fastest through
   * the owner index either way.
   */
  scopedCredits(options: { readsMostOfScope?: boolean } = {}): SelectQueryBuilder<AwsCredit> {
    const walkOrder = options.readsMostOfScope === true && this.scope.payerIds.length > 0;
    const condition = creditScopeSql(dialectOf(this.manager), this.scope, CREDIT_ALIAS, 'scope', { walkOrder });
    return this.manager.createQueryBuilder(AwsCredit, CREDIT_ALIAS).where(condition.sql, condition.params);
  }

  /**
   * The credits the caller sees (those `ownerId` owns, when given), by credit id: one page, or all
   * of them. A page of every credit walks the primary key (see scopedCredits); one owner's are
   * found through the owner index.
   */
  credits(filter: { ownerId?: string | null } = {}, page?: PageRequest): Promise<AwsCredit[]> {
    const qb = this.scopedCredits({ readsMostOfScope: page !== undefined && !filter.ownerId });
    if (filter.ownerId) qb.andWhere('credit.accountId = :ownerId', { ownerId: filter.ownerId });
    return read(qb, CREDIT_ORDER, page);
  }

  /**
   * The credits the caller sees that match the provider contract's filter, in its order, strictly
   * after `after`, at most `limit` (lib/domain/credit-order.ts keysetCondition).
   */
  async searchCredits(search: SearchCreditsRequest): Promise<AwsCredit[]> {
    if (selectsNothing(search)) return [];
    const qb = await this.filteredCredits(search.filter, search.now, { readsMostOfScope: search.limit !== null });
    const { field, direction } = search.order;
    const keyset = keysetCondition('AWS', search.after, direction, ORDER_COLUMNS[field], 'credit.creditId');
    if (keyset) qb.andWhere(keyset.sql, keyset.params);
    qb.orderBy(ORDER_COLUMNS[field], direction).addOrderBy('credit.creditId', direction);
    if (search.limit !== null) qb.limit(search.limit);
    return qb.getMany();
  }

  /**
   * The totals of the credits the caller sees that match the filter, summed in SQL
   * (lib/store/summary-sql.ts); null when SQLite cannot sum them exactly (the provider then sums by pages).
   */
  async summarizeCredits(request: SummarizeCreditsRequest): Promise<CreditSummaryRecord | null> {
    if (selectsNothing({ filter: request.filter, limit: null })) return new CreditSummaryBuilder(request.now).result();
    return summarizeInSql(await this.filteredCredits(request.filter, request.now, { readsMostOfScope: true }), CREDIT_SUMMARY_COLUMNS, 'AWS', request.now);
  }

  /** The credits the caller sees that match the contract's filter, as a query to refine (alias `credit`), unordered. */
  private async filteredCredits(filter: SearchCreditsRequest['filter'], now: string, options: { readsMostOfScope?: boolean } = {}): Promise<SelectQueryBuilder<AwsCredit>> {
    const { statuses, currencyCodes, ownerIds } = filter;
    const qb = this.scopedCredits(options);
    if (statuses) qb.andWhere(`${statusSqlCase(CREDIT_STATUS_COLUMNS)} IN (:...statuses)`, { statuses, now });
    if (currencyCodes) qb.andWhere('credit.remainingCurrencyCode IN (:...currencyCodes)', { currencyCodes });
    if (ownerIds) qb.andWhere('credit.accountId IN (:...ownerIds)', { ownerIds });
    if (filter.expiresBefore) qb.andWhere('credit.endDate IS NOT NULL AND credit.endDate < :expiresBefore', { expiresBefore: filter.expiresBefore });
    if (filter.search) {
      const found = await textSearchCondition(this.manager, CREDIT_TEXT_SEARCH, CREDIT_ALIAS, foldSearchTerm(filter.search));
      qb.andWhere(found.sql, found.params);
    }
    return qb;
  }

  /** A page of the credits each of these accounts owns that the caller sees, by credit id, in one statement; in the owners' order. */
  async creditPagesByOwner(ownerIds: readonly string[], page: PageRequest): Promise<AwsCredit[][]> {
    return keysetPagesByParent(this.scopedCredits(), {
      parent: 'credit.accountId',
      keys: ['credit.creditId'],
      sort: CREDIT_ORDER,
      parents: ownerIds,
      ...page,
    });
  }

  creditsByIds(ids: readonly string[]): Promise<AwsCredit[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.scopedCredits().andWhere('credit.creditId IN (:...ids)', { ids }).getMany();
  }

  /** The allocation history entries the caller sees, filtered, as a query to refine (alias `allocation`), unordered. */
  private scopedAllocations(filter: AllocationFilter): SelectQueryBuilder<AwsCreditAllocation> {
    const condition = allocationScopeSql(dialectOf(this.manager), this.scope, 'allocation');
    const qb = this.manager.createQueryBuilder(AwsCreditAllocation, 'allocation').where(condition.sql, condition.params);
    // Imported estimates that billing files for their month replaced are kept but never served.
    qb.andWhere('allocation.superseded = FALSE');
    if (filter.creditIds) qb.andWhere('allocation.creditId IN (:...creditIds)', { creditIds: filter.creditIds });
    if (filter.accountIds) qb.andWhere('allocation.accountId IN (:...accountIds)', { accountIds: filter.accountIds });
    if (filter.startMonth) qb.andWhere('allocation.billingMonth >= :startMonth', { startMonth: filter.startMonth });
    if (filter.endMonth) qb.andWhere('allocation.billingMonth <= :endMonth', { endMonth: filter.endMonth });
    return qb;
  }

  /** The allocation history the caller sees, filtered, newest month first (ALLOCATION_ORDER): one page, or all of it. */
  allocations(filter: AllocationFilter, page?: PageRequest): Promise<AwsCreditAllocation[]> {
    if (filter.creditIds?.length === 0 || filter.accountIds?.length === 0) return Promise.resolve([]);
    return read(this.scopedAllocations(filter), ALLOCATION_ORDER, page);
  }

  /**
   * A page of the allocation history of each of these credits (`by: 'creditId'`) or accounts
   * charged (`by: 'accountId'`) that the caller sees, newest month first, in one statement; in the
   * parents' order.
   */
  async allocationPagesBy(by: 'creditId' | 'accountId', parents: readonly string[], page: PageRequest): Promise<AwsCreditAllocation[][]> {
    return keysetPagesByParent(this.scopedAllocations({}), {
      parent: `allocation.${by}`,
      keys: ALLOCATION_KEY,
      sort: ALLOCATION_ORDER,
      parents,
      ...page,
    });
  }

  /** How many allocation history entries of each of these credits the caller sees (credits with none are absent). */
  async allocationCounts(creditIds: readonly string[]): Promise<Map<string, number>> {
    if (creditIds.length === 0) return new Map();
    const rows = await this.scopedAllocations({ creditIds: [...creditIds] })
      .select('allocation.creditId', 'creditId')
      .addSelect('COUNT(*)', 'count')
      .groupBy('allocation.creditId')
      .getRawMany<{ creditId: string; count: number | string }>();
    return new Map(rows.map((r) => [r.creditId, Number(r.count)]));
  }

  /**
   * The stored month-to-date rows (lib/store/storage.ts) of these accounts, for the accounts the
   * caller sees in full (its own, or those of an organization it manages); none of the others.
   */
  async consumerMonths(accountIds: readonly string[]): Promise<ConsumerMonthRow[]> {
    const accounts = await this.accountsByIds(accountIds);
    const full = accounts.filter((a) => seesFullAccount(this.scope, a)).map((a) => a.accountId);
    if (full.length === 0) return [];
    return this.manager.find(ConsumerMonthRow, { where: { consumerKind: AWS_CONSUMER_KIND, consumerId: In(full) } });
  }

  private scopedCostCategories(): SelectQueryBuilder<AwsCostCategory> {
    const condition = costCategoryScopeSql(dialectOf(this.manager), this.scope, 'category');
    return this.manager.createQueryBuilder(AwsCostCategory, 'category').where(condition.sql, condition.params);
  }

  /** The cost categories the caller sees, by name then ARN: one page, or all of them. */
  costCategories(page?: PageRequest): Promise<AwsCostCategory[]> {
    return read(this.scopedCostCategories(), COST_CATEGORY_ORDER, page);
  }

  costCategoriesByArns(arns: readonly string[]): Promise<AwsCostCategory[]> {
    return arns.length === 0 ? Promise.resolve([]) : this.scopedCostCategories().andWhere('category.costCategoryArn IN (:...arns)', { arns }).getMany();
  }

  /** Those of these account ids the caller may see (the rule of the account queries); none are needed for a caller without linked accounts. */
  private async visibleAccountIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0 || this.scope.linked.length === 0) return new Set();
    const rows = await this.scopedAccounts()
      .select('account.accountId', 'accountId')
      .andWhere('account.accountId IN (:...visibleIds)', { visibleIds: ids })
      .getRawMany<{ accountId: string }>();
    return new Set(rows.map((r) => r.accountId));
  }

  /**
   * Everything normalizing, sharing and checking control of these credits needs, in at most four
   * statements: the owners and listed accounts (plus `accountIds`), the cost categories (plus
   * `categoryArns`), and the accounts of the organizations of the owners of credits shared by cost
   * category (of every owner with `wholeOrganizations`, which a share request needs). The credits are already in the
   * caller's scope; these internal reads complete their records and are not limited to it, but
   * the sharing of a credit the caller does not manage lists only the accounts the caller may see
   * (`visibility`: one more statement, for a caller acting for linked accounts).
   */
  async sharingLookups(
    credits: readonly AwsCredit[],
    extra: { accountIds?: string[]; categoryArns?: string[]; wholeOrganizations?: boolean } = {},
  ): Promise<SharingLookups> {
    const accountIds = new Set(extra.accountIds ?? []);
    const categoryArns = new Set(extra.categoryArns ?? []);
    for (const credit of credits) {
      accountIds.add(credit.accountId);
      if (credit.creditSharingType === 'CUSTOM') for (const id of credit.shareableAccounts ?? []) accountIds.add(id);
      if (credit.creditSharingType === 'COST_CATEGORY_RULE' && credit.costCategoryArn) categoryArns.add(credit.costCategoryArn);
    }
    const [accounts, categories] = await Promise.all([
      accountIds.size === 0 ? [] : this.manager.findBy(AwsAccount, { accountId: In([...accountIds]) }),
      categoryArns.size === 0 ? [] : this.manager.findBy(AwsCostCategory, { costCategoryArn: In([...categoryArns]) }),
    ]);
    // An organization's member list is needed only to resolve a cost category's accounts, and by a
    // share request (which checks accounts against the owner's organization); a page of credits
    // shared otherwise reads no organization at all (a whole organization is 50+ rows each).
    const owners = new Set(credits.filter((c) => extra.wholeOrganizations || c.creditSharingType === 'COST_CATEGORY_RULE').map((c) => c.accountId));
    const payers = new Set(accounts.filter((a) => owners.has(a.accountId)).map((a) => a.payerAccountId));
    const members = payers.size === 0 ? [] : await this.manager.find(AwsAccount, { where: { payerAccountId: In([...payers]) }, order: { accountId: 'ASC' } });
    const organizations = new Map<string, AwsAccount[]>();
    for (const member of members) {
      const list = organizations.get(member.payerAccountId);
      if (list) list.push(member);
      else organizations.set(member.payerAccountId, [member]);
    }
    const listed = [...new Set([...accounts, ...members].map((a) => a.accountId))];
    return {
      visibility: { payerIds: new Set(this.scope.payerIds), accountIds: await this.visibleAccountIds(listed) },
      accounts: new Map([...members, ...accounts].map((a) => [a.accountId, a])),
      organizations,
      categories: new Map(
        categories.map((c) => [c.costCategoryArn, { costCategoryArn: c.costCategoryArn, name: c.name, payerAccountId: c.payerAccountId, definition: c.definition }]),
      ),
    };
  }
}

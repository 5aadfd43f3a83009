/**
 * Data access of the Azure subgraph: every SQL statement the resolvers, loaders and the provider
 * contract run. Each method takes a batch of keys, so callers never issue one statement per row,
 * and every statement is limited to the caller's scope (domain/access.ts) in its WHERE clause.
 */
import { In, type EntityManager, type EntityTarget, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { textSearchCondition } from '../../../lib/platform/text-search-sql';
import { CREDIT_TEXT_SEARCH } from './text-search';
import { readApplications } from '../../../lib/store/ledger';
import { BillingPeriodRow, ConsumerMonthRow } from '../../../lib/store/storage';
import type { CreditApplication } from '../../../lib/domain/charges/types';
import { AZURE_CONSUMER_KIND } from '../charges/cost-details-csv';
import type { Principal } from '../../../lib/platform/auth/principal';
import { keysetCondition } from '../../../lib/domain/credit-order';
import type { PageRequest } from '../../../lib/platform/loaders';
import { keysetPage, keysetPagesByParent, SortColumn } from '../../../lib/platform/paging-sql';
import { foldSearchTerm } from '../../../lib/domain/credit-search';
import { statusSqlCase } from '../../../lib/domain/credit-status';
import { type CreditOrder, type CreditSummaryRecord, type SearchCreditsRequest, selectsNothing, type SummarizeCreditsRequest } from '../../../lib/domain/provider-contract';
import { CreditSummaryBuilder } from '../../../lib/domain/credit-summary';
import { summarizeInSql } from '../../../lib/store/summary-sql';
import { AzureBillingAccount } from '../entities/billing-account';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureCreditEvent } from '../entities/credit-event';
import { AzureCreditLot } from '../entities/credit-lot';
import { AzureInvoiceSection } from '../entities/invoice-section';
import { AzureScope, azureGrants, azureScope } from '../domain/access';
import { scopeCondition } from './access-sql';
import { LOT_ALIAS, LOT_STATUS_COLUMNS, LOT_SUMMARY_COLUMNS } from './status-sql';
import type { BalanceLot } from '../domain/available-balance';

/** A lot as a profile's credit summary reads it. */
export type ProfileBalanceLot = BalanceLot & { billingProfileId: string };

/** The lot column each order field sorts on (the same keys lib/domain/credit-order.ts computes). */
const ORDER_COLUMNS: Record<CreditOrder['field'], string> = {
  EXPIRES_AT: `${LOT_ALIAS}.sortExpiresAt`,
  REMAINING_BALANCE: `${LOT_ALIAS}.sortRemaining`,
  NAME: `${LOT_ALIAS}.creditName`,
};

/** A date range of events, both ends included. */
export interface EventRange {
  startDate: string;
  endDate: string;
}

/**
 * The orders of the native connections (lib/platform/paging-sql.ts): NOT NULL columns ending in the
 * primary key, so every row has one position. A cursor carries the values of these columns.
 */
export const ACCOUNT_ORDER: readonly SortColumn[] = [{ column: 'account.id', direction: 'ASC' }];
export const PROFILE_ORDER: readonly SortColumn[] = [{ column: 'profile.id', direction: 'ASC' }];
export const SECTION_ORDER: readonly SortColumn[] = [{ column: 'section.id', direction: 'ASC' }];
export const LOT_ORDER: readonly SortColumn[] = [{ column: `${LOT_ALIAS}.id`, direction: 'ASC' }];
/** Newest first, ties on the date by id (descending), as Azure lists events. */
export const EVENT_ORDER: readonly SortColumn[] = [
  { column: 'event.transactionDate', direction: 'DESC' },
  { column: 'event.id', direction: 'DESC' },
];

/**
 * The scope of one request: what the caller's role assignments grant, with the billing profiles of
 * its account-level assignments read from the profiles table (one statement, only when it holds
 * such an assignment).
 */
export async function scopeOfCaller(manager: EntityManager, principal: Pick<Principal, 'azureRoleAssignments'>): Promise<AzureScope> {
  const grants = azureGrants(principal);
  const accountKeys = [...grants.viewAccounts];
  const profiles =
    accountKeys.length === 0
      ? []
      : await manager
          .createQueryBuilder(AzureBillingProfile, 'profile')
          .select(['profile.id', 'profile.billingAccountId'])
          .where('lower(profile.billingAccountId) IN (:...accountKeys)', { accountKeys })
          .getMany();
  return azureScope(grants, profiles);
}

/** The caller's repository: its scope read once, every read after limited to it (in `manager`'s transaction when it is one). */
export async function repositoryFor(manager: EntityManager, caller: Principal): Promise<AzureRepository> {
  return new AzureRepository(manager, await scopeOfCaller(manager, caller));
}

/**
 * Every query runs within the scope of one request (`scopeOfCaller`), so lists, counts and
 * loaders only ever see rows the caller may see; an id outside it reads as unknown.
 */
export class AzureRepository {
  constructor(
    private readonly manager: EntityManager,
    readonly scope: AzureScope,
  ) {}

  /** A query of `entity` limited to the scope (`columns` name the alias's profile and account columns). */
  private scoped<T extends ObjectLiteral>(entity: EntityTarget<T>, alias: string, columns: { profile?: string; account?: string }): SelectQueryBuilder<T> {
    const condition = scopeCondition(this.scope, {
      profile: columns.profile && `${alias}.${columns.profile}`,
      account: columns.account && `${alias}.${columns.account}`,
    });
    return this.manager.createQueryBuilder(entity, alias).where(condition.sql, condition.params);
  }

  private accounts(): SelectQueryBuilder<AzureBillingAccount> {
    const keys = this.scope.listedAccountKeys;
    const query = this.manager.createQueryBuilder(AzureBillingAccount, 'account');
    return keys.length > 0 ? query.where('lower(account.id) IN (:...listedAccountKeys)', { listedAccountKeys: keys }) : query.where('1 = 0');
  }

  private profiles(): SelectQueryBuilder<AzureBillingProfile> {
    return this.scoped(AzureBillingProfile, 'profile', { profile: 'id', account: 'billingAccountId' });
  }

  private sections(): SelectQueryBuilder<AzureInvoiceSection> {
    return this.scoped(AzureInvoiceSection, 'section', { profile: 'billingProfileId' });
  }

  private lotsQuery(): SelectQueryBuilder<AzureCreditLot> {
    return this.scoped(AzureCreditLot, LOT_ALIAS, { profile: 'billingProfileId', account: 'billingAccountId' });
  }

  /** Events the caller may see; imported estimates that cost details replaced are kept but never served. */
  private eventsQuery(): SelectQueryBuilder<AzureCreditEvent> {
    return this.scoped(AzureCreditEvent, 'event', { profile: 'billingProfileId', account: 'billingAccountId' }).andWhere('event.superseded = FALSE');
  }

  billingAccounts(ids: readonly string[]): Promise<AzureBillingAccount[]> {
    return this.accounts().andWhere('account.id IN (:...ids)', { ids: [...ids] }).getMany();
  }

  /** A page of the billing accounts the caller may list, by id: at most `first + 1` after the cursor. */
  billingAccountsPage(page: PageRequest): Promise<AzureBillingAccount[]> {
    return keysetPage(this.accounts(), ACCOUNT_ORDER, page);
  }

  billingProfiles(ids: readonly string[]): Promise<AzureBillingProfile[]> {
    return this.profiles().andWhere('profile.id IN (:...ids)', { ids: [...ids] }).getMany();
  }

  /** A page of each account's billing profiles (in scope), by id, in one statement: each account's rows, in the accounts' order. */
  async billingProfilePagesOfAccounts(accountIds: readonly string[], page: PageRequest): Promise<AzureBillingProfile[][]> {
    return keysetPagesByParent(this.profiles(), {
      parent: 'profile.billingAccountId',
      keys: ['profile.id'],
      sort: PROFILE_ORDER,
      parents: accountIds,
      ...page,
    });
  }

  invoiceSections(ids: readonly string[]): Promise<AzureInvoiceSection[]> {
    return this.sections().andWhere('section.id IN (:...ids)', { ids: [...ids] }).getMany();
  }

  invoiceSectionsOfProfiles(profileIds: readonly string[]): Promise<AzureInvoiceSection[]> {
    return this.sections()
      .andWhere('section.billingProfileId IN (:...profileIds)', { profileIds: [...profileIds] })
      .orderBy('section.id', 'ASC')
      .getMany();
  }

  /** A page of each profile's invoice sections (in scope), by id, in one statement. */
  async invoiceSectionPagesOfProfiles(profileIds: readonly string[], page: PageRequest): Promise<AzureInvoiceSection[][]> {
    return keysetPagesByParent(this.sections(), {
      parent: 'section.billingProfileId',
      keys: ['section.id'],
      sort: SECTION_ORDER,
      parents: profileIds,
      ...page,
    });
  }

  lots(ids: readonly string[]): Promise<AzureCreditLot[]> {
    return this.lotsQuery().andWhere(`${LOT_ALIAS}.id IN (:...ids)`, { ids: [...ids] }).getMany();
  }

  /** Every lot of the profiles (in scope), unpaged: what a profile's balance summary adds up. */
  lotsOfProfiles(profileIds: readonly string[]): Promise<AzureCreditLot[]> {
    return this.lotsQuery()
      .andWhere(`${LOT_ALIAS}.billingProfileId IN (:...profileIds)`, { profileIds: [...profileIds] })
      .orderBy(`${LOT_ALIAS}.id`, 'ASC')
      .getMany();
  }

  /** A page of each profile's lots (in scope), by id, in one statement. */
  async lotPagesOfProfiles(profileIds: readonly string[], page: PageRequest): Promise<AzureCreditLot[][]> {
    return keysetPagesByParent(this.lotsQuery(), {
      parent: `${LOT_ALIAS}.billingProfileId`,
      keys: [`${LOT_ALIAS}.id`],
      sort: LOT_ORDER,
      parents: profileIds,
      ...page,
    });
  }

  /**
   * The few columns a profile's credit summary reads of each of its lots (status facts and closed
   * balances), as plain rows: the billing-account summary reads every lot of every profile, and
   * building whole entities for it was most of its time.
   */
  async balanceLotsOfProfiles(profileIds: readonly string[]): Promise<ProfileBalanceLot[]> {
    const l = LOT_ALIAS;
    const rows = await this.lotsQuery()
      .select([
        `${l}.billingProfileId AS "billingProfileId"`,
        `${l}.status AS "status"`,
        `${l}.startDate AS "startDate"`,
        `${l}.expirationDate AS "expirationDate"`,
        `${l}.paused AS "paused"`,
        `${l}.closedBalanceIsZero AS "closedBalanceIsZero"`,
        `${l}.closedBalanceCurrency AS "closedCurrency"`,
        `${l}.closedBalanceValue AS "closedValue"`,
        `${l}.closedBalanceInBillingCurrencyCurrency AS "billingCurrency"`,
        `${l}.closedBalanceInBillingCurrencyValue AS "billingValue"`,
        `${l}.closedBalanceInBillingCurrencyExchangerate AS "billingRate"`,
        `${l}.closedBalanceInBillingCurrencyExchangeratemonth AS "billingRateMonth"`,
      ])
      .andWhere(`${l}.billingProfileId IN (:...profileIds)`, { profileIds: [...profileIds] })
      .orderBy(`${l}.id`, 'ASC')
      .getRawMany();
    return rows.map((r) => ({
      billingProfileId: r.billingProfileId,
      status: r.status,
      startDate: r.startDate,
      expirationDate: r.expirationDate,
      paused: r.paused === 1 || r.paused === true,
      closedBalanceIsZero: r.closedBalanceIsZero === 1 || r.closedBalanceIsZero === true,
      closedBalanceColumns: { currency: r.closedCurrency, value: r.closedValue },
      closedBalanceInBillingCurrencyColumns: { currency: r.billingCurrency, value: r.billingValue, exchangeRate: r.billingRate, exchangeRateMonth: r.billingRateMonth },
    }));
  }

  events(ids: readonly string[]): Promise<AzureCreditEvent[]> {
    return this.eventsQuery().andWhere('event.id IN (:...ids)', { ids: [...ids] }).getMany();
  }

  /** A page of each profile's events (in scope) within `range`, newest first (then by id, descending), in one statement. */
  async eventPagesOfProfiles(profileIds: readonly string[], range: EventRange, page: PageRequest): Promise<AzureCreditEvent[][]> {
    const query = this.eventsQuery().andWhere('event.transactionDate >= :startDate AND event.transactionDate <= :endDate', {
      startDate: range.startDate,
      endDate: range.endDate,
    });
    return keysetPagesByParent(query, {
      parent: 'event.billingProfileId',
      keys: ['event.id'],
      sort: EVENT_ORDER,
      parents: profileIds,
      ...page,
    });
  }

  /** Imported events naming any of the lots (by lot name) within their profiles (computed ones are the applications' own records). */
  importedEventsOfLots(lots: readonly Pick<AzureCreditLot, 'billingProfileId' | 'name'>[]): Promise<AzureCreditEvent[]> {
    if (lots.length === 0) return Promise.resolve([]);
    return this.eventsQuery()
      .andWhere("event.origin = 'IMPORTED'")
      .andWhere('event.billingProfileId IN (:...profileIds)', { profileIds: [...new Set(lots.map((l) => l.billingProfileId))] })
      .andWhere('event.lotId IN (:...lotNames)', { lotNames: [...new Set(lots.map((l) => l.name))] })
      .getMany();
  }

  /** The engine's applications of these lots (the lots are in scope, so are their applications). */
  computedApplications(lotIds: readonly string[]): Promise<CreditApplication[]> {
    return readApplications(this.manager, lotIds);
  }

  /** The stored cost-details months of these profiles (those of lots in scope), to name a final month's invoice. */
  billingPeriods(profileIds: readonly string[]): Promise<BillingPeriodRow[]> {
    if (profileIds.length === 0) return Promise.resolve([]);
    return this.manager.find(BillingPeriodRow, { where: { billingGroup: In([...profileIds]) } });
  }

  /** The month-to-date rows of these invoice sections, or of every section of these profiles (callers pass ones in scope). */
  consumerMonths(filter: { sectionIds?: readonly string[]; profileIds?: readonly string[] }): Promise<ConsumerMonthRow[]> {
    const query = this.manager.createQueryBuilder(ConsumerMonthRow, 'cm').where('cm.consumerKind = :kind', { kind: AZURE_CONSUMER_KIND });
    if (filter.sectionIds) query.andWhere('cm.consumerId IN (:...sectionIds)', { sectionIds: filter.sectionIds.length > 0 ? [...filter.sectionIds] : [''] });
    if (filter.profileIds) query.andWhere('cm.billingGroup IN (:...profileIds)', { profileIds: filter.profileIds.length > 0 ? [...filter.profileIds] : [''] });
    return query.getMany();
  }

  /** The lots the caller sees that match the provider contract's filter, in its order, strictly after `after`, at most `limit`. */
  async searchCredits(search: SearchCreditsRequest): Promise<AzureCreditLot[]> {
    const { order } = search;
    if (selectsNothing(search)) return [];
    const query = await this.filteredLots(search.filter, search.now);
    const keyColumn = ORDER_COLUMNS[order.field];
    const keyset = keysetCondition('AZURE', search.after, order.direction, keyColumn, `${LOT_ALIAS}.id`);
    if (keyset) query.andWhere(keyset.sql, keyset.params);
    query.orderBy(keyColumn, order.direction).addOrderBy(`${LOT_ALIAS}.id`, order.direction);
    if (search.limit !== null) query.limit(search.limit);
    return query.getMany();
  }

  /**
   * The totals of the lots the caller sees that match the filter, summed in SQL
   * (lib/store/summary-sql.ts); null when SQLite cannot sum them exactly (the provider then sums by pages).
   */
  async summarizeCredits(request: SummarizeCreditsRequest): Promise<CreditSummaryRecord | null> {
    if (selectsNothing({ filter: request.filter, limit: null })) return new CreditSummaryBuilder(request.now).result();
    return summarizeInSql(await this.filteredLots(request.filter, request.now), LOT_SUMMARY_COLUMNS, 'AZURE', request.now);
  }

  /** The lots the caller sees that match the contract's filter, as a query to refine (alias `lot`), unordered. */
  private async filteredLots(filter: SearchCreditsRequest['filter'], now: string): Promise<SelectQueryBuilder<AzureCreditLot>> {
    const query = this.lotsQuery();
    const anyOf = (values: string[] | null | undefined, column: string, param: string) => {
      if (values) query.andWhere(`${column} IN (:...${param})`, { [param]: values });
    };
    anyOf(filter.statuses, statusSqlCase(LOT_STATUS_COLUMNS), 'statuses');
    if (filter.statuses && filter.statuses.length > 0) query.setParameter('now', now);
    anyOf(filter.currencyCodes, `${LOT_ALIAS}.closedBalanceCurrency`, 'currencyCodes');
    anyOf(filter.ownerIds, `${LOT_ALIAS}.billingProfileId`, 'ownerIds');
    if (filter.expiresBefore) {
      query.andWhere(`${LOT_ALIAS}.expirationDate IS NOT NULL AND ${LOT_ALIAS}.expirationDate < :expiresBefore`, {
        expiresBefore: filter.expiresBefore,
      });
    }
    if (filter.search) {
      const found = await textSearchCondition(this.manager, CREDIT_TEXT_SEARCH, LOT_ALIAS, foldSearchTerm(filter.search));
      query.andWhere(found.sql, found.params);
    }
    return query;
  }
}

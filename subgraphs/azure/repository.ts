/**
 * Data access of the Azure subgraph: every SQL statement the resolvers, loaders and the provider
 * contract run. Each method takes a batch of keys, so callers never issue one statement per row.
 */
import { EntityManager, In } from 'typeorm';
import { keysetCondition } from '../../lib/credit-order';
import { foldSearchTerm } from '../../lib/credit-search';
import { statusSqlCase } from '../../lib/credit-status';
import type { CreditFilter, CreditOrder, CreditPosition } from '../../lib/provider-contract';
import { AzureBillingAccount } from './entities/billing-account';
import { AzureBillingProfile } from './entities/billing-profile';
import { AzureCreditEvent } from './entities/credit-event';
import { AzureCreditLot } from './entities/credit-lot';
import { AzureInvoiceSection } from './entities/invoice-section';
import { LOT_ALIAS, LOT_STATUS_COLUMNS } from './domain/normalize-lot';

/** The lot column each order field sorts on (the same keys lib/credit-order.ts computes). */
const ORDER_COLUMNS: Record<CreditOrder['field'], string> = {
  EXPIRES_AT: `${LOT_ALIAS}.sortExpiresAt`,
  REMAINING_BALANCE: `${LOT_ALIAS}.sortRemaining`,
  NAME: `${LOT_ALIAS}.creditName`,
};

export interface LotSearch {
  filter: CreditFilter;
  order: CreditOrder;
  after: CreditPosition | null;
  limit: number | null;
  /** ISO date-time the status filter is evaluated at. */
  now: string;
}

/** A date range of events, both ends included. */
export interface EventRange {
  startDate: string;
  endDate: string;
}

export class AzureRepository {
  constructor(private readonly manager: EntityManager) {}

  billingAccounts(ids?: readonly string[]): Promise<AzureBillingAccount[]> {
    return this.manager.find(AzureBillingAccount, { where: ids ? { id: In([...ids]) } : {}, order: { id: 'ASC' } });
  }

  billingProfiles(ids: readonly string[]): Promise<AzureBillingProfile[]> {
    return this.manager.find(AzureBillingProfile, { where: { id: In([...ids]) } });
  }

  billingProfilesOfAccounts(accountIds: readonly string[]): Promise<AzureBillingProfile[]> {
    return this.manager.find(AzureBillingProfile, { where: { billingAccountId: In([...accountIds]) }, order: { id: 'ASC' } });
  }

  invoiceSections(ids: readonly string[]): Promise<AzureInvoiceSection[]> {
    return this.manager.find(AzureInvoiceSection, { where: { id: In([...ids]) } });
  }

  invoiceSectionsOfProfiles(profileIds: readonly string[]): Promise<AzureInvoiceSection[]> {
    return this.manager.find(AzureInvoiceSection, { where: { billingProfileId: In([...profileIds]) }, order: { id: 'ASC' } });
  }

  lots(ids: readonly string[]): Promise<AzureCreditLot[]> {
    return this.manager.find(AzureCreditLot, { where: { id: In([...ids]) } });
  }

  lotsOfProfiles(profileIds: readonly string[]): Promise<AzureCreditLot[]> {
    return this.manager.find(AzureCreditLot, { where: { billingProfileId: In([...profileIds]) }, order: { id: 'ASC' } });
  }

  events(ids: readonly string[]): Promise<AzureCreditEvent[]> {
    return this.manager.find(AzureCreditEvent, { where: { id: In([...ids]) } });
  }

  /** Events of the profiles within `range`, newest first (then by id, descending). */
  eventsOfProfiles(profileIds: readonly string[], range: EventRange): Promise<AzureCreditEvent[]> {
    return this.manager
      .createQueryBuilder(AzureCreditEvent, 'event')
      .where('event.billingProfileId IN (:...profileIds)', { profileIds: [...profileIds] })
      .andWhere('event.transactionDate >= :startDate AND event.transactionDate <= :endDate', range)
      .orderBy('event.transactionDate', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .getMany();
  }

  /** Events naming any of the lots (by lot name) within their profiles. */
  eventsOfLots(lots: readonly Pick<AzureCreditLot, 'billingProfileId' | 'name'>[]): Promise<AzureCreditEvent[]> {
    if (lots.length === 0) return Promise.resolve([]);
    return this.manager.find(AzureCreditEvent, {
      where: {
        billingProfileId: In([...new Set(lots.map((l) => l.billingProfileId))]),
        lotId: In([...new Set(lots.map((l) => l.name))]),
      },
    });
  }

  /** Lots matching the provider contract's filter, in its order, strictly after `after`, at most `limit`. */
  searchLots(search: LotSearch): Promise<AzureCreditLot[]> {
    const { filter, order } = search;
    const query = this.manager.createQueryBuilder(AzureCreditLot, LOT_ALIAS).where('1 = 1');
    const anyOf = (values: string[] | null | undefined, column: string, param: string) => {
      if (values === null || values === undefined) return;
      if (values.length === 0) query.andWhere('1 = 0');
      else query.andWhere(`${column} IN (:...${param})`, { [param]: values });
    };
    anyOf(filter.statuses, statusSqlCase(LOT_STATUS_COLUMNS), 'statuses');
    if (filter.statuses && filter.statuses.length > 0) query.setParameter('now', search.now);
    anyOf(filter.currencyCodes, `${LOT_ALIAS}.closedBalanceCurrency`, 'currencyCodes');
    anyOf(filter.ownerIds, `${LOT_ALIAS}.billingProfileId`, 'ownerIds');
    if (filter.expiresBefore) {
      query.andWhere(`${LOT_ALIAS}.expirationDate IS NOT NULL AND ${LOT_ALIAS}.expirationDate < :expiresBefore`, {
        expiresBefore: filter.expiresBefore,
      });
    }
    if (filter.search) {
      query.andWhere(`instr(${LOT_ALIAS}.searchText, :search) > 0`, { search: foldSearchTerm(filter.search) });
    }
    const keyColumn = ORDER_COLUMNS[order.field];
    const keyset = keysetCondition('AZURE', search.after, order.direction, keyColumn, `${LOT_ALIAS}.id`);
    if (keyset) query.andWhere(keyset.sql, keyset.params);
    query.orderBy(keyColumn, order.direction).addOrderBy(`${LOT_ALIAS}.id`, order.direction);
    if (search.limit !== null) query.limit(search.limit);
    return query.getMany();
  }
}

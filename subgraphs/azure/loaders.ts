/**
 * Per-request DataLoaders: entity lookups by id, pages of child connections by parent id
 * (lib/paged-loader.ts) and the unpaged child lists single objects add up (balances, month to
 * date), each one SQL statement per batch, so a page of lots with their profiles costs a constant
 * number of queries. Every statement carries the caller's scope (repository.ts), so nothing the
 * caller may not see is ever loaded.
 */
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { AzureScope } from './domain/access';
import type { AzureBillingAccount } from './entities/billing-account';
import type { AzureBillingProfile } from './entities/billing-profile';
import type { AzureCreditEvent } from './entities/credit-event';
import type { AzureCreditLot } from './entities/credit-lot';
import type { AzureInvoiceSection } from './entities/invoice-section';
import type { ConsumerMonthRow } from '../../lib/store/storage';
import { PagedLoader, pagedLoader } from '../../lib/platform/paged-loader';
import { AzureRepository, EventRange, ProfileBalanceLot } from './repository';

/** A loader of rows by their own id (null for unknown ids). */
function byId<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = new Map((await fetch(ids)).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

/** A loader of child rows by a parent id (in the order the fetch returns them). */
function byParent<T>(fetch: (ids: readonly string[]) => Promise<T[]>, parentOf: (row: T) => string): DataLoader<string, T[]> {
  return new DataLoader(async (parentIds) => {
    const groups = new Map<string, T[]>(parentIds.map((id) => [id, []]));
    for (const row of await fetch(parentIds)) groups.get(parentOf(row))?.push(row);
    return parentIds.map((id) => groups.get(id) ?? []);
  });
}

export interface AzureLoaders {
  billingAccount: DataLoader<string, AzureBillingAccount | null>;
  billingProfile: DataLoader<string, AzureBillingProfile | null>;
  invoiceSection: DataLoader<string, AzureInvoiceSection | null>;
  lot: DataLoader<string, AzureCreditLot | null>;
  event: DataLoader<string, AzureCreditEvent | null>;
  /** Pages of child connections, by parent id: at most `first + 1` rows per parent after the page's cursor. */
  billingProfilesOfAccount: PagedLoader<AzureBillingProfile>;
  invoiceSectionsOfProfile: PagedLoader<AzureInvoiceSection>;
  lotsOfProfile: PagedLoader<AzureCreditLot>;
  /** Pages of a profile's events within a date range (the range is part of the loader's key, as the page is). */
  eventsOfProfile: (range: EventRange) => PagedLoader<AzureCreditEvent>;
  /** Every lot of a profile, unpaged: what its balance summary adds up. */
  everyLotOfProfile: DataLoader<string, AzureCreditLot[]>;
  /** Only what a credit summary reads of each lot of a profile (every lot: the summary is one object). */
  balanceLotsOfProfile: DataLoader<string, ProfileBalanceLot[]>;
  /** Month-to-date rows (lib/charges/storage.ts) per invoice section, and per billing profile (all its sections). */
  consumerMonthsOfSection: DataLoader<string, ConsumerMonthRow[]>;
  consumerMonthsOfProfile: DataLoader<string, ConsumerMonthRow[]>;
}

/** The loaders of one request, every one limited to the caller's scope (rows outside it load as null / absent). */
export function createAzureLoaders(dataSource: DataSource, scope: AzureScope): AzureLoaders {
  const repository = new AzureRepository(dataSource.manager, scope);
  const eventLoaders = new Map<string, PagedLoader<AzureCreditEvent>>();
  return {
    billingAccount: byId((ids) => repository.billingAccounts(ids)),
    billingProfile: byId((ids) => repository.billingProfiles(ids)),
    invoiceSection: byId((ids) => repository.invoiceSections(ids)),
    lot: byId((ids) => repository.lots(ids)),
    event: byId((ids) => repository.events(ids)),
    billingProfilesOfAccount: pagedLoader((ids, page) => repository.billingProfilePagesOfAccounts(ids, page)),
    invoiceSectionsOfProfile: pagedLoader((ids, page) => repository.invoiceSectionPagesOfProfiles(ids, page)),
    lotsOfProfile: pagedLoader((ids, page) => repository.lotPagesOfProfiles(ids, page)),
    eventsOfProfile: (range) => {
      const key = JSON.stringify([range.startDate, range.endDate]);
      let loader = eventLoaders.get(key);
      if (!loader) eventLoaders.set(key, (loader = pagedLoader((ids, page) => repository.eventPagesOfProfiles(ids, range, page))));
      return loader;
    },
    everyLotOfProfile: byParent((ids) => repository.lotsOfProfiles(ids), (l) => l.billingProfileId),
    balanceLotsOfProfile: byParent((ids) => repository.balanceLotsOfProfiles(ids), (l) => l.billingProfileId),
    consumerMonthsOfSection: byParent((ids) => repository.consumerMonths({ sectionIds: ids }), (m) => m.consumerId),
    consumerMonthsOfProfile: byParent((ids) => repository.consumerMonths({ profileIds: ids }), (m) => m.billingGroup),
  };
}

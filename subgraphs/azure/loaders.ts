/**
 * Per-request DataLoaders: entity lookups by id, pages of child connections by parent id
 * (lib/platform/loaders.ts) and the unpaged child lists single objects add up (balances, month to
 * date), each one SQL statement per batch, so a page of lots with their profiles costs a constant
 * number of queries. Every statement carries the caller's scope (repository.ts), so nothing the
 * caller may not see is ever loaded.
 */
import DataLoader from 'dataloader';
import type { AzureBillingAccount } from './entities/billing-account';
import type { AzureBillingProfile } from './entities/billing-profile';
import type { AzureCreditEvent } from './entities/credit-event';
import type { AzureCreditLot } from './entities/credit-lot';
import type { AzureInvoiceSection } from './entities/invoice-section';
import type { ConsumerMonthRow } from '../../lib/store/storage';
import { byKey, groupedBy, PagedLoader, pagedLoader } from '../../lib/platform/loaders';
import { AzureRepository, EventRange, ProfileBalanceLot } from './store';

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
  /** Month-to-date rows (lib/store/storage.ts) per invoice section, and per billing profile (all its sections). */
  consumerMonthsOfSection: DataLoader<string, ConsumerMonthRow[]>;
  consumerMonthsOfProfile: DataLoader<string, ConsumerMonthRow[]>;
}

/** The loaders of one request over the caller's repository: every one limited to its scope (rows outside it load as null / absent). */
export function createAzureLoaders(repository: AzureRepository): AzureLoaders {
  const eventLoaders = new Map<string, PagedLoader<AzureCreditEvent>>();
  return {
    billingAccount: byKey((ids) => repository.billingAccounts(ids), (a) => a.id),
    billingProfile: byKey((ids) => repository.billingProfiles(ids), (p) => p.id),
    invoiceSection: byKey((ids) => repository.invoiceSections(ids), (s) => s.id),
    lot: byKey((ids) => repository.lots(ids), (l) => l.id),
    event: byKey((ids) => repository.events(ids), (e) => e.id),
    billingProfilesOfAccount: pagedLoader((ids, page) => repository.billingProfilePagesOfAccounts(ids, page)),
    invoiceSectionsOfProfile: pagedLoader((ids, page) => repository.invoiceSectionPagesOfProfiles(ids, page)),
    lotsOfProfile: pagedLoader((ids, page) => repository.lotPagesOfProfiles(ids, page)),
    eventsOfProfile: (range) => {
      const key = JSON.stringify([range.startDate, range.endDate]);
      let loader = eventLoaders.get(key);
      if (!loader) eventLoaders.set(key, (loader = pagedLoader((ids, page) => repository.eventPagesOfProfiles(ids, range, page))));
      return loader;
    },
    everyLotOfProfile: groupedBy((ids) => repository.lotsOfProfiles(ids), (l) => l.billingProfileId),
    balanceLotsOfProfile: groupedBy((ids) => repository.balanceLotsOfProfiles(ids), (l) => l.billingProfileId),
    consumerMonthsOfSection: groupedBy((ids) => repository.consumerMonths({ sectionIds: ids }), (m) => m.consumerId),
    consumerMonthsOfProfile: groupedBy((ids) => repository.consumerMonths({ profileIds: ids }), (m) => m.billingGroup),
  };
}

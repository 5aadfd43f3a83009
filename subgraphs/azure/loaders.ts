/**
 * Per-request DataLoaders: entity lookups by id and child lists by parent id, each one SQL
 * statement per batch, so a list of lots with their profiles costs a constant number of queries.
 * Every statement carries the caller's scope (repository.ts), so nothing the caller may not see
 * is ever loaded.
 */
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { AzureScope } from './domain/access';
import type { AzureBillingAccount } from './entities/billing-account';
import type { AzureBillingProfile } from './entities/billing-profile';
import type { AzureCreditEvent } from './entities/credit-event';
import type { AzureCreditLot } from './entities/credit-lot';
import type { AzureInvoiceSection } from './entities/invoice-section';
import type { ConsumerMonthRow } from '../../lib/charges/storage';
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

export interface EventsKey extends EventRange {
  billingProfileId: string;
}

export interface AzureLoaders {
  billingAccount: DataLoader<string, AzureBillingAccount | null>;
  billingProfile: DataLoader<string, AzureBillingProfile | null>;
  invoiceSection: DataLoader<string, AzureInvoiceSection | null>;
  lot: DataLoader<string, AzureCreditLot | null>;
  event: DataLoader<string, AzureCreditEvent | null>;
  billingProfilesOfAccount: DataLoader<string, AzureBillingProfile[]>;
  invoiceSectionsOfProfile: DataLoader<string, AzureInvoiceSection[]>;
  lotsOfProfile: DataLoader<string, AzureCreditLot[]>;
  /** Only what a credit summary reads of each lot of a profile. */
  balanceLotsOfProfile: DataLoader<string, ProfileBalanceLot[]>;
  eventsOfProfile: DataLoader<EventsKey, AzureCreditEvent[], string>;
  /** Month-to-date rows (lib/charges/storage.ts) per invoice section, and per billing profile (all its sections). */
  consumerMonthsOfSection: DataLoader<string, ConsumerMonthRow[]>;
  consumerMonthsOfProfile: DataLoader<string, ConsumerMonthRow[]>;
}

/** The loaders of one request, every one limited to the caller's scope (rows outside it load as null / absent). */
export function createAzureLoaders(dataSource: DataSource, scope: AzureScope): AzureLoaders {
  const repository = new AzureRepository(dataSource.manager, scope);
  return {
    billingAccount: byId((ids) => repository.billingAccounts(ids)),
    billingProfile: byId((ids) => repository.billingProfiles(ids)),
    invoiceSection: byId((ids) => repository.invoiceSections(ids)),
    lot: byId((ids) => repository.lots(ids)),
    event: byId((ids) => repository.events(ids)),
    billingProfilesOfAccount: byParent((ids) => repository.billingProfilesOfAccounts(ids), (p) => p.billingAccountId),
    invoiceSectionsOfProfile: byParent((ids) => repository.invoiceSectionsOfProfiles(ids), (s) => s.billingProfileId),
    lotsOfProfile: byParent((ids) => repository.lotsOfProfiles(ids), (l) => l.billingProfileId),
    balanceLotsOfProfile: byParent((ids) => repository.balanceLotsOfProfiles(ids), (l) => l.billingProfileId),
    consumerMonthsOfSection: byParent((ids) => repository.consumerMonths({ sectionIds: ids }), (m) => m.consumerId),
    consumerMonthsOfProfile: byParent((ids) => repository.consumerMonths({ profileIds: ids }), (m) => m.billingGroup),
    eventsOfProfile: new DataLoader(
      async (keys) => {
        // One statement for the whole batch: every profile over the widest range, then split per key.
        const startDate = keys.map((k) => k.startDate).reduce((a, b) => (a < b ? a : b));
        const endDate = keys.map((k) => k.endDate).reduce((a, b) => (a > b ? a : b));
        const events = await repository.eventsOfProfiles([...new Set(keys.map((k) => k.billingProfileId))], { startDate, endDate });
        return keys.map((k) =>
          events.filter(
            (e) => e.billingProfileId === k.billingProfileId && e.transactionDate >= k.startDate && e.transactionDate <= k.endDate,
          ),
        );
      },
      { cacheKeyFn: (k) => JSON.stringify([k.billingProfileId, k.startDate, k.endDate]) },
    ),
  };
}

/**
 * The credits layer's per-request context: the providers it asks, the request's clock, and
 * DataLoaders that batch every credit and application lookup of one request into one provider
 * call per provider.
 */
import DataLoader from 'dataloader';
import { decodeCreditId, encodeCreditId } from '../../lib/api/global-id';
import type { ApplicationsPageRequest, CreditApplicationsPage, NormalizedCredit, ProviderClient, ProviderName } from '../../lib/domain/provider-contract';
import { providerCall, Unavailability } from './provider-errors';

/** The providers of one request, each acting for that request's caller. */
export type ProviderRegistry = ReadonlyMap<ProviderName, ProviderClient>;

export interface CreditsContext {
  providers: ProviderRegistry;
  /** The request's "now", ISO-8601: every status and expiry of one response uses the same moment. */
  now: string;
  /**
   * Providers that could not answer during this request. Lists and totals carry on with the other
   * clouds, and the response gets a PROVIDER_UNAVAILABLE error naming each of these.
   */
  unavailableProviders: Map<ProviderName, Unavailability>;
  loaders: {
    /** Credit by global ID (null when it does not exist or the ID is not a credit's). */
    credit: DataLoader<string, NormalizedCredit | null>;
    /** A page of applications by credit global ID (a credit with none: an empty page), one loader per page asked for. */
    applications: (page: ApplicationsPageRequest) => DataLoader<string, CreditApplicationsPage>;
  };
}

/** Groups global IDs by provider, asks each provider once, and answers in the IDs' order. */
function batchByProvider<T>(
  providers: ProviderRegistry,
  fetch: (provider: ProviderClient, nativeIds: string[]) => Promise<T[]>,
  nativeIdOf: (item: T) => string,
  collect: (items: T[]) => T | T[] | null,
) {
  return async (globalIds: readonly string[]) => {
    const refs = globalIds.map((id) => decodeCreditId(id));
    const byProvider = new Map<ProviderName, string[]>();
    for (const ref of refs) {
      if (ref && providers.has(ref.provider)) byProvider.set(ref.provider, [...(byProvider.get(ref.provider) ?? []), ref.providerCreditId]);
    }
    const found = new Map<string, T[]>();
    await Promise.all(
      [...byProvider].map(async ([name, ids]) => {
        const items = await providerCall(name, () => fetch(providers.get(name)!, [...new Set(ids)]));
        for (const item of items) {
          const key = encodeCreditId({ provider: name, providerCreditId: nativeIdOf(item) });
          found.set(key, [...(found.get(key) ?? []), item]);
        }
      }),
    );
    return globalIds.map((id) => collect(found.get(id) ?? []));
  };
}

/** Most credits one provider call asks for (the contract refuses lists over 1000). */
const MAX_BATCH = 500;

/** One loader per distinct page request, made when first asked for. */
function memoizedByPage<T>(make: (page: ApplicationsPageRequest) => T): (page: ApplicationsPageRequest) => T {
  const made = new Map<string, T>();
  return (page) => {
    const key = JSON.stringify([page.first, page.after]);
    let value = made.get(key);
    if (value === undefined) made.set(key, (value = make(page)));
    return value;
  };
}

export function createCreditsContext(providers: ProviderRegistry, now: Date): CreditsContext {
  const nowIso = now.toISOString();
  return {
    providers,
    now: nowIso,
    unavailableProviders: new Map(),
    loaders: {
      credit: new DataLoader(
        batchByProvider(providers, (p, ids) => p.getCredits(ids, nowIso), (c) => c.providerCreditId, (items) => items[0] ?? null) as any,
        { maxBatchSize: MAX_BATCH },
      ),
      applications: memoizedByPage((page) =>
        new DataLoader(
          batchByProvider(
            providers,
            (p, ids) => p.getApplications(ids, page),
            (a) => a.providerCreditId,
            (pages) => pages[0] ?? null,
          ) as any,
          { maxBatchSize: MAX_BATCH },
        ),
      ),
    },
  };
}

/**
 * What the credits layer does with its providers: pages across clouds, totals, and routing a
 * mutation to the credit's provider. Resolvers call these; providers are reached through the
 * provider contract only.
 */
import { badArgument as badInput, checkPageSize } from '../../lib/platform/connection';
import { positionOf } from '../../lib/domain/credit-order';
import { decodeCreditId, encodeCreditId } from '../../lib/api/global-id';
import type {
  CreditFilter as ContractFilter,
  CreditOrder,
  CreditSummaryRecord,
  MutationResult,
  NormalizedCredit,
  ProviderClient,
  ProviderName,
} from '../../lib/domain/provider-contract';
import type { CreditsContext } from './context';
import { decodeCreditCursor, encodeCreditCursor, InvalidCursorError } from './domain/cursor';
import { mergePages } from './domain/merge-pages';
import { mergeCreditSummaries } from './domain/summarize';
import { providerCall, settleProviders } from './provider-errors';
import type { CreditFilter } from './types/inputs';


function selectedProviders(ctx: CreditsContext, filter: CreditFilter | null | undefined): [ProviderName, ProviderClient][] {
  return [...ctx.providers].filter(([name]) => !filter?.providers || filter.providers.includes(name as never));
}

/** Longest list a filter may hold: longer ones are refused, not sent to the providers' SQL. */
export const MAX_FILTER_VALUES = 100;

function toContractFilter(filter: CreditFilter | null | undefined): ContractFilter {
  for (const field of ['providers', 'statuses', 'currencyCodes', 'ownerIds'] as const) {
    const values = filter?.[field];
    if (values && values.length > MAX_FILTER_VALUES) {
      throw badInput(`filter.${field} holds ${values.length} values; at most ${MAX_FILTER_VALUES} are allowed`, `filter.${field}`);
    }
  }
  if (filter?.search && filter.search.length > 200) throw badInput('filter.search is longer than 200 characters', 'filter.search');
  return {
    statuses: filter?.statuses ?? null,
    currencyCodes: filter?.currencyCodes ?? null,
    ownerIds: filter?.ownerIds ?? null,
    expiresBefore: filter?.expiresBefore ? new Date(filter.expiresBefore).toISOString() : null,
    search: filter?.search ?? null,
  };
}

export interface CreditPage {
  edges: { cursor: string; credit: NormalizedCredit }[];
  hasNextPage: boolean;
}

export async function pageCredits(
  ctx: CreditsContext,
  args: { filter?: CreditFilter | null; order: CreditOrder; first: number; after?: string | null },
): Promise<CreditPage> {
  checkPageSize(args.first);
  let after = null;
  if (args.after) {
    try {
      after = decodeCreditCursor(args.after, args.order);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw badInput(error.message, 'after');
      throw error;
    }
  }
  const filter = toContractFilter(args.filter);
  const pages = await settleProviders(ctx, selectedProviders(ctx, args.filter), (provider) =>
    provider.searchCredits({ filter, order: args.order, after, limit: args.first + 1, now: ctx.now }),
  );
  const merged = mergePages(pages, args.order, args.first);
  for (const credit of merged.credits) ctx.loaders.credit.prime(encodeCreditId(credit), credit);
  return {
    edges: merged.credits.map((credit) => ({ cursor: encodeCreditCursor(positionOf(credit, args.order.field), args.order), credit })),
    hasNextPage: merged.hasNextPage,
  };
}

/**
 * The totals of the credits the filter selects, across clouds: each provider sums its own and
 * answers only its totals (the contract's summarizeCredits), which are merged here, so the answer's
 * size does not grow with the number of credits. A provider that is down is left out and named
 * (settleProviders).
 */
export async function summarizeAllCredits(ctx: CreditsContext, filterInput: CreditFilter | null | undefined): Promise<CreditSummaryRecord> {
  const filter = toContractFilter(filterInput);
  const parts = await settleProviders(ctx, selectedProviders(ctx, filterInput), (provider) => provider.summarizeCredits({ filter, now: ctx.now }));
  return mergeCreditSummaries(parts);
}

/** Runs a mutation on the credit's provider; an unknown ID becomes a NOT_FOUND user error. */
export async function mutateCredit(
  ctx: CreditsContext,
  creditId: string,
  run: (provider: ProviderClient, providerCreditId: string) => Promise<MutationResult>,
): Promise<MutationResult> {
  const ref = decodeCreditId(creditId);
  const provider = ref && ctx.providers.get(ref.provider);
  if (!ref || !provider) {
    return { credit: null, userErrors: [{ code: 'NOT_FOUND', field: ['creditId'], message: `"${creditId}" is not the ID of a credit` }] };
  }
  const result = await providerCall(ref.provider, () => run(provider, ref.providerCreditId));
  if (result.credit) ctx.loaders.credit.clear(creditId).prime(creditId, result.credit);
  return result;
}

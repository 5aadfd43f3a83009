/**
 * What the credits layer does with its providers: pages across clouds, totals, and routing a
 * mutation to the credit's provider. Resolvers call these; providers are reached through the
 * provider contract only.
 */
import { GraphQLError } from 'graphql';
import { positionOf } from '../../lib/credit-order';
import { decodeCreditId, encodeCreditId } from '../../lib/global-id';
import type {
  CreditFilter as ContractFilter,
  CreditOrder,
  MutationResult,
  NormalizedCredit,
  ProviderClient,
  ProviderName,
} from '../../lib/provider-contract';
import type { CreditsContext } from './context';
import { decodeCreditCursor, encodeCreditCursor, InvalidCursorError } from './domain/cursor';
import { mergePages } from './domain/merge-pages';
import { MAX_PAGE_SIZE } from './types/page-info';
import { providerCall, settleProviders } from './provider-errors';
import type { CreditFilter } from './types/inputs';

export function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

/** Checks a page size against the cap every connection shares. */
export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`"first" must be a whole number from 0 to ${MAX_PAGE_SIZE}, got ${first}`, 'first');
  }
}

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

/** Every credit the filter selects, from every provider (for totals). */
export async function allCredits(ctx: CreditsContext, filterInput: CreditFilter | null | undefined): Promise<NormalizedCredit[]> {
  const filter = toContractFilter(filterInput);
  const order: CreditOrder = { field: 'EXPIRES_AT', direction: 'ASC' };
  const lists = await settleProviders(ctx, selectedProviders(ctx, filterInput), (provider) =>
    provider.searchCredits({ filter, order, after: null, limit: null, now: ctx.now }),
  );
  return lists.flat();
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

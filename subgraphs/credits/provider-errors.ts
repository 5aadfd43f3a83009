/**
 * A provider's failure as the API reports it: a typed error naming the provider. One provider
 * down does not take the other clouds down: lists and totals go on without it.
 */
import { GraphQLError } from 'graphql';
import type { UnavailableReason } from '../../lib/platform/bounded-fetch';
import { ProviderUnavailableError } from '../../lib/api/provider-http';
import type { ProviderClient, ProviderName } from '../../lib/domain/provider-contract';
import type { CreditsContext } from './context';

/** What is known of a provider that could not answer: the machine-readable reason and what a client may be told. */
export interface Unavailability {
  reason: UnavailableReason;
  explanation: string;
}

export function providerUnavailable(provider: ProviderName, why?: Unavailability): GraphQLError {
  const because = why ? ` (${why.explanation})` : '';
  return new GraphQLError(`The ${provider} provider is unavailable${because}; what it holds is missing from this answer. Try again shortly.`, {
    extensions: { code: 'PROVIDER_UNAVAILABLE', provider, ...(why ? { reason: why.reason } : {}) },
  });
}

export async function providerCall<T>(provider: ProviderName, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProviderUnavailableError) throw providerUnavailable(provider, error);
    throw error;
  }
}

/**
 * Asks every provider at once. The answers of those that respond come back; an unavailable one is
 * recorded in the context (the response then names it) unless every provider is unavailable, which
 * fails the field.
 */
export async function settleProviders<T>(
  ctx: CreditsContext,
  providers: [ProviderName, ProviderClient][],
  ask: (provider: ProviderClient) => Promise<T>,
): Promise<T[]> {
  const settled = await Promise.allSettled(providers.map(([, provider]) => ask(provider)));
  const answers: T[] = [];
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') answers.push(result.value);
    else if (result.reason instanceof ProviderUnavailableError) ctx.unavailableProviders.set(providers[i][0], result.reason);
    else throw result.reason;
  });
  if (providers.length > 0 && answers.length === 0) throw providerUnavailable(providers[0][0], ctx.unavailableProviders.get(providers[0][0]));
  return answers;
}

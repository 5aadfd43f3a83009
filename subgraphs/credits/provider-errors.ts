/** Turns a provider's failure into a typed GraphQL error naming the provider. */
import { GraphQLError } from 'graphql';
import { ProviderUnavailableError } from '../../lib/provider-http';
import type { ProviderName } from '../../lib/provider-contract';

export async function providerCall<T>(provider: ProviderName, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProviderUnavailableError) {
      throw new GraphQLError(`The ${provider} provider is unavailable; try again shortly.`, {
        extensions: { code: 'PROVIDER_UNAVAILABLE', provider },
      });
    }
    throw error;
  }
}

/**
 * Adds a PROVIDER_UNAVAILABLE error to a response for every provider that could not answer while
 * the other clouds' credits still came back (see settleProviders), so clients see both the data
 * and which cloud is missing from it.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { CreditsContext } from './context';
import { providerUnavailable } from './provider-errors';

export function unavailableProvidersPlugin<TContext extends BaseContext>(creditsOf: (context: TContext) => CreditsContext | undefined): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const missing = creditsOf(contextValue)?.unavailableProviders;
          if (!missing?.size || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          // One error per provider: a native field of the same provider may have said so already.
          const named = new Set((result.errors ?? []).filter((e) => e.extensions?.code === 'PROVIDER_UNAVAILABLE').map((e) => e.extensions?.provider));
          const errors = [...missing].filter(([provider]) => !named.has(provider)).map(([provider, why]) => providerUnavailable(provider, why).toJSON());
          result.errors = [...(result.errors ?? []), ...errors];
        },
      };
    },
  };
}

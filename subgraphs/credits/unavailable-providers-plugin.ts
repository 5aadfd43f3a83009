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
          const errors = [...missing].map((provider) => providerUnavailable(provider).toJSON());
          result.errors = [...(result.errors ?? []), ...errors];
        },
      };
    },
  };
}

/** The providers the credits layer asks, reached over the provider contract. */
import { HttpCreditProvider } from '../../lib/provider-http';
import type { ProviderRegistry } from './context';

export function httpProviders(urls: { aws: string; azure: string }, timeoutMs?: number): ProviderRegistry {
  return new Map([
    ['AWS', new HttpCreditProvider('AWS', urls.aws, { timeoutMs })],
    ['AZURE', new HttpCreditProvider('AZURE', urls.azure, { timeoutMs })],
  ]);
}

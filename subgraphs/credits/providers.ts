/** The providers the credits layer asks, reached over the provider contract for one request's caller. */
import { HttpCreditProvider, HttpProviderOptions } from '../../lib/api/provider-http';
import type { ProviderRegistry } from './context';

export interface ProviderUrls {
  aws: string;
  azure: string;
}

export function httpProviders(urls: ProviderUrls, options: HttpProviderOptions): ProviderRegistry {
  return new Map([
    ['AWS', new HttpCreditProvider('AWS', urls.aws, options)],
    ['AZURE', new HttpCreditProvider('AZURE', urls.azure, options)],
  ]);
}

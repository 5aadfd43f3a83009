/**
 * Opaque global IDs, as Relay's `node(id:)` expects: base64url of "<Type>:<PROVIDER>:<native id>".
 * Clients must treat them as opaque; the layout may change.
 */
import { ProviderName, PROVIDERS } from '../domain/provider-contract';

export interface CreditGlobalId {
  provider: ProviderName;
  providerCreditId: string;
}

const CREDIT_PREFIX = 'Credit';

export function encodeCreditId(ref: CreditGlobalId): string {
  return Buffer.from(`${CREDIT_PREFIX}:${ref.provider}:${ref.providerCreditId}`, 'utf8').toString('base64url');
}

/** The provider and native id inside a credit's global ID, or null when it is not one. */
export function decodeCreditId(id: string): CreditGlobalId | null {
  if (typeof id !== 'string' || id.length === 0 || id.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([A-Z]+):(.+)$/s.exec(text);
  if (!match || match[1] !== CREDIT_PREFIX) return null;
  const provider = match[2] as ProviderName;
  if (!PROVIDERS.includes(provider)) return null;
  // Round-trip check: rejects non-canonical base64 that happens to decode.
  if (encodeCreditId({ provider, providerCreditId: match[3] }) !== id) return null;
  return { provider, providerCreditId: match[3] };
}

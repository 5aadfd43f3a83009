/**
 * The provider contract over HTTP: `mountProviderContract` serves a provider's implementation
 * under /provider/v1, and `HttpCreditProvider` is the credits layer's client for it.
 */
import express from 'express';
import { BODY_LIMIT } from './server';
import {
  CONTRACT_PATHS,
  CreditApplicationRecord,
  CreditProvider,
  MutationResult,
  NormalizedCredit,
  ProviderName,
  SearchCreditsRequest,
  ShareCreditRequest,
} from './provider-contract';

/** Thrown by the client when a provider cannot be reached or answers with an error. */
export class ProviderUnavailableError extends Error {
  constructor(
    readonly provider: ProviderName,
    reason: string,
  ) {
    super(`${provider} provider is unavailable: ${reason}`);
    this.name = 'ProviderUnavailableError';
  }
}

/** Thrown by a provider for a request it cannot take (400). */
export class ContractRequestError extends Error {}

type Handler = (body: any) => Promise<unknown>;

export function mountProviderContract(app: express.Express, provider: CreditProvider): void {
  const routes: Record<keyof typeof CONTRACT_PATHS, Handler> = {
    searchCredits: async (b) => ({ credits: await provider.searchCredits(b as SearchCreditsRequest) }),
    getCredits: async (b) => ({ credits: await provider.getCredits(stringList(b.providerCreditIds), String(b.now)) }),
    getApplications: async (b) => ({ applications: await provider.getApplications(stringList(b.providerCreditIds)) }),
    pauseCredit: async (b) => provider.pauseCredit(String(b.providerCreditId), String(b.now)),
    activateCredit: async (b) => provider.activateCredit(String(b.providerCreditId), String(b.now)),
    shareCredit: async (b) => provider.shareCredit(b as ShareCreditRequest),
  };
  for (const [operation, handler] of Object.entries(routes)) {
    app.post(CONTRACT_PATHS[operation as keyof typeof CONTRACT_PATHS], express.json({ limit: BODY_LIMIT }), async (req, res) => {
      try {
        res.json(await handler(req.body ?? {}));
      } catch (error) {
        const status = error instanceof ContractRequestError ? 400 : 500;
        const message = error instanceof ContractRequestError ? error.message : 'internal error';
        if (status === 500) console.error(`[${provider.provider}] ${operation} failed:`, error);
        res.status(status).json({ error: { code: status === 400 ? 'BAD_REQUEST' : 'INTERNAL', message } });
      }
    });
  }
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new ContractRequestError('providerCreditIds must be a list of strings');
  }
  return value;
}

export interface HttpProviderOptions {
  /** Milliseconds before a provider call is abandoned. */
  timeoutMs?: number;
}

export class HttpCreditProvider implements CreditProvider {
  private readonly baseUrl: URL;
  private readonly timeoutMs: number;

  constructor(
    readonly provider: ProviderName,
    subgraphUrl: string,
    options: HttpProviderOptions = {},
  ) {
    this.baseUrl = new URL(subgraphUrl);
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  private async call<T>(path: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ProviderUnavailableError(this.provider, (error as Error).message);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new ProviderUnavailableError(this.provider, `HTTP ${response.status} ${text.slice(0, 200)}`);
    }
    return (await response.json()) as T;
  }

  async searchCredits(request: SearchCreditsRequest): Promise<NormalizedCredit[]> {
    return (await this.call<{ credits: NormalizedCredit[] }>(CONTRACT_PATHS.searchCredits, request)).credits;
  }
  async getCredits(providerCreditIds: string[], now: string): Promise<NormalizedCredit[]> {
    return (await this.call<{ credits: NormalizedCredit[] }>(CONTRACT_PATHS.getCredits, { providerCreditIds, now })).credits;
  }
  async getApplications(providerCreditIds: string[]): Promise<CreditApplicationRecord[]> {
    return (await this.call<{ applications: CreditApplicationRecord[] }>(CONTRACT_PATHS.getApplications, { providerCreditIds }))
      .applications;
  }
  pauseCredit(providerCreditId: string, now: string): Promise<MutationResult> {
    return this.call(CONTRACT_PATHS.pauseCredit, { providerCreditId, now });
  }
  activateCredit(providerCreditId: string, now: string): Promise<MutationResult> {
    return this.call(CONTRACT_PATHS.activateCredit, { providerCreditId, now });
  }
  shareCredit(request: ShareCreditRequest): Promise<MutationResult> {
    return this.call(CONTRACT_PATHS.shareCredit, request);
  }
}

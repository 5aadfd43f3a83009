/**
 * The provider contract over HTTP: `mountProviderContract` serves a provider's implementation
 * under /provider/v1, and `HttpCreditProvider` is the credits layer's client for it.
 */
import express from 'express';
import type { Principal } from './auth/principal';
import type { SubgraphAuth } from './auth/subgraph';
import { FetchFunction, sharingInflight } from './inflight';
import { BODY_LIMIT } from './server';
import {
  CONTRACT_PATHS,
  CREDIT_STATUSES,
  CreditApplicationRecord,
  CreditFilter,
  CreditProvider,
  MutationResult,
  ProviderClient,
  NormalizedCredit,
  ProviderName,
  ORDER_FIELDS,
  PROVIDERS,
  SearchCreditsRequest,
  SHARING_SCOPES,
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

/** Thrown by the client when a provider refuses a request as malformed (a bug on our side, not an outage). */
export class ProviderRequestError extends Error {
  constructor(
    readonly provider: ProviderName,
    reason: string,
  ) {
    super(`${provider} provider refused the request: ${reason}`);
    this.name = 'ProviderRequestError';
  }
}

/** Thrown by a provider for a request it cannot take (400). */
export class ContractRequestError extends Error {}

type Handler = (body: any, caller: Principal) => Promise<unknown>;

/**
 * Serves a provider under /provider/v1. Only the gateway may call (shared secret), and only for
 * a caller whose token verifies here again. Requests arrive as JSON: every one is checked here,
 * once for all providers, so a provider only ever sees well-formed requests; a malformed one is a
 * 400 naming the field.
 */
export function mountProviderContract(app: express.Express, provider: CreditProvider, auth: SubgraphAuth): void {
  const routes: Record<keyof typeof CONTRACT_PATHS, Handler> = {
    searchCredits: async (b, caller) => ({ credits: await provider.searchCredits(caller, parseSearchRequest(b)) }),
    getCredits: async (b, caller) => ({
      credits: await provider.getCredits(caller, stringList(b.providerCreditIds, 'providerCreditIds'), instant(b.now, 'now')),
    }),
    getApplications: async (b, caller) => ({
      applications: await provider.getApplications(caller, stringList(b.providerCreditIds, 'providerCreditIds')),
    }),
    pauseCredit: async (b, caller) => provider.pauseCredit(caller, text(b.providerCreditId, 'providerCreditId'), instant(b.now, 'now')),
    activateCredit: async (b, caller) => provider.activateCredit(caller, text(b.providerCreditId, 'providerCreditId'), instant(b.now, 'now')),
    shareCredit: async (b, caller) => provider.shareCredit(caller, parseShareRequest(b)),
  };
  for (const [operation, handler] of Object.entries(routes)) {
    app.post(
      CONTRACT_PATHS[operation as keyof typeof CONTRACT_PATHS],
      auth.gatewayOnly,
      auth.authenticated,
      express.json({ limit: BODY_LIMIT }),
      async (req, res) => {
        try {
          res.json(await handler(req.body ?? {}, res.locals.principal as Principal));
        } catch (error) {
          const status = error instanceof ContractRequestError ? 400 : 500;
          const message = error instanceof ContractRequestError ? error.message : 'internal error';
          if (status === 500) console.error(`[${provider.provider}] ${operation} failed:`, error);
          res.status(status).json({ error: { code: status === 400 ? 'BAD_REQUEST' : 'INTERNAL', message } });
        }
      },
    );
  }
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ContractRequestError(`${field} must be a string`);
  return value;
}

/** Longest list a contract request may carry (the credits layer batches and caps below it). */
const MAX_LIST = 1000;

function stringList(value: unknown, field: string, allowed?: readonly string[]): string[] {
  if (Array.isArray(value) && value.length > MAX_LIST) throw new ContractRequestError(`${field} holds more than ${MAX_LIST} values`);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && (!allowed || allowed.includes(v)))) {
    throw new ContractRequestError(`${field} must be a list of ${allowed ? allowed.join(' | ') : 'strings'}`);
  }
  return value;
}

function optional<T>(value: unknown, parse: (v: unknown) => T): T | null {
  return value === undefined || value === null ? null : parse(value);
}

/** An ISO-8601 instant, normalised to UTC ISO text as the providers store dates. */
function instant(value: unknown, field: string): string {
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new ContractRequestError(`${field} must be an ISO-8601 date-time, got ${JSON.stringify(value)}`);
  return date.toISOString();
}

export function parseSearchRequest(b: any): SearchCreditsRequest {
  const f = b.filter ?? {};
  const filter: CreditFilter = {
    statuses: optional(f.statuses, (v) => stringList(v, 'filter.statuses', CREDIT_STATUSES)) as CreditFilter['statuses'],
    currencyCodes: optional(f.currencyCodes, (v) => stringList(v, 'filter.currencyCodes')),
    ownerIds: optional(f.ownerIds, (v) => stringList(v, 'filter.ownerIds')),
    expiresBefore: optional(f.expiresBefore, (v) => instant(v, 'filter.expiresBefore')),
    search: optional(f.search, (v) => text(v, 'filter.search')),
  };
  const order = b.order ?? {};
  if (!ORDER_FIELDS.includes(order.field) || (order.direction !== 'ASC' && order.direction !== 'DESC')) {
    throw new ContractRequestError(`order must be { field: ${ORDER_FIELDS.join(' | ')}, direction: ASC | DESC }`);
  }
  const after = optional(b.after, (a: any) => {
    if (!(typeof a?.key === 'string' && PROVIDERS.includes(a.provider) && typeof a.providerCreditId === 'string')) {
      throw new ContractRequestError('after must be null or { key, provider, providerCreditId }');
    }
    return { key: a.key as string, provider: a.provider, providerCreditId: a.providerCreditId as string };
  });
  const limit = optional(b.limit, (v) => {
    if (!Number.isInteger(v) || (v as number) < 0) throw new ContractRequestError('limit must be null or a whole number of at least 0');
    return v as number;
  });
  return { filter, order: { field: order.field, direction: order.direction }, after, limit, now: instant(b.now, 'now') };
}

export function parseShareRequest(b: any): ShareCreditRequest {
  if (!SHARING_SCOPES.includes(b.scope)) throw new ContractRequestError(`scope must be one of ${SHARING_SCOPES.join(', ')}`);
  return {
    providerCreditId: text(b.providerCreditId, 'providerCreditId'),
    scope: b.scope,
    accountIds: optional(b.accountIds, (v) => stringList(v, 'accountIds')),
    costCategoryArn: optional(b.costCategoryArn, (v) => text(v, 'costCategoryArn')),
    costCategoryValue: optional(b.costCategoryValue, (v) => text(v, 'costCategoryValue')),
    invoiceSectionIds: optional(b.invoiceSectionIds, (v) => stringList(v, 'invoiceSectionIds')),
    now: instant(b.now, 'now'),
  };
}

export interface HttpProviderOptions {
  /** Milliseconds before a provider call is abandoned. */
  timeoutMs?: number;
  /** Headers sent with every call: the caller's Authorization and the gateway secret. */
  headers?: Record<string, string>;
}

/**
 * The process-wide fetch of the contract: identical reads (search, get, applications) in flight at
 * once (same caller, same body) are sent once (lib/inflight.ts); writes go straight through. One
 * per timeout, so a shared request gives up when its callers would.
 */
const contractFetches = new Map<number, FetchFunction>();
const CONTRACT_READ_PATHS = new Set<string>([CONTRACT_PATHS.searchCredits, CONTRACT_PATHS.getCredits, CONTRACT_PATHS.getApplications]);
function contractFetch(timeoutMs: number): FetchFunction {
  let shared = contractFetches.get(timeoutMs);
  if (!shared) contractFetches.set(timeoutMs, (shared = sharingInflight(fetch, (url) => CONTRACT_READ_PATHS.has((url instanceof URL ? url : new URL(url)).pathname), { timeoutMs })));
  return shared;
}

/** A provider reached over HTTP on behalf of one request's caller. */
export class HttpCreditProvider implements ProviderClient {
  private readonly baseUrl: URL;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(
    readonly provider: ProviderName,
    subgraphUrl: string,
    options: HttpProviderOptions = {},
  ) {
    this.baseUrl = new URL(subgraphUrl);
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.headers = options.headers ?? {};
  }

  private async call<T>(path: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      // Writes go through the same fetch (never shared): a read sent after one never joins an older read.
      response = await contractFetch(this.timeoutMs)(new URL(path, this.baseUrl), {
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (error as Error).message;
      throw new ProviderUnavailableError(this.provider, reason);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      if (response.status >= 400 && response.status < 500) throw new ProviderRequestError(this.provider, `HTTP ${response.status} ${text.slice(0, 500)}`);
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

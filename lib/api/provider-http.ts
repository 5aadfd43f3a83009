/**
 * The provider contract over HTTP: `mountProviderContract` serves a provider's implementation
 * under /provider/v1, and `HttpCreditProvider` is the credits layer's client for it.
 */
import express from 'express';
import type { Principal } from '../platform/auth/principal';
import type { SubgraphAuth } from '../platform/auth/subgraph';
import { boundedFetch, classifyFailure, DEFAULT_MAX_RESPONSE_BYTES, ResponseBounds, UnavailableReason } from '../platform/bounded-fetch';
import { FetchFunction, sharingInflight } from '../platform/inflight';
import { BODY_LIMIT } from '../platform/server';
import {
  ApplicationsPageRequest,
  CONTRACT_PATHS,
  CreditApplicationsPage,
  MAX_APPLICATIONS_PAGE,
  MAX_POSITION_TEXT,
  MAX_POSITION_VALUES,
  CREDIT_STATUSES,
  CreditFilter,
  CreditProvider,
  CreditSummaryRecord,
  MutationResult,
  ProviderClient,
  NormalizedCredit,
  ProviderName,
  ORDER_FIELDS,
  PROVIDERS,
  SearchCreditsRequest,
  SHARING_SCOPES,
  ShareCreditRequest,
  SummarizeCreditsRequest,
} from '../domain/provider-contract';

/** Thrown by the client when a provider cannot be reached, answers too much or too late, or answers with an error. */
export class ProviderUnavailableError extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly reason: UnavailableReason,
    /** What a client may be told (no URL, no internal detail). */
    readonly explanation: string,
  ) {
    super(`${provider} provider is unavailable: ${explanation}`);
    this.name = 'ProviderUnavailableError';
  }
}

/**
 * Thrown by the client when a provider refuses a request as malformed: a bug on our side, not an
 * outage, unless the field at fault carries what a client sent (`page.after`, a cursor's position).
 */
export class ProviderRequestError extends Error {
  constructor(
    readonly provider: ProviderName,
    reason: string,
    /** The request field the provider named as wrong, when it named one. */
    readonly field: string | null = null,
  ) {
    super(`${provider} provider refused the request: ${reason}`);
    this.name = 'ProviderRequestError';
  }
}

/** Thrown by a provider for a request it cannot take (400, naming `field` when one is at fault). */
export class ContractRequestError extends Error {
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'ContractRequestError';
  }
}

type Handler = (body: any, caller: Principal) => Promise<unknown>;

/**
 * Serves a provider under /provider/v1. Only the gateway may call (shared secret), and only for
 * a caller whose token verifies here again (one 401 answer otherwise, whichever failed). Requests arrive as JSON: every one is checked here,
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
      pages: await provider.getApplications(caller, stringList(b.providerCreditIds, 'providerCreditIds'), parseApplicationsPage(b.page)),
    }),
    summarizeCredits: async (b, caller) => ({ summary: await provider.summarizeCredits(caller, parseSummarizeRequest(b)) }),
    pauseCredit: async (b, caller) => provider.pauseCredit(caller, text(b.providerCreditId, 'providerCreditId'), instant(b.now, 'now')),
    activateCredit: async (b, caller) => provider.activateCredit(caller, text(b.providerCreditId, 'providerCreditId'), instant(b.now, 'now')),
    shareCredit: async (b, caller) => provider.shareCredit(caller, parseShareRequest(b)),
  };
  for (const [operation, handler] of Object.entries(routes)) {
    app.post(
      CONTRACT_PATHS[operation as keyof typeof CONTRACT_PATHS],
      auth.gatewayCaller,
      express.json({ limit: BODY_LIMIT }),
      async (req, res) => {
        try {
          res.json(await handler(req.body ?? {}, res.locals.principal as Principal));
        } catch (error) {
          if (error instanceof ContractRequestError) {
            res.status(400).json({ error: { code: 'BAD_REQUEST', message: error.message, ...(error.field ? { field: error.field } : {}) } });
            return;
          }
          console.error(`[${provider.provider}] ${operation} failed:`, error);
          res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
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

/** The filter of a search or a summary: absent or null means no filter; each condition is checked and named. */
function parseFilter(value: unknown): CreditFilter {
  if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) throw new ContractRequestError('filter must be an object');
  const f = (value ?? {}) as Record<string, unknown>;
  return {
    statuses: optional(f.statuses, (v) => stringList(v, 'filter.statuses', CREDIT_STATUSES)) as CreditFilter['statuses'],
    currencyCodes: optional(f.currencyCodes, (v) => stringList(v, 'filter.currencyCodes')),
    ownerIds: optional(f.ownerIds, (v) => stringList(v, 'filter.ownerIds')),
    expiresBefore: optional(f.expiresBefore, (v) => instant(v, 'filter.expiresBefore')),
    search: optional(f.search, (v) => text(v, 'filter.search')),
  };
}

export function parseSearchRequest(b: any): SearchCreditsRequest {
  const filter = parseFilter(b.filter);
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

/** A summary's request: the same filter as a search, and the moment statuses and expiry windows are judged at. */
export function parseSummarizeRequest(b: any): SummarizeCreditsRequest {
  return { filter: parseFilter(b.filter), now: instant(b.now, 'now') };
}

/**
 * A page of applications: `first` from 0 to MAX_APPLICATIONS_PAGE, `after` null or a position (1 to
 * MAX_POSITION_VALUES texts of at most MAX_POSITION_TEXT characters and finite numbers). Whether it
 * is a position of the provider's own order the provider checks (`applicationsAfter`).
 */
export function parseApplicationsPage(p: any): ApplicationsPageRequest {
  const first = p?.first;
  if (!Number.isInteger(first) || first < 0 || first > MAX_APPLICATIONS_PAGE) {
    throw new ContractRequestError(`page.first must be a whole number from 0 to ${MAX_APPLICATIONS_PAGE}`, 'page.first');
  }
  const after = p?.after ?? null;
  if (p?.offset !== undefined) throw new ContractRequestError('page.offset is not part of the contract: pages continue after a position (page.after)', 'page.offset');
  const isValue = (v: unknown) => (typeof v === 'string' && v.length <= MAX_POSITION_TEXT) || (typeof v === 'number' && Number.isFinite(v));
  if (after !== null && !(Array.isArray(after) && after.length >= 1 && after.length <= MAX_POSITION_VALUES && after.every(isValue))) {
    throw new ContractRequestError(
      `page.after must be null or a position: 1 to ${MAX_POSITION_VALUES} texts (of at most ${MAX_POSITION_TEXT} characters) and finite numbers`,
      'page.after',
    );
  }
  return { first, after };
}

/**
 * A provider's check of `page.after` against its own applications order `sort`, whose values are
 * all texts: as many texts as the order has columns, or the request is refused naming `page.after`
 * (the credits layer tells its client the cursor is not one of this list's).
 */
export function applicationsAfter(page: ApplicationsPageRequest, sort: readonly unknown[], provider: ProviderName): string[] | null {
  const after = page.after;
  if (after === null) return null;
  if (after.length !== sort.length || !after.every((v) => typeof v === 'string')) {
    throw new ContractRequestError(`page.after is not a position of the ${provider} applications order (${sort.length} texts)`, 'page.after');
  }
  return after as string[];
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
  /** Largest answer read from the provider (DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /** Headers sent with every call: the caller's Authorization and the gateway secret. */
  headers?: Record<string, string>;
}

/**
 * The process-wide fetch of the contract: identical reads (search, get, applications, summary) in flight at
 * once (same caller, same body) are sent once (lib/platform/inflight.ts); writes go straight through. One
 * per timeout, so a shared request gives up when its callers would.
 */
const contractFetches = new Map<string, FetchFunction>();
const CONTRACT_READ_PATHS = new Set<string>([CONTRACT_PATHS.searchCredits, CONTRACT_PATHS.getCredits, CONTRACT_PATHS.getApplications, CONTRACT_PATHS.summarizeCredits]);
function contractFetch(bounds: ResponseBounds): FetchFunction {
  const key = `${bounds.timeoutMs}/${bounds.maxBytes}`;
  let shared = contractFetches.get(key);
  if (!shared) {
    const isRead = (url: string | URL) => CONTRACT_READ_PATHS.has((url instanceof URL ? url : new URL(url)).pathname);
    contractFetches.set(key, (shared = sharingInflight(boundedFetch(fetch, bounds), isRead, { timeoutMs: bounds.timeoutMs })));
  }
  return shared;
}

/** The field a provider's 400 answer names as wrong (`{ error: { field } }`), if any. */
function fieldAtFault(body: string): string | null {
  try {
    const field = JSON.parse(body)?.error?.field;
    return typeof field === 'string' ? field : null;
  } catch {
    return null;
  }
}

/** A provider reached over HTTP on behalf of one request's caller. */
export class HttpCreditProvider implements ProviderClient {
  private readonly baseUrl: URL;
  private readonly bounds: ResponseBounds;
  private readonly headers: Record<string, string>;

  constructor(
    readonly provider: ProviderName,
    subgraphUrl: string,
    options: HttpProviderOptions = {},
  ) {
    this.baseUrl = new URL(subgraphUrl);
    this.bounds = { timeoutMs: options.timeoutMs ?? 5_000, maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES };
    this.headers = options.headers ?? {};
  }

  private async call<T>(path: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      // Writes go through the same fetch (never shared): a read sent after one never joins an older read.
      response = await contractFetch(this.bounds)(new URL(path, this.baseUrl), {
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.bounds.timeoutMs),
      });
    } catch (error) {
      const { reason, explanation } = classifyFailure(error);
      throw new ProviderUnavailableError(this.provider, reason, explanation);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      if (response.status >= 400 && response.status < 500) throw new ProviderRequestError(this.provider, `HTTP ${response.status} ${text.slice(0, 500)}`, fieldAtFault(text));
      console.error(`[credits] ${this.provider} provider answered HTTP ${response.status}: ${text.slice(0, 200)}`);
      throw new ProviderUnavailableError(this.provider, 'FAILED', `it answered with HTTP ${response.status}`);
    }
    return (await response.json()) as T;
  }

  async searchCredits(request: SearchCreditsRequest): Promise<NormalizedCredit[]> {
    return (await this.call<{ credits: NormalizedCredit[] }>(CONTRACT_PATHS.searchCredits, request)).credits;
  }
  async getCredits(providerCreditIds: string[], now: string): Promise<NormalizedCredit[]> {
    return (await this.call<{ credits: NormalizedCredit[] }>(CONTRACT_PATHS.getCredits, { providerCreditIds, now })).credits;
  }
  async getApplications(providerCreditIds: string[], page: ApplicationsPageRequest): Promise<CreditApplicationsPage[]> {
    return (await this.call<{ pages: CreditApplicationsPage[] }>(CONTRACT_PATHS.getApplications, { providerCreditIds, page })).pages;
  }
  async summarizeCredits(request: SummarizeCreditsRequest): Promise<CreditSummaryRecord> {
    return (await this.call<{ summary: CreditSummaryRecord }>(CONTRACT_PATHS.summarizeCredits, request)).summary;
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

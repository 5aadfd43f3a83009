/**
 * In-flight sharing of identical reads: while one HTTP read is on its way, an identical one (same
 * URL, same body, same headers, so the same caller) waits for it instead of being sent again. Each
 * caller gets a Response of its own built from the shared body, so no caller can change what
 * another one reads. Nothing is kept once the answer arrives: this is not a cache. A read never
 * joins one that started before a write (any request `shareable` refuses, through any sharing
 * fetch of the process) started or answered, so a read sent after a mutation sees its effect.
 * A read older than `maxShareAgeMs` is not joined either: a subgraph that hangs does not catch
 * every later identical request.
 *
 * `sharingInflight` (the Response guarantee above is its) is used by the gateway for its subgraph
 * queries and by the credits layer for its provider contract reads; gateway/identical-queries.ts
 * uses the same rules (`InflightReads`, `noteWrite`) for whole GraphQL queries. Writes (mutations,
 * pause, share) are never shared.
 */

/** The fetch signature both callers use (the global fetch's). */
export type FetchFunction = (url: string | URL, init?: RequestInit) => Promise<Response>;

interface SharedAnswer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
}

/** Moves on whenever a write starts or answers: reads are shared only within one generation. */
let writeGeneration = 0;

/**
 * Marks a write starting or answering (any request a sharing fetch is told not to share, a
 * GraphQL mutation): no read that started before it is joined after it.
 */
export function noteWrite(): void {
  writeGeneration++;
}

/** A read in flight longer than this is not joined by new identical reads. */
const DEFAULT_MAX_SHARE_AGE_MS = 5_000;

export interface InflightStats {
  /** Requests sent on. */
  sent: number;
  /** Requests answered by an identical one already on its way. */
  shared: number;
}

/**
 * The reads in flight, by what makes two of them identical (the caller's key): the one place
 * that decides whether a new read may join one already on its way. It may when the other started
 * in the current write generation less than `maxShareAgeMs` ago. An entry is dropped as soon as
 * its answer settles.
 */
export class InflightReads<T> {
  private readonly inflight = new Map<string, { answer: Promise<T>; startedAt: number; generation: number }>();
  readonly stats: InflightStats = { sent: 0, shared: 0 };

  constructor(readonly maxShareAgeMs = DEFAULT_MAX_SHARE_AGE_MS) {}

  /** The answer of an identical read this one may join, or null (then it is sent, and counted so). */
  joinable(key: string): Promise<T> | null {
    const known = this.inflight.get(key);
    if (known && known.generation === writeGeneration && Date.now() - known.startedAt < this.maxShareAgeMs) {
      this.stats.shared++;
      return known.answer;
    }
    this.stats.sent++;
    return null;
  }

  /** Records `answer` as the read in flight for `key` until it settles (in place of an older one). */
  lead(key: string, answer: Promise<T>): void {
    const entry = { answer, startedAt: Date.now(), generation: writeGeneration };
    this.inflight.set(key, entry);
    const forget = () => {
      if (this.inflight.get(key) === entry) this.inflight.delete(key);
    };
    answer.then(forget, forget);
  }
}

/** What decides whether two requests are the same: method, URL, every header, body. */
function requestKey(url: string | URL, init: RequestInit | undefined): string | null {
  if (typeof init?.body !== 'string' && init?.body !== undefined) return null;
  const headers = new Headers(init?.headers);
  const headerText = [...headers].map(([name, value]) => `${name}:${value}`).join('\n');
  return `${init?.method ?? 'GET'} ${String(url)}\n${headerText}\n\n${init?.body ?? ''}`;
}

/**
 * A fetch that shares identical in-flight requests for which `shareable` says yes (the others go
 * straight through, as writes). Each caller keeps its own AbortSignal: a caller that gives up gets
 * its abort, the others keep waiting for the shared answer, which gives up after `timeoutMs` when set.
 */
export function sharingInflight(
  fetchImpl: FetchFunction,
  shareable: (url: string | URL, init: RequestInit | undefined) => boolean,
  options: { timeoutMs?: number; maxShareAgeMs?: number } = {},
): FetchFunction & { stats: InflightStats } {
  const reads = new InflightReads<SharedAnswer>(options.maxShareAgeMs);
  const shared = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const key = shareable(url, init) ? requestKey(url, init) : null;
    if (key === null) {
      reads.stats.sent++;
      noteWrite();
      try {
        return await fetchImpl(url, init);
      } finally {
        noteWrite();
      }
    }
    let answer = reads.joinable(key);
    if (answer === null) {
      // The shared request is not tied to the first caller's signal (its abort must not fail the
      // others), only to its own timeout when one is set.
      const { signal: _signal, ...withoutSignal } = init ?? {};
      const own = options.timeoutMs === undefined ? withoutSignal : { ...withoutSignal, signal: AbortSignal.timeout(options.timeoutMs) };
      answer = fetchImpl(url, own).then(async (response) => ({
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers],
        body: await response.text(),
      }));
      reads.lead(key, answer);
    }
    const received = await abortable(answer, init?.signal ?? undefined);
    return new Response(received.status === 204 || received.status === 304 ? null : received.body, {
      status: received.status,
      statusText: received.statusText,
      headers: received.headers,
    });
  };
  return Object.assign(shared, { stats: reads.stats });
}

/** `promise`, or the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Whether a GraphQL-over-HTTP POST body is a query (the gateway's subgraph fetches are
 * `{"query":"query ...` or an anonymous `{"query":"{...`): mutations and anything unrecognised are not.
 */
export function isGraphqlQueryBody(init: RequestInit | undefined): boolean {
  if (typeof init?.body !== 'string') return false;
  const match = /^\s*\{\s*"query"\s*:\s*"\s*(query\b|\{)/.exec(init.body);
  return match !== null;
}

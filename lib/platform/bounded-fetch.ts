/**
 * Reading another service's answer with bounds: at most `maxBytes` of body and at most `timeoutMs`
 * from the request to the last byte. The gateway reads its provider subgraphs this way, and the
 * credits layer the provider contract, so a subgraph that answers too much or never finishes costs
 * the reader a typed error, not its memory or its patience.
 */
import type { FetchFunction } from './inflight';

/** Default cap on one answer of a subgraph or the provider contract. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** An answer that was cut off because it passed the byte cap. */
export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${formatBytes(maxBytes)}`);
    this.name = 'ResponseTooLargeError';
  }
}

/** An answer that did not arrive, whole, in time. */
export class ResponseTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'ResponseTimeoutError';
  }
}

export function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/** The body of `response`, at most `maxBytes` of it, or ResponseTooLargeError (the rest is never read). */
export async function readBounded(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(maxBytes);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

export interface ResponseBounds {
  maxBytes: number;
  timeoutMs: number;
}

/**
 * A fetch whose answers are read whole within `bounds` before they are handed on (as a Response
 * of their own). A caller's own signal still aborts it.
 */
export function boundedFetch(fetchImpl: FetchFunction, bounds: ResponseBounds): FetchFunction {
  return async (url, init) => {
    const timeout = AbortSignal.timeout(bounds.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const response = await fetchImpl(url, { ...init, signal });
      const body = await readBounded(response, bounds.maxBytes);
      const empty = response.status === 204 || response.status === 304;
      // The body is whole and decoded now: its length and encoding headers no longer apply.
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      headers.delete('content-encoding');
      return new Response(empty ? null : (body as unknown as BodyInit), { status: response.status, statusText: response.statusText, headers });
    } catch (error) {
      if (timeout.aborted && !init?.signal?.aborted) throw new ResponseTimeoutError(bounds.timeoutMs);
      throw error;
    }
  };
}

/** Why a provider's answer is missing, as clients see it (`extensions.reason` of PROVIDER_UNAVAILABLE). */
export type UnavailableReason = 'TIMEOUT' | 'UNREACHABLE' | 'RESPONSE_TOO_LARGE' | 'FAILED';

/** The reason code and a short public explanation (no URL, no internal detail) of a failed read. */
export function classifyFailure(error: unknown): { reason: UnavailableReason; explanation: string } {
  if (error instanceof ResponseTimeoutError) return { reason: 'TIMEOUT', explanation: `it did not answer within ${error.timeoutMs} ms` };
  if (error instanceof ResponseTooLargeError) return { reason: 'RESPONSE_TOO_LARGE', explanation: `its answer is larger than ${formatBytes(error.maxBytes)}; ask for less (smaller pages, fewer fields)` };
  if ((error as Error)?.name === 'TimeoutError') return { reason: 'TIMEOUT', explanation: 'it did not answer in time' };
  // fetch fails with a TypeError when no connection could be made or it broke off.
  if (error instanceof TypeError) return { reason: 'UNREACHABLE', explanation: 'it could not be reached' };
  return { reason: 'FAILED', explanation: 'its answer was not a GraphQL response' };
}

/**
 * GraphQL over HTTP, as the GraphQL-over-HTTP specification says and graphql-http's audit checks
 * it (test/security/http-semantics.test.ts): which media type an answer has, and which status.
 *
 * - The answer is `application/graphql-response+json` or `application/json`, whichever the
 *   `Accept` header prefers; without one, or when only a wildcard range allows both,
 *   `application/json`. An `Accept` header that allows neither is answered 406 before anything
 *   runs.
 * - A request the GraphQL service refuses before running it (a syntax error, an invalid document,
 *   an unknown operation, variables that do not coerce, a query limit) is a GraphQL response with
 *   only `errors`: 400, as `application/graphql-response+json`, so that a 4xx answer declares it
 *   is GraphQL's and not some proxy's. Only a legacy client, one that names `application/json` and
 *   prefers it, gets the legacy answer: 200 as `application/json` (the specification's rule for
 *   that media type, where only a 200 says the body is a GraphQL response).
 * - A request that is not a well-formed GraphQL-over-HTTP request stays 4xx whatever it accepts:
 *   400 (not JSON, not UTF-8, wrong parameters), 405 (method), 413 (size), 415 (Content-Type).
 */

export const MEDIA_TYPES = {
  json: 'application/json; charset=utf-8',
  graphqlResponse: 'application/graphql-response+json; charset=utf-8',
} as const;

export type ResponseMedia = keyof typeof MEDIA_TYPES;

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  index: number;
}

function mediaRanges(accept: string): MediaRange[] {
  return accept.split(',').flatMap((part, index) => {
    const [range, ...parameters] = part.split(';').map((s) => s.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const qParameter = parameters.find((p) => p.startsWith('q='));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    return [{ type, subtype, q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0, index }];
  });
}

/** The range of `ranges` that decides for `mediaType` (the most specific that matches it), if any. */
function rangeFor(ranges: MediaRange[], mediaType: string): MediaRange | undefined {
  const [type, subtype] = mediaType.split('/');
  const specificity = (r: MediaRange) => (r.type === type && r.subtype === subtype ? 3 : r.type === type && r.subtype === '*' ? 2 : r.type === '*' && r.subtype === '*' ? 1 : 0);
  let best: MediaRange | undefined;
  for (const r of ranges) {
    const s = specificity(r);
    if (s > 0 && (!best || s > specificity(best))) best = r;
  }
  return best;
}

export interface Negotiation {
  /** The media type of the answer, or null when the client accepts neither (406). */
  media: ResponseMedia | null;
  /** A legacy client: it names `application/json` and prefers it to `application/graphql-response+json`. */
  legacy: boolean;
}

/** Chooses the answer's media type from the request's Accept header. */
export function negotiate(accept: string | undefined): Negotiation {
  if (accept === undefined || accept.trim() === '') return { media: 'json', legacy: false };
  const ranges = mediaRanges(accept);
  const json = rangeFor(ranges, 'application/json');
  const graphqlResponse = rangeFor(ranges, 'application/graphql-response+json');
  const qJson = json?.q ?? 0;
  const qGraphql = graphqlResponse?.q ?? 0;
  if (qJson === 0 && qGraphql === 0) return { media: null, legacy: false };
  // Equal preference: the range listed first wins; one wildcard for both: application/json.
  const media: ResponseMedia = qGraphql > qJson || (qGraphql === qJson && graphqlResponse !== json && graphqlResponse!.index < json!.index) ? 'graphqlResponse' : 'json';
  const namesJson = json !== undefined && json.type === 'application' && json.subtype === 'json';
  return { media, legacy: media === 'json' && namesJson };
}

/**
 * Codes of the errors that refuse a well-formed request before it runs: parsing, validation,
 * operation resolution, variable coercion, demand control and the query limits (the values of
 * lib/platform/query-limits.ts LIMIT_CODES, which test/security/http-semantics.test.ts checks are all here).
 */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_USER_INPUT',
  'COST_ESTIMATED_TOO_EXPENSIVE',
  'MAX_DEPTH_LIMIT',
  'MAX_ALIASES_LIMIT',
  'MAX_DIRECTIVES_LIMIT',
  'MAX_TOKENS_LIMIT',
  'MAX_NESTING_LIMIT',
]);

/** Whether a 400 answer's body is a GraphQL response refusing the request (errors only, every one a request error). */
export function isRequestErrorResponse(body: string): boolean {
  let parsed: any;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  if (parsed === null || typeof parsed !== 'object' || 'data' in parsed || !Array.isArray(parsed.errors) || parsed.errors.length === 0) return false;
  return parsed.errors.every((e: any) => REQUEST_ERROR_CODES.has(e?.extensions?.code));
}

/** The status and media type of a GraphQL service's answer, by the rules above. */
export function answerHead(status: number, body: string, negotiation: Negotiation): { status: number; contentType: string } {
  const media = negotiation.media ?? 'json';
  if (status === 400 && isRequestErrorResponse(body)) {
    return negotiation.legacy ? { status: 200, contentType: MEDIA_TYPES.json } : { status, contentType: MEDIA_TYPES.graphqlResponse };
  }
  return { status, contentType: MEDIA_TYPES[media] };
}

/** Why a POST's Content-Type is refused (415), or null: only `application/json`, in UTF-8 (the default), is read. */
export function unsupportedContentType(contentType: string | undefined): string | null {
  if (contentType === undefined || contentType.trim() === '') return 'A POST request must say Content-Type: application/json.';
  const [essence, ...parameters] = contentType.split(';').map((s) => s.trim().toLowerCase());
  if (essence !== 'application/json') return `Content-Type ${essence} is not supported: send the request as application/json.`;
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return `Charset ${charset} is not supported: send the request in UTF-8.`;
  return null;
}

/**
 * Identical queries in flight at once are answered once: while one caller's query runs, the same
 * query from the same caller (same token, same document, operation name and variables) waits for
 * its answer instead of being planned, fetched and shaped again. Dashboards that several people
 * or tabs open at once, and clients that retry, send exactly this.
 *
 * It joins only under lib/platform/inflight.ts's rules, the same as the gateway's subgraph fetches: never a
 * mutation, never a query that started before a write (a mutation through this gateway, or any
 * write this process sends) started or answered, never one older than the share age. Writes by
 * other processes (an ingest, another gateway) are not seen: a query may join one that started
 * up to the share age before such a write. Only an HTTP 200 single answer is shared, errors in it
 * included (a provider that did not answer the first caller is reported to those who joined it);
 * a waiting caller whose leader failed otherwise, or took longer than the share age, runs its
 * own query. Nothing is kept once the answer is sent: this is not a cache. A caller who joins
 * gets the answer as of the first caller's "now" (the moment statuses are computed at), which is
 * at most the share age earlier than its own.
 */
import { HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext, GraphQLResponse } from '@apollo/server';
import { InflightReads, InflightStats, noteWrite } from '../lib/platform/inflight';

/** What one query answered, as every caller who joined it gets it. */
interface SharedAnswer {
  headers: [string, string][];
  result: Extract<GraphQLResponse['body'], { kind: 'single' }>['singleResult'];
}

/** Identical means: same caller (its Authorization header), same document, operation name and variables. */
function operationKey(request: GraphQLRequestContext<BaseContext>): string {
  const authorization = request.request.http?.headers.get('authorization') ?? '';
  return JSON.stringify([authorization, request.request.operationName ?? null, request.request.variables ?? null, request.source ?? request.request.query ?? '']);
}

/**
 * The plugin. Put it after any plugin that changes a response in `willSendResponse` (such as the
 * unavailable-providers errors), and such a plugin must change it before its first await: Apollo
 * starts every plugin's `willSendResponse` at once, so what is shared is the answer as it is when
 * this one's starts.
 */
export function identicalQueriesPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> & { stats: InflightStats } {
  const reads = new InflightReads<SharedAnswer | null>();
  return {
    stats: reads.stats,
    async requestDidStart() {
      let settle: ((answer: SharedAnswer | null) => void) | null = null;
      let write = false;
      return {
        async responseForOperation(request) {
          if (request.operation?.operation !== 'query') {
            write = true;
            noteWrite();
            return null;
          }
          const key = operationKey(request as GraphQLRequestContext<BaseContext>);
          const joined = reads.joinable(key);
          if (joined !== null) {
            const answer = await joined;
            if (answer === null) return null; // the leader failed: this caller runs its own query
            return { http: { status: 200, headers: new HeaderMap(answer.headers) }, body: { kind: 'single', singleResult: { ...answer.result } } };
          }
          const answer = new Promise<SharedAnswer | null>((resolve) => (settle = resolve));
          // A leader that never answers (it cannot, but a plugin could throw) lets its followers go after the share age.
          const giveUp = setTimeout(() => settle?.(null), reads.maxShareAgeMs);
          giveUp.unref();
          void answer.then(() => clearTimeout(giveUp));
          reads.lead(key, answer);
          return null;
        },
        async willSendResponse({ response }) {
          if (write) noteWrite();
          if (settle === null) return;
          const ok = response.body.kind === 'single' && (response.http.status ?? 200) === 200;
          settle(ok && response.body.kind === 'single' ? { headers: [...response.http.headers], result: response.body.singleResult } : null);
        },
      };
    },
  };
}

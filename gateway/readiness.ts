/**
 * GET /ready: whether the gateway can serve, with each provider subgraph's state. 200 when every
 * subgraph answers its /health, 503 (still listing which are up) when one does not.
 */
import type express from 'express';

const PROBE_TIMEOUT_MS = 1_000;

async function isUp(graphqlUrl: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/health', graphqlUrl), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.ok;
  } catch {
    return false;
  }
}

export function readinessProbe(subgraphUrls: Record<string, string>): express.RequestHandler {
  return async (_req, res) => {
    const states = await Promise.all(Object.entries(subgraphUrls).map(async ([name, url]) => [name, (await isUp(url)) ? 'up' : 'down'] as const));
    const subgraphs = Object.fromEntries(states);
    const ready = states.every(([, state]) => state === 'up');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'degraded', subgraphs });
  };
}

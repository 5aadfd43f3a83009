/**
 * The gateway's per-caller rate limit (rate-limiter-flexible, in memory): at most N GraphQL
 * requests per caller in each window. A caller is the verified token's issuer and subject, so one
 * person's burst never slows anyone else and a forged token cannot spend someone's allowance; a
 * request without a token that verifies counts against its client IP (which also slows anyone
 * guessing tokens). Over the limit: HTTP 429 with Retry-After (seconds) and a GraphQL error
 * RATE_LIMITED naming the limit. The limit is per gateway process.
 */
import type express from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitSettings } from '../lib/platform/config';
import type { TokenVerifier } from '../lib/platform/auth/tokens';

export type { RateLimitSettings } from '../lib/platform/config';

/** Middleware counting each /graphql request against its caller; undefined when the limit is off. */
export function rateLimitGuard(settings: RateLimitSettings | undefined, verify: TokenVerifier, issuer: string): express.RequestHandler | undefined {
  if (!settings || settings.requests === 0) return undefined;
  if (!Number.isInteger(settings.requests) || settings.requests < 0) throw new Error(`rateLimit.requests must be a whole number of at least 0, got ${settings.requests}`);
  if (!Number.isInteger(settings.windowSeconds) || settings.windowSeconds <= 0) throw new Error(`rateLimit.windowSeconds must be a whole number above 0, got ${settings.windowSeconds}`);
  const limiter = new RateLimiterMemory({ points: settings.requests, duration: settings.windowSeconds });
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    callerKey(req, verify, issuer)
      .then((key) => limiter.consume(key))
      .then(
        () => next(),
        (refusal: unknown) => {
          if (!(refusal instanceof RateLimiterRes)) return next(refusal);
          const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
          res.status(429).set('Retry-After', String(retryAfterSeconds)).json({
            errors: [
              {
                message: `Too many requests: the limit is ${settings.requests} requests every ${settings.windowSeconds} s per caller. Retry in ${retryAfterSeconds} s.`,
                extensions: { code: 'RATE_LIMITED', limit: { requests: settings.requests, windowSeconds: settings.windowSeconds }, retryAfterSeconds },
              },
            ],
          });
        },
      );
  };
}

/**
 * Whom a request counts against: its verified caller (the verifier keeps verified tokens, so the
 * context's verification that follows costs nothing), else its client address.
 */
async function callerKey(req: express.Request, verify: TokenVerifier, issuer: string): Promise<string> {
  try {
    // Tokens verify only for the configured issuer, so it is the token's `iss`.
    const principal = await verify(req.header('authorization'));
    return `token ${JSON.stringify([issuer, principal.subject])}`;
  } catch {
    return `ip ${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
  }
}

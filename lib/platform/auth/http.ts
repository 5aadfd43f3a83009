/**
 * Authentication at the HTTP edge of every service: the gateway's shared secret (so calling a
 * subgraph directly gains nothing) and the caller's bearer token, verified again by each service.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type express from 'express';
import { GraphQLError } from 'graphql';
import { AuthenticationError, TokenVerifier } from './tokens';
import type { Principal } from './principal';

export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

/** Key of the digests below: random per process, so a digest means nothing outside it. */
const COMPARISON_KEY = randomBytes(32);

/**
 * Whether two secrets are equal, in a time that depends on neither their content nor their
 * lengths: both are reduced to an HMAC-SHA256 digest (32 bytes whatever the input) and the
 * digests are compared with timingSafeEqual.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHmac('sha256', COMPARISON_KEY).update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The error a GraphQL response carries for a request that is not authenticated (HTTP 401). */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** The caller of a GraphQL request, or a typed UNAUTHENTICATED error. */
export async function principalOf(verify: TokenVerifier, authorization: string | undefined): Promise<Principal> {
  try {
    return await verify(authorization);
  } catch (error) {
    if (error instanceof AuthenticationError) throw unauthenticated(error.message);
    throw error;
  }
}

/**
 * What a subgraph answers every request it does not accept, whether the gateway secret or the
 * token was missing or wrong: one status and one body, so a caller learns nothing about which.
 * (The gateway, which callers are meant to reach, says why a token is refused.)
 */
export const SUBGRAPH_REFUSAL = {
  status: 401,
  body: {
    errors: [
      {
        message: 'Not authenticated: this service answers only the gateway, on behalf of a caller with a valid token.',
        extensions: { code: 'UNAUTHENTICATED' },
      },
    ],
  },
} as const;

/**
 * Express middleware of a subgraph: a request passes only with the gateway's shared secret AND
 * a token that verifies here (its principal goes to res.locals.principal); anything else gets
 * SUBGRAPH_REFUSAL. The token is verified even when the secret is wrong, so the time taken does
 * not tell the two apart either.
 */
export function requireGatewayAndPrincipal(secret: string, verify: TokenVerifier): express.RequestHandler {
  return (req, res, next) => {
    const given = req.header(GATEWAY_SECRET_HEADER);
    const secretOk = sameSecret(typeof given === 'string' ? given : '', secret);
    verify(req.header('authorization')).then(
      (principal) => {
        if (!secretOk) return refuse(res);
        res.locals.principal = principal;
        next();
      },
      (error) => {
        if (!(error instanceof AuthenticationError)) return next(error);
        refuse(res);
      },
    );
  };
}

function refuse(res: express.Response): void {
  res.status(SUBGRAPH_REFUSAL.status).set('WWW-Authenticate', 'Bearer').json(SUBGRAPH_REFUSAL.body);
}

/** The principal requireGatewayAndPrincipal verified for this request, or a typed UNAUTHENTICATED error. */
export function verifiedPrincipal(req: express.Request): Principal {
  const principal = req.res?.locals.principal as Principal | undefined;
  if (!principal) throw unauthenticated(SUBGRAPH_REFUSAL.body.errors[0].message);
  return principal;
}

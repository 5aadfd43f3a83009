/**
 * Authentication at the HTTP edge of every service: the gateway's shared secret (so calling a
 * subgraph directly gains nothing) and the caller's bearer token, verified again by each service.
 */
import { timingSafeEqual } from 'node:crypto';
import type express from 'express';
import { GraphQLError } from 'graphql';
import { AuthenticationError, TokenVerifier } from './tokens';
import type { Principal } from './principal';

export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Express middleware: only requests carrying the gateway's shared secret pass. */
export function requireGatewaySecret(secret: string): express.RequestHandler {
  return (req, res, next) => {
    const given = req.header(GATEWAY_SECRET_HEADER);
    if (typeof given === 'string' && sameSecret(given, secret)) return next();
    res.status(403).json({
      errors: [{ message: 'This service only answers the gateway: the gateway secret is missing or wrong.', extensions: { code: 'FORBIDDEN' } }],
    });
  };
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

/** Express middleware for non-GraphQL routes: verifies the token into res.locals.principal, or answers 401. */
export function requirePrincipal(verify: TokenVerifier): express.RequestHandler {
  return (req, res, next) => {
    verify(req.header('authorization')).then(
      (principal) => {
        res.locals.principal = principal;
        next();
      },
      (error) => {
        if (!(error instanceof AuthenticationError)) return next(error);
        res.status(401).json({ errors: [{ message: error.message, extensions: { code: 'UNAUTHENTICATED' } }] });
      },
    );
  };
}

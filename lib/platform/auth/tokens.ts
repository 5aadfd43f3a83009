/**
 * Verifying bearer tokens (jose): HS256 with a shared secret or the keys of a JWKS URL; issuer,
 * audience and expiry are always checked. Also signs development tokens for the demo personas.
 */
import { createRemoteJWKSet, errors as joseErrors, JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { AuthConfig } from './config';
import { InvalidClaimsError, Principal, principalFromClaims } from './principal';

/** Why a request is not authenticated; the message is safe to show to the caller. */
export class AuthenticationError extends Error {}

/** Tokens older than this are refused even when their `exp` is later (and they must carry `iat`). */
const MAX_TOKEN_AGE_HOURS = 24;
const MAX_TOKEN_AGE_SECONDS = MAX_TOKEN_AGE_HOURS * 3600;

export type TokenVerifier = (authorization: string | undefined) => Promise<Principal>;

/**
 * A verified token is trusted again without verifying its signature for at most this long (and
 * never past its expiry or maximum age): every request reaches the gateway and then two or more
 * subgraphs with the same token, and verifying it each time was a visible part of their CPU.
 */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
/** Verified tokens kept per process (oldest out first). */
const VERIFIED_TOKENS_KEPT = 10_000;

export function createTokenVerifier(config: AuthConfig, now: () => number = Date.now): TokenVerifier {
  const verified = new Map<string, { principal: Principal; until: number }>();
  const key = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl)) : new TextEncoder().encode(config.jwtSecret!);
  // Pinned: a secret verifies HS256 only, an identity provider's keys the asymmetric algorithms only.
  const algorithms = config.jwksUrl ? ['RS256', 'PS256', 'ES256', 'EdDSA'] : ['HS256'];
  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '');
    if (!match) throw new AuthenticationError('A bearer token is required: send "Authorization: Bearer <token>".');
    const known = verified.get(match[1]);
    if (known && now() < known.until) return known.principal;
    if (known) verified.delete(match[1]);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], key as any, { issuer: config.issuer, audience: config.audience, algorithms, requiredClaims: ['exp', 'sub'], maxTokenAge: MAX_TOKEN_AGE_SECONDS, currentDate: new Date(now()) }));
    } catch (error) {
      throw new AuthenticationError(describeJoseError(error));
    }
    let principal: Principal;
    try {
      principal = frozen(principalFromClaims(payload as Record<string, unknown>));
    } catch (error) {
      if (error instanceof InvalidClaimsError) throw new AuthenticationError(`The token's claims are invalid: ${error.message}.`);
      throw error;
    }
    // exp and iat are required and checked by jwtVerify above.
    const until = Math.min(now() + VERIFIED_TOKEN_TTL_MS, payload.exp! * 1000, (payload.iat! + MAX_TOKEN_AGE_SECONDS) * 1000);
    verified.set(match[1], { principal, until });
    if (verified.size > VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
    return principal;
  };
}

/** The principal is shared by every request carrying the token: nobody may change it. */
function frozen(principal: Principal): Principal {
  for (const assignment of principal.azureRoleAssignments) Object.freeze(assignment);
  Object.freeze(principal.awsAccountIds);
  Object.freeze(principal.azureRoleAssignments);
  return Object.freeze(principal);
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'iat') return `The token has no issue time (iat) or is older than ${MAX_TOKEN_AGE_HOURS}h.`;
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token was not issued for this API (${error.claim} claim check failed).`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature is invalid.';
  return 'The token is malformed or cannot be verified.';
}

/** Signs a token with the HS256 secret (development personas, tests). */
export async function signToken(config: AuthConfig, subject: string, claims: Record<string, unknown>, expiresIn = '12h'): Promise<string> {
  if (!config.jwtSecret) throw new Error('Signing tokens needs AUTH_JWT_SECRET (tokens from a JWKS issuer come from that issuer).');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(config.jwtSecret));
}

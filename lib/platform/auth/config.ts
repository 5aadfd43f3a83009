/**
 * Authentication settings from the environment. Development has working defaults so exploring
 * needs no setup; with NODE_ENV=production every default is refused and real values are required.
 */

export const DEV_JWT_SECRET = 'development-only-jwt-secret-change-me-0123456789';
export const DEV_GATEWAY_SECRET = 'development-only-gateway-secret';
export const DEFAULT_ISSUER = 'cloud-credits-dev';
export const DEFAULT_AUDIENCE = 'cloud-credits-api';

/** Shortest secret production accepts (the HS256 key and the gateway secret): 256 bits of text. */
export const MIN_SECRET_LENGTH = 32;

export interface AuthConfig {
  /** HS256 shared secret, when tokens are signed with one. */
  jwtSecret: string | null;
  /** JWKS URL, when tokens are signed by an identity provider's keys. */
  jwksUrl: string | null;
  issuer: string;
  audience: string;
  /** Shared secret the gateway sends to subgraphs in the `x-gateway-secret` header. */
  gatewaySecret: string;
  production: boolean;
}

/** The environment cannot run in production; the message names every problem. */
export class AuthConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Refusing to start in production (NODE_ENV=production) with these settings: ${problems.join('; ')}.`);
    this.name = 'AuthConfigError';
  }
}

export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'production';
}

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const production = isProduction(env);
  const jwksUrl = env.AUTH_JWKS_URL || null;
  const jwtSecret = env.AUTH_JWT_SECRET || (jwksUrl ? null : DEV_JWT_SECRET);
  const config: AuthConfig = {
    jwtSecret,
    jwksUrl,
    issuer: env.AUTH_ISSUER || DEFAULT_ISSUER,
    audience: env.AUTH_AUDIENCE || DEFAULT_AUDIENCE,
    gatewaySecret: env.GATEWAY_SECRET || DEV_GATEWAY_SECRET,
    production,
  };
  if (production) {
    const problems = productionProblems(env);
    if (problems.length) throw new AuthConfigError(problems);
  }
  return config;
}

/** Everything in the environment that production refuses, all at once (empty when it may start). */
export function productionProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const jwksUrl = env.AUTH_JWKS_URL || null;
  const jwtSecret = env.AUTH_JWT_SECRET || null;
  if (!jwksUrl) problems.push(...secretProblems('AUTH_JWT_SECRET', jwtSecret, DEV_JWT_SECRET, ' (or AUTH_JWKS_URL, for an identity provider\'s keys)'));
  // Keys fetched in the clear could be swapped on the way, and with them any token forged.
  else if (!/^https:\/\//i.test(jwksUrl)) problems.push(`AUTH_JWKS_URL must be an https:// URL, got "${jwksUrl}"`);
  problems.push(...secretProblems('GATEWAY_SECRET', env.GATEWAY_SECRET || null, DEV_GATEWAY_SECRET));
  if (env.GATEWAY_SECRET && jwtSecret && env.GATEWAY_SECRET === jwtSecret && !jwksUrl) {
    problems.push('GATEWAY_SECRET must differ from AUTH_JWT_SECRET (whoever holds one must not be able to sign tokens)');
  }
  problems.push(...namedValueProblems('AUTH_ISSUER', env.AUTH_ISSUER, DEFAULT_ISSUER, 'the `iss` your identity provider puts in tokens'));
  problems.push(...namedValueProblems('AUTH_AUDIENCE', env.AUTH_AUDIENCE, DEFAULT_AUDIENCE, 'the `aud` tokens for this API carry'));
  return problems;
}

function secretProblems(name: string, value: string | null, developmentValue: string, alternative = ''): string[] {
  if (!value) return [`${name} must be set${alternative}`];
  if (value === developmentValue) return [`${name} is the development secret; set a secret of your own`];
  if (value.length < MIN_SECRET_LENGTH) return [`${name} must be at least ${MIN_SECRET_LENGTH} characters (it has ${value.length})`];
  return [];
}

function namedValueProblems(name: string, value: string | undefined, developmentValue: string, what: string): string[] {
  if (!value) return [`${name} must be set (${what})`];
  if (value === developmentValue) return [`${name} must not be the development value "${developmentValue}"`];
  return [];
}

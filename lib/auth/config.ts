/**
 * Authentication settings from the environment. Development has working defaults so exploring
 * needs no setup; with NODE_ENV=production every default is refused and real values are required.
 */

export const DEV_JWT_SECRET = 'development-only-jwt-secret-change-me-0123456789';
export const DEV_GATEWAY_SECRET = 'development-only-gateway-secret';
export const DEFAULT_ISSUER = 'cloud-credits-dev';
export const DEFAULT_AUDIENCE = 'cloud-credits-api';

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

export class AuthConfigError extends Error {}

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const production = env.NODE_ENV === 'production';
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
    const problems: string[] = [];
    if (config.jwtSecret === DEV_JWT_SECRET) problems.push('AUTH_JWT_SECRET (or AUTH_JWKS_URL) must be set');
    if (config.jwtSecret !== null && config.jwtSecret.length < 32) problems.push('AUTH_JWT_SECRET must be at least 32 characters');
    if (config.gatewaySecret === DEV_GATEWAY_SECRET) problems.push('GATEWAY_SECRET must be set');
    if (!env.AUTH_ISSUER) problems.push('AUTH_ISSUER must be set');
    if (!env.AUTH_AUDIENCE) problems.push('AUTH_AUDIENCE must be set');
    if (problems.length) throw new AuthConfigError(`Refusing to start with development defaults in production: ${problems.join('; ')}`);
  }
  return config;
}

/** Authentication for tests: a fixed configuration, tokens for any claims, and the gateway's headers. */
import { AuthConfig } from '../../lib/platform/auth/config';
import { GATEWAY_SECRET_HEADER } from '../../lib/platform/auth/http';
import { Principal } from '../../lib/platform/auth/principal';
import { signToken } from '../../lib/platform/auth/tokens';

export const TEST_AUTH: AuthConfig = {
  jwtSecret: 'test-secret-test-secret-test-secret-0123',
  jwksUrl: null,
  issuer: 'cloud-credits-test',
  audience: 'cloud-credits-api',
  gatewaySecret: 'test-gateway-secret',
  production: false,
};

export interface TestClaims {
  aws?: { accountIds: string[] };
  azure?: { roleAssignments: { scope: string; role: string }[] };
}

export function tokenFor(claims: TestClaims, subject = 'test-user', expiresIn = '1h'): Promise<string> {
  return signToken(TEST_AUTH, subject, claims as Record<string, unknown>, expiresIn);
}

/** Headers the gateway sends a subgraph for a caller with these claims. */
export async function gatewayHeaders(claims: TestClaims): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await tokenFor(claims)}`, [GATEWAY_SECRET_HEADER]: TEST_AUTH.gatewaySecret };
}

/** A principal for calling a provider in-process, without HTTP. */
export function principal(claims: TestClaims, subject = 'test-user'): Principal {
  return {
    subject,
    awsAccountIds: claims.aws?.accountIds ?? [],
    azureRoleAssignments: (claims.azure?.roleAssignments ?? []) as Principal['azureRoleAssignments'],
  };
}

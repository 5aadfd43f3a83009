/**
 * What a subgraph needs to authenticate a request: only the gateway may call it (shared secret),
 * and the caller's token is verified again, so calling a subgraph directly gains nothing.
 */
import type express from 'express';
import type { AuthConfig } from './config';
import { principalOf, requireGatewaySecret, requirePrincipal } from './http';
import type { Principal } from './principal';
import { createTokenVerifier } from './tokens';

export interface SubgraphAuth {
  /** Middleware refusing requests without the gateway's shared secret (403). */
  gatewayOnly: express.RequestHandler;
  /** Middleware verifying the bearer token into res.locals.principal (401 when it does not verify). */
  authenticated: express.RequestHandler;
  /** The caller of a GraphQL request, or a typed UNAUTHENTICATED error. */
  principal(req: express.Request): Promise<Principal>;
}

export function subgraphAuth(config: AuthConfig): SubgraphAuth {
  const verify = createTokenVerifier(config);
  return {
    gatewayOnly: requireGatewaySecret(config.gatewaySecret),
    authenticated: requirePrincipal(verify),
    principal: (req) => principalOf(verify, req.header('authorization')),
  };
}

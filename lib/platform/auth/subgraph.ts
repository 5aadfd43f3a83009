/**
 * What a subgraph needs to authenticate a request: only the gateway may call it (shared secret),
 * and the caller's token is verified again, so calling a subgraph directly gains nothing. Both are
 * checked by one middleware with one answer (401) for every refusal.
 */
import type express from 'express';
import type { AuthConfig } from './config';
import { requireGatewayAndPrincipal, verifiedPrincipal } from './http';
import type { Principal } from './principal';
import { createTokenVerifier } from './tokens';

export interface SubgraphAuth {
  /**
   * Middleware every route of a subgraph (but /health) passes first: the gateway's shared secret
   * and a verified token, its principal in res.locals.principal; otherwise one 401 answer, the
   * same whichever was missing or wrong.
   */
  gatewayCaller: express.RequestHandler;
  /** The caller gatewayCaller verified for a request, for a GraphQL context. */
  principal(req: express.Request): Principal;
}

export function subgraphAuth(config: AuthConfig): SubgraphAuth {
  return {
    gatewayCaller: requireGatewayAndPrincipal(config.gatewaySecret, createTokenVerifier(config)),
    principal: verifiedPrincipal,
  };
}

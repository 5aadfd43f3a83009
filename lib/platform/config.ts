/** Configuration read from the environment, with development defaults. */
import path from 'node:path';
import { DEFAULT_MAX_RESPONSE_BYTES } from './bounded-fetch';

/** How long a provider may take to answer one call before its part of an answer is given up. */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 5_000;

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number from 0 to 65535, got "${raw}"`);
  }
  return value;
}

export interface Config {
  dataDir: string;
  gatewayPort: number;
  creditsPort: number;
  awsPort: number;
  azurePort: number;
  awsUrl: string;
  azureUrl: string;
  host: string;
  /** Milliseconds before a provider call counts as unavailable. */
  providerTimeoutMs: number;
  /** Largest answer (bytes) the gateway reads from a provider subgraph or the provider contract. */
  maxResponseBytes: number;
  /** Whether the gateway serves introspection; undefined = on outside production. */
  introspection: boolean | undefined;
  /** The gateway's per-caller rate limit (`requests` 0: none). */
  rateLimit: RateLimitSettings;
}

/** At most `requests` GraphQL requests per caller in each window of `windowSeconds`; 0 requests turns the limit off. */
export interface RateLimitSettings {
  requests: number;
  windowSeconds: number;
}

/** Far above what a person exploring the API sends (about 17 a second, sustained for a minute). */
export const DEFAULT_RATE_LIMIT: RateLimitSettings = { requests: 1000, windowSeconds: 60 };

export function loadConfig(): Config {
  const host = process.env.HOST || '127.0.0.1';
  const awsPort = port('AWS_PORT', 4002);
  const azurePort = port('AZURE_PORT', 4003);
  return {
    dataDir: path.resolve(process.env.DATA_DIR || 'data'),
    gatewayPort: port('GATEWAY_PORT', 4000),
    creditsPort: port('CREDITS_PORT', 4001),
    awsPort,
    azurePort,
    awsUrl: process.env.AWS_SUBGRAPH_URL || `http://${host}:${awsPort}/graphql`,
    azureUrl: process.env.AZURE_SUBGRAPH_URL || `http://${host}:${azurePort}/graphql`,
    host,
    providerTimeoutMs: positiveInteger('PROVIDER_TIMEOUT_MS', DEFAULT_PROVIDER_TIMEOUT_MS),
    maxResponseBytes: positiveInteger('PROVIDER_MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES),
    introspection: process.env.INTROSPECTION === undefined || process.env.INTROSPECTION === '' ? undefined : process.env.INTROSPECTION === 'true',
    rateLimit: {
      requests: wholeNumber('RATE_LIMIT_REQUESTS', DEFAULT_RATE_LIMIT.requests),
      windowSeconds: positiveInteger('RATE_LIMIT_WINDOW_SECONDS', DEFAULT_RATE_LIMIT.windowSeconds),
    },
  };
}

function wholeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of at least 0 (0: off), got "${raw}"`);
  return value;
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a whole number above 0, got "${raw}"`);
  return value;
}

/** Configuration read from the environment, with development defaults. */
import path from 'node:path';

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
  /** Whether the gateway serves introspection; undefined = on outside production. */
  introspection: boolean | undefined;
}

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
    providerTimeoutMs: positiveInteger('PROVIDER_TIMEOUT_MS', 5_000),
    introspection: process.env.INTROSPECTION === undefined || process.env.INTROSPECTION === '' ? undefined : process.env.INTROSPECTION === 'true',
  };
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a whole number above 0, got "${raw}"`);
  return value;
}

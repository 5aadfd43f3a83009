/**
 * `npm start`: the whole product on one machine. Creates the SQLite databases under DATA_DIR,
 * loads the demo data into a provider database that does not exist yet, starts the AWS and Azure
 * subgraphs and the gateway as separate processes (as production runs them), prints the gateway
 * URL with an example query, and stops everything on Ctrl-C.
 */
import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { GATEWAY_NODE_ARGS } from '../gateway/heap';
import { loadAuthConfig } from '../lib/auth/config';
import { PERSONAS, personaToken } from '../lib/auth/personas';
import { loadConfig } from '../lib/config';
import { isDatabaseEmpty } from '../lib/database';
import { formatProblem, ingestFiles } from '../lib/ingest';
import { PROVIDER_INGESTS } from './providers-ingest';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.resolve(__dirname, '..');

const EXAMPLE_QUERY = `query {
  credits(first: 5, orderBy: { field: EXPIRES_AT }) {
    edges { node { id provider name status expiresAt remainingBalance { amount currencyCode } } }
    pageInfo { hasNextPage endCursor }
  }
  creditSummary { totals { provider currencyCode remainingBalance { amount } } }
}`;

/** Loads the demo data into every provider database that holds nothing yet. */
async function loadDemoData(dataDir: string): Promise<void> {
  for (const ingest of PROVIDER_INGESTS) {
    const dataSource = await ingest.openDatabase(dataDir);
    const empty = await isDatabaseEmpty(dataSource).finally(() => dataSource.destroy());
    if (!empty) continue;
    const demo = path.join(ROOT, 'demo', ingest.provider.toLowerCase());
    const result = await ingestFiles([demo], dataDir, [ingest]);
    if (!result.ok) throw new Error(`demo data did not load:\n${result.problems.map(formatProblem).join('\n')}`);
    console.log(`loaded ${ingest.provider} demo data (${result.loaded.length} files) into ${dataDir}`);
  }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const health = new URL('/health', url);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${health.host} exited with code ${child.exitCode}`);
    try {
      if ((await fetch(health)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${health} did not become healthy within ${timeoutMs / 1000}s`);
}

const children: ChildProcess[] = [];
let stopping = false;

/** Stops every child process, waits for them to exit, then exits with `code`. */
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
}

async function main(): Promise<void> {
  const config = loadConfig();
  fs.mkdirSync(config.dataDir, { recursive: true });
  await loadDemoData(config.dataDir);
  process.once('SIGINT', () => stopAll(0));
  process.once('SIGTERM', () => stopAll(0));

  const launch = (script: string, execArgv: string[] = []) => {
    const child = fork(path.join(DIST, script), [], { env: { ...process.env, DATA_DIR: config.dataDir }, stdio: 'inherit', execArgv: [...process.execArgv, ...execArgv] });
    child.once('exit', (code) => {
      if (!stopping) {
        console.error(`${script} exited unexpectedly (code ${code}); stopping.`);
        stopAll(1);
      }
    });
    children.push(child);
    return child;
  };

  const aws = launch('subgraphs/aws/index.js');
  const azure = launch('subgraphs/azure/index.js');
  await Promise.all([waitForHealth(config.awsUrl, aws), waitForHealth(config.azureUrl, azure)]);
  const gatewayUrl = `http://${config.host}:${config.gatewayPort}/graphql`;
  const gateway = launch('gateway/index.js', GATEWAY_NODE_ARGS);
  await waitForHealth(gatewayUrl, gateway);

  const auth = loadAuthConfig();
  const tokens = await Promise.all(PERSONAS.map(async (p) => ({ persona: p, token: await personaToken(auth, p) })));
  const admin = tokens.find((t) => t.persona.name === 'finops-both-clouds')!;
  console.log(`
Cloud credits API ready: ${gatewayUrl}
Every request needs a bearer token. Development tokens for the demo personas (valid 12 hours;
\`npm run token -- <persona>\` prints a fresh one):
${tokens.map((t) => `\n  ${t.persona.name}: ${t.persona.description}\n    ${t.token}`).join('\n')}

Open ${gatewayUrl} in a browser for Apollo Sandbox and add the header
  Authorization: Bearer <token>
or try:

curl -s ${gatewayUrl} -H 'content-type: application/json' \\
  -H 'authorization: Bearer ${admin.token}' \\
  -d '${JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' ') })}'

Example query:
${EXAMPLE_QUERY}

Press Ctrl-C to stop.`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  stopAll(1);
});

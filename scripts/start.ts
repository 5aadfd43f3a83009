/**
 * `npm start`: the whole product on one machine. Creates the SQLite databases under DATA_DIR,
 * starts the AWS and Azure subgraphs and the gateway as separate processes (as production runs
 * them) under a supervisor (lib/platform/supervisor.ts) that restarts a service that dies while the others
 * keep serving, and stops everything on Ctrl-C or SIGTERM.
 * In development, when the provider databases are empty (the first start), it first renders the
 * demo for today (UTC; DEMO_TODAY in tests) into DATA_DIR/demo-<day>/ with
 * scripts/generate-demo-data.ts and loads it; later starts load and render nothing, so the data
 * ages as real data would. It prints tokens for the demo personas. With NODE_ENV=production it
 * does neither and says how to authenticate.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { GATEWAY_NODE_ARGS } from '../gateway/heap';
import { AuthConfig, loadAuthConfig } from '../lib/platform/auth/config';
import { PERSONAS, personaToken } from '../lib/platform/auth/personas';
import { AZURE_ROLES } from '../lib/platform/auth/principal';
import { Config, loadConfig } from '../lib/platform/config';
import { databaseLocation, describeLocation, isDatabaseEmpty } from '../lib/platform/database';
import { formatProblem, ingestFiles, ProviderIngest } from '../lib/store/ingest';
import { Supervisor } from '../lib/platform/supervisor';
import { daysBetween, demoToday, productClock, utcDay } from '../lib/platform/today';
import { generate } from './generate-demo-data';
import { EXAMPLE_QUERY } from './example-query';
import { PROVIDER_INGESTS } from './providers-ingest';

const DIST = path.resolve(__dirname, '..');


/** DATA_DIR/demo.json: which rendering of the demo the databases were loaded from. */
const DEMO_RECORD = 'demo.json';

interface DemoRecord {
  /** The day the demo was rendered for (the first start's). */
  asOf: string;
  /** Its folder in DATA_DIR. */
  folder: string;
}

/** What this start found or did about the demo data, for the banner. */
interface DemoState {
  /** The rendering the databases hold, when this product loaded them. */
  record: DemoRecord | null;
  /** Whether this start rendered and loaded it. */
  loadedNow: boolean;
}

function readDemoRecord(dataDir: string): DemoRecord | null {
  try {
    const record = JSON.parse(fs.readFileSync(path.join(dataDir, DEMO_RECORD), 'utf8'));
    return typeof record?.asOf === 'string' && typeof record?.folder === 'string' ? record : null;
  } catch {
    return null;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * Renders the demo and loads it into every provider database that holds nothing yet. When all
 * are empty (a first start) it is rendered for `today`; when one is empty beside loaded ones, for
 * the day the others were loaded with, so both clouds tell one story. Nothing is rendered when
 * every database holds data: from its first start the demo ages as real data would.
 */
async function loadDemoData(dataDir: string, today: string, clock: () => Date): Promise<DemoState> {
  const empty: ProviderIngest[] = [];
  for (const ingest of PROVIDER_INGESTS) {
    const dataSource = await ingest.openDatabase(dataDir);
    if (await isDatabaseEmpty(dataSource).finally(() => dataSource.destroy())) empty.push(ingest);
  }
  const earlier = readDemoRecord(dataDir);
  if (empty.length === 0) return { record: earlier, loadedNow: false };

  const asOf = empty.length < PROVIDER_INGESTS.length && earlier ? earlier.asOf : today;
  const record: DemoRecord = { asOf, folder: `demo-${asOf}` };
  const folder = path.join(dataDir, record.folder);
  const renderStart = performance.now();
  await generate(folder, asOf);
  const rendered = performance.now() - renderStart;
  const loadStart = performance.now();
  const result = await ingestFiles(empty.map((i) => path.join(folder, i.provider.toLowerCase())), dataDir, empty, { clock });
  if (!result.ok) throw new Error(`demo data did not load:\n${result.problems.map(formatProblem).join('\n')}`);
  fs.writeFileSync(path.join(dataDir, DEMO_RECORD), `${JSON.stringify(record, null, 2)}\n`);
  console.log(
    `rendered the demo for ${asOf} into ${folder} in ${seconds(rendered)}; loaded ${empty.map((i) => i.provider).join(' and ')} ` +
      `(${result.loaded.length} files) into ${empty.map((i) => describeLocation(databaseLocation(i.provider === 'AWS' ? 'aws' : 'azure', dataDir))).join(' and ')} ` +
      `in ${seconds(performance.now() - loadStart)}`,
  );
  return { record, loadedNow: true };
}

/** The banner's paragraph on the demo data: which day it tells, that it is not rendered again, how to start afresh. */
function demoParagraph(state: DemoState, today: string, dataDir: string): string {
  const { record } = state;
  if (!record) return `The databases in ${dataDir} hold data already: no demo data was loaded.`;
  const folder = path.join(dataDir, record.folder);
  const month = record.asOf.slice(0, 7);
  const age = daysBetween(record.asOf, today);
  const when = !state.loadedNow
    ? `rendered for ${record.asOf} on the first start${age > 0 ? `, ${age} day${age === 1 ? '' : 's'} ago` : ''} (${folder})`
    : record.asOf === today
      ? `rendered for today, ${record.asOf} (UTC), into ${folder} and loaded`
      : `rendered for ${record.asOf}, the day the other databases were loaded for, into ${folder} and loaded`;
  return wrap(
    `Demo data: ${when}; its README.md tells the story. It is not rendered again: from here it ages as real data ` +
      `would (credits reach their expiry; the open month stays ${month}). To start afresh on a later day, stop, delete ` +
      `${dataDir}${postgresSchemas(dataDir)} and start again.`,
  );
}

/** ", drop the PostgreSQL schema(s) ..." when a provider's database is on PostgreSQL, else nothing. */
function postgresSchemas(dataDir: string): string {
  const schemas = (['aws', 'azure'] as const).map((p) => databaseLocation(p, dataDir)).filter((l) => l.dialect === 'postgres');
  return schemas.length === 0 ? '' : `, drop ${schemas.map(describeLocation).join(' and ')} (DROP SCHEMA ... CASCADE)`;
}

/** Text broken into lines of at most `width` characters at spaces (a longer word keeps its own line). */
function wrap(text: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line].join('\n');
}


async function developmentBanner(gatewayUrl: string, auth: AuthConfig, demo: string): Promise<string> {
  const tokens = await Promise.all(PERSONAS.map(async (p) => ({ persona: p, token: await personaToken(auth, p) })));
  const admin = tokens.find((t) => t.persona.name === 'finops-both-clouds')!;
  return `
Cloud credits API ready: ${gatewayUrl}
${demo}

Every request needs a bearer token. Development tokens for the demo personas (valid 12 hours;
\`npm run -s token -- <persona>\` prints a fresh one):
${tokens.map((t) => `\n  ${t.persona.name}: ${t.persona.description}\n    ${t.token}`).join('\n')}

Open ${gatewayUrl} in a browser for Apollo Sandbox and add the header
  Authorization: Bearer <token>
or try:

curl -s ${gatewayUrl} -H 'content-type: application/json' \\
  -H 'authorization: Bearer ${admin.token}' \\
  -d '${JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' ') })}'

Example query:
${EXAMPLE_QUERY}

Press Ctrl-C to stop.`;
}

function productionBanner(gatewayUrl: string, auth: AuthConfig, config: Config): string {
  const signedBy = auth.jwksUrl ? `by the keys at ${auth.jwksUrl}` : 'with AUTH_JWT_SECRET (HS256)';
  return `
Cloud credits API ready (production): ${gatewayUrl}
No demo data is loaded and no token is issued here. Every request needs
  Authorization: Bearer <token>
with a JWT from your identity provider: iss "${auth.issuer}", aud "${auth.audience}", a sub, iat and exp
(at most 24 hours old), signed ${signedBy}, whose claims say what the caller may see:
  "aws":   { "accountIds": ["<12-digit AWS account id>", ...] }
  "azure": { "roleAssignments": [{ "scope": "<billing account or billing profile id>", "role": "<billing role>" }] }
  (billing roles: ${AZURE_ROLES.join(', ')})
Load the providers' files into ${config.dataDir} with: npm run ingest -- <files or folders>

Press Ctrl-C to stop.`;
}

async function main(): Promise<void> {
  // Settings are checked here, once, so a refusal (e.g. production with development secrets) is
  // one clear message instead of three services that cannot start.
  const config = loadConfig();
  const auth = loadAuthConfig();
  const clock = productClock();
  const today = demoToday() ?? utcDay(clock());
  fs.mkdirSync(config.dataDir, { recursive: true });
  // In development opening a database applies its migrations; in production it refuses one that
  // lacks any (npm run migrate applies them): said here once, before any service starts.
  if (auth.production) for (const ingest of PROVIDER_INGESTS) await (await ingest.openDatabase(config.dataDir)).destroy();
  const demo = auth.production ? null : await loadDemoData(config.dataDir, today, clock);

  const supervisor = new Supervisor();
  let exitCode = 0;
  const stop = (code: number) => {
    if (supervisor.stopping) return;
    exitCode = code;
    console.error('[supervisor] stopping every service');
    supervisor.stop().then(() => process.exit(exitCode));
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  const env = { ...process.env, DATA_DIR: config.dataDir };
  const gatewayUrl = `http://${config.host}:${config.gatewayPort}/graphql`;
  try {
    await Promise.all([
      supervisor.start({ name: 'AWS subgraph', script: path.join(DIST, 'subgraphs/aws/index.js'), env, waitForReady: true }),
      supervisor.start({ name: 'Azure subgraph', script: path.join(DIST, 'subgraphs/azure/index.js'), env, waitForReady: true }),
    ]);
    await supervisor.start({ name: 'gateway', script: path.join(DIST, 'gateway/index.js'), execArgv: GATEWAY_NODE_ARGS, env, waitForReady: true });
  } catch (error) {
    if (supervisor.stopping) return; // Ctrl-C while starting
    console.error(`Could not start: ${(error as Error).message}; stopping.`);
    return stop(1);
  }
  console.log(
    auth.production || !demo
      ? productionBanner(gatewayUrl, auth, config)
      : await developmentBanner(gatewayUrl, auth, demoParagraph(demo, today, config.dataDir)),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

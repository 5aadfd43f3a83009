/**
 * Bounded work by design: for every cycle of the schema (fields that lead from a type back to
 * itself), the query walking it to the depth limit under the alias limit, asking for the largest
 * pages, is refused before it runs or answered, as the most restricted personas, through the
 * gateway (its own process, with its production heap) and sent to each provider subgraph directly
 * with the gateway secret. Every service stays up with its memory bounded.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import { buildClientSchema, getIntrospectionQuery, GraphQLSchema } from 'graphql';
import { DEV_GATEWAY_SECRET, loadAuthConfig } from '../../lib/platform/auth/config';
import { GATEWAY_SECRET_HEADER } from '../../lib/platform/auth/http';
import { findPersona, personaToken } from '../../lib/platform/auth/personas';
import { formatProblem, ingestFiles } from '../../lib/store/ingest';
import { QUERY_LIMITS } from '../../lib/platform/query-limits';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { ArgumentValues, cycleQuery, entryPath, schemaCycles } from '../support/cycles';
import { ServiceProcess, startServices } from '../support/services';
import { DEMO_DIR, tempDir } from '../support/stack';

const BILLING_ACCOUNT =
  '/providers/Microsoft.Billing/billingAccounts/5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31';
const DEVELOPMENT = `${BILLING_ACCOUNT}/billingProfiles/PBFV-AB12-CD3-EF4`;

/** Required arguments, pointing into the demo data where the personas can see something, and the largest pages. */
const LARGEST: ArgumentValues = {
  first: '100',
  accountId: '"444455556666"',
  creditId: '"90000000001"',
  costCategoryArn: '"arn:aws:ce::111122223333:costcategory/7d3a1c52-4b7e-4d8a-9f0e-2c6b5a4e3d21"',
  value: '"Product"',
  billingProfileId: JSON.stringify(DEVELOPMENT),
  'Query.azureBillingAccount.id': JSON.stringify(BILLING_ACCOUNT),
  'Query.azureBillingProfile.id': JSON.stringify(DEVELOPMENT),
  id: '"unknown"',
  startDate: '"2020-01-01T00:00:00Z"',
  endDate: '"2030-01-01T00:00:00Z"',
};
/** The same walks with pages of two: small enough to be run, deep and wide all the same. */
const SMALL: ArgumentValues = { ...LARGEST, first: '2' };

/** The least-privileged read-only personas: one AWS linked account, one Azure profile reader. */
const PERSONAS = ['aws-linked-engineer', 'azure-profile-reader'];

/** How a hostile query may end: answered, or refused before it ran for one of these reasons. */
const REFUSALS = new Set(['COST_ESTIMATED_TOO_EXPENSIVE', 'GRAPHQL_VALIDATION_FAILED']);

/** Resident memory the services may reach: the gateway runs with a 256 MB heap. */
const GATEWAY_RSS_LIMIT_MB = 450;
const SUBGRAPH_RSS_LIMIT_MB = 1024;

async function post(url: string, query: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

async function introspect(url: string, headers: Record<string, string>): Promise<GraphQLSchema> {
  const { status, body } = await post(url, getIntrospectionQuery(), headers);
  expect(status, JSON.stringify(body).slice(0, 500)).to.equal(200);
  return buildClientSchema(body.data);
}

/** Watches the peak memory of services while a block runs. */
async function peakMemory<T>(services: ServiceProcess[], run: () => Promise<T>): Promise<{ result: T; peaks: Map<string, number> }> {
  const peaks = new Map(services.map((s) => [s.name, s.rssMb()]));
  const timer = setInterval(() => {
    for (const s of services) {
      if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
      try {
        peaks.set(s.name, Math.max(peaks.get(s.name)!, s.rssMb()));
      } catch {
        // it exited between the check and the read: the test's exit check reports it
      }
    }
  }, 25);
  try {
    return { result: await run(), peaks };
  } finally {
    clearInterval(timer);
  }
}

/** Sends every cycle query of `schema` to `url`; returns how many were answered and refused. */
async function sendEveryCycle(url: string, schema: GraphQLSchema, headers: Record<string, string>, values: ArgumentValues): Promise<{ cycles: number; answered: number; refused: number }> {
  const cycles = schemaCycles(schema, values);
  let answered = 0;
  let refused = 0;
  for (const cycle of cycles) {
    const entry = entryPath(schema, values, cycle[0].from);
    if (!entry) continue; // no root field reaches it
    const query = cycleQuery(schema, entry, cycle, QUERY_LIMITS.maxDepth, QUERY_LIMITS.maxAliases);
    const { status, body } = await post(url, query, headers).catch((error) => {
      throw new Error(`${cycle.map((s) => `${s.from}.${s.field}`).join(' -> ')}: no answer (${error.cause?.code ?? error.message}): the service died`);
    });
    const what = `${cycle.map((s) => `${s.from}.${s.field}`).join(' -> ')}: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`;
    if (status === 200) {
      expect(body.data, what).to.be.an('object');
      answered++;
    } else {
      expect(status, what).to.equal(400);
      expect([...REFUSALS], what).to.include(body.errors?.[0]?.extensions?.code);
      refused++;
    }
  }
  if (process.env.DEBUG_CYCLES) console.log(url, { cycles: cycles.length, answered, refused });
  return { cycles: cycles.length, answered, refused };
}

describe('every cycle of the schema, nested to the limits, as the most restricted personas', function () {
  this.timeout(600_000);
  let dataDir: string;
  let services: Awaited<ReturnType<typeof startServices>>;
  const auth = loadAuthConfig({});

  before(async () => {
    dataDir = tempDir('cycles');
    const loaded = await ingestFiles([DEMO_DIR], dataDir, PROVIDER_INGESTS);
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
    services = await startServices(dataDir);
  });

  after(async () => {
    await services?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const tokenOf = (persona: string) => personaToken(auth, findPersona(persona)!);

  it('are refused or answered by the gateway, which stays up with its memory bounded', async () => {
    const admin = { authorization: `Bearer ${await tokenOf('finops-both-clouds')}` };
    const schema = await introspect(services.gateway.url, admin);
    const { result, peaks } = await peakMemory([services.gateway, services.aws, services.azure], async () => {
      const outcomes = [];
      for (const persona of PERSONAS) {
        const headers = { authorization: `Bearer ${await tokenOf(persona)}` };
        outcomes.push({ largest: await sendEveryCycle(services.gateway.url, schema, headers, LARGEST), small: await sendEveryCycle(services.gateway.url, schema, headers, SMALL) });
      }
      return outcomes;
    });
    for (const outcome of result) {
      expect(outcome.largest.cycles, 'the schema has cycles to try').to.be.above(10);
      expect(outcome.largest.answered, 'with the largest pages, each is refused before it runs').to.equal(0);
      expect(outcome.small.answered, 'with small pages, they run').to.be.above(0);
    }
    expect((await fetch(new URL('/health', services.gateway.url))).status).to.equal(200);
    expect(services.gateway.child.exitCode).to.equal(null);
    expect(peaks.get('gateway'), 'gateway memory (MB)').to.be.below(GATEWAY_RSS_LIMIT_MB);
    expect(peaks.get('aws'), 'AWS subgraph memory (MB)').to.be.below(SUBGRAPH_RSS_LIMIT_MB);
    expect(peaks.get('azure'), 'Azure subgraph memory (MB)').to.be.below(SUBGRAPH_RSS_LIMIT_MB);
  });

  it('are refused or answered by each provider subgraph called directly with the gateway secret', async () => {
    for (const subgraph of [services.aws, services.azure]) {
      const admin = { authorization: `Bearer ${await tokenOf('finops-both-clouds')}`, [GATEWAY_SECRET_HEADER]: DEV_GATEWAY_SECRET };
      const schema = await introspect(subgraph.url, admin);
      const { result, peaks } = await peakMemory([subgraph], async () => {
        const outcomes = [];
        for (const persona of PERSONAS) {
          const headers = { authorization: `Bearer ${await tokenOf(persona)}`, [GATEWAY_SECRET_HEADER]: DEV_GATEWAY_SECRET };
          outcomes.push({ largest: await sendEveryCycle(subgraph.url, schema, headers, LARGEST), small: await sendEveryCycle(subgraph.url, schema, headers, SMALL) });
        }
        return outcomes;
      });
      for (const outcome of result) {
        expect(outcome.largest.answered, `${subgraph.name}: with the largest pages, each is refused`).to.equal(0);
        expect(outcome.small.answered, `${subgraph.name}: with small pages, they run`).to.be.above(0);
      }
      expect(subgraph.child.exitCode, `${subgraph.name} still runs`).to.equal(null);
      expect(peaks.get(subgraph.name), `${subgraph.name} memory (MB)`).to.be.below(SUBGRAPH_RSS_LIMIT_MB);
    }
  });
});

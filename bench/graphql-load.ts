/**
 * (c) GraphQL operations under load (autocannon as a library): each operation straight to the
 * subgraph that can answer it on its own, through our gateway, and through the peer gateways
 * (stock @apollo/gateway, Hive Gateway) over the same supergraph and the same subgraph processes.
 * Every gateway runs in its own process, one at a time, and its RSS is sampled during its load.
 *
 * (d) SQL statements per request: for a page of 50 and a page of 100 credits, the statements each
 * provider subgraph ran while answering one request through each gateway.
 */
import autocannon from 'autocannon';
import type { LoadConfig } from './config';
import { AS_OF_INSTANT } from './dataset';
import { GATEWAY_SECRET_HEADER } from './peers';
import { RunningService, sampleRss, ServiceOptions, startService } from './process';

export type TargetName = 'direct' | 'ours' | 'apollo' | 'hive' | 'hive-nodedup' | 'hive-router';
export const GATEWAYS: { name: Exclude<TargetName, 'direct'>; role: 'gateway-ours' | 'gateway-apollo' | 'gateway-hive' | 'gateway-hive-nodedup' | 'gateway-hive-router'; label: string }[] = [
  { name: 'ours', role: 'gateway-ours', label: 'our gateway (gateway/index.ts)' },
  { name: 'apollo', role: 'gateway-apollo', label: 'stock @apollo/gateway + @apollo/server' },
  { name: 'hive', role: 'gateway-hive', label: 'Hive Gateway (@graphql-hive/gateway-runtime), defaults' },
  { name: 'hive-nodedup', role: 'gateway-hive-nodedup', label: 'Hive Gateway, in-flight deduplication off' },
  { name: 'hive-router', role: 'gateway-hive-router', label: 'Hive Gateway with the Rust query planner (@graphql-hive/router-runtime)' },
];

export const CROSS_CLOUD_PAGE = `query CrossCloudPage($first: Int!) {
  credits(first: $first, orderBy: { field: EXPIRES_AT, direction: ASC }) {
    edges { node { id name status remainingBalance { amount currencyCode }
      aws { creditId creditStatus account { name } }
      azure { name status closedBalance { value currency } billingProfile { displayName } } } }
  }
}`;

const AWS_NATIVE_PAGE = `query AwsNativePage($accountId: ID!) {
  awsCredits(accountId: $accountId, first: 50) {
    nodes {
      creditId description creditType creditStatus endDate
      remainingAmount { currencyAmount currencyCode } account { name }
    }
  }
}`;

const CREDIT_APPLICATIONS = `query CreditApplications($id: ID!) {
  credit(id: $id) {
    id name
    applications(first: 100) {
      totalCount
      nodes { month consumer { kind id name } service productCode amount { amount currencyCode } estimated }
    }
  }
}`;

const AWS_NATIVE_HISTORY = `query AwsNativeHistory($creditId: ID!) {
  awsCredit(creditId: $creditId) {
    creditId description
    allocationHistory(first: 100) { nodes { billingMonth appliedServiceName isEstimatedBill creditAmount { currencyAmount currencyCode } account { name } } }
  }
}`;

const AZURE_SUMMARY = `query AzureSummary {
  azureBillingAccounts(first: 10) { nodes {
    id displayName
    creditSummary(first: 50) { nodes { currency lotCount availableBalance { value currency } lotCountsByStatus { status count } billingProfile { displayName } } }
  } }
}`;

export const PAUSE = `mutation Pause($id: ID!) { pauseCredit(input: { creditId: $id }) { credit { id status } userErrors { code message } } }`;
export const ACTIVATE = `mutation Activate($id: ID!) { activateCredit(input: { creditId: $id }) { credit { id status } userErrors { code message } } }`;

export interface BenchIds {
  nativePageAccountId: string;
  /** AWS credit id with 12 months of history, and its global id. */
  historyCreditId: string;
  historyCreditGlobalId: string;
  /** AWS credits to pause and activate: native ids and global ids. */
  pausable: { creditId: string; globalId: string }[];
}

interface Step {
  /** Path below the target's base URL; default the GraphQL endpoint. */
  path?: string;
  body: (credit: { creditId: string; globalId: string }) => string;
}

interface Operation {
  name: string;
  title: string;
  /** The GraphQL the gateways get. */
  gateway: Step[];
  /** What the subgraph gets when an operation can be asked of one subgraph alone. */
  direct?: { service: 'aws' | 'azure'; steps: Step[]; what: string };
  /** Checks one response body; returns a problem or null. */
  check(body: any, target: TargetName): string | null;
}

export const gql = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

const errorsOf = (body: any) => (body?.errors?.length ? `errors: ${JSON.stringify(body.errors).slice(0, 300)}` : null);

/** What is wrong with a cross-cloud page of `min` to `max` credits, or null: no errors, native fields on every credit, both clouds. */
function crossCloudPageProblem(body: any, min: number, max: number): string | null {
  const problem = errorsOf(body);
  if (problem) return problem;
  const edges = body?.data?.credits?.edges;
  if (!(edges?.length >= min && edges.length <= max)) return `expected ${min === max ? min : `${min} to ${max}`} credits, got ${edges?.length}`;
  if (edges.some((e: any) => !e.node.aws && !e.node.azure)) return 'a credit has neither aws nor azure';
  if (!edges.some((e: any) => e.node.aws) || !edges.some((e: any) => e.node.azure)) return 'the page does not mix both clouds';
  return null;
}

export function operations(ids: BenchIds): Operation[] {
  let variedPage = 0;
  return [
    {
      name: 'crossCloudPage50',
      title: '(i) cross-cloud page of 50 credits by expiry, with native fields',
      gateway: [{ body: () => gql(CROSS_CLOUD_PAGE, { first: 50 }) }],
      check: (b) => crossCloudPageProblem(b, 50, 50),
    },
    {
      name: 'crossCloudPageVaried',
      title: '(i) cross-cloud pages by expiry with native fields, 41 to 50 credits: a different page size per request',
      // Ten sizes in turn: the requests in flight at once differ, so no gateway can share one.
      gateway: [{ body: () => gql(CROSS_CLOUD_PAGE, { first: 41 + (variedPage++ % 10) }) }],
      check: (b) => crossCloudPageProblem(b, 41, 50),
    },
    {
      name: 'awsNativePage',
      title: '(i) native AWS credit page (`awsCredits(accountId, first: 50)`, 50 credits)',
      gateway: [{ body: () => gql(AWS_NATIVE_PAGE, { accountId: ids.nativePageAccountId }) }],
      direct: { service: 'aws', steps: [{ body: () => gql(AWS_NATIVE_PAGE, { accountId: ids.nativePageAccountId }) }], what: 'the same query to the AWS subgraph' },
      check: (b) => errorsOf(b) ?? (b?.data?.awsCredits?.nodes?.length === 50 ? null : `expected 50 credits, got ${b?.data?.awsCredits?.nodes?.length}`),
    },
    {
      name: 'creditApplications',
      title: '(ii) one credit with 12 months of applications (`credit(id) { applications }`)',
      gateway: [{ body: () => gql(CREDIT_APPLICATIONS, { id: ids.historyCreditGlobalId }) }],
      check: (b) => {
        const problem = errorsOf(b);
        if (problem) return problem;
        const nodes = b?.data?.credit?.applications?.nodes ?? [];
        const months = new Set(nodes.map((n: any) => n.month)).size;
        return months === 12 ? null : `expected 12 months of applications, got ${months}`;
      },
    },
    {
      name: 'awsNativeHistory',
      title: '(ii) native: one AWS credit with its allocation history (`awsCredit { allocationHistory(first: 100) }`)',
      gateway: [{ body: () => gql(AWS_NATIVE_HISTORY, { creditId: ids.historyCreditId }) }],
      direct: { service: 'aws', steps: [{ body: () => gql(AWS_NATIVE_HISTORY, { creditId: ids.historyCreditId }) }], what: 'the same query to the AWS subgraph' },
      check: (b) => {
        const problem = errorsOf(b);
        if (problem) return problem;
        const months = new Set((b?.data?.awsCredit?.allocationHistory?.nodes ?? []).map((n: any) => n.billingMonth)).size;
        return months === 12 ? null : `expected 12 billing months, got ${months}`;
      },
    },
    {
      name: 'azureSummary',
      title: '(iii) Azure billing account summary (`azureBillingAccounts { creditSummary }`)',
      gateway: [{ body: () => gql(AZURE_SUMMARY) }],
      direct: { service: 'azure', steps: [{ body: () => gql(AZURE_SUMMARY) }], what: 'the same query to the Azure subgraph' },
      check: (b) => errorsOf(b) ?? ((b?.data?.azureBillingAccounts?.nodes ?? []).some((a: any) => a.creditSummary.nodes.length > 0) ? null : 'no summary'),
    },
    {
      name: 'pauseCredit',
      title: '(iv) `pauseCredit` then `activateCredit`, alternating (AWS credits)',
      gateway: [{ body: (c) => gql(PAUSE, { id: c.globalId }) }, { body: (c) => gql(ACTIVATE, { id: c.globalId }) }],
      direct: {
        service: 'aws',
        steps: [
          { path: '/provider/v1/credits/pause', body: (c) => JSON.stringify({ providerCreditId: c.creditId, now: AS_OF_INSTANT }) },
          { path: '/provider/v1/credits/activate', body: (c) => JSON.stringify({ providerCreditId: c.creditId, now: AS_OF_INSTANT }) },
        ],
        what: "the AWS subgraph's provider contract (POST /provider/v1/credits/pause and /activate): the mutation has no GraphQL field in a provider subgraph",
      },
      check: (b, target) => {
        if (target === 'direct') return b?.userErrors?.length ? `userErrors: ${JSON.stringify(b.userErrors)}` : b?.credit ? null : 'no credit';
        const problem = errorsOf(b);
        if (problem) return problem;
        const payload = b?.data?.pauseCredit ?? b?.data?.activateCredit;
        return payload?.userErrors?.length ? `userErrors: ${JSON.stringify(payload.userErrors)}` : payload?.credit ? null : 'no credit';
      },
    },
  ];
}

export interface LoadResult {
  operation: string;
  target: TargetName;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  requests: number;
  /** Non-2xx responses, connection errors, timeouts, and 200s that carried GraphQL errors or user errors. */
  failures: number;
  failureKinds?: { http: number; graphql: number; connection: number; timeout: number };
  /** The start of the first failed response body, to say what went wrong. */
  failureSample?: string;
  durationSeconds: number;
  connections: number;
  /** Straight to the subgraph is measured before and after the gateways (drift on a shared machine shows as a difference). */
  pass?: 'before' | 'after';
}

interface TargetEndpoint {
  base: string;
  graphqlPath: string;
}

function endpoint(url: string): TargetEndpoint {
  const u = new URL(url);
  return { base: `${u.protocol}//${u.host}`, graphqlPath: u.pathname };
}

/** Sends every step once and checks the answers: a target that answers wrongly is not measured. */
async function verify(op: Operation, steps: Step[], target: TargetName, url: TargetEndpoint, headers: Record<string, string>, ids: BenchIds): Promise<number> {
  for (const step of steps) {
    const response = await fetch(`${url.base}${step.path ?? url.graphqlPath}`, { method: 'POST', headers, body: step.body(ids.pausable[0]) });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    const problem = response.status !== 200 ? `HTTP ${response.status}: ${text.slice(0, 300)}` : op.check(body, target);
    if (problem) throw new Error(`${op.name} via ${target} answers wrongly: ${problem}`);
  }
  // One more request, warm this time: its time decides the load of slow operations.
  const again = Date.now();
  const last = steps[steps.length - 1];
  await (await fetch(`${url.base}${last.path ?? url.graphqlPath}`, { method: 'POST', headers, body: last.body(ids.pausable[0]) })).text();
  return Date.now() - again;
}

function cannon(url: TargetEndpoint, steps: Step[], headers: Record<string, string>, ids: BenchIds, seconds: number, connections: number, onFailure: (status: number, body: string) => void) {
  let next = 0;
  const requests = steps.map((step, index) => ({
    method: 'POST' as const,
    path: step.path ?? url.graphqlPath,
    headers,
    setupRequest: (request: any, context: any) => {
      // Each round of the steps (pause, then activate) works on the next credit in turn.
      if (index === 0) context.credit = ids.pausable[next++ % ids.pausable.length];
      return { ...request, body: step.body(context.credit ?? ids.pausable[0]) };
    },
    onResponse: (status: number, body: string) => {
      if (status !== 200 || body.includes('"errors"') || /"userErrors":\[\{/.test(body)) onFailure(status, body);
    },
  }));
  return autocannon({ url: url.base, connections, duration: seconds, requests: requests as any, timeout: 120 });
}

/**
 * Load for an operation: the configured connections and duration, except for an operation so
 * slow that a run would not hold two rounds of requests (one request per connection, at one
 * request's speed each, as a saturated server answers them): such a run is lengthened to three
 * rounds, at most 60 s, and when even that is too short it gets fewer connections. Decided once
 * per operation from the time of one warm request to its first target, so every target of the
 * operation gets the same load.
 */
function loadFor(latencyMs: number, load: LoadConfig): Plan {
  const round = (connections: number) => (Math.max(1, latencyMs) * connections) / 1000;
  if (load.durationSeconds >= 2 * round(load.connections)) return { connections: load.connections, durationSeconds: load.durationSeconds };
  const durationSeconds = Math.min(60, Math.ceil(3 * round(load.connections)));
  const connections = Math.max(1, Math.min(load.connections, Math.floor(durationSeconds / (2 * round(1)))));
  return { connections, durationSeconds };
}

type Plan = { connections: number; durationSeconds: number };

async function measure(op: Operation, steps: Step[], target: TargetName, url: string, headers: Record<string, string>, ids: BenchIds, baseLoad: LoadConfig, plans: Map<string, Plan>): Promise<LoadResult> {
  const e = endpoint(url);
  const latency = await verify(op, steps, target, e, headers, ids);
  if (!plans.has(op.name)) plans.set(op.name, loadFor(latency, baseLoad));
  const load = { ...baseLoad, ...plans.get(op.name)! };
  if (load.warmupSeconds > 0) await cannon(e, steps, headers, ids, load.warmupSeconds, load.connections, () => undefined);
  let graphqlFailures = 0;
  let sample: string | undefined;
  const r = await cannon(e, steps, headers, ids, load.durationSeconds, load.connections, (status, body) => {
    if (status === 200) graphqlFailures++;
    sample ??= `HTTP ${status}: ${body.slice(0, 300)}`;
  });
  return {
    operation: op.name,
    target,
    requestsPerSecond: r.requests.total / r.duration,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    latencyMeanMs: r.latency.average,
    requests: r.requests.total,
    failures: graphqlFailures + r.errors + r.timeouts + r.non2xx,
    failureKinds: { http: r.non2xx, graphql: graphqlFailures, connection: r.errors, timeout: r.timeouts },
    ...(sample ? { failureSample: sample } : {}),
    durationSeconds: r.duration,
    connections: load.connections,
  };
}

export interface GatewayMemory {
  gateway: Exclude<TargetName, 'direct'>;
  /** RSS once started, before any load. */
  idleRssBytes: number;
  /** Highest RSS sampled (every 100 ms) during its load runs. */
  peakRssUnderLoadBytes: number;
  meanRssUnderLoadBytes: number;
}

export interface SqlCount {
  gateway: Exclude<TargetName, 'direct'>;
  first: number;
  aws: number;
  azure: number;
  total: number;
  /** How many of the page's credits came from each cloud (a provider with none on the page is not asked). */
  awsCredits: number;
  azureLots: number;
}

export interface GraphqlMeasurement {
  operations: { name: string; title: string; direct: string | null }[];
  results: LoadResult[];
  memory: GatewayMemory[];
  sql: SqlCount[];
  subgraphPeakRssBytes: Record<string, number>;
}

/** Waits until neither provider subgraph has run a statement for 150 ms (at most 30 s). */
async function quiet(aws: RunningService, azure: RunningService): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = -1;
  while (Date.now() < deadline) {
    const now = (await aws.sqlStatements()) + (await azure.sqlStatements());
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function sqlPerRequest(gateway: Exclude<TargetName, 'direct'>, url: string, headers: Record<string, string>, aws: RunningService, azure: RunningService): Promise<SqlCount[]> {
  const out: SqlCount[] = [];
  for (const first of [50, 100]) {
    let mix = { aws: 0, azure: 0 };
    const send = async () => {
      const r = await fetch(url, { method: 'POST', headers, body: gql(CROSS_CLOUD_PAGE, { first }) });
      const body = (await r.json()) as any;
      const edges = body.data?.credits?.edges ?? [];
      if (body.errors?.length || edges.length !== first) throw new Error(`page of ${first} via ${gateway} failed: ${JSON.stringify(body).slice(0, 300)}`);
      mix = { aws: edges.filter((e: any) => e.node.aws).length, azure: edges.filter((e: any) => e.node.azure).length };
    };
    await quiet(aws, azure);
    await send(); // warm: query plans, prepared caches
    const counts: { aws: number; azure: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const [a0, z0] = [await aws.sqlStatements(), await azure.sqlStatements()];
      await send();
      const [a1, z1] = [await aws.sqlStatements(), await azure.sqlStatements()];
      counts.push({ aws: a1 - a0, azure: z1 - z0 });
    }
    // The median of three single requests (nothing else runs meanwhile).
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1];
    const awsCount = median(counts.map((c) => c.aws));
    const azureCount = median(counts.map((c) => c.azure));
    out.push({ gateway, first, aws: awsCount, azure: azureCount, total: awsCount + azureCount, awsCredits: mix.aws, azureLots: mix.azure });
  }
  return out;
}

export interface GraphqlSetup {
  aws: RunningService;
  azure: RunningService;
  credits: RunningService;
  serviceOptions: ServiceOptions;
  supergraphSdl: string;
  token: string;
  gatewaySecret: string;
  ids: BenchIds;
  load: LoadConfig;
  log: (line: string) => void;
}

function fmt(r: LoadResult): string {
  return `${r.requestsPerSecond.toFixed(r.requestsPerSecond < 10 ? 1 : 0)} req/s, p50 ${r.latencyP50Ms} ms, p99 ${r.latencyP99Ms} ms, ${r.connections} connections${r.failures ? `, ${r.failures} failures` : ''}`;
}

export async function measureGraphql(s: GraphqlSetup): Promise<GraphqlMeasurement> {
  const ops = operations(s.ids);
  const clientHeaders = { 'content-type': 'application/json', authorization: `Bearer ${s.token}` };
  const subgraphHeaders = { ...clientHeaders, [GATEWAY_SECRET_HEADER]: s.gatewaySecret };
  const results: LoadResult[] = [];
  const memory: GatewayMemory[] = [];
  const sql: SqlCount[] = [];
  /** Connections and duration per operation, fixed by its first measured target. */
  const connections = new Map<string, Plan>();

  // The subgraphs just started: warm them up (unmeasured) before anything is measured.
  for (const op of ops) {
    if (!op.direct || s.load.subgraphWarmupSeconds <= 0) continue;
    const service = op.direct.service === 'aws' ? s.aws : s.azure;
    const e = endpoint(op.direct.steps[0].path ? endpoint(service.url).base : service.url);
    await cannon(e, op.direct.steps, subgraphHeaders, s.ids, s.load.subgraphWarmupSeconds, s.load.connections, () => undefined);
  }

  // Straight to the subgraphs, with no gateway process running: before the gateways (and after them).
  const direct = async (pass: 'before' | 'after') => {
    for (const op of ops) {
      if (!op.direct) continue;
      const service = op.direct.service === 'aws' ? s.aws : s.azure;
      const base = endpoint(service.url);
      const url = op.direct.steps[0].path ? base.base : service.url;
      const r = { ...(await measure(op, op.direct.steps, 'direct', url, subgraphHeaders, s.ids, s.load, connections)), pass };
      s.log(`  ${op.name} direct (${op.direct.service}, ${pass} the gateways): ${fmt(r)}`);
      results.push(r);
    }
  };
  await direct('before');

  for (const gateway of GATEWAYS) {
    const service = await startService(gateway.role, { ...s.serviceOptions, supergraphSdl: s.supergraphSdl });
    try {
      const idle = service.memory();
      // (d) first, while nothing else runs.
      const counts = await sqlPerRequest(gateway.name, service.url, clientHeaders, s.aws, s.azure);
      for (const c of counts) s.log(`  SQL statements, page of ${c.first} via ${gateway.name}: AWS ${c.aws}, Azure ${c.azure} (credits on the page: AWS ${c.awsCredits}, Azure ${c.azureLots})`);
      sql.push(...counts);
      const sampler = sampleRss(service.pid);
      for (const op of ops) {
        const r = await measure(op, op.gateway, gateway.name, service.url, clientHeaders, s.ids, s.load, connections);
        s.log(`  ${op.name} via ${gateway.name}: ${fmt(r)}`);
        results.push(r);
      }
      const sampled = sampler.stop();
      memory.push({ gateway: gateway.name, idleRssBytes: idle?.rss ?? 0, peakRssUnderLoadBytes: sampled.peakBytes, meanRssUnderLoadBytes: sampled.meanBytes });
      s.log(`  ${gateway.name}: RSS idle ${((idle?.rss ?? 0) / 1e6).toFixed(0)} MB, peak under load ${(sampled.peakBytes / 1e6).toFixed(0)} MB`);
    } finally {
      await service.stop();
    }
    // Writes queued behind the last mutations finish before the next target is measured.
    await quiet(s.aws, s.azure);
  }
  if (s.load.directAfter) await direct('after');
  const subgraphPeakRssBytes: Record<string, number> = {};
  for (const [name, svc] of [['aws', s.aws], ['azure', s.azure], ['credits (standalone, peers only)', s.credits]] as const) subgraphPeakRssBytes[name] = svc.memory()?.hwm ?? 0;
  return {
    operations: ops.map((o) => ({ name: o.name, title: o.title, direct: o.direct ? o.direct.what : null })),
    results,
    memory,
    sql,
    subgraphPeakRssBytes,
  };
}

/**
 * The production topology of the README ("Several replicas"), as processes on this machine: every
 * service compiled and started as an operator starts it (`node dist/...`, NODE_ENV=production,
 * production secrets), two replicas of each provider subgraph on one database (PostgreSQL
 * schemas named by AWS_DATABASE_URL / AZURE_DATABASE_URL when the suite runs there, else one
 * DATA_DIR), two gateways wired across them, and Hive Gateway with the shipped config in front of
 * the standalone credits subgraph and yet other replicas. Any entry point answers any request
 * alike, and a change through one is seen at once through every other: no replica keeps state
 * of its own (the in-flight sharing of each process only joins identical requests in flight).
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuthConfig } from '../../lib/platform/auth/config';
import { signToken } from '../../lib/platform/auth/tokens';
import { databaseLocation } from '../../lib/platform/database';
import { onPostgres, removeProviderDatabase } from '../support/database';
import { cleanEnv, freePorts, Service } from '../support/product';
import { ADMIN_CLAIMS, DEMO_DIR, graphql, REPO_ROOT, tempDir } from '../support/stack';

const PRODUCTION: AuthConfig = {
  jwtSecret: 'topology-test-production-secret-0123456789',
  jwksUrl: null,
  issuer: 'https://login.example.com/',
  audience: 'credits-api-topology',
  gatewaySecret: 'topology-test-gateway-secret-0123456789ab',
  production: true,
};

const dist = (...parts: string[]) => path.join(REPO_ROOT, 'dist', ...parts);
const READY = /ready at http:\/\/127\.0\.0\.1:\d+\/graphql/;

/** A read of both clouds, native and normalized, that every entry point must answer alike. */
const EVERYTHING = `{
  credits(first: 50, orderBy: { field: EXPIRES_AT, direction: ASC }) {
    nodes { id provider status expiresAt remainingBalance { amount currencyCode } estimatedBalance { amount currencyCode } }
    pageInfo { hasNextPage endCursor }
  }
  creditSummary { creditCount }
  awsAccounts(first: 20) { nodes { accountId } }
  azureBillingAccounts(first: 20) { nodes { id } }
}`;

describe('the production topology: two gateways and two replicas of each provider subgraph on one database, and Hive Gateway', function () {
  this.timeout(240_000);
  const services: Service[] = [];
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let token: string;
  let entries: { name: string; url: string }[];

  const start = async (name: string, script: string[], extra: NodeJS.ProcessEnv, ready = READY) => {
    const service = await Service.start(name, process.execPath, script, { ...env, ...extra }, ready);
    services.push(service);
    return service;
  };

  before(async () => {
    dataDir = tempDir('topology');
    env = { ...cleanEnv(), NODE_ENV: 'production', DATA_DIR: dataDir, HOST: '127.0.0.1', AUTH_JWT_SECRET: PRODUCTION.jwtSecret!, AUTH_ISSUER: PRODUCTION.issuer, AUTH_AUDIENCE: PRODUCTION.audience, GATEWAY_SECRET: PRODUCTION.gatewaySecret };
    if (onPostgres()) {
      // As the README says to: each provider's database named by its URL and schema.
      const tag = randomBytes(4).toString('hex');
      Object.assign(env, {
        AWS_DATABASE_URL: process.env.TEST_POSTGRES_URL,
        AWS_DATABASE_SCHEMA: `topology_${tag}_aws`,
        AZURE_DATABASE_URL: process.env.TEST_POSTGRES_URL,
        AZURE_DATABASE_SCHEMA: `topology_${tag}_azure`,
      });
      delete env.TEST_DATABASE;
      delete env.TEST_POSTGRES_URL;
    }
    token = await signToken(PRODUCTION, 'topology-operator', ADMIN_CLAIMS as Record<string, unknown>);

    // npm run migrate, then npm run ingest -- demo (the demo's files as a user's own).
    const migrate = await Service.run('migrate', process.execPath, [dist('scripts', 'migrate.js')], env);
    expect(migrate.code, migrate.output).to.equal(0);
    const ingest = await Service.run('ingest', process.execPath, [dist('scripts', 'ingest.js'), DEMO_DIR], env);
    expect(ingest.code, ingest.output).to.equal(0);

    // The replicas start together; npm run migrate has brought the schemas up to date, so each only checks.
    const ports = await freePorts(10);
    const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
    const [aws1, aws2, aws3, azure1, azure2, azure3, gateway1, gateway2, credits, hive] = ports;
    await Promise.all([
      start('aws-1', [dist('subgraphs', 'aws', 'index.js')], { AWS_PORT: String(aws1) }),
      start('aws-2', [dist('subgraphs', 'aws', 'index.js')], { AWS_PORT: String(aws2) }),
      start('aws-3', [dist('subgraphs', 'aws', 'index.js')], { AWS_PORT: String(aws3) }),
      start('azure-1', [dist('subgraphs', 'azure', 'index.js')], { AZURE_PORT: String(azure1) }),
      start('azure-2', [dist('subgraphs', 'azure', 'index.js')], { AZURE_PORT: String(azure2) }),
      start('azure-3', [dist('subgraphs', 'azure', 'index.js')], { AZURE_PORT: String(azure3) }),
    ]);
    // Wired across: gateway 1 reaches AWS replica 1 and Azure replica 2, gateway 2 the other two.
    await start('gateway-1', ['--max-old-space-size=256', dist('gateway', 'index.js')], { GATEWAY_PORT: String(gateway1), AWS_SUBGRAPH_URL: url(aws1), AZURE_SUBGRAPH_URL: url(azure2) });
    await start('gateway-2', ['--max-old-space-size=256', dist('gateway', 'index.js')], { GATEWAY_PORT: String(gateway2), AWS_SUBGRAPH_URL: url(aws2), AZURE_SUBGRAPH_URL: url(azure1) });
    // Hive Gateway: the standalone credits subgraph and the third replicas (docs/ROUTERS.md).
    await start('credits', [dist('subgraphs', 'credits', 'index.js')], { CREDITS_PORT: String(credits), AWS_SUBGRAPH_URL: url(aws3), AZURE_SUBGRAPH_URL: url(azure3) });
    const hiveEnv = { CREDITS_SUBGRAPH_URL: url(credits), AWS_SUBGRAPH_URL: url(aws3), AZURE_SUBGRAPH_URL: url(azure3) };
    const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'hive-gateway');
    services.push(
      await Service.start('hive', bin, ['supergraph', '--config-path', 'routers/hive/gateway.config.ts', '--host', '127.0.0.1', '--port', String(hive)], { ...env, ...hiveEnv, NO_COLOR: '1' }, new RegExp(`Listening on http://127\\.0\\.0\\.1:${hive}\\b`)),
    );
    entries = [
      { name: 'gateway 1', url: url(gateway1) },
      { name: 'gateway 2', url: url(gateway2) },
      { name: 'Hive Gateway', url: url(hive) },
    ];
  });

  after(async () => {
    const ends = await Promise.all(services.reverse().map(async (s) => ({ name: s.name, end: await s.stop(), output: s.output })));
    for (const { name, end, output } of ends) if (name !== 'hive') expect(end, `${name} stopped cleanly:\n${output}`).to.deep.equal({ code: 0, signal: null });
    if (env.AWS_DATABASE_URL) {
      for (const provider of ['aws', 'azure'] as const) await removeProviderDatabase(provider, dataDir, env);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores both providers where the configuration says', () => {
    const where = (['aws', 'azure'] as const).map((p) => databaseLocation(p, dataDir, env));
    if (onPostgres()) expect(where.map((l) => l.dialect)).to.deep.equal(['postgres', 'postgres']);
    else expect(where).to.deep.equal([{ dialect: 'sqlite', file: path.join(dataDir, 'aws.sqlite') }, { dialect: 'sqlite', file: path.join(dataDir, 'azure.sqlite') }]);
  });

  it('answers the same read alike through every entry point, whichever replicas serve it', async () => {
    const answers = await Promise.all(entries.map(async (e) => ({ e, answer: await graphql(e.url, EVERYTHING, {}, token) })));
    for (const { e, answer } of answers) {
      expect(answer.errors, `${e.name}: ${JSON.stringify(answer.errors)}`).to.equal(undefined);
      expect(answer.data.creditSummary.creditCount, e.name).to.be.greaterThan(10);
      expect(answer.data.credits.nodes, e.name).to.have.length(Math.min(50, answer.data.creditSummary.creditCount));
    }
    for (const { e, answer } of answers.slice(1)) expect(answer.data, `${e.name} vs ${entries[0].name}`).to.deep.equal(answers[0].answer.data);
  });

  it('shows a change made through one entry point at once through every other, and keeps changes made through all of them at once', async () => {
    const { data } = await graphql(entries[0].url, `{ credits(first: 50, filter: { statuses: [ACTIVE] }) { nodes { id } } }`, {}, token);
    const ids: string[] = data.credits.nodes.map((n: { id: string }) => n.id);
    expect(ids.length).to.be.greaterThan(5);
    const status = async (entry: { url: string }, id: string) => (await graphql(entry.url, `query($id: ID!) { credit(id: $id) { id status } }`, { id }, token)).data.credit.status;
    const change = async (entry: { url: string; name: string }, name: 'pauseCredit' | 'activateCredit', id: string) => {
      const answer = await graphql(entry.url, `mutation($id: ID!) { ${name}(input: { creditId: $id }) { credit { id status } userErrors { code } } }`, { id }, token);
      expect(answer.errors, `${name} ${id} through ${entry.name}`).to.equal(undefined);
      expect(answer.data[name].userErrors, `${name} ${id} through ${entry.name}`).to.deep.equal([]);
      return answer.data[name].credit.status;
    };

    // One after the other, each through a different entry point than the one that reads it back.
    for (const [i, entry] of entries.entries()) {
      const id = ids[i];
      expect(await change(entry, 'pauseCredit', id)).to.equal('PAUSED');
      for (const other of entries) expect(await status(other, id), `${id} through ${other.name}`).to.equal('PAUSED');
      expect(await change(entries[(i + 1) % entries.length], 'activateCredit', id)).to.equal('ACTIVE');
      for (const other of entries) expect(await status(other, id), `${id} through ${other.name}`).to.equal('ACTIVE');
    }

    // All at once, every entry point changing credits of the same billing groups.
    const statuses = await Promise.all(ids.map((id, i) => change(entries[i % entries.length], 'pauseCredit', id)));
    expect(statuses).to.deep.equal(ids.map(() => 'PAUSED'));
    for (const [i, id] of ids.entries()) expect(await status(entries[(i + 1) % entries.length], id), id).to.equal('PAUSED');
    const reads = await Promise.all(entries.map((e) => graphql(e.url, EVERYTHING, {}, token)));
    for (const [i, r] of reads.entries()) expect(r.data, entries[i].name).to.deep.equal(reads[0].data);
  });
});

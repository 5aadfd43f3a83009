/**
 * `npm start` as an operator runs it: the real `node dist/scripts/start.js` in a child process with
 * its own DATA_DIR and free ports. A service killed under it is restarted while the others keep
 * serving (the gateway reports the missing provider meanwhile); SIGTERM stops everything. With
 * NODE_ENV=production it loads no demo data, prints no token and refuses development settings;
 * `npm run token` is refused there too.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { signToken } from '../../lib/platform/auth/tokens';
import { AuthConfig } from '../../lib/platform/auth/config';
import { tokenFor } from '../support/auth';
import { alive, cleanEnv, MIGRATE, Product, productEnv, TOKEN } from '../support/product';
import { ADMIN_CLAIMS, graphql } from '../support/stack';

const BOTH_CLOUDS = `{ credits(first: 100) { nodes { provider } } }`;
/** What a JWT looks like in text: three base64url parts, the first a JSON header. */
const A_TOKEN = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

describe('npm start supervises its services', function () {
  // The first start loads the demo data before starting the services.
  this.timeout(180_000);
  let product: Product;
  let dataDir: string;
  let gatewayUrl: string;

  before(async () => {
    const setup = await productEnv();
    ({ dataDir, gatewayUrl } = setup);
    product = new Product(setup.env);
    await product.waitFor(/Cloud credits API ready: /, 120_000);
  });
  after(async () => {
    const pids = product.allPids();
    await product.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(pids.filter(alive), 'no service left running').to.deep.equal([]);
  });

  it('restarts the AWS subgraph killed under it, the gateway serving Azure credits with PROVIDER_UNAVAILABLE meanwhile, and AWS credits back within 30 s', async () => {
    const token = await tokenFor(ADMIN_CLAIMS, 'operator');
    const before = await graphql(gatewayUrl, BOTH_CLOUDS, {}, token);
    expect(before.errors).to.equal(undefined);
    const providers = (answer: typeof before) => new Set(answer.data.credits.nodes.map((c: { provider: string }) => c.provider));
    expect(providers(before)).to.deep.equal(new Set(['AWS', 'AZURE']));
    const azureCount = before.data.credits.nodes.filter((c: { provider: string }) => c.provider === 'AZURE').length;

    const awsPid = product.pidOf('AWS subgraph');
    const azurePid = product.pidOf('Azure subgraph');
    const gatewayPid = product.pidOf('gateway');
    process.kill(awsPid, 'SIGKILL');
    const death = await product.waitFor(new RegExp(`\\[supervisor\\] AWS subgraph \\(pid ${awsPid}\\) killed by SIGKILL after [\\d.]+ m?s; restart #1 in 1 s\\n`), 5_000);
    expect(death).to.not.equal(null);

    const degraded = await graphql(gatewayUrl, BOTH_CLOUDS, {}, token);
    expect(degraded.status).to.equal(200);
    expect(degraded.data.credits.nodes.map((c: { provider: string }) => c.provider)).to.deep.equal(Array(azureCount).fill('AZURE'));
    expect(degraded.errors?.map((e) => [e.extensions?.code, e.extensions?.provider])).to.deep.equal([['PROVIDER_UNAVAILABLE', 'AWS']]);
    expect(degraded.errors![0].message).to.contain('AWS');

    const deadline = Date.now() + 30_000;
    let recovered = degraded;
    while (Date.now() < deadline) {
      recovered = await graphql(gatewayUrl, BOTH_CLOUDS, {}, token);
      if (!recovered.errors) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(recovered.errors, 'AWS is back within 30 s').to.equal(undefined);
    expect(recovered.data).to.deep.equal(before.data);

    const newAwsPid = product.pidOf('AWS subgraph');
    expect(newAwsPid).to.not.equal(awsPid);
    expect(product.output).to.contain(`[supervisor] started AWS subgraph (pid ${newAwsPid}), restart #1`);
    // The others kept running, untouched.
    expect([alive(azurePid), alive(gatewayPid)]).to.deep.equal([true, true]);
    expect([product.pidOf('Azure subgraph'), product.pidOf('gateway')]).to.deep.equal([azurePid, gatewayPid]);
  });

  it('stops every service on SIGTERM, restarting none, and exits 0', async () => {
    const pids = product.allPids();
    const exit = await product.stop();
    expect(exit).to.deep.equal({ code: 0, signal: null });
    expect(pids.filter(alive)).to.deep.equal([]);
    const shutdown = product.output.slice(product.output.indexOf('[supervisor] stopping every service'));
    expect(shutdown).to.not.contain('restart #');
    expect(shutdown.match(/while stopping/g)).to.have.length(3);
  });
});

describe('npm start and npm run token with NODE_ENV=production', function () {
  this.timeout(60_000);
  const PRODUCTION: AuthConfig = {
    jwtSecret: 'production-like-secret-for-tests-0123456789',
    jwksUrl: null,
    issuer: 'https://login.example.com/',
    audience: 'credits-api-test',
    gatewaySecret: 'production-like-gateway-secret-0123456789',
    production: true,
  };
  const productionEnv = {
    NODE_ENV: 'production',
    AUTH_JWT_SECRET: PRODUCTION.jwtSecret!,
    AUTH_ISSUER: PRODUCTION.issuer,
    AUTH_AUDIENCE: PRODUCTION.audience,
    GATEWAY_SECRET: PRODUCTION.gatewaySecret,
  };

  it('refuses databases that lack migrations until npm run migrate applies them, then loads no demo data and prints no token, but how to authenticate', async () => {
    const setup = await productEnv(productionEnv);
    const refused = new Product(setup.env);
    expect(await refused.exited).to.deep.equal({ code: 1, signal: null });
    expect(refused.output).to.match(/^the AWS database \(.*\) lacks \d+ migration\(s\) \(Initial\d+(, [A-Za-z]+\d+)*\): run `npm run migrate` first/m);
    expect(refused.output).to.not.contain('[supervisor] started');
    const migrate = spawnSync(process.execPath, [MIGRATE], { env: setup.env, encoding: 'utf8' });
    expect(migrate.status, migrate.stderr).to.equal(0);
    expect(migrate.stdout).to.match(/^AWS database \(.*\): applied 2 migration\(s\): Initial\d+, TextSearch\d+\nAzure database \(.*\): applied 2 migration\(s\): Initial\d+, TextSearch\d+\n$/);
    const product = new Product(setup.env);
    try {
      await product.waitFor(/Press Ctrl-C to stop\./, 45_000);
      expect(product.output).to.contain('Cloud credits API ready (production)');
      expect(product.output).to.not.match(A_TOKEN);
      expect(product.output).to.not.contain('demo data (');
      expect(product.output).to.contain('Authorization: Bearer <token>');
      expect(product.output).to.contain(`iss "${PRODUCTION.issuer}", aud "${PRODUCTION.audience}"`);
      expect(product.output).to.contain('npm run ingest');
      const token = await signToken(PRODUCTION, 'operator', ADMIN_CLAIMS as Record<string, unknown>);
      const answer = await graphql(setup.gatewayUrl, `{ credits(first: 10) { nodes { id } } creditSummary { creditCount } }`, {}, token);
      expect(answer.errors).to.equal(undefined);
      expect(answer.data).to.deep.equal({ credits: { nodes: [] }, creditSummary: { creditCount: 0 } });
      // A token signed with the development settings is worth nothing here.
      expect((await graphql(setup.gatewayUrl, `{ __typename }`, {}, await tokenFor(ADMIN_CLAIMS))).status).to.equal(401);
    } finally {
      expect(await product.stop()).to.deep.equal({ code: 0, signal: null });
      fs.rmSync(setup.dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start with development or short settings, naming every problem, before starting any service', async () => {
    const setup = await productEnv({ NODE_ENV: 'production', AUTH_JWT_SECRET: '', AUTH_ISSUER: '', AUTH_AUDIENCE: 'cloud-credits-api', GATEWAY_SECRET: 'x' });
    const product = new Product(setup.env);
    const exit = await product.exited;
    fs.rmSync(setup.dataDir, { recursive: true, force: true });
    expect(exit.code).to.equal(1);
    for (const problem of [
      'AUTH_JWT_SECRET must be set',
      'GATEWAY_SECRET must be at least 32 characters (it has 1)',
      'AUTH_ISSUER must be set',
      'AUTH_AUDIENCE must not be the development value "cloud-credits-api"',
    ]) {
      expect(product.output).to.contain(problem);
    }
    expect(product.output).to.not.contain('[supervisor] started');
    expect(product.output).to.not.match(A_TOKEN);
  });

  it('npm run token refuses in production with a clear message and exit code 1, and still signs in development', () => {
    const production = spawnSync(process.execPath, [TOKEN, 'finops-both-clouds'], { env: { ...cleanEnv(), ...productionEnv }, encoding: 'utf8' });
    expect(production.status).to.equal(1);
    expect(production.stdout).to.equal('');
    expect(production.stderr).to.contain('refused in production (NODE_ENV=production)');
    expect(production.stderr).to.contain('identity provider');

    const development = spawnSync(process.execPath, [TOKEN, 'finops-both-clouds'], { env: cleanEnv(), encoding: 'utf8' });
    expect(development.status).to.equal(0);
    expect(development.stdout.trim()).to.match(new RegExp(`^${A_TOKEN.source}$`));
  });
});

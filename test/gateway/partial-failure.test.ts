/** One provider down or slow: the other cloud still answers, the error names the provider, recovery is automatic. */
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAzureSubgraph } from '../../subgraphs/azure';
import { startGateway } from '../../gateway';
import { TEST_AUTH } from '../support/auth';
import { graphql, Stack, startStack, TEST_NOW } from '../support/stack';

const LIST = `{ credits(first: 100) { nodes { provider } } creditSummary { creditCount } }`;
const BILLING_ACCOUNT =
  '/providers/Microsoft.Billing/billingAccounts/5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31';

describe('partial failure', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack({ providerTimeoutMs: 1500 });
  });
  after(() => stack.stop());

  it('serves the other cloud with an error naming the provider that is down, and recovers when it is back', async () => {
    const healthy = await graphql(stack.gatewayUrl, LIST);
    const awsCount = healthy.data.credits.nodes.filter((c: any) => c.provider === 'AWS').length;
    expect(healthy.errors).to.equal(undefined);

    await stack.azure.stop();
    const degraded = await graphql(stack.gatewayUrl, LIST);
    expect(degraded.data.credits.nodes.map((c: any) => c.provider)).to.deep.equal(Array(awsCount).fill('AWS'));
    expect(degraded.data.creditSummary.creditCount).to.equal(awsCount);
    const codes = (degraded.errors ?? []).map((e) => `${e.extensions?.code} ${e.extensions?.provider}`);
    expect(codes).to.include('PROVIDER_UNAVAILABLE AZURE');

    const ready = await fetch(new URL('/ready', stack.gatewayUrl));
    expect(ready.status).to.equal(503);
    expect(await ready.json()).to.deep.equal({ status: 'degraded', subgraphs: { aws: 'up', azure: 'down' } });
    expect((await fetch(new URL('/health', stack.gatewayUrl))).status).to.equal(200);

    stack.azure = await startAzureSubgraph({ dataDir: stack.dataDir, port: stack.azure.port, clock: () => TEST_NOW, auth: TEST_AUTH });
    const recovered = await graphql(stack.gatewayUrl, LIST);
    expect(recovered.errors).to.equal(undefined);
    expect(recovered.data.credits.nodes.length).to.equal(healthy.data.credits.nodes.length);
    expect((await fetch(new URL('/ready', stack.gatewayUrl))).status).to.equal(200);
  });

  it('keeps the healthy provider\'s native fields when the other subgraph is down, naming the missing one once', async () => {
    const NATIVE = `{
      awsAccount(accountId: "111122223333") { accountId name }
      azureBillingAccount(id: "${BILLING_ACCOUNT}") { id displayName }
      credits(first: 3) { nodes { provider } }
    }`;
    const healthy = await graphql(stack.gatewayUrl, NATIVE);
    expect(healthy.errors).to.equal(undefined);
    expect(healthy.data.azureBillingAccount.id).to.equal(BILLING_ACCOUNT);

    await stack.azure.stop();
    try {
      const degraded = await graphql(stack.gatewayUrl, NATIVE);
      expect(degraded.status).to.equal(200);
      expect(degraded.data.awsAccount).to.deep.equal(healthy.data.awsAccount);
      expect(degraded.data.azureBillingAccount).to.equal(null);
      expect(degraded.data.credits.nodes.every((c: any) => c.provider === 'AWS')).to.equal(true);
      // The native fetch and the credits layer both missed Azure: one error says so, with why.
      const unavailable = (degraded.errors ?? []).filter((e) => e.extensions?.code === 'PROVIDER_UNAVAILABLE');
      expect(unavailable.map((e) => [e.extensions?.provider, e.extensions?.reason])).to.deep.equal([['AZURE', 'UNREACHABLE']]);
      expect(JSON.stringify(degraded.errors)).to.not.match(/fetch failed|127\.0\.0\.1|ECONNREFUSED/);
    } finally {
      stack.azure = await startAzureSubgraph({ dataDir: stack.dataDir, port: stack.azure.port, clock: () => TEST_NOW, auth: TEST_AUTH });
    }
    expect((await graphql(stack.gatewayUrl, NATIVE)).errors).to.equal(undefined);
  });

  it('gives up on a subgraph answer over the byte cap with a typed error, keeping the rest', async () => {
    const gateway = await startGateway({ port: 0, subgraphUrls: { aws: stack.aws.url, azure: stack.azure.url }, clock: () => TEST_NOW, auth: TEST_AUTH, maxResponseBytes: 4096 });
    try {
      // The AWS account's native record is small; the Azure billing account with its profiles is not.
      const result = await graphql(gateway.url, `{
        awsAccount(accountId: "111122223333") { accountId }
        azureBillingAccount(id: "${BILLING_ACCOUNT}") { id displayName billingProfiles { nodes { id displayName invoiceSections { nodes { id displayName } } lots { nodes { id name source status startDate expirationDate } } } } }
      }`);
      expect(result.data.awsAccount).to.deep.equal({ accountId: '111122223333' });
      expect(result.data.azureBillingAccount).to.equal(null);
      const error = result.errors?.find((e) => e.extensions?.code === 'PROVIDER_UNAVAILABLE');
      expect(error?.extensions).to.deep.equal({ code: 'PROVIDER_UNAVAILABLE', provider: 'AZURE', reason: 'RESPONSE_TOO_LARGE' });
      expect(error?.message).to.match(/larger than 4 KiB/);
      expect((await fetch(new URL('/health', gateway.url))).status).to.equal(200);
    } finally {
      await gateway.stop();
    }
  });

  it('says a provider is missing, not that the caller is unauthenticated, when a subgraph refuses the gateway itself', async () => {
    // A gateway whose GATEWAY_SECRET differs from the subgraphs': they answer it 401 after it verified the token.
    const gateway = await startGateway({ port: 0, subgraphUrls: { aws: stack.aws.url, azure: stack.azure.url }, clock: () => TEST_NOW, auth: { ...TEST_AUTH, gatewaySecret: 'another-gateway-secret-another-gateway' } });
    try {
      const result = await graphql(gateway.url, `{ awsAccount(accountId: "111122223333") { accountId } }`);
      expect(result.status).to.equal(200);
      expect(result.data).to.deep.equal({ awsAccount: null });
      expect(result.errors?.map((e) => e.extensions)).to.deep.equal([{ code: 'PROVIDER_UNAVAILABLE', provider: 'AWS', reason: 'FAILED' }]);
      expect(result.errors?.[0].message).to.match(/HTTP 401/);
    } finally {
      await gateway.stop();
    }
  });

  it('gives up on a provider that does not answer within the timeout', async () => {
    const silent = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
    const gateway = await startGateway({ port: 0, subgraphUrls: { aws: stack.aws.url, azure: silentUrl }, clock: () => TEST_NOW, auth: TEST_AUTH, providerTimeoutMs: 300 });
    try {
      const started = Date.now();
      const result = await graphql(gateway.url, LIST);
      expect(Date.now() - started).to.be.below(5000);
      expect(result.data.credits.nodes.length).to.be.greaterThan(0);
      expect(result.data.credits.nodes.every((c: any) => c.provider === 'AWS')).to.equal(true);
      expect(result.errors?.map((e) => e.extensions?.provider)).to.deep.equal(['AZURE']);
      expect(result.errors?.[0].extensions?.reason).to.equal('TIMEOUT');
      const native = await graphql(gateway.url, `{ awsAccount(accountId: "111122223333") { accountId } azureBillingAccount(id: "${BILLING_ACCOUNT}") { id } }`);
      expect(Date.now() - started).to.be.below(5000);
      expect(native.data).to.deep.equal({ awsAccount: { accountId: '111122223333' }, azureBillingAccount: null });
      expect(native.errors?.map((e) => [e.extensions?.code, e.extensions?.provider, e.extensions?.reason])).to.deep.equal([['PROVIDER_UNAVAILABLE', 'AZURE', 'TIMEOUT']]);
      // Identical queries in flight at once share one answer (gateway/identical-queries.ts): the
      // callers who joined the first are told about the missing provider too.
      const sharedBefore = gateway.identicalQueries.shared;
      const together = await Promise.all([1, 2, 3].map(() => graphql(gateway.url, LIST)));
      expect(gateway.identicalQueries.shared - sharedBefore).to.equal(2);
      for (const answer of together) {
        expect(answer.data).to.deep.equal(result.data);
        expect(answer.errors?.map((e) => e.extensions?.provider)).to.deep.equal(['AZURE']);
      }
    } finally {
      await gateway.stop();
      silent.closeAllConnections();
      silent.close();
    }
  });
});

/** One provider down or slow: the other cloud still answers, the error names the provider, recovery is automatic. */
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAzureSubgraph } from '../../subgraphs/azure';
import { startGateway } from '../../gateway';
import { TEST_AUTH } from '../support/auth';
import { graphql, Stack, startStack, TEST_NOW } from '../support/stack';

const LIST = `{ credits(first: 100) { nodes { provider } } creditSummary { creditCount } }`;

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

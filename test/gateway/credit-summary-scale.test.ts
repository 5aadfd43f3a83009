/**
 * creditSummary over a provider with many credits (20,000 generated into a temporary database),
 * through a gateway that reads at most 64 KiB of a provider's answer: the old path (every credit
 * read whole through the contract) is cut off by that bound, the providers' totals are not, and
 * they are the totals the old path would have given.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { startGateway } from '../../gateway';
import { formatProblem, ingestFiles } from '../../lib/store/ingest';
import { ProviderUnavailableError } from '../../lib/api/provider-http';
import type { RunningServer } from '../../lib/platform/server';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { startAwsSubgraph } from '../../subgraphs/aws';
import { startAzureSubgraph } from '../../subgraphs/azure';
import { TEST_AUTH, tokenFor } from '../support/auth';
import { asGraphQL, FULL_SUMMARY, oldCreditSummary } from '../support/reference-summary';
import { ADMIN_CLAIMS, DEMO_DIR, graphql, tempDir, TEST_NOW } from '../support/stack';

const GENERATED = 20_000;
const MAX_RESPONSE_BYTES = 64 * 1024;
const NOW = TEST_NOW.toISOString();
const DAY_S = 86_400;
const MIDNIGHT_S = Math.floor(TEST_NOW.getTime() / 1000 / DAY_S) * DAY_S;

/** Credit i of the payer's organization: exact cents, every 5th paused, expiring from 20 days ago to 179 days ahead. */
function generatedCredit(i: number) {
  const cents = BigInt(100 + ((i * 7919) % 100_000));
  const amount = { currencyCode: 'USD', currencyAmount: `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}` };
  return {
    creditId: String(70_000_000_000 + i),
    accountId: i % 2 === 0 ? '111122223333' : '444455556666',
    creditType: 'Promotion',
    description: `Generated credit ${i}`,
    initialAmount: amount,
    remainingAmount: amount,
    estimatedAmount: amount,
    applicableProductNames: [],
    startDate: MIDNIGHT_S - 400 * DAY_S,
    endDate: MIDNIGHT_S + ((i % 200) - 20) * DAY_S,
    accountHasCreditSharingEnabled: true,
    creditConsoleVisibility: 'VISIBLE',
    creditSharingType: 'DEFAULT',
    creditStatus: i % 5 === 0 ? 'DISABLED' : 'ENABLED',
  };
}

describe('creditSummary over 20,000 credits of one provider, through a 64 KiB read bound', () => {
  let dataDir: string;
  let aws: RunningServer;
  let azure: RunningServer;
  let gateway: RunningServer;
  let token: string;
  const urls = () => ({ AWS: aws.url, AZURE: azure.url });

  before(async function () {
    this.timeout(180_000);
    token = await tokenFor(ADMIN_CLAIMS, 'finops');
    dataDir = tempDir('credit-summary-scale');
    const file = path.join(dataDir, 'get-credits-generated.json');
    fs.writeFileSync(file, JSON.stringify({ credits: Array.from({ length: GENERATED }, (_, i) => generatedCredit(i)) }));
    const loaded = await ingestFiles([path.join(DEMO_DIR, 'aws', 'organizations-list-accounts.json'), file, path.join(DEMO_DIR, 'azure')], path.join(dataDir, 'data'), PROVIDER_INGESTS);
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
    const clock = () => TEST_NOW;
    aws = await startAwsSubgraph({ dataDir: path.join(dataDir, 'data'), port: 0, clock, auth: TEST_AUTH });
    azure = await startAzureSubgraph({ dataDir: path.join(dataDir, 'data'), port: 0, clock, auth: TEST_AUTH });
    gateway = await startGateway({ port: 0, subgraphUrls: { aws: aws.url, azure: azure.url }, clock, auth: TEST_AUTH, maxResponseBytes: MAX_RESPONSE_BYTES, providerTimeoutMs: 30_000 });
  });
  after(async () => {
    await gateway?.stop();
    await aws?.stop();
    await azure?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('the old path, every credit read whole, is cut off by the bound', async () => {
    const error = await oldCreditSummary(urls(), ADMIN_CLAIMS, { providers: ['AWS'] }, NOW, MAX_RESPONSE_BYTES).then(() => null, (e) => e);
    expect(error).to.be.instanceOf(ProviderUnavailableError);
    expect(error.reason).to.equal('RESPONSE_TOO_LARGE');
  });

  it('answers from the providers\' totals, exactly what the old path gives when nothing bounds it', async function () {
    this.timeout(120_000);
    const started = Date.now();
    const answer = await graphql(gateway.url, FULL_SUMMARY, { filter: {} }, token);
    const elapsed = Date.now() - started;
    expect(answer.errors, JSON.stringify(answer.errors)).to.equal(undefined);
    const summary = answer.data.creditSummary;
    expect(summary).to.deep.equal(asGraphQL(await oldCreditSummary(urls(), ADMIN_CLAIMS, {}, NOW)));

    // Counted independently of both computations, from the generator.
    let cents = 0n;
    for (let i = 0; i < GENERATED; i++) cents += BigInt(100 + ((i * 7919) % 100_000));
    const generatedUsd = summary.totals.find((t: any) => t.provider === 'AWS' && t.currencyCode === 'USD');
    expect(generatedUsd.creditCount).to.equal(GENERATED);
    expect(generatedUsd.originalAmount.amount).to.equal(`${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`);
    // Expired: (i % 200) - 20 days at most 0, 21 of every 200 (the one expiring at midnight today expired this morning); the rest are usable.
    expect(generatedUsd.usableCreditCount).to.equal(GENERATED - (GENERATED / 200) * 21);
    expect(elapsed, 'one summary of 20,000 credits').to.be.below(30_000);
  });

  it('answers filtered totals, and several at once, within the bound', async function () {
    this.timeout(120_000);
    const filters = [{ providers: ['AWS'], statuses: ['PAUSED'] }, { ownerIds: ['444455556666'] }, { expiresBefore: '2027-01-01T00:00:00Z' }];
    const answers = await Promise.all(filters.map((filter) => graphql(gateway.url, FULL_SUMMARY, { filter }, token)));
    for (const [i, answer] of answers.entries()) {
      expect(answer.errors, JSON.stringify(answer.errors)).to.equal(undefined);
      expect(answer.data.creditSummary, JSON.stringify(filters[i])).to.deep.equal(asGraphQL(await oldCreditSummary(urls(), ADMIN_CLAIMS, filters[i] as never, NOW)));
    }
    // Every 5th generated credit is paused unless it has expired; every other one is the linked account's.
    const expectedPaused = Array.from({ length: GENERATED }, (_, i) => i).filter((i) => i % 5 === 0 && (i % 200) - 20 > 0).length;
    expect(answers[0].data.creditSummary.statusCounts.find((s: any) => s.status === 'PAUSED').count).to.equal(expectedPaused);
    expect(answers[0].data.creditSummary.creditCount).to.equal(expectedPaused);
    expect(answers[1].data.creditSummary.creditCount).to.equal(GENERATED / 2);
  });
});

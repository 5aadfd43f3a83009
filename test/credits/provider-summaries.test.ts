/**
 * creditSummary from the providers' own totals (the contract's summarizeCredits): on the demo data
 * the answer is the one the old computation (every credit read whole, summed in the credits layer)
 * gives, for every persona and filter; only totals cross the contract; the request is checked like
 * the others; one provider down still leaves the other's totals.
 */
import { expect } from 'chai';
import { PERSONAS } from '../../lib/platform/auth/personas';
import { CONTRACT_PATHS, PROVIDERS } from '../../lib/domain/provider-contract';
import { startAzureSubgraph } from '../../subgraphs/azure';
import { gatewayHeaders, TEST_AUTH, TestClaims, tokenFor } from '../support/auth';
import { asGraphQL, FULL_SUMMARY, oldCreditSummary, SummaryFilter } from '../support/reference-summary';
import { ADMIN_CLAIMS, graphql, query, Stack, startStack, TEST_NOW } from '../support/stack';

const NOW = TEST_NOW.toISOString();
const DEVELOPMENT =
  '/providers/Microsoft.Billing/billingAccounts/5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31/billingProfiles/PBFV-AB12-CD3-EF4';

const CALLERS: [string, TestClaims][] = [
  ...PERSONAS.map((p): [string, TestClaims] => [p.name, p.claims as TestClaims]),
  ['nobody', {}],
];

const FILTERS: SummaryFilter[] = [
  {},
  { providers: ['AWS'] },
  { providers: ['AZURE'] },
  { providers: [] },
  { statuses: ['ACTIVE', 'PAUSED', 'NOT_STARTED'] },
  { statuses: ['EXPIRED', 'CANCELED', 'EXHAUSTED'] },
  { statuses: [] },
  { currencyCodes: ['EUR'] },
  { currencyCodes: ['USD'], providers: ['AZURE'] },
  { search: 'credit' },
  { expiresBefore: '2027-03-01T00:00:00Z' },
  { ownerIds: ['111122223333', DEVELOPMENT] },
  { statuses: ['ACTIVE'], expiresBefore: '2027-12-31T00:00:00.000Z', search: 'a' },
];

describe('creditSummary from the providers\' totals', () => {
  let stack: Stack;
  const urls = () => ({ AWS: stack.aws.url, AZURE: stack.azure.url });

  before(async () => {
    stack = await startStack();
  });
  after(() => stack.stop());

  it('answers exactly what summing every credit in the credits layer answered, for every persona and filter', async function () {
    this.timeout(120_000);
    let compared = 0;
    const currencies = new Set<string>();
    for (const [name, claims] of CALLERS) {
      const token = await tokenFor(claims, name);
      for (const filter of FILTERS) {
        const expected = asGraphQL(await oldCreditSummary(urls(), claims, filter, NOW));
        const { creditSummary } = await query(stack.gatewayUrl, FULL_SUMMARY, { filter }, token);
        expect(creditSummary, `${name} ${JSON.stringify(filter)}`).to.deep.equal(expected);
        for (const t of expected.totals) currencies.add(`${t.provider} ${t.currencyCode}`);
        if (expected.expiring.length > 0) compared += 1;
      }
    }
    // The comparison is not of empty answers: several clouds and currencies, and expiring credits.
    expect([...currencies].sort()).to.include.members(['AWS USD', 'AZURE EUR', 'AZURE USD']);
    expect(compared).to.be.greaterThan(10);
  });

  it('the contract answers a provider\'s totals for the caller, never its credits', async () => {
    for (const provider of PROVIDERS) {
      const url = new URL(CONTRACT_PATHS.summarizeCredits, provider === 'AWS' ? stack.aws.url : stack.azure.url);
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...(await gatewayHeaders(PERSONAS.find((p) => p.name === 'finops-both-clouds')!.claims as TestClaims)), 'content-type': 'application/json' },
        body: JSON.stringify({ filter: {}, now: NOW }),
      });
      expect(response.status).to.equal(200);
      const body = (await response.json()) as any;
      expect(Object.keys(body)).to.deep.equal(['summary']);
      expect(Object.keys(body.summary).sort()).to.deep.equal(['creditCount', 'expiring', 'statusCounts', 'totals']);
      expect(body.summary.creditCount).to.be.greaterThan(0);
      expect(body.summary.totals.every((t: any) => t.provider === provider)).to.equal(true);
      expect(JSON.stringify(body)).to.not.contain('providerCreditId');
    }
  });

  it('refuses a malformed summary request with a 400 naming the field', async () => {
    const headers = { ...(await gatewayHeaders({ aws: { accountIds: ['111122223333'] } })), 'content-type': 'application/json' };
    const cases: [unknown, RegExp][] = [
      [{ filter: {} }, /^now must be an ISO-8601 date-time/],
      [{ filter: {}, now: 'today' }, /^now must be/],
      [{ filter: 'everything', now: NOW }, /^filter must be an object/],
      [{ filter: { statuses: ['GONE'] }, now: NOW }, /^filter\.statuses must be a list of ACTIVE/],
      [{ filter: { currencyCodes: 'USD' }, now: NOW }, /^filter\.currencyCodes must be a list of strings/],
      [{ filter: { ownerIds: Array(1001).fill('x') }, now: NOW }, /^filter\.ownerIds holds more than 1000 values/],
      [{ filter: { expiresBefore: 'soon' }, now: NOW }, /^filter\.expiresBefore must be an ISO-8601 date-time/],
      [{ filter: { search: 7 }, now: NOW }, /^filter\.search must be a string/],
    ];
    for (const [body, message] of cases) {
      const response = await fetch(new URL(CONTRACT_PATHS.summarizeCredits, stack.aws.url), { method: 'POST', headers, body: JSON.stringify(body) });
      expect(response.status, JSON.stringify(body)).to.equal(400);
      const answer = (await response.json()) as any;
      expect(answer.error.code).to.equal('BAD_REQUEST');
      expect(answer.error.message, JSON.stringify(body)).to.match(message);
    }
  });

  it('with one provider down, answers the other\'s totals and names the missing one', async () => {
    // The stack's default token is ADMIN_CLAIMS's: both clouds.
    const expected = asGraphQL(await oldCreditSummary(urls(), ADMIN_CLAIMS, { providers: ['AWS'] }, NOW));
    await stack.azure.stop();
    try {
      const degraded = await graphql(stack.gatewayUrl, FULL_SUMMARY, { filter: {} });
      expect(degraded.data?.creditSummary).to.deep.equal(expected);
      expect(degraded.errors?.map((e) => [e.extensions?.code, e.extensions?.provider, e.extensions?.reason])).to.deep.equal([['PROVIDER_UNAVAILABLE', 'AZURE', 'UNREACHABLE']]);
      // Only Azure asked for, and Azure down: nothing to answer with, and the error says why.
      const none = await graphql(stack.gatewayUrl, FULL_SUMMARY, { filter: { providers: ['AZURE'] } });
      expect(none.data).to.equal(null);
      expect(none.errors?.map((e) => [e.extensions?.code, e.extensions?.provider])).to.deep.equal([['PROVIDER_UNAVAILABLE', 'AZURE']]);
    } finally {
      stack.azure = await startAzureSubgraph({ dataDir: stack.dataDir, port: stack.azure.port, clock: () => TEST_NOW, auth: TEST_AUTH });
    }
    const recovered = await graphql(stack.gatewayUrl, FULL_SUMMARY, { filter: {} });
    expect(recovered.errors).to.equal(undefined);
    expect(recovered.data?.creditSummary).to.deep.equal(asGraphQL(await oldCreditSummary(urls(), ADMIN_CLAIMS, {}, NOW)));
  });
});

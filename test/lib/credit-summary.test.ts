/**
 * lib/domain/credit-summary.ts against the old computation (test/support/reference-summary.ts) over random
 * credits: summing one at a time, merging the providers' parts and reading in pages all give what
 * summing the whole list gave, down to the places each sum is written with.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { comparePositions, positionOf } from '../../lib/domain/credit-order';
import { CreditSummaryBuilder, mergeCreditSummaries, summarizeCredits, summarizeInPages } from '../../lib/domain/credit-summary';
import { CREDIT_STATUSES, CreditOrder, NormalizedCredit, ProviderName, SearchCreditsRequest } from '../../lib/domain/provider-contract';
import { referenceSummary } from '../support/reference-summary';

const NOW = '2026-11-22T12:00:00.000Z';
const DAY = 86_400_000;

const amount = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 10 }))
  .map(([units, places]) => {
    const text = units.toString().padStart(places + 1, '0');
    return places === 0 ? text : `${text.slice(0, -places)}.${text.slice(-places)}`;
  });

const credit = fc
  .record({
    provider: fc.constantFrom<ProviderName>('AWS', 'AZURE'),
    id: fc.integer({ min: 0, max: 1_000_000 }),
    currency: fc.constantFrom('USD', 'EUR', 'JPY', 'BHD'),
    status: fc.constantFrom(...CREDIT_STATUSES),
    original: amount,
    remaining: fc.oneof(amount, fc.constant('0'), fc.constant('0.00')),
    estimated: amount,
    // From 10 days ago to 120 days ahead, often exactly at a window's edge, or never.
    expiresInMs: fc.option(fc.oneof(fc.integer({ min: -10 * DAY, max: 120 * DAY }), fc.constantFrom(0, 30 * DAY, 30 * DAY + 1, 60 * DAY, 90 * DAY, 90 * DAY + 1)), { nil: null }),
  })
  .map((c): NormalizedCredit => {
    const m = (a: string) => ({ amount: a, currencyCode: c.currency });
    return {
      provider: c.provider,
      providerCreditId: `${c.provider}-${c.id}`,
      name: 'c',
      type: 'OTHER',
      providerType: 'x',
      status: c.status,
      providerStatus: null,
      originalAmount: m(c.original),
      remainingBalance: m(c.remaining),
      estimatedBalance: m(c.estimated),
      expiredAmount: m('0'),
      originalAmountInBillingCurrency: null,
      remainingBalanceInBillingCurrency: null,
      startsAt: null,
      expiresAt: c.expiresInMs === null ? null : new Date(Date.parse(NOW) + c.expiresInMs).toISOString(),
      applicableServices: [],
      owner: { kind: 'AWS_ACCOUNT', id: 'o', name: null },
      sharing: { scope: 'ORGANIZATION', accounts: [], accountCount: 0, costCategory: null, invoiceSections: [], invoiceSectionCount: 0 },
    };
  });

/** Distinct ids, as a provider's credits have. */
const credits = fc.uniqueArray(credit, { maxLength: 60, selector: (c) => c.providerCreditId });

const BY_EXPIRY: CreditOrder = { field: 'EXPIRES_AT', direction: 'ASC' };
const sortedByExpiry = (list: NormalizedCredit[]) => [...list].sort((a, b) => comparePositions(positionOf(a, 'EXPIRES_AT'), positionOf(b, 'EXPIRES_AT'), BY_EXPIRY));

describe('lib/domain/credit-summary', () => {
  it('sums credits one at a time into exactly what summing the whole list gave', () => {
    fc.assert(
      fc.property(credits, (list) => {
        expect(summarizeCredits(list, NOW)).to.deep.equal(referenceSummary(list, NOW));
      }),
      { numRuns: 300 },
    );
  });

  it('merging the parts of consecutive slices of the list gives what summing the whole list gave', () => {
    fc.assert(
      fc.property(credits, fc.array(fc.nat(60), { maxLength: 4 }), (list, cuts) => {
        const bounds = [0, ...[...cuts].sort((a, b) => a - b).map((c) => Math.min(c, list.length)), list.length];
        const parts = bounds.slice(1).map((end, i) => summarizeCredits(list.slice(bounds[i], end), NOW));
        expect(mergeCreditSummaries(parts)).to.deep.equal(referenceSummary(list, NOW));
      }),
      { numRuns: 300 },
    );
  });

  it('merges each provider\'s part, in the providers\' order, into the totals of both lists one after the other', () => {
    fc.assert(
      fc.property(credits, (list) => {
        const aws = sortedByExpiry(list.filter((c) => c.provider === 'AWS'));
        const azure = sortedByExpiry(list.filter((c) => c.provider === 'AZURE'));
        const merged = mergeCreditSummaries([summarizeCredits(aws, NOW), summarizeCredits(azure, NOW)]);
        expect(merged).to.deep.equal(referenceSummary([...aws, ...azure], NOW));
        // Amounts of different currencies are never added: one total per provider and currency.
        const keys = merged.totals.map((t) => `${t.provider} ${t.currencyCode}`);
        expect(new Set(keys).size).to.equal(keys.length);
      }),
      { numRuns: 300 },
    );
  });

  it('a provider reading its credits a page at a time, soonest expiry first, gets what summing them all gave', async () => {
    await fc.assert(
      fc.asyncProperty(credits, fc.integer({ min: 1, max: 8 }), async (list, pageSize) => {
        const sorted = sortedByExpiry(list);
        const requests: SearchCreditsRequest[] = [];
        // An in-memory searchCredits: the credits strictly after the position, at most `limit`.
        const search = async (request: SearchCreditsRequest) => {
          requests.push(request);
          const after = request.after;
          const rest = after ? sorted.filter((c) => comparePositions(positionOf(c, 'EXPIRES_AT'), after, request.order) > 0) : sorted;
          return rest.slice(0, request.limit ?? undefined);
        };
        const summary = await summarizeInPages(search, { filter: { statuses: null }, now: NOW }, pageSize);
        expect(summary).to.deep.equal(referenceSummary(sorted, NOW));
        // Never the whole list in one read: every request is a bounded page, in the EXPIRES_AT order.
        expect(requests.every((r) => r.limit === pageSize && r.order.field === 'EXPIRES_AT' && r.order.direction === 'ASC')).to.equal(true);
        expect(requests).to.have.length(Math.floor(sorted.length / pageSize) + 1);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the places of the most precise amount and never rounds', () => {
    const [a, b] = fc.sample(credit, { numRuns: 2, seed: 7 });
    const one = { ...a, provider: 'AWS' as const, status: 'ACTIVE' as const, remainingBalance: { amount: '0.1', currencyCode: 'USD' }, estimatedBalance: { amount: '1', currencyCode: 'USD' } };
    const two = { ...b, provider: 'AWS' as const, status: 'ACTIVE' as const, remainingBalance: { amount: '0.2000000000', currencyCode: 'USD' }, estimatedBalance: { amount: '2', currencyCode: 'USD' } };
    const merged = mergeCreditSummaries([summarizeCredits([one], NOW), summarizeCredits([two], NOW)]);
    expect([merged.totals[0].usableBalance, merged.totals[0].usableEstimatedBalance]).to.deep.equal(['0.3000000000', '3']);
    expect(new CreditSummaryBuilder(NOW).result()).to.deep.equal(referenceSummary([], NOW));
  });

  it('refuses a page size that could never end', async () => {
    const search = async () => [] as NormalizedCredit[];
    for (const size of [0, -1, 1.5]) {
      const error = await summarizeInPages(search, { filter: {}, now: NOW }, size).then(() => null, (e) => e);
      expect(error, String(size)).to.be.instanceOf(RangeError);
    }
  });
});

/** Cross-cloud listing through the gateway: every filter, every order, pagination. */
import { expect } from 'chai';
import { addDecimal, compareDecimal } from '../../lib/money';
import { compareText } from '../../lib/credit-order';
import { graphql, query, Stack, startStack, TEST_NOW } from '../support/stack';

const CREDIT_FIELDS = `id provider providerCreditId name type providerType status expiringSoon expiresAt startsAt
  remainingBalance { amount currencyCode } owner { kind id name }`;

const PAGE = `query Page($filter: CreditFilter, $orderBy: CreditOrder, $first: Int, $after: String) {
  credits(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    edges { cursor node { ${CREDIT_FIELDS} } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface ListedCredit {
  id: string;
  provider: string;
  providerCreditId: string;
  name: string;
  status: string;
  expiresAt: string | null;
  remainingBalance: { amount: string; currencyCode: string };
  owner: { id: string };
  providerType: string;
}

async function listAll(url: string, variables: Record<string, unknown>, first: number): Promise<ListedCredit[]> {
  const all: ListedCredit[] = [];
  let after: string | null = null;
  for (let i = 0; i < 200; i++) {
    const data: any = await query(url, PAGE, { ...variables, first, after });
    const { edges, pageInfo } = data.credits;
    expect(edges.length).to.be.at.most(first);
    expect(pageInfo.hasPreviousPage).to.equal(after !== null);
    all.push(...edges.map((e: any) => e.node));
    if (!pageInfo.hasNextPage) break;
    expect(edges.length).to.equal(first);
    after = pageInfo.endCursor;
  }
  return all;
}

describe('credits through the gateway: listing', function () {
  let stack: Stack;
  let everything: ListedCredit[];

  before(async () => {
    stack = await startStack();
    everything = await listAll(stack.gatewayUrl, {}, 100);
  });
  after(() => stack.stop());

  it('lists the credits of both clouds in one connection', () => {
    const providers = new Set(everything.map((c) => c.provider));
    expect([...providers].sort()).to.deep.equal(['AWS', 'AZURE']);
    expect(everything.length).to.be.greaterThan(10);
    expect(new Set(everything.map((c) => c.id)).size).to.equal(everything.length);
  });

  const keyOf: Record<string, (c: ListedCredit) => string> = {
    EXPIRES_AT: (c) => c.expiresAt ?? '~',
    NAME: (c) => c.name,
  };

  for (const field of ['EXPIRES_AT', 'REMAINING_BALANCE', 'NAME']) {
    for (const direction of ['ASC', 'DESC']) {
      it(`orders by ${field} ${direction} and pages of 3 never repeat or skip a credit`, async () => {
        const listed = await listAll(stack.gatewayUrl, { orderBy: { field, direction } }, 3);
        expect(listed.map((c) => c.id).sort()).to.deep.equal(everything.map((c) => c.id).sort());
        const sign = direction === 'ASC' ? 1 : -1;
        for (let i = 1; i < listed.length; i++) {
          const [a, b] = [listed[i - 1], listed[i]];
          const cmp =
            field === 'REMAINING_BALANCE'
              ? compareDecimal(a.remainingBalance.amount, b.remainingBalance.amount)
              : compareText(keyOf[field](a), keyOf[field](b));
          expect(sign * cmp, `${a.name} before ${b.name}`).to.be.at.most(0);
        }
      });
    }
  }

  it('defaults to soonest expiry first, never-expiring last', async () => {
    const listed = await listAll(stack.gatewayUrl, {}, 100);
    const expiries = listed.map((c) => c.expiresAt ?? '~');
    expect(expiries).to.deep.equal([...expiries].sort(compareText));
  });

  const filters: [string, Record<string, unknown>, (c: ListedCredit) => boolean][] = [
    ['provider AWS', { providers: ['AWS'] }, (c) => c.provider === 'AWS'],
    ['provider AZURE', { providers: ['AZURE'] }, (c) => c.provider === 'AZURE'],
    ['status ACTIVE', { statuses: ['ACTIVE'] }, (c) => c.status === 'ACTIVE'],
    ['statuses EXPIRED or PAUSED', { statuses: ['EXPIRED', 'PAUSED'] }, (c) => ['EXPIRED', 'PAUSED'].includes(c.status)],
    ['currency EUR', { currencyCodes: ['EUR'] }, (c) => c.remainingBalance.currencyCode === 'EUR'],
    ['expiring before 2027-01-01', { expiresBefore: '2027-01-01T00:00:00.000Z' }, (c) => c.expiresAt !== null && c.expiresAt < '2027-01-01T00:00:00.000Z'],
    ['search "promo" (case-insensitive)', { search: 'PROMO' }, (c) => [c.name, c.providerCreditId, c.providerType].some((t) => t.toLowerCase().includes('promo'))],
    ['an empty status list matches nothing', { statuses: [] }, () => false],
  ];
  for (const [title, filter, predicate] of filters) {
    it(`filters by ${title}`, async () => {
      const listed = await listAll(stack.gatewayUrl, { filter }, 4);
      const expected = everything.filter(predicate);
      if (title !== 'an empty status list matches nothing') expect(expected.length, 'the demo data has such credits').to.be.greaterThan(0);
      expect(listed.map((c) => c.id).sort()).to.deep.equal(expected.map((c) => c.id).sort());
    });
  }

  it('filters by owner (an AWS account and an Azure billing profile together)', async () => {
    const owners = [everything.find((c) => c.provider === 'AWS')!.owner.id, everything.find((c) => c.provider === 'AZURE')!.owner.id];
    const listed = await listAll(stack.gatewayUrl, { filter: { ownerIds: owners } }, 5);
    expect(listed.map((c) => c.id).sort()).to.deep.equal(everything.filter((c) => owners.includes(c.owner.id)).map((c) => c.id).sort());
    expect(new Set(listed.map((c) => c.provider)).size).to.equal(2);
  });

  it('combines filters with AND', async () => {
    const listed = await listAll(stack.gatewayUrl, { filter: { providers: ['AWS'], statuses: ['ACTIVE', 'PAUSED'] } }, 100);
    const expected = everything.filter((c) => c.provider === 'AWS' && ['ACTIVE', 'PAUSED'].includes(c.status));
    expect(listed.map((c) => c.id).sort()).to.deep.equal(expected.map((c) => c.id).sort());
  });

  it('covers every status in the demo data, as of the test clock', () => {
    const statuses = new Set(everything.map((c) => c.status));
    for (const s of ['ACTIVE', 'PAUSED', 'EXHAUSTED', 'EXPIRED', 'NOT_STARTED', 'CANCELED']) expect(statuses, s).to.include(s);
    expect(TEST_NOW.toISOString()).to.equal('2026-11-22T12:00:00.000Z');
  });

  it('caps first at 100 with a typed error', async () => {
    const result = await graphql(stack.gatewayUrl, PAGE, { first: 101 });
    expect(result.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    expect(result.errors?.[0].message).to.match(/"first" must be a whole number from 0 to 100/);
  });

  it('refuses a cursor from another order and a forged cursor', async () => {
    const first: any = await query(stack.gatewayUrl, PAGE, { first: 2, orderBy: { field: 'NAME', direction: 'ASC' } });
    const cursor = first.credits.pageInfo.endCursor;
    const other = await graphql(stack.gatewayUrl, PAGE, { first: 2, after: cursor, orderBy: { field: 'NAME', direction: 'DESC' } });
    expect(other.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    expect(other.errors?.[0].message).to.match(/ordered by NAME ASC/);
    const forged = await graphql(stack.gatewayUrl, PAGE, { first: 2, after: "'; DROP TABLE credits; --" });
    expect(forged.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
  });

  it('summarizes exactly what the list holds', async () => {
    const data: any = await query(
      stack.gatewayUrl,
      `{ creditSummary { creditCount totals { provider currencyCode creditCount remainingBalance { amount currencyCode } }
         statusCounts { status count } expiring { withinDays provider creditCount remainingBalance { amount currencyCode } } } }`,
    );
    const summary = data.creditSummary;
    expect(summary.creditCount).to.equal(everything.length);
    expect(summary.statusCounts.reduce((n: number, s: any) => n + s.count, 0)).to.equal(everything.length);
    for (const total of summary.totals) {
      const members = everything.filter((c) => c.provider === total.provider && c.remainingBalance.currencyCode === total.currencyCode);
      expect(total.creditCount).to.equal(members.length);
      const sum = members.reduce((s, c) => addDecimal(s, c.remainingBalance.amount), '0');
      expect(compareDecimal(total.remainingBalance.amount, sum), `${total.provider} ${total.currencyCode}`).to.equal(0);
    }
    // Expiring windows, computed here from the listed credits' own fields.
    const now = TEST_NOW.toISOString();
    for (const days of [30, 60, 90]) {
      const horizon = new Date(TEST_NOW.getTime() + days * 86_400_000).toISOString();
      const expiring = everything.filter(
        (c) => ['ACTIVE', 'PAUSED', 'NOT_STARTED'].includes(c.status) && c.expiresAt !== null && c.expiresAt > now && c.expiresAt <= horizon &&
          compareDecimal(c.remainingBalance.amount, '0') > 0,
      );
      const rows = summary.expiring.filter((e: any) => e.withinDays === days);
      expect(rows.reduce((n: number, e: any) => n + e.creditCount, 0), `${days} days`).to.equal(expiring.length);
      for (const row of rows) {
        const members = expiring.filter((c) => c.provider === row.provider && c.remainingBalance.currencyCode === row.remainingBalance.currencyCode);
        const sum = members.reduce((s, c) => addDecimal(s, c.remainingBalance.amount), '0');
        expect(compareDecimal(row.remainingBalance.amount, sum), `${days} days ${row.provider}`).to.equal(0);
      }
    }
    // From demo/README.md: within 30 days of 2026-11-22 expire AWS credit 90000000007
    // (3422.9688363694 USD left after the final months, 2026-12-15) and Azure lots G100200301
    // (6000.00 USD, 2026-12-10: nothing final reaches it, later-expiring lots pay first) and G200300402
    // (10000.00 USD, 2026-12-20: a USD lot on the EUR profile pays no EUR charge): 6000.00 + 10000.00 = 16000.00.
    const within30 = summary.expiring.filter((e: any) => e.withinDays === 30).map((e: any) => [e.provider, e.creditCount, e.remainingBalance]);
    expect(within30).to.deep.equal([
      ['AWS', 1, { amount: '3422.9688363694', currencyCode: 'USD' }],
      ['AZURE', 2, { amount: '16000.00', currencyCode: 'USD' }],
    ]);
  });

  it('answers a malformed date with a typed BAD_USER_INPUT error', async () => {
    const result = await graphql(stack.gatewayUrl, PAGE, { filter: { expiresBefore: 'not-a-date' } });
    expect(result.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    expect(result.errors?.[0].message).to.contain('not-a-date');
  });
});

/** Cross-cloud listing through the gateway: every filter, every order, pagination. */
import { expect } from 'chai';
import { addDecimal, compareDecimal } from '../../lib/domain/money';
import { compareText } from '../../lib/domain/credit-order';
import { graphql, query, Stack, startStack, TEST_NOW } from '../support/stack';

/** Statuses whose credits can still be used (lib/domain/credit-status.ts isUsable), written out as a client would. */
const USABLE = ['ACTIVE', 'PAUSED', 'NOT_STARTED'];

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
      `{ creditSummary { creditCount totals { provider currencyCode creditCount usableCreditCount usableBalance { amount } unusableBalance { amount } remainingBalance { amount currencyCode } }
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
      // What can still be used, from the listed credits' own statuses; the rest is what cannot.
      const usable = members.filter((c) => USABLE.includes(c.status));
      expect(total.usableCreditCount).to.equal(usable.length);
      const usableSum = usable.reduce((s, c) => addDecimal(s, c.remainingBalance.amount), '0');
      expect(compareDecimal(total.usableBalance.amount, usableSum), `usable ${total.provider} ${total.currencyCode}`).to.equal(0);
      expect(compareDecimal(addDecimal(total.usableBalance.amount, total.unusableBalance.amount), sum)).to.equal(0);
    }
    // Expiring windows, computed here from the listed credits' own fields.
    const now = TEST_NOW.toISOString();
    for (const days of [30, 60, 90]) {
      const horizon = new Date(TEST_NOW.getTime() + days * 86_400_000).toISOString();
      const expiring = everything.filter(
        (c) => USABLE.includes(c.status) && c.expiresAt !== null && c.expiresAt > now && c.expiresAt <= horizon &&
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

  it('totals keep what expired and canceled credits have left apart from what is usable (demo data, by hand)', async () => {
    const MONEY = 'amount currencyCode';
    const data: any = await query(
      stack.gatewayUrl,
      `{ all: creditSummary { totals { provider currencyCode creditCount usableCreditCount originalAmount { ${MONEY} } usableBalance { ${MONEY} }
           usableEstimatedBalance { ${MONEY} } unusableBalance { ${MONEY} } remainingBalance { ${MONEY} } }
           expiring { withinDays provider creditCount remainingBalance { ${MONEY} } } }
         lost: creditSummary(filter: { statuses: [EXPIRED, CANCELED] }) { totals { provider currencyCode usableCreditCount usableBalance { amount } unusableBalance { amount } } } }`,
    );
    const usd = (amount: string) => ({ amount, currencyCode: 'USD' });
    const eur = (amount: string) => ({ amount, currencyCode: 'EUR' });
    // demo/README.md, "Credits as of 2026-11-22" and "Lots as of 2026-11-22":
    expect(data.all.totals).to.deep.equal([
      {
        // Usable: 90000000001 ACTIVE 11559.9810363054 (est. 9434.1711455225), 90000000002 ACTIVE 5078.8475636586 (3238.4391098665),
        // 90000000003 PAUSED 1200.00, 90000000006 NOT_STARTED 50000.00, 90000000007 ACTIVE 3422.9688363694 (2167.3634600597);
        // 90000000004 EXHAUSTED and 90000000005 EXPIRED have 0 left. Original: 25000 + 25000 + 1200 + 26000 + 1000 + 50000 + 12000.
        provider: 'AWS', currencyCode: 'USD', creditCount: 7, usableCreditCount: 5, originalAmount: usd('140200.00'),
        usableBalance: usd('71261.7974363334'), usableEstimatedBalance: usd('66039.9737154487'), unusableBalance: usd('0.00'), remainingBalance: usd('71261.7974363334'),
      },
      {
        // G200300401 ACTIVE 32794.8105694809 (est. 29833.6069809459); G200300403 EXPIRED with 0 left. Original: 40000 + 33000.
        provider: 'AZURE', currencyCode: 'EUR', creditCount: 2, usableCreditCount: 1, originalAmount: eur('73000.00'),
        usableBalance: eur('32794.8105694809'), usableEstimatedBalance: eur('29833.6069809459'), unusableBalance: eur('0.00'), remainingBalance: eur('32794.8105694809'),
      },
      {
        // Usable: G100200301 ACTIVE 6000.00 (est. 5216.9290852869), G100200302 ACTIVE 18107.4128605023, G100200308 ACTIVE 1500.00,
        // G100200304 NOT_STARTED 2000.00, G200300402 ACTIVE 10000.00 (a USD lot of the EUR profile) = 37607.4128605023 (est. 36824.3419457892).
        // Unusable: G100200307 EXPIRED on 2026-11-15 with 1964.3744149121 left (its month is not closed yet) and G100200306 CANCELED
        // with 3000.00 = 4964.3744149121, which the old remainingBalance added in: 42571.7872754144. G100200303 EXPIRED and G100200305
        // EXHAUSTED have 0 left. Original: 18000 + 12000 + 6000 + 4000 + 3000 + 20000 + 1500 + 2000 + 10000.
        provider: 'AZURE', currencyCode: 'USD', creditCount: 9, usableCreditCount: 5, originalAmount: usd('76500.00'),
        usableBalance: usd('37607.4128605023'), usableEstimatedBalance: usd('36824.3419457892'), unusableBalance: usd('4964.3744149121'), remainingBalance: usd('42571.7872754144'),
      },
    ]);
    // Only the expired and canceled credits: nothing of it is usable.
    expect(data.lost.totals).to.deep.equal([
      { provider: 'AWS', currencyCode: 'USD', usableCreditCount: 0, usableBalance: { amount: '0.00' }, unusableBalance: { amount: '0.00' } },
      { provider: 'AZURE', currencyCode: 'EUR', usableCreditCount: 0, usableBalance: { amount: '0.00' }, unusableBalance: { amount: '0.00' } },
      { provider: 'AZURE', currencyCode: 'USD', usableCreditCount: 0, usableBalance: { amount: '0.00' }, unusableBalance: { amount: '4964.3744149121' } },
    ]);
    // Expiring: usable credits with a balance, expiring after now and within the window. Within 30 days: 90000000007 (2026-12-15),
    // G100200301 (2026-12-10) and G200300402 (2026-12-20); within 60 also G200300401 (2026-12-31); within 90 also 90000000002
    // (2027-02-01): 3422.9688363694 + 5078.8475636586. The CANCELED G100200306 (3000.00, 2027-01-31) is within 90 days by its date
    // but can no longer be used, so it never counts.
    const rows = data.all.expiring.map((e: any) => [e.withinDays, e.provider, e.creditCount, e.remainingBalance]).sort((a: any, b: any) =>
      a[0] - b[0] || a[1].localeCompare(b[1]) || a[3].currencyCode.localeCompare(b[3].currencyCode));
    expect(rows).to.deep.equal([
      [30, 'AWS', 1, usd('3422.9688363694')],
      [30, 'AZURE', 2, usd('16000.00')],
      [60, 'AWS', 1, usd('3422.9688363694')],
      [60, 'AZURE', 1, eur('32794.8105694809')],
      [60, 'AZURE', 2, usd('16000.00')],
      [90, 'AWS', 2, usd('8501.816400028')],
      [90, 'AZURE', 1, eur('32794.8105694809')],
      [90, 'AZURE', 2, usd('16000.00')],
    ]);
  });

  it('answers a malformed date with a typed BAD_USER_INPUT error', async () => {
    const result = await graphql(stack.gatewayUrl, PAGE, { filter: { expiresBefore: 'not-a-date' } });
    expect(result.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    expect(result.errors?.[0].message).to.contain('not-a-date');
  });
});

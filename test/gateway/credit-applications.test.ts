/**
 * A credit's applications page by page through the gateway: keyset cursors, so a page continues
 * after the last application shown even when the list changed in between (the open month's rows
 * are recomputed on every pause, activation, share and ingest, and new months go on top).
 */
import { expect } from 'chai';
import { graphql, query, Stack, startStack } from '../support/stack';
import { encodeCursor } from '../../lib/platform/connection';
import { compareApplications } from '../../lib/domain/credit-order';
import type { CreditApplicationRecord } from '../../lib/domain/provider-contract';

const PAGE = `query($id: ID!, $first: Int!, $after: String) { credit(id: $id) { applications(first: $first, after: $after) {
  totalCount nodes { month consumer { id } service productCode estimated } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
const PAUSE = `mutation($id: ID!) { pauseCredit(input: { creditId: $id }) { userErrors { code message } } }`;
const ACTIVATE = `mutation($id: ID!) { activateCredit(input: { creditId: $id }) { userErrors { code message } } }`;

type Node = Pick<CreditApplicationRecord, 'month' | 'service' | 'productCode' | 'estimated'> & { consumer: { id: string } };

/** What names an application within its credit in the demo (month, consumer, service, product code). */
const keyOf = (a: Node) => `${a.month}|${a.consumer.id}|${a.service}|${a.productCode}`;
const byOrder = (a: Node, b: Node) => compareApplications(a as CreditApplicationRecord, b as CreditApplicationRecord);

describe("credits through the gateway: a credit's applications page by page", () => {
  let stack: Stack;
  let ids: Record<string, string>;

  const page = async (id: string, first: number, after: string | null = null) => (await query(stack.gatewayUrl, PAGE, { id, first, after })).credit.applications;
  const whole = async (id: string): Promise<Node[]> => {
    const all = await page(id, 100);
    expect(all.pageInfo.hasNextPage, 'the whole list fits one page').to.equal(false);
    return all.nodes;
  };
  /** Every page after `after`, to the end. */
  const rest = async (id: string, first: number, after: string): Promise<Node[]> => {
    const nodes: Node[] = [];
    for (let cursor: string | null = after, n = 0; cursor !== null; n++) {
      expect(n, 'pages end').to.be.lessThan(200);
      const next = await page(id, first, cursor);
      expect(next.pageInfo.hasPreviousPage).to.equal(true);
      nodes.push(...next.nodes);
      cursor = next.pageInfo.hasNextPage ? next.pageInfo.endCursor : null;
    }
    return nodes;
  };

  before(async () => {
    stack = await startStack();
    const data: any = await query(stack.gatewayUrl, `{ credits(first: 100) { nodes { id providerCreditId } } }`);
    ids = Object.fromEntries(data.credits.nodes.map((c: any) => [c.providerCreditId.slice(c.providerCreditId.lastIndexOf('/') + 1), c.id]));
  });
  after(() => stack.stop());

  // demo/README.md: AWS 90000000001 paid 51 times over 12 months; Azure G200300401 18 times.
  for (const [credit, size] of [
    ['90000000001', 51],
    ['G200300401', 18],
  ] as const) {
    it(`walks every application of ${credit} once, in order, with pages of 1, 4 and 7`, async () => {
      const all = await whole(ids[credit]);
      expect(all).to.have.length(size);
      expect([...all].sort(byOrder).map(keyOf), 'newest month first, then consumer, service, product code').to.deep.equal(all.map(keyOf));
      expect(new Set(all.map(keyOf)).size).to.equal(all.length);
      for (const first of [1, 4, 7]) {
        const head = await page(ids[credit], first);
        expect(head.pageInfo.hasPreviousPage).to.equal(false);
        expect(head.totalCount).to.equal(size);
        const walked = [...head.nodes, ...(await rest(ids[credit], first, head.pageInfo.endCursor))];
        expect(walked.map(keyOf), `pages of ${first}`).to.deep.equal(all.map(keyOf));
      }
    });
  }

  /**
   * Reads a first page, changes the list, reads the rest: the rest holds every application that
   * stayed and was not on the first page, once each, in order, and nothing of the first page.
   */
  async function pageAcrossChange(credit: string, first: number, change: () => Promise<void>): Promise<{ before: Node[]; after: Node[] }> {
    const before = await whole(ids[credit]);
    const head = await page(ids[credit], first);
    expect(head.nodes.map(keyOf)).to.deep.equal(before.slice(0, first).map(keyOf));
    await change();
    const after = await whole(ids[credit]);
    const seen = new Set(head.nodes.map(keyOf));
    const last = head.nodes[head.nodes.length - 1];
    const walked = await rest(ids[credit], first, head.pageInfo.endCursor);
    expect(walked.filter((a) => seen.has(keyOf(a))).map(keyOf), 'repeated from the first page').to.deep.equal([]);
    const stayed = new Set(after.map(keyOf));
    const expected = before.filter((a) => !seen.has(keyOf(a)) && stayed.has(keyOf(a)));
    expect(walked.filter((a) => !seen.has(keyOf(a)) && before.some((b) => keyOf(b) === keyOf(a))).map(keyOf), 'the rows that stayed').to.deep.equal(
      expected.map(keyOf),
    );
    // Exactly the current list after the first page's last application.
    expect(walked.map(keyOf)).to.deep.equal(after.filter((a) => byOrder(a, last) > 0).map(keyOf));
    return { before, after };
  }

  it('a page after the credit was paused neither repeats nor skips: the open month it left is gone, the next month follows', async () => {
    // 90000000001 pays 5 times in the open month 2026-11; paused, it pays nothing there.
    try {
      const { before, after } = await pageAcrossChange('90000000001', 3, async () => {
        expect((await query(stack.gatewayUrl, PAUSE, { id: ids['90000000001'] })).pauseCredit.userErrors).to.deep.equal([]);
      });
      expect(before.filter((a) => a.month === '2026-11')).to.have.length(5);
      expect(after.filter((a) => a.month === '2026-11')).to.have.length(0);
    } finally {
      await query(stack.gatewayUrl, ACTIVATE, { id: ids['90000000001'] });
    }
  });

  it('a page after a sibling was paused neither repeats nor skips: the open month rows it gained go on top', async () => {
    // G100200302 (Development) paid in closed months only; with G100200301 paused it pays the open month's 6 charges.
    try {
      const { before, after } = await pageAcrossChange('G100200302', 2, async () => {
        expect((await query(stack.gatewayUrl, PAUSE, { id: ids.G100200301 })).pauseCredit.userErrors).to.deep.equal([]);
      });
      expect(before.filter((a) => a.month === '2026-11')).to.have.length(0);
      expect(after.filter((a) => a.month === '2026-11')).to.have.length(6);
    } finally {
      await query(stack.gatewayUrl, ACTIVATE, { id: ids.G100200301 });
    }
  });

  it('refuses a cursor that is not one of a credit\'s applications, naming `after`', async () => {
    const awsCursor = (await page(ids['90000000001'], 2)).pageInfo.endCursor;
    const creditsCursor = (await query(stack.gatewayUrl, `{ credits(first: 1) { pageInfo { endCursor } } }`)).credits.pageInfo.endCursor;
    const refusals = {
      // What this list's cursors were before they were keyset.
      'an offset cursor': Buffer.from('offset:1', 'utf8').toString('base64url'),
      'a cursor of the credits list': creditsCursor,
      "an AWS credit's cursor on an Azure credit": awsCursor,
      'a cursor of this kind the provider never made': encodeCursor('CreditApplication', ['AWS', '2026-11']),
      'a cursor with a value of the wrong type': encodeCursor('CreditApplication', ['AZURE', 1, 2, 3, 4, 5, 6]),
      'not base64url': '%%%',
    };
    for (const [what, after] of Object.entries(refusals)) {
      const id = what.includes('Azure') || what.includes('wrong type') ? ids.G200300401 : ids['90000000001'];
      const result = await graphql(stack.gatewayUrl, PAGE, { id, first: 2, after });
      expect(result.errors?.map((e) => [e.extensions?.code, e.extensions?.argument]), what).to.deep.equal([['BAD_USER_INPUT', 'after']]);
      expect(result.errors![0].path, what).to.deep.equal(['credit', 'applications']);
      expect(result.errors![0].message, what).to.match(/^"after" is not a cursor/);
    }
  });
});

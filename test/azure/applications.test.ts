/** Applications of a lot from its profile's events. */
import { expect } from 'chai';
import { openScratchDatabase } from '../support/database';
import { applicationPages, compareApplications, compareSortValues } from '../../lib/domain/credit-order';
import type { CreditApplication } from '../../lib/domain/charges/types';
import { AZURE_APPLICATION_ORDER, computedLotApplications, isPendingEventType, lotApplications } from '../../subgraphs/azure/domain/applications';
import { pendingEventTypeSql } from '../../subgraphs/azure/store/event-indexes';
import { amountColumns } from '../../subgraphs/azure/entities/amount';
import { EUROPE, makeLot, RESEARCH } from './helpers';

function event(id: string, fields: { lotId?: string | null; date: string; charges?: string | null; eventType?: string; invoiceNumber?: string; profileId?: string }) {
  return {
    id,
    billingProfileId: fields.profileId ?? RESEARCH,
    lotId: fields.lotId === undefined ? 'L1' : fields.lotId,
    transactionDate: fields.date,
    chargesColumns: amountColumns(fields.charges ? { currency: 'USD', value: fields.charges } : null),
    eventType: fields.eventType ?? 'SettledCharges',
    invoiceNumber: fields.invoiceNumber ?? '',
  };
}

describe('azure lot applications', () => {
  it('turns charge events of the lot into positive applications, oldest first', () => {
    const lot = makeLot({ name: 'L1' });
    const events = [
      event('e3', { date: '2026-11-20T00:00:00.000Z', charges: '-640.00', eventType: 'PendingCharges' }),
      event('e1', { date: '2026-10-05T00:00:00.000Z', charges: '-1879.45', invoiceNumber: 'G1' }),
      event('e0', { date: '2026-09-01T00:00:00.000Z', charges: '0' }),
      event('e4', { date: '2026-10-01T00:00:00.000Z', charges: null }),
      event('e5', { date: '2026-10-01T00:00:00.000Z', charges: '-1', lotId: 'L2' }),
      event('e6', { date: '2026-10-01T00:00:00.000Z', charges: '-1', profileId: EUROPE }),
      event('e7', { date: '2026-10-01T00:00:00.000Z', charges: '-1', lotId: null }),
    ];
    const consumer = { kind: 'AZURE_BILLING_PROFILE', id: RESEARCH, name: 'Research' };
    expect(lotApplications(lot, { displayName: 'Research' }, events)).to.deep.equal([
      {
        providerCreditId: lot.id,
        position: ['2026-10', RESEARCH, '', '', 'IMPORTED', 'e1'],
        month: '2026-10',
        consumer,
        service: null,
        productCode: null,
        amount: { amount: '1879.45', currencyCode: 'USD' },
        estimated: false,
        invoiceNumber: 'G1',
      },
      {
        providerCreditId: lot.id,
        position: ['2026-11', RESEARCH, '', '', 'IMPORTED', 'e3'],
        month: '2026-11',
        consumer,
        service: null,
        productCode: null,
        amount: { amount: '640.00', currencyCode: 'USD' },
        estimated: true,
        invoiceNumber: null,
      },
    ]);
  });

  it("orders a lot's applications totally: the contract's order, then origin and event id, so pages after a position miss none", () => {
    const lot = makeLot({ name: 'L1' });
    // Three settled events of one month on one invoice, two of them for the same amount: only the event id tells them apart.
    const imported = lotApplications(lot, { displayName: 'Research' }, [
      event('e9', { date: '2026-10-20T00:00:00.000Z', charges: '-5.00', invoiceNumber: 'G1' }),
      event('e2', { date: '2026-10-05T00:00:00.000Z', charges: '-5.00', invoiceNumber: 'G1' }),
      event('e5', { date: '2026-10-05T00:00:00.000Z', charges: '-7.00', invoiceNumber: 'G1' }),
      event('e1', { date: '2026-11-02T00:00:00.000Z', charges: '-1.00', eventType: 'PendingCharges' }),
    ]);
    const app = (month: string, consumerId: string, service: string, productCode: string, estimated: boolean): CreditApplication => ({
      creditId: lot.id, group: RESEARCH, month, consumerId, consumerKind: 'AZURE_INVOICE_SECTION', service, productCode, currency: 'USD', amount: '2.00', estimated,
    });
    const computed = computedLotApplications(
      [app('2026-10', `${RESEARCH}/invoiceSections/B`, 'Storage', 'Hot LRS', false), app('2026-10', `${RESEARCH}/invoiceSections/A`, 'Storage', 'Hot LRS', false),
       app('2026-10', `${RESEARCH}/invoiceSections/A`, 'Storage', 'Cool LRS', false), app('2026-11', `${RESEARCH}/invoiceSections/A`, 'Virtual Machines', 'D2', true)],
      new Map(),
      () => 'G1',
    );
    const all = [...imported, ...computed];
    const sorted = [...all].sort((a, b) => compareSortValues(a.position, b.position, AZURE_APPLICATION_ORDER));
    expect(new Set(all.map((a) => JSON.stringify(a.position))).size, 'every position names one application').to.equal(all.length);
    for (let i = 1; i < sorted.length; i++) expect(compareApplications(sorted[i - 1], sorted[i]), 'the contract order first').to.be.at.most(0);
    // Newest month first; the profile (the events' consumer) before its invoice sections, whose ids it begins.
    const label = (a: (typeof all)[number]) => a.position[5] || `${String(a.position[1]).slice(-1)} ${a.position[3]}`;
    expect(sorted.map(label)).to.deep.equal(['e1', 'A D2', 'e2', 'e5', 'e9', 'A Cool LRS', 'A Hot LRS', 'B Hot LRS']);
    for (const first of [1, 2, 3]) {
      const walked: typeof all = [];
      let page = applicationPages(all, { first, after: null }, AZURE_APPLICATION_ORDER)[0];
      walked.push(...page.applications);
      while (page.hasNextPage) {
        page = applicationPages(all, { first, after: page.applications[page.applications.length - 1].position }, AZURE_APPLICATION_ORDER)[0];
        walked.push(...page.applications);
        expect(page.totalCount).to.equal(all.length);
      }
      expect(walked, `pages of ${first}`).to.deep.equal(sorted);
    }
  });

  it('treats every Pending* event type as estimated', () => {
    expect(isPendingEventType('PendingCharges')).to.equal(true);
    expect(isPendingEventType('PendingNewCredit')).to.equal(true);
    expect(isPendingEventType('SettledCharges')).to.equal(false);
    expect(isPendingEventType(null)).to.equal(false);
  });
});

describe('pending event types in SQL', () => {
  it('selects exactly the event types isPendingEventType calls pending', async () => {
    const types = ['PendingCharges', 'PendingNewCredit', 'pendingCharges', 'PENDINGCHARGES', 'SettledCharges', 'NewCredit', 'Pending', 'XPendingCharges', '', null];
    const db = await openScratchDatabase([]);
    const run = (sql: string, params: unknown[] = []): Promise<{ i: number }[]> => db.query(sql, params);
    try {
      await run('CREATE TABLE e (i INTEGER, "eventType" TEXT)');
      for (const [i, t] of types.entries()) await run(`INSERT INTO e VALUES (${i}, ${t === null ? 'NULL' : `'${t}'`})`);
      const selected = (await run(`SELECT i FROM e WHERE ${pendingEventTypeSql('"eventType"')} ORDER BY i`)).map((r) => types[r.i]);
      expect(selected).to.deep.equal(types.filter(isPendingEventType));
      expect(selected).to.deep.equal(['PendingCharges', 'PendingNewCredit', 'Pending']);
    } finally {
      await db.destroy();
    }
  });
});

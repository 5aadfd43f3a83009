/** Applications of a lot from its profile's events. */
import { expect } from 'chai';
import { openSqlite } from '../../lib/database';
import { isPendingEventType, lotApplications, pendingEventTypeSql } from '../../subgraphs/azure/domain/applications';
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
    const db = await openSqlite(':memory:', []);
    const run = (sql: string, params: unknown[] = []): Promise<{ i: number }[]> => db.query(sql, params);
    try {
      await run('CREATE TABLE e (i INTEGER, eventType TEXT)');
      for (const [i, t] of types.entries()) await run('INSERT INTO e VALUES (?, ?)', [i, t]);
      const selected = (await run(`SELECT i FROM e WHERE ${pendingEventTypeSql('eventType')} ORDER BY i`)).map((r) => types[r.i]);
      expect(selected).to.deep.equal(types.filter(isPendingEventType));
      expect(selected).to.deep.equal(['PendingCharges', 'PendingNewCredit', 'Pending']);
    } finally {
      await db.destroy();
    }
  });
});

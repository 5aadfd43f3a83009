/**
 * MCA cost details through `ingestFiles` into real SQLite, applied to Azure lots: eligibility,
 * expiry, the events Azure would write with the profile's balance after each, invoice-section
 * sharing, and files that do not fit. Expected numbers are worked out by hand in the comments.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../lib/platform/auth/principal';
import { monthToDate } from '../../lib/domain/charges/month-to-date';
import { BillingPeriodRow, ConsumerMonthRow } from '../../lib/store/storage';
import { ingestFiles, IngestResult, IngestTouches } from '../../lib/store/ingest';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { parseCostDetailsCsv } from '../../subgraphs/azure/charges/cost-details-csv';
import { openAzureDatabase } from '../../subgraphs/azure/store';
import { storeAzurePeriods } from '../../subgraphs/azure/ingest/cost-details';
import { balanceSummary } from '../../subgraphs/azure/domain/available-balance';
import { AzureCreditEvent } from '../../subgraphs/azure/entities/credit-event';
import { AzureCreditLot } from '../../subgraphs/azure/entities/credit-lot';
import { AzureCreditProvider } from '../../subgraphs/azure/provider';
import { tempDir } from '../support/stack';
import { writeCostDetailsCsv } from './billing-files';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/azure');
const ACCOUNT = '/providers/Microsoft.Billing/billingAccounts/11111111-aaaa-4bbb-8ccc-222222222222:33333333-dddd-4eee-8fff-444444444444_2020-01-31';
const PROFILE = `${ACCOUNT}/billingProfiles/RSCH-1111-AAA-111`;
const SEC1 = `${PROFILE}/invoiceSections/SEC1-AAAA-PJA-TGB`;
const OWNER: Principal = { subject: 'owner', awsAccountIds: [], azureRoleAssignments: [{ scope: ACCOUNT, role: 'billing_account_owner' }] };
const NOW = '2026-11-22T12:00:00.000Z';

const VM = { meterCategory: 'Virtual Machines', product: 'Virtual Machines D4s v5' };

function lot(name: string, amount: string, start: string, end: string, extra: { closed?: string; status?: string } = {}): string {
  return `{ "id": "${PROFILE}/providers/Microsoft.Consumption/lots/${name}", "name": "${name}", "type": "Microsoft.Consumption/lots",
     "properties": { "creditCurrency": "USD", "billingCurrency": "USD", "originalAmount": { "currency": "USD", "value": ${amount} },
       "closedBalance": { "currency": "USD", "value": ${extra.closed ?? amount} }, "source": "PromotionalCredit", "startDate": "${start}",
       "expirationDate": "${end}", "status": "${extra.status ?? 'Active'}", "isEstimatedBalance": false } }`;
}

function lotsPage(): string {
  return `{ "value": [ ${lot('G-T1', '100.00', '2026-01-01T00:00:00Z', '2026-10-15T00:00:00Z')}, ${lot('G-T2', '1000.00', '2026-02-01T00:00:00Z', '2027-12-31T23:59:59Z')} ] }`;
}

function ok(result: IngestResult): void {
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
}

describe('applying Azure cost details to lots (ingest, SQLite)', () => {
  let dataDir: string;
  let files: string;
  const load = async (...paths: string[]) => ok(await ingestFiles(paths, dataDir, PROVIDER_INGESTS));
  const withDb = async <T>(work: (db: DataSource) => Promise<T>): Promise<T> => {
    const db = await openAzureDatabase(dataDir);
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  };
  const lots = () => withDb(async (db) => new Map((await db.manager.find(AzureCreditLot)).map((l) => [l.name, l])));
  const computedEvents = () =>
    withDb((db) => db.manager.find(AzureCreditEvent, { where: { origin: 'COMPUTED' }, order: { transactionDate: 'ASC', name: 'ASC' } }));

  beforeEach(async () => {
    dataDir = tempDir('ledger-azure');
    files = tempDir('ledger-azure-files');
    fs.writeFileSync(path.join(files, 'lots.json'), lotsPage());
    await load(path.join(FIXTURES, 'billing-accounts.json'), path.join(files, 'lots.json'));
    await load(
      writeCostDetailsCsv(files, 'cost-details-2026-10.csv', '2026-10', 'G900000001', [
        { profile: 'RSCH-1111-AAA-111', section: 'SEC1-AAAA-PJA-TGB', day: '2026-10-03', ...VM, cost: '80.00' },
        { profile: 'RSCH-1111-AAA-111', section: 'SEC2-BBBB-PJA-TGB', day: '2026-10-04', meterCategory: 'SaaS', product: 'Contoso Analytics', publisherType: 'Marketplace', cost: '50.00' },
        { profile: 'RSCH-1111-AAA-111', section: 'SEC2-BBBB-PJA-TGB', day: '2026-10-01', meterCategory: 'Azure Support', product: 'Azure Support Plan - Standard', cost: '20.00' },
        { profile: 'RSCH-1111-AAA-111', section: 'SEC2-BBBB-PJA-TGB', day: '2026-10-05', ...VM, product: 'Ubuntu Advantage - Essential', eligible: false, cost: '5.00' },
        { profile: 'RSCH-1111-AAA-111', section: 'SEC1-AAAA-PJA-TGB', day: '2026-10-20', ...VM, cost: '60.00' },
      ]),
      writeCostDetailsCsv(files, 'cost-details-2026-11.csv', '2026-11', null, [
        { profile: 'RSCH-1111-AAA-111', section: 'SEC1-AAAA-PJA-TGB', day: '2026-11-05', ...VM, cost: '100.00' },
      ]),
    );
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(files, { recursive: true, force: true });
  });

  it('leaves the months imported invoiced events settle to the snapshot and applies only the later ones', async () => {
    // An invoiced event of 3 November is on the invoice for October: the lots' snapshot already
    // holds October's charges, so only November (estimated) is applied: G-T1 has expired by then,
    // G-T2 pays the 100.00 -> estimate 900.00; October gets no consumer months of ours.
    const settled = (name: string, date: string, invoice: string) => `{ "id": "${PROFILE}/providers/Microsoft.Consumption/events/${name}", "name": "${name}",
      "type": "Microsoft.Consumption/events", "properties": { "transactionDate": "${date}", "description": "Charges", "eventType": "SettledCharges",
        "creditCurrency": "USD", "billingCurrency": "USD", "charges": { "currency": "USD", "value": -10.0 }, "closedBalance": { "currency": "USD", "value": 1090.0 },
        "invoiceNumber": "${invoice}", "billingProfileId": "${PROFILE}", "billingProfileDisplayName": "Research", "isEstimatedBalance": false } }`;
    // The latest event of the profile is not invoiced: the one before it says how far the invoices go.
    fs.writeFileSync(path.join(files, 'events.json'), `{ "value": [ ${settled('ev-1', '2026-10-02T00:00:00Z', 'G800000001')}, ${settled('ev-2', '2026-11-03T00:00:00Z', 'G900000001')}, ${settled('ev-3', '2026-12-02T00:00:00Z', '')} ] }`);
    await load(path.join(files, 'events.json'));
    const l = await lots();
    expect([l.get('G-T2')!.closedBalanceColumns.value, l.get('G-T2')!.estimatedBalanceValue]).to.deep.equal(['1000.00', '900.00']);
    const months = await withDb((db) => db.manager.find(ConsumerMonthRow, { order: { month: 'ASC', consumerId: 'ASC' } }));
    expect(months.map((m) => [m.month, m.consumerId.slice(-17), m.charges, m.creditsApplied])).to.deep.equal([['2026-11', 'SEC1-AAAA-PJA-TGB', '100.00', '100.00']]);
  });

  it('pays eligible charges in expiry order, never ineligible ones, and expires what is left', async () => {
    const l = await lots();
    // October: G-T1 (expires first) pays 80.00 on the 3rd -> 20.00; the 60.00 of the 20th comes after its expiry, so
    // G-T2 pays it -> 940.00. Marketplace 50.00, the support plan 20.00 and Ubuntu Advantage 5.00 are never paid.
    // October is final and G-T1 expired in it: its 20.00 expires. November (estimated) 100.00: G-T2 -> 840.00.
    expect([l.get('G-T1')!.closedBalanceColumns.value, l.get('G-T1')!.status, l.get('G-T1')!.expiredAmountValue]).to.deep.equal(['0.00', 'Expired', '20.00']);
    expect([l.get('G-T2')!.closedBalanceColumns.value, l.get('G-T2')!.estimatedBalanceValue, l.get('G-T2')!.status]).to.deep.equal(['940.00', '840.00', 'Active']);
    const months = await withDb((db) => db.manager.find(ConsumerMonthRow, { order: { month: 'ASC', consumerId: 'ASC' } }));
    expect(months.map((m) => [m.month, m.consumerId.slice(-17), m.charges, m.eligibleCharges, m.creditsApplied, m.net])).to.deep.equal([
      ['2026-10', 'SEC1-AAAA-PJA-TGB', '140.00', '140.00', '140.00', '0.00'],
      ['2026-10', 'SEC2-BBBB-PJA-TGB', '75.00', '0', '0.00', '75.00'],
      ['2026-11', 'SEC1-AAAA-PJA-TGB', '100.00', '100.00', '100.00', '0.00'],
    ]);
  });

  it('writes the events Azure would, each with the profile balance after it', async () => {
    const events = (await computedEvents()).map((e) => [
      e.transactionDate.slice(0, 10), e.eventType, e.lotId, e.newCreditColumns.value, e.chargesColumns.value, e.creditExpiredColumns.value, e.closedBalanceColumns.value, e.invoiceNumber,
    ]);
    // 0 -> +100.00 -> +1000.00 = 1100.00 -> G-T1 expires 20.00: 1080.00 -> October settles on the invoice of
    // 2026-11-01: G-T1 80.00 (1000.00), G-T2 60.00 (940.00) -> November pending 100.00 on its last usage day: 840.00.
    expect(events).to.deep.equal([
      ['2026-01-01', 'NewCredit', 'G-T1', '100.00', '0.00', '0.00', '100.00', ''],
      ['2026-02-01', 'NewCredit', 'G-T2', '1000.00', '0.00', '0.00', '1100.00', ''],
      ['2026-10-15', 'CreditExpired', 'G-T1', '0.00', '0.00', '-20.00', '1080.00', 'G900000001'],
      ['2026-11-01', 'SettledCharges', 'G-T1', '0.00', '-80.00', '0.00', '1000.00', 'G900000001'],
      ['2026-11-01', 'SettledCharges', 'G-T2', '0.00', '-60.00', '0.00', '940.00', 'G900000001'],
      ['2026-11-05', 'PendingCharges', 'G-T2', '0.00', '-100.00', '0.00', '840.00', ''],
    ]);
  });

  it('counts in event balances only the lots that take part and have started, and writes NewCredit only for lots as granted', async () => {
    // A canceled lot, a lot starting in 2027, and one loaded mid-life (600.00 of 1000.00 left, expiring after G-T2).
    const more = path.join(files, 'more-lots.json');
    fs.writeFileSync(
      more,
      `{ "value": [ ${lot('G-T3', '500.00', '2026-01-01T00:00:00Z', '2027-06-30T00:00:00Z', { status: 'Canceled' })},
        ${lot('G-T4', '300.00', '2027-01-01T00:00:00Z', '2027-12-31T00:00:00Z', { status: 'None' })},
        ${lot('G-T5', '1000.00', '2026-03-01T00:00:00Z', '2028-12-31T00:00:00Z', { closed: '600.00' })} ] }`,
    );
    await load(more);
    const events = (await computedEvents()).map((e) => [e.transactionDate.slice(0, 10), e.eventType, e.lotId, e.closedBalanceColumns.value]);
    // As before, plus G-T5's 600.00 from its start on 2026-03-01 (it pays nothing: G-T2 expires first);
    // the canceled and the future lot never count.
    expect(events).to.deep.equal([
      ['2026-01-01', 'NewCredit', 'G-T1', '100.00'],
      ['2026-02-01', 'NewCredit', 'G-T2', '1100.00'],
      ['2026-10-15', 'CreditExpired', 'G-T1', '1680.00'],
      ['2026-11-01', 'SettledCharges', 'G-T1', '1600.00'],
      ['2026-11-01', 'SettledCharges', 'G-T2', '1540.00'],
      ['2026-11-05', 'PendingCharges', 'G-T2', '1440.00'],
    ]);
  });

  it('supersedes the imported pending events of months cost details cover, and writes no NewCredit an events file has', async () => {
    const event = (name: string, date: string, eventType: string, lotId: string) => `{ "id": "${PROFILE}/providers/Microsoft.Consumption/events/${name}", "name": "${name}",
      "type": "Microsoft.Consumption/events", "properties": { "transactionDate": "${date}", "description": "${eventType}", "eventType": "${eventType}",
        "lotId": "${lotId}", "creditCurrency": "USD", "billingCurrency": "USD", "charges": { "currency": "USD", "value": -1.0 }, "closedBalance": { "currency": "USD", "value": 1.0 },
        "invoiceNumber": "", "billingProfileId": "${PROFILE}", "billingProfileDisplayName": "Research", "isEstimatedBalance": true } }`;
    // November is covered by the cost details, December is not; G-T1's grant is in the events file.
    fs.writeFileSync(
      path.join(files, 'events.json'),
      `{ "value": [ ${event('ev-new', '2026-01-01T00:00:00Z', 'NewCredit', 'G-T1')}, ${event('ev-nov', '2026-11-04T00:00:00Z', 'PendingCharges', 'G-T2')},
        ${event('ev-dec', '2026-12-02T00:00:00Z', 'PendingCharges', 'G-T2')} ] }`,
    );
    await load(path.join(files, 'events.json'));
    const imported = () =>
      withDb(async (db) => (await db.manager.find(AzureCreditEvent, { where: { origin: 'IMPORTED' }, order: { name: 'ASC' } })).map((e) => [e.name, e.superseded]));
    expect(await imported()).to.deep.equal([['ev-dec', false], ['ev-new', false], ['ev-nov', true]]);
    expect((await computedEvents()).filter((e) => e.eventType === 'NewCredit').map((e) => e.lotId)).to.deep.equal(['G-T2']);
    // Every recompute starts from no event superseded: one marked by mistake (here by hand) is served again.
    await withDb((db) => db.query(`UPDATE azure_credit_event SET superseded = TRUE WHERE name = 'ev-dec'`));
    await load(writeCostDetailsCsv(files, 'cost-details-2026-11-again.csv', '2026-11', null, [{ profile: 'RSCH-1111-AAA-111', section: 'SEC1-AAAA-PJA-TGB', day: '2026-11-05', ...VM, cost: '100.00' }]));
    expect(await imported()).to.deep.equal([['ev-dec', false], ['ev-new', false], ['ev-nov', true]]);
  });

  it('resolves the same invoice sections when the same parse is written again, as a retried transaction does', async () => {
    const file = writeCostDetailsCsv(files, 'cost-details-2026-11-retried.csv', '2026-11', null, [
      { profile: 'RSCH-1111-AAA-111', section: 'SEC1-AAAA-PJA-TGB', day: '2026-11-05', ...VM, cost: '10.00' },
      { profile: 'RSCH-1111-AAA-111', section: 'SEC9-UNLISTED', day: '2026-11-06', ...VM, cost: '1.00' },
    ]);
    const parsed = await parseCostDetailsCsv(file);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    // The charges are resolved in place: writing the same parse again must find the same ARM ids.
    const store = () =>
      withDb((db) =>
        db.transaction(async (manager) => {
          const touched = new IngestTouches(NOW);
          expect(await storeAzurePeriods(manager, [{ file, periods: parsed.periods }], touched)).to.deep.equal([]);
          return [...touched.storedCharges.values()].flatMap((charges) => charges.map((c) => c.consumerId));
        }),
      );
    const first = await store();
    expect(first).to.deep.equal([SEC1, `${PROFILE}/invoiceSections/SEC9-UNLISTED`]);
    expect(await store()).to.deep.equal(first);
  });

  it('takes the parts of one month\'s export together, and refuses parts of different bills', async () => {
    const part = (name: string, cost: string, invoice: string | null) =>
      writeCostDetailsCsv(files, name, '2026-11', invoice, [{ profile: 'RSCH-1111-AAA-111', section: 'SEC1-AAAA-PJA-TGB', day: '2026-11-05', ...VM, cost }]);
    // Two parts of November, 80.00 and 5.00, in one load: 940.00 - 85.00 = 855.00 estimated (not 935.00 from the last part only).
    await load(part('part_0.csv', '80.00', null), part('part_1.csv', '5.00', null));
    expect((await lots()).get('G-T2')!.estimatedBalanceValue).to.equal('855.00');
    const mixed = await ingestFiles([part('part_a.csv', '80.00', null), part('part_b.csv', '5.00', 'G900000002')], dataDir, PROVIDER_INGESTS);
    expect(mixed.ok).to.equal(false);
    expect(mixed.ok ? '' : mixed.problems[0].reason).to.match(/the parts of one month must be of the same bill/);
    expect((await lots()).get('G-T2')!.estimatedBalanceValue).to.equal('855.00');
  });

  it('sums the balance summary and a forecast of the open month from the run rate', async () => {
    const data = await withDb(async (db) => ({
      lots: await db.manager.find(AzureCreditLot),
      months: await db.manager.find(ConsumerMonthRow, { where: { billingGroup: PROFILE } }),
    }));
    // Only G-T2 is available on 2026-11-22: 940.00 as of the last invoice, 840.00 estimated; November's eligible 100.00 pending.
    expect(balanceSummary('USD', data.lots, data.months, NOW)).to.deep.equal({
      currency: 'USD',
      currentBalance: { currency: 'USD', value: '940.00' },
      estimatedBalance: { currency: 'USD', value: '840.00' },
      pendingEligibleCharges: { currency: 'USD', value: '100.00' },
      expiredCredit: { currency: 'USD', value: '20.00' },
    });
    // November holds usage through the 5th of 30 days: 100.00 x 30 / 5 = 600.00 by the month's end.
    expect(monthToDate(data.months, '2026-11')[0]).to.include({ charges: '100.00', creditsApplied: '100.00', daysCovered: 5, forecastCharges: '600.00', forecastNet: '0.00' });
    // October is invoiced: the forecast is what happened. 140.00 + 75.00 = 215.00 charged, 140.00 paid by credits.
    expect(monthToDate(data.months, '2026-10')[0]).to.include({ estimated: false, charges: '215.00', creditsApplied: '140.00', net: '75.00', forecastCharges: '215.00' });
  });

  it('re-estimates at once when a lot is limited to invoice sections, and back when shared with the whole profile', async () => {
    const share = (scope: 'INVOICE_SECTIONS' | 'ORGANIZATION', invoiceSectionIds?: string[]) =>
      withDb((db) => new AzureCreditProvider(db).shareCredit(OWNER, { providerCreditId: `${PROFILE}/providers/Microsoft.Consumption/lots/G-T2`, scope, invoiceSectionIds, now: NOW }));
    // Limited to SEC2 in November (the open month): November's SEC1 charge is no longer G-T2's, October keeps what it paid.
    const limited = await share('INVOICE_SECTIONS', ['SEC2-BBBB-PJA-TGB']);
    expect(limited.userErrors).to.deep.equal([]);
    expect(limited.credit).to.deep.include({ remainingBalance: { amount: '940.00', currencyCode: 'USD' }, estimatedBalance: { amount: '940.00', currencyCode: 'USD' } });
    expect((await computedEvents()).some((e) => e.eventType === 'PendingCharges')).to.equal(false);
    const back = await share('ORGANIZATION');
    expect(back.credit!.estimatedBalance.amount).to.equal('840.00');
    // Its applications, newest month first: November's 100.00 estimated, October's 60.00 to SEC1 on invoice G900000001.
    const apps = (await withDb((db) => new AzureCreditProvider(db).getApplications(OWNER, [`${PROFILE}/providers/Microsoft.Consumption/lots/G-T2`], { first: 100, after: null }))).flatMap((p) => p.applications);
    expect(apps.map((a) => [a.month, a.consumer.id, a.consumer.name, a.service, a.amount.amount, a.estimated, a.invoiceNumber])).to.deep.equal([
      ['2026-11', SEC1, 'Genomics', 'Virtual Machines', '100.00', true, null],
      ['2026-10', SEC1, 'Genomics', 'Virtual Machines', '60.00', false, 'G900000001'],
    ]);
  });

  it('rejects cost details of a billing profile that is not loaded, writing nothing', async () => {
    const before = await withDb((db) => db.manager.count(BillingPeriodRow));
    const result = await ingestFiles(
      [writeCostDetailsCsv(files, 'unknown.csv', '2026-12', null, [{ profile: 'NOPE-0000-XXX-000', section: 'S', day: '2026-12-01', ...VM, cost: '1.00' }])],
      dataDir,
      PROVIDER_INGESTS,
    );
    expect(result.ok).to.equal(false);
    expect(result.ok ? '' : result.problems[0].reason).to.match(/billing profile "NOPE-0000-XXX-000" \(2026-12\) is not loaded/);
    expect(await withDb((db) => db.manager.count(BillingPeriodRow))).to.equal(before);
  });
});

/** Ingesting the Azure formats: billing accounts, lot pages, events. */
import { asMadeBeforeMigrations, onPostgres } from '../support/database';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse as parseExact, stringify as stringifyExact } from 'lossless-json';
import type { DataSource } from 'typeorm';
import { ingestFiles, IngestProblem } from '../../lib/store/ingest';
import { openAzureDatabase } from '../../subgraphs/azure/store';
import { AzureBillingAccount } from '../../subgraphs/azure/entities/billing-account';
import { AzureBillingProfile } from '../../subgraphs/azure/entities/billing-profile';
import { AzureCreditEvent } from '../../subgraphs/azure/entities/credit-event';
import { AzureCreditLot } from '../../subgraphs/azure/entities/credit-lot';
import { AzureInvoiceSection } from '../../subgraphs/azure/entities/invoice-section';
import { azureIngest } from '../../subgraphs/azure/ingest';
import { armListResourceType } from '../../subgraphs/azure/ingest/arm-list';
import { EUROPE, FIXTURE_FILES, FIXTURES, lotId, removeDir, RESEARCH, tempDir } from './helpers';

const PROMO = lotId(RESEARCH, 'G-PROMO-1');

function writeJson(dir: string, name: string, document: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document, null, 2));
  return file;
}

async function withDb<T>(dataDir: string, use: (db: DataSource) => Promise<T>): Promise<T> {
  const db = await openAzureDatabase(dataDir);
  try {
    return await use(db);
  } finally {
    await db.destroy();
  }
}

async function snapshot(dataDir: string) {
  return withDb(dataDir, async (db) => ({
    accounts: await db.manager.find(AzureBillingAccount, { order: { id: 'ASC' } }),
    profiles: await db.manager.find(AzureBillingProfile, { order: { id: 'ASC' } }),
    sections: await db.manager.find(AzureInvoiceSection, { order: { id: 'ASC' } }),
    lots: await db.manager.find(AzureCreditLot, { order: { id: 'ASC' } }),
    events: await db.manager.find(AzureCreditEvent, { order: { id: 'ASC' } }),
  }));
}

describe('azure ingest', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it('loads every format, each page of a list, and reports what it loaded', async () => {
    const result = await ingestFiles(FIXTURE_FILES, dir, [azureIngest]);
    expect(result.ok).to.equal(true);
    const loaded = result.ok ? result.loaded.map((l) => [path.basename(l.file), l.format, l.entries]) : [];
    expect(loaded).to.deep.equal([
      ['billing-accounts.json', 'Azure billing accounts list ($expand=billingProfiles)', 6],
      ['lots-research-page-1.json', 'Azure Consumption lots list page', 2],
      ['lots-research-page-2.json', 'Azure Consumption lots list page', 3],
      ['lots-europe.json', 'Azure Consumption lots list page', 4],
      ['lots-empty-page.json', 'Azure Consumption lots list page', 0],
      ['events-research.json', 'Azure Consumption events list', 4],
    ]);
    const data = await snapshot(dir);
    expect(data.accounts.map((a) => a.displayName)).to.deep.equal(['Northwind Labs']);
    expect(data.profiles.map((p) => [p.name, p.currency, p.invoiceDay, p.billingAccountId])).to.deep.equal([
      ['EURO-2222-BBB-222', 'EUR', 1, data.accounts[0].id],
      ['RSCH-1111-AAA-111', 'USD', 5, data.accounts[0].id],
    ]);
    expect(data.sections.map((s) => [s.displayName, s.billingProfileId])).to.deep.equal([
      ['Berlin office', EUROPE],
      ['Genomics', RESEARCH],
      ['Imaging', RESEARCH],
    ]);
    expect(data.lots).to.have.length(9);
    expect(data.events).to.have.length(4);
  });

  it('keeps every amount exactly as written, with exchange rates', async () => {
    await ingestFiles(FIXTURE_FILES, dir, [azureIngest]);
    const { lots } = await snapshot(dir);
    const byName = new Map(lots.map((l) => [l.name, l]));
    const promo = byName.get('G-PROMO-1')!;
    expect(promo.id).to.equal(PROMO);
    expect(promo.billingProfileId).to.equal(RESEARCH);
    expect(promo.originalAmount).to.deep.equal({ currency: 'USD', value: '5000.00' });
    expect(promo.closedBalance).to.deep.equal({ currency: 'USD', value: '3120.55' });
    expect(promo.closedBalanceInBillingCurrency).to.deep.equal({ currency: 'USD', value: '3120.55', exchangeRate: '1.0', exchangeRateMonth: 11 });
    expect(promo.eTag).to.equal('"0a1b2c"');
    expect(promo.startDate).to.equal('2026-09-01T00:00:00.000Z');
    expect(promo.expirationDate).to.equal('2027-08-31T23:59:59.000Z');
    expect(byName.get('G-DONE-5')!.closedBalance.value).to.equal('0.00');
    expect(byName.get('G-DONE-5')!.closedBalanceIsZero).to.equal(true);
    const prepay = byName.get('G-PREPAY-4')!;
    expect(prepay.originalAmount.value).to.equal('250.000');
    expect(prepay.usedAmount).to.deep.equal({ currency: 'USD', value: '149.875' });
    expect(prepay.organizationType).to.equal('Primary');
    expect(prepay.creditName).to.equal('Azure prepayment G-PREPAY-4');
    const purchased = byName.get('G-PURCH-2')!;
    expect(purchased.reseller).to.deep.equal({ resellerId: `${purchased.billingAccountId}/reseller/r9`, resellerDescription: 'Tailspin Cloud Partners' });
    expect(purchased.poNumber).to.equal('PO-4711');
    expect(byName.get('E-USD-6')!.closedBalanceInBillingCurrency).to.deep.equal({ currency: 'EUR', value: '920.46', exchangeRate: '0.92', exchangeRateMonth: 11 });
    expect(byName.get('E-USD-6')!.expirationDate).to.equal(null);
  });

  it('keeps unknown enum-ish values and takes a missing billing profile from the event id', async () => {
    await ingestFiles(FIXTURE_FILES, dir, [azureIngest]);
    const { lots, events } = await snapshot(dir);
    const odd = lots.find((l) => l.name === 'E-ODD-8')!;
    expect([odd.source, odd.status, odd.organizationType]).to.deep.equal(['MysteryCredit', 'Suspended', 'Contributor']);
    const expired = events.find((e) => e.name === 'ev-expired-3')!;
    expect([expired.eventType, expired.lotSource, expired.billingProfileId]).to.deep.equal(['ExpiredCredit', 'AzurePrepayment', RESEARCH]);
    expect(expired.creditExpired).to.deep.equal({ currency: 'USD', value: '-212.10' });
    expect(expired.charges).to.equal(null);
    const settled = events.find((e) => e.name === 'ev-settled-2')!;
    expect(settled.chargesInBillingCurrency).to.deep.equal({ currency: 'USD', value: '-1879.45', exchangeRate: '1', exchangeRateMonth: 10 });
    expect(settled.invoiceNumber).to.equal('G0000001111');
    expect(events.find((e) => e.name === 'ev-pending-4')!.invoiceNumber).to.equal('');
  });

  it('is idempotent: loading the same files again changes nothing', async () => {
    await ingestFiles(FIXTURE_FILES, dir, [azureIngest]);
    const first = await snapshot(dir);
    const again = await ingestFiles(FIXTURE_FILES, dir, [azureIngest]);
    expect(again.ok).to.equal(true);
    expect(await snapshot(dir)).to.deep.equal(first);
  });

  it('replaces an entry with its newer version, clearing fields it lost, and keeps the pause/share extension', async () => {
    await ingestFiles(FIXTURE_FILES, dir, [azureIngest]);
    await withDb(dir, (db) => db.manager.update(AzureCreditLot, { id: PROMO }, { paused: true, sharedInvoiceSectionIds: ['x'] }));
    const page = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'lots-research-page-1.json'), 'utf8'));
    const promo = page.value[0];
    promo.properties.closedBalance.value = 2000.5;
    delete promo.properties.closedBalanceInBillingCurrency;
    promo.properties.status = 'Complete';
    const newer = writeJson(dir, 'newer.json', page);
    const result = await ingestFiles([newer], dir, [azureIngest]);
    expect(result.ok).to.equal(true);
    const lot = (await snapshot(dir)).lots.find((l) => l.id === PROMO)!;
    expect(lot.closedBalance).to.deep.equal({ currency: 'USD', value: '2000.5' });
    expect(lot.closedBalanceInBillingCurrency).to.equal(null);
    expect(lot.status).to.equal('Complete');
    expect(lot.sortRemaining).to.equal('00000000000000002000.50000000000000000000');
    expect(lot.paused).to.equal(true);
    expect(lot.sharedInvoiceSectionIds).to.deep.equal(['x']);
  });

  it('stores the folded search text of every lot, and fills it in for rows written before the column existed', async function () {
    if (onPostgres()) this.skip(); // databases of earlier releases are SQLite files
    await ingestFiles(FIXTURE_FILES, dir, [azureIngest]);
    const before = (await snapshot(dir)).lots.find((l) => l.id === PROMO)!;
    expect(before.searchText).to.equal(`promotional credit g-promo-1\n${PROMO.toLowerCase()}\npromotionalcredit`);
    await withDb(dir, async (db) => {
      await db.query(`UPDATE azure_credit_lot SET searchText = ''`);
      await asMadeBeforeMigrations(db);
    });
    const after = (await snapshot(dir)).lots;
    expect(after.find((l) => l.id === PROMO)!.searchText).to.equal(before.searchText);
    expect(after.every((l) => l.searchText.length > 0)).to.equal(true);
  });

  it('recognises each format by the type of its entries, or an empty page by its nextLink', () => {
    const read = (f: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
    expect(armListResourceType(read('billing-accounts.json'))).to.equal('Microsoft.Billing/billingAccounts');
    expect(armListResourceType(read('lots-europe.json'))).to.equal('Microsoft.Consumption/lots');
    expect(armListResourceType(read('events-research.json'))).to.equal('Microsoft.Consumption/events');
    expect(armListResourceType(read('lots-empty-page.json'))).to.equal('Microsoft.Consumption/lots');
    expect(armListResourceType({ value: [], nextLink: 'https://management.azure.com/providers/Microsoft.Billing/billingAccounts/a/billingProfiles/p/providers/Microsoft.Consumption/events?$skiptoken=x' })).to.equal('Microsoft.Consumption/events');
    expect(armListResourceType({ value: [] })).to.equal(null);
    expect(armListResourceType({ credits: [] })).to.equal(null);
  });

  it('accepts an empty last page (a profile without lots, a range without events), loading nothing', async () => {
    // Azure answers { "value": [] } without a nextLink when a list is empty: it names no resource type.
    const file = writeJson(dir, 'empty.json', { value: [] });
    const result = await ingestFiles([file], dir, [azureIngest]);
    expect(result.ok).to.equal(true);
    expect(result.ok && result.loaded.map((l) => [l.format, l.entries])).to.deep.equal([['Azure list page with no entries', 0]]);
    // So is an empty page in the middle of a list, whose nextLink names nothing the formats know.
    const middle = await ingestFiles([writeJson(dir, 'middle.json', { value: [], nextLink: 'https://management.azure.com/somewhere?$skiptoken=x' })], dir, [azureIngest]);
    expect(middle.ok && middle.loaded.map((l) => [l.format, l.entries])).to.deep.equal([['Azure list page with no entries', 0]]);
    // Anything else without entries is still refused.
    const other = await ingestFiles([writeJson(dir, 'other.json', { value: {} })], dir, [azureIngest]);
    expect(!other.ok && other.problems[0].reason).to.match(/not a recognised provider format/);
  });

  it('rejects a bad lots file whole, listing every problem, and writes nothing', async () => {
    const good = lotId(RESEARCH, 'OK-1');
    const bad = {
      value: [
        { id: good, name: 'OK-1', type: 'Microsoft.Consumption/lots', properties: { originalAmount: { currency: 'USD', value: 1 }, closedBalance: { currency: 'USD', value: 1 }, source: 'PromotionalCredit', status: 'Active' } },
        {
          id: lotId(RESEARCH, 'BAD-2'),
          name: 'BAD-2',
          type: 'Microsoft.Consumption/lots',
          properties: { originalAmount: { currency: 'USD', value: '12.50' }, source: 'PromotionalCredit', status: 'Active', startDate: 'yesterday' },
        },
        { id: '/subscriptions/x/lots/BAD-3', name: 'BAD-3', type: 'Microsoft.Consumption/lots', properties: { originalAmount: { currency: 'USD', value: 'EXPONENT' }, closedBalance: { value: 1 }, source: 'X', status: 'Active' } },
        { id: good, name: 'OK-1', type: 'Microsoft.Consumption/events', properties: { transactionDate: '2026-01-01' } },
      ],
    };
    // A number in exponent form far beyond what an amount may hold.
    const file = writeJson(dir, 'bad-lots.json', JSON.stringify(bad).replace('"EXPONENT"', '1e400'));
    const result = await ingestFiles([path.join(FIXTURES, 'billing-accounts.json'), file], dir, [azureIngest]);
    expect(result.ok).to.equal(false);
    const problems = (!result.ok ? result.problems : []).map((p: IngestProblem) => [path.basename(p.file), p.entry, p.field, p.reason]);
    expect(problems).to.deep.include.members([
      ['bad-lots.json', 'value[1]', 'properties.originalAmount.value', 'must be a decimal number, got "12.50"'],
      ['bad-lots.json', 'value[1]', 'properties.closedBalance', 'is required'],
      ['bad-lots.json', 'value[1]', 'properties.startDate', 'is not an ISO-8601 date: "yesterday"'],
      ['bad-lots.json', 'value[2]', 'properties.originalAmount.value', '"1e400" is out of range for an amount (at most 20 integer digits and 20 decimal places)'],
      ['bad-lots.json', 'value[2]', 'properties.closedBalance.currency', 'is required'],
      ['bad-lots.json', 'value[3]', 'type', 'must be "Microsoft.Consumption/lots", got "Microsoft.Consumption/events"'],
      ['bad-lots.json', 'value[3]', 'id', `"${good}" appears more than once in the file`],
    ]);
    expect(problems.find((p) => p[1] === 'value[2]' && p[2] === 'id')?.[3]).to.match(/is not an id of the form/);
    // value[3] also lacks every required property (4 more problems).
    expect(problems).to.have.length(12);
    const data = await snapshot(dir);
    expect([data.accounts.length, data.profiles.length, data.lots.length]).to.deep.equal([0, 0, 0]);
  });

  it('reads amounts written with an exponent (as .NET writes them) exactly, keeping their scale', async () => {
    const properties = (closed: string, original: string, rate: string, converted: string) =>
      `{"originalAmount":{"currency":"USD","value":${original}},"closedBalance":{"currency":"USD","value":${closed}},` +
      `"closedBalanceInBillingCurrency":{"currency":"EUR","value":${converted},"exchangeRate":${rate},"exchangeRateMonth":11},` +
      `"source":"PromotionalCredit","status":"Active"}`;
    const entry = (name: string, props: string) => `{"id":"${lotId(RESEARCH, name)}","name":"${name}","type":"Microsoft.Consumption/lots","properties":${props}}`;
    const text = `{"value":[${[
      entry('X-1', properties('1E-05', '1.50E+2', '9.2E-1', '9.2E-06')),
      entry('X-2', properties('1.50E-1', '2.5e3', '1e0', '0.150')),
      entry('X-3', properties('0E-2', '12345678901234567890E-20', '1', '0')),
    ].join(',')}]}`;
    const result = await ingestFiles([writeJson(dir, 'exponents.json', text)], dir, [azureIngest]);
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    const byName = new Map((await snapshot(dir)).lots.map((l) => [l.name, l]));
    expect(byName.get('X-1')!.closedBalance.value).to.equal('0.00001');
    expect(byName.get('X-1')!.originalAmount.value).to.equal('150');
    expect(byName.get('X-1')!.closedBalanceInBillingCurrency).to.deep.equal({ currency: 'EUR', value: '0.0000092', exchangeRate: '0.92', exchangeRateMonth: 11 });
    expect(byName.get('X-1')!.sortRemaining).to.equal('00000000000000000000.00001000000000000000');
    expect(byName.get('X-1')!.closedBalanceIsZero).to.equal(false);
    expect(byName.get('X-2')!.closedBalance.value).to.equal('0.150');
    expect(byName.get('X-2')!.originalAmount.value).to.equal('2500');
    expect(byName.get('X-2')!.closedBalanceInBillingCurrency!.exchangeRate).to.equal('1');
    expect(byName.get('X-3')!.closedBalance.value).to.equal('0.00');
    expect(byName.get('X-3')!.closedBalanceIsZero).to.equal(true);
    expect(byName.get('X-3')!.originalAmount.value).to.equal('0.12345678901234567890');
  });

  it('refuses exponent amounts beyond the money limits, and events keep exponent charges exactly', async () => {
    const lots = (value: string) =>
      `{"value":[{"id":"${lotId(RESEARCH, 'Y-1')}","name":"Y-1","type":"Microsoft.Consumption/lots","properties":` +
      `{"originalAmount":{"currency":"USD","value":${value}},"closedBalance":{"currency":"USD","value":1},"source":"PromotionalCredit","status":"Active"}}]}`;
    const reasons = new Map<string, string>();
    for (const value of ['1E+20', '1E-21', '1e99999999999999999999', '-1e-999999999']) {
      const result = await ingestFiles([writeJson(dir, 'big.json', lots(value))], dir, [azureIngest]);
      expect(result.ok, value).to.equal(false);
      const problems = !result.ok ? result.problems : [];
      expect(problems.map((p) => p.field), value).to.deep.equal(['properties.originalAmount.value']);
      reasons.set(value, problems[0].reason);
    }
    expect(reasons.get('1E+20')).to.equal('"100000000000000000000" has more than 20 integer digits (written as "1E+20")');
    expect(reasons.get('1E-21')).to.equal('"0.000000000000000000001" has more than 20 decimal places (written as "1E-21")');
    expect(reasons.get('1e99999999999999999999')).to.match(/^"1e99999999999999999999" is not a finite number|out of range/);
    expect(reasons.get('-1e-999999999')).to.match(/out of range/);
    // The largest amounts the limits allow, written with exponents, still load.
    const ok = await ingestFiles([writeJson(dir, 'edge.json', lots('9.9999999999999999999E+19'))], dir, [azureIngest]);
    expect(ok.ok, JSON.stringify(ok)).to.equal(true);
    expect((await snapshot(dir)).lots[0].originalAmount.value).to.equal('99999999999999999999');

    const events = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'events-research.json'), 'utf8'));
    const text = JSON.stringify(events).replace('-1879.45', '-1.87945E+3');
    expect(text).to.contain('-1.87945E+3');
    expect((await ingestFiles([path.join(FIXTURES, 'billing-accounts.json'), writeJson(dir, 'events.json', text)], dir, [azureIngest])).ok).to.equal(true);
    const settled = (await snapshot(dir)).events.find((e) => e.name === 'ev-settled-2')!;
    expect(settled.charges).to.deep.equal({ currency: 'USD', value: '-1879.45' });
  });

  it('refuses negative lot amounts and balances, in either currency, with a clear problem', async () => {
    const page = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'lots-research-page-1.json'), 'utf8'));
    const [first, second] = page.value;
    first.properties.originalAmount.value = -5000;
    first.properties.closedBalanceInBillingCurrency.value = -3120.55;
    second.properties.closedBalance.value = -0.01;
    second.properties.originalAmountInBillingCurrency = { currency: 'USD', value: -1, exchangeRate: 1, exchangeRateMonth: 1 };
    const result = await ingestFiles([writeJson(dir, 'negative.json', page)], dir, [azureIngest]);
    expect(result.ok).to.equal(false);
    const problems = (!result.ok ? result.problems : []).map((p) => [p.entry, p.field, p.reason]);
    expect(problems).to.have.deep.members([
      ['value[0]', 'properties.originalAmount.value', "must not be negative, got -5000 (a credit's amount or balance is never below zero)"],
      ['value[0]', 'properties.closedBalanceInBillingCurrency.value', "must not be negative, got -3120.55 (a credit's amount or balance is never below zero)"],
      ['value[1]', 'properties.originalAmountInBillingCurrency.value', "must not be negative, got -1 (a credit's amount or balance is never below zero)"],
      ['value[1]', 'properties.closedBalance.value', "must not be negative, got -0.01 (a credit's amount or balance is never below zero)"],
    ]);
    expect((await snapshot(dir)).lots).to.deep.equal([]);
    // Zero is not negative, whichever way it is written (and a balance is never above the original amount).
    first.properties.originalAmount.value = 0;
    first.properties.closedBalance.value = 0;
    first.properties.closedBalanceInBillingCurrency.value = 0;
    second.properties.closedBalance.value = 0;
    second.properties.originalAmountInBillingCurrency.value = 0;
    const zero = JSON.stringify(page).replace('"value":0', '"value":-0.00');
    expect(zero).to.contain('-0.00');
    expect((await ingestFiles([writeJson(dir, 'zero.json', zero)], dir, [azureIngest])).ok).to.equal(true);
  });

  /** A fixture file, its numbers kept exactly as written (as ingest reads them), to change and write again with `writeExact`. */
  const readFixture = (name: string): any => parseExact(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
  const writeExact = (name: string, document: unknown) => writeJson(dir, name, stringifyExact(document)!);
  /** Ingests the files expecting rejection; the problems as [file name, entry, field, reason]. */
  const rejectedWith = async (files: string[]) => {
    const result = await ingestFiles(files, dir, [azureIngest]);
    expect(result.ok, 'the ingest should have been rejected').to.equal(false);
    return (!result.ok ? result.problems : []).map((p: IngestProblem) => [path.basename(p.file), p.entry, p.field, p.reason]);
  };

  it('refuses a closed balance above the original amount, in the billing currency at one exchange rate only', async () => {
    const page = readFixture('lots-research-page-1.json');
    const [promo, purchased] = page.value;
    promo.properties.closedBalance.value = 5000.01;
    promo.properties.closedBalanceInBillingCurrency = { currency: 'USD', value: 5000.5, exchangeRate: 1.0, exchangeRateMonth: 11 };
    purchased.properties.closedBalance.value = 1500;
    const europe = readFixture('lots-europe.json');
    const usdLot = europe.value[0].properties;
    // Billed in EUR at 0.92 then: 1104 EUR; at 1.10 later, a lower USD balance is 1100.55 EUR.
    usdLot.closedBalanceInBillingCurrency = { currency: 'EUR', value: 1100.55, exchangeRate: 1.1, exchangeRateMonth: 11 };
    const accepted = writeExact('later-rate.json', { value: [europe.value[0]] });
    expect(await rejectedWith([writeExact('above.json', page), accepted])).to.deep.equal([
      ['above.json', 'value[0]', 'properties.closedBalance.value', 'is 5000.01, above originalAmount.value (5000.00): a lot never holds more than it was given'],
      [
        'above.json',
        'value[0]',
        'properties.closedBalanceInBillingCurrency.value',
        'is 5000.5, above originalAmountInBillingCurrency.value (5000.00): a lot never holds more than it was given (at one exchange rate)',
      ],
    ]);
    // At the same rate, the billing-currency balance may not be above either.
    usdLot.closedBalanceInBillingCurrency = { currency: 'EUR', value: 1104.01, exchangeRate: 0.92, exchangeRateMonth: 6 };
    expect((await rejectedWith([writeExact('same-rate.json', { value: [europe.value[0]] })])).map((p) => p[2])).to.deep.equal(['properties.closedBalanceInBillingCurrency.value']);
    // A balance equal to the original amount is full, not above it.
    promo.properties.closedBalance.value = 5000;
    promo.properties.closedBalanceInBillingCurrency.value = 5000;
    const result = await ingestFiles([writeExact('full.json', page), accepted], dir, [azureIngest]);
    expect(result.ok, JSON.stringify(result)).to.equal(true);
  });

  it('refuses negative used amounts and event balances, and keeps the sign of charges', async () => {
    const page = readFixture('lots-research-page-2.json');
    const prepay = page.value.find((l: any) => l.properties.usedAmount);
    prepay.properties.usedAmount.value = -1;
    const events = readFixture('events-research.json');
    events.value[3].properties.closedBalance.value = -0.5;
    const problems = await rejectedWith([writeExact('lots.json', page), writeExact('events.json', events)]);
    expect(problems).to.deep.equal([
      ['lots.json', `value[${page.value.indexOf(prepay)}]`, 'properties.usedAmount.value', "must not be negative, got -1 (a credit's amount or balance is never below zero)"],
      ['events.json', 'value[3]', 'properties.closedBalance.value', "must not be negative, got -0.5 (a credit's amount or balance is never below zero)"],
    ]);
  });

  it('refuses amounts of one lot or event in different currencies, or not in its stated currencies', async () => {
    const page = readFixture('lots-europe.json');
    const [usdLot, commit] = page.value;
    usdLot.properties.closedBalance.currency = 'EUR';
    usdLot.properties.originalAmountInBillingCurrency.currency = 'USD';
    commit.properties.creditCurrency = 'GBP';
    const events = readFixture('events-research.json');
    events.value[1].properties.chargesInBillingCurrency.currency = 'EUR';
    delete events.value[1].properties.creditCurrency;
    events.value[1].properties.closedBalance.currency = 'CAD';
    const problems = await rejectedWith([writeExact('lots.json', page), writeExact('events.json', events)]);
    const inCredit = '(amounts in the credit currency are all in one currency)';
    const inBilling = '(amounts in the billing currency are all in one currency)';
    expect(problems).to.deep.equal([
      ['lots.json', 'value[0]', 'properties.closedBalance.currency', `is "EUR" but creditCurrency is "USD" ${inCredit}`],
      ['lots.json', 'value[0]', 'properties.originalAmountInBillingCurrency.currency', `is "USD" but billingCurrency is "EUR" ${inBilling}`],
      ['lots.json', 'value[1]', 'properties.originalAmount.currency', `is "EUR" but creditCurrency is "GBP" ${inCredit}`],
      ['lots.json', 'value[1]', 'properties.closedBalance.currency', `is "EUR" but creditCurrency is "GBP" ${inCredit}`],
      // Without creditCurrency, the event's first amount sets the currency.
      ['events.json', 'value[1]', 'properties.closedBalance.currency', `is "CAD" but charges.currency is "USD" ${inCredit}`],
      ['events.json', 'value[1]', 'properties.chargesInBillingCurrency.currency', `is "EUR" but billingCurrency is "USD" ${inBilling}`],
    ]);
  });

  it('refuses an expiration before the start, and currency codes not shaped as ISO 4217 codes', async () => {
    const page = readFixture('lots-research-page-1.json');
    page.value[0].properties.expirationDate = '2026-08-31T23:59:59Z';
    page.value[1].properties.creditCurrency = 'usd';
    page.value[1].properties.originalAmount.currency = 'US';
    const accounts = readFixture('billing-accounts.json');
    accounts.value[0].properties.billingProfiles.value[0].properties.currency = 'USDX';
    const problems = await rejectedWith([writeExact('accounts.json', accounts), writeExact('lots.json', page)]);
    const code = (text: string) => `"${text}" is not an ISO 4217 currency code (three capital letters A-Z, such as "USD")`;
    expect(problems).to.deep.equal([
      ['accounts.json', 'value[0].properties.billingProfiles.value[0]', 'properties.currency', code('USDX')],
      ['lots.json', 'value[0]', 'properties.expirationDate', 'is 2026-08-31T23:59:59.000Z, before startDate (2026-09-01T00:00:00.000Z): a range cannot end before it starts'],
      ['lots.json', 'value[1]', 'properties.originalAmount.currency', code('US')],
      ['lots.json', 'value[1]', 'properties.creditCurrency', code('usd')],
    ]);
  });

  it('refuses control characters in ids, names and every other text field', async () => {
    const page = readFixture('lots-research-page-1.json');
    page.value[0].name = 'G-PROMO-1\u0000';
    page.value[1].properties.status = 'Expired\r\n';
    page.value[1].properties.reseller.resellerDescription = 'Tailspin \u009b Partners';
    const accounts = readFixture('billing-accounts.json');
    accounts.value[0].properties.displayName = 'Northwind\u007fLabs';
    const events = readFixture('events-research.json');
    events.value[0].properties.description = 'New\tcredits';
    const problems = await rejectedWith([writeExact('accounts.json', accounts), writeExact('lots.json', page), writeExact('events.json', events)]);
    const reason = (code: string, at: number) => `holds the control character U+${code} at character ${at}; text may not hold control characters (C0, DEL or C1)`;
    expect(problems).to.deep.equal([
      ['accounts.json', 'value[0]', 'properties.displayName', reason('007F', 10)],
      ['lots.json', 'value[0]', 'name', reason('0000', 10)],
      ['lots.json', 'value[1]', 'properties.status', reason('000D', 8)],
      ['lots.json', 'value[1]', 'properties.reseller.resellerDescription', reason('009B', 10)],
      ['events.json', 'value[0]', 'properties.description', reason('0009', 4)],
    ]);
  });

  it('refuses two files giving different versions of one lot, event or billing profile, and loads the same content twice', async () => {
    const page = readFixture('lots-research-page-1.json');
    page.value[0].properties.status = 'Complete';
    // ARM ids are case-insensitive: the same lot, spelled in upper case.
    page.value[0].id = page.value[0].id.toUpperCase().replace('/LOTS/G-PROMO-1', '/lots/G-PROMO-1');
    const events = readFixture('events-research.json');
    events.value[2].properties.description = 'Credit expired (corrected)';
    const accounts = readFixture('billing-accounts.json');
    const research = accounts.value[0].properties.billingProfiles.value[0];
    research.properties.invoiceDay = 9;
    research.properties.invoiceSections.value[0].properties.displayName = 'Genomics lab';
    const files = [
      ...FIXTURE_FILES,
      writeExact('accounts-again.json', accounts),
      writeExact('lots-again.json', page),
      writeExact('events-again.json', events),
    ];
    const problems = await rejectedWith(files);
    const first = (name: string) => path.join(FIXTURES, name);
    expect(problems.map((p) => p.slice(0, 3))).to.deep.equal([
      ['accounts-again.json', 'value[0].properties.billingProfiles.value[0].properties.invoiceSections.value[0]', 'properties.displayName'],
      // The profile's own fields: its invoice sections are entries of their own.
      ['accounts-again.json', 'value[0].properties.billingProfiles.value[0]', 'properties.invoiceDay'],
      ['lots-again.json', 'value[0]', 'id, properties.status'],
      ['events-again.json', 'value[2]', 'properties.description'],
    ]);
    expect(problems[1][3]).to.equal(
      `Azure billing profile ${research.id} differs from the one in ${first('billing-accounts.json')} value[0].properties.billingProfiles.value[0] ` +
        '(properties.invoiceDay is 9 here, 5 there): the files of one load must agree on an entry (the same content twice is fine)',
    );
    expect(problems[2][3]).to.match(new RegExp(`^Azure lot ${page.value[0].id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} differs from the one in ${first('lots-research-page-1.json')} value\\[0\\] `));
    expect((await snapshot(dir)).lots).to.deep.equal([]);
    // Every fixture given twice (the same content): loads.
    const twice = await ingestFiles([...FIXTURE_FILES, ...FIXTURE_FILES.map((f) => writeJson(dir, `copy-${path.basename(f)}`, fs.readFileSync(f, 'utf8')))], dir, [azureIngest]);
    expect(twice.ok, JSON.stringify(twice)).to.equal(true);
    expect((await snapshot(dir)).lots).to.have.length(9);
  });

  it('rejects billing profiles and events that do not fit their parents', async () => {
    const accounts = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'billing-accounts.json'), 'utf8'));
    const profiles = accounts.value[0].properties.billingProfiles.value;
    profiles[1].id = '/providers/Microsoft.Billing/billingAccounts/someone-else/billingProfiles/EURO-2222-BBB-222';
    delete profiles[0].properties.currency;
    const events = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'events-research.json'), 'utf8'));
    events.value[0].properties.billingProfileId = EUROPE;
    delete events.value[1].properties.transactionDate;
    const result = await ingestFiles([writeExact('accounts.json', accounts), writeExact('events.json', events)], dir, [azureIngest]);
    expect(result.ok).to.equal(false);
    const problems = !result.ok ? result.problems : [];
    expect(problems.map((p) => [path.basename(p.file), p.entry, p.field])).to.deep.equal([
      ['accounts.json', 'value[0].properties.billingProfiles.value[0]', 'properties.currency'],
      ['accounts.json', 'value[0].properties.billingProfiles.value[1]', 'id'],
      ['accounts.json', 'value[0].properties.billingProfiles.value[1].properties.invoiceSections.value[0]', 'id'],
      ['events.json', 'value[0]', 'properties.billingProfileId'],
      ['events.json', 'value[1]', 'properties.transactionDate'],
    ]);
    expect(problems.map((p) => p.reason)).to.deep.equal([
      'is required',
      `"${profiles[1].id}" is not under its billing account "${accounts.value[0].id}"`,
      `"${EUROPE}/invoiceSections/SEC3-CCCC-PJA-TGB" is not under its billing profile "${profiles[1].id}"`,
      `"${EUROPE}" is not the billing profile in the event's id ("${RESEARCH}")`,
      'is required',
    ]);
  });
});

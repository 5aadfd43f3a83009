/**
 * The billing-file parsers: hand-written fixtures in both formats (test/fixtures/charges), the
 * totals check, malformed files, Azure eligibility, and a 1,000,000-row AWS file generated on the
 * fly into a temp dir and loaded through ingest (rows, totals and a bound on peak RSS growth asserted;
 * the time is printed, and measured by `npm run bench`, never asserted).
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { applyCharges, ExactSum } from '../../lib/domain/charges';
import { CreditBalanceRow } from '../../lib/store/storage';
import { ingestFiles } from '../../lib/store/ingest';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { openAwsDatabase } from '../../subgraphs/aws/store';
import { AWS_BILLING_COLUMNS, parseAwsBillingCsv } from '../../subgraphs/aws/charges/billing-csv';
import { azureIneligibility, parseCostDetailsCsv } from '../../subgraphs/azure/charges/cost-details-csv';
import { addDecimal, compareDecimal } from '../../lib/domain/money';
import { storedCharges } from './billing-files';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/charges');
const fixture = (name: string) => path.join(FIXTURES, name);

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'charges-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const quoted = (fields: string[]) => fields.map((f) => `"${f}"`).join(',');

describe('AWS Programmatic Billing CSV parser', () => {
  it('reads an estimated month with every record type: line items aggregated, totals checked, rounding allowed', async () => {
    const r = await parseAwsBillingCsv(fixture('111122223333-aws-billing-csv-2026-10.csv'));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.summary).to.include({ payerAccountId: '111122223333', month: '2026-10', final: false, rows: 8, lineItems: 4, periods: 1, charges: 3 });
    expect(r.summary.totals).to.deep.equal({ USD: { costBeforeTax: '509.5511345678', charged: '509.5511345678' } });
    expect(r.periods).to.have.length(1);
    expect(r.periods[0]).to.deep.include({ group: '111122223333', month: '2026-10', final: false, invoiceIds: [], dataThrough: '2026-10-15' });
    expect(r.periods[0].charges).to.deep.equal([
      { consumerId: '111122223333', consumerKind: 'AWS_ACCOUNT', service: 'AWS Support (Business)', productCode: 'AWSSupportBusiness', currency: 'USD', creditEligible: true, date: '2026-10-01', amount: '100.00' },
      // the two EC2 rows of the same account and day: 350.3012345678 + 10.0000000000
      { consumerId: '444455556666', consumerKind: 'AWS_ACCOUNT', service: 'Amazon Elastic Compute Cloud', productCode: 'AmazonEC2', currency: 'USD', creditEligible: true, date: '2026-10-01', amount: '360.3012345678' },
      { consumerId: '777788889999', consumerKind: 'AWS_ACCOUNT', service: 'Amazon Simple Storage Service', productCode: 'AmazonS3', currency: 'USD', creditEligible: true, date: '2026-10-15', amount: '49.2499000000' },
    ]);
  });

  it('reads a final month (a real InvoiceID) and its charges feed the engine', async () => {
    const r = await parseAwsBillingCsv(fixture('111122223333-aws-billing-csv-2026-09.csv'));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.summary).to.include({ month: '2026-09', final: true, rows: 4, lineItems: 2, charges: 2 });
    const est = await parseAwsBillingCsv(fixture('111122223333-aws-billing-csv-2026-10.csv'));
    if (!est.ok) throw new Error('fixture');
    const credit = {
      id: '42', group: '111122223333', currency: 'USD', openingBalance: '500.00', openingMonth: '2026-09',
      startsAt: '2026-01-01', expiresAt: '2027-01-01', applicableServices: ['Amazon Elastic Compute Cloud'],
    };
    const out = applyCharges([credit], [...r.periods, ...est.periods]);
    // September final: 200.10 + 0.05 = 200.15 -> remaining 299.85. October estimated: EC2 360.3012345678 of it -> 299.85 all used.
    expect(out.credits[0]).to.include({ remaining: '299.85', appliedFinal: '200.15', appliedEstimated: '299.8500000000', estimated: '0.0000000000' });
  });

  it('rejects a file whose totals do not add up, naming the line and both amounts', async () => {
    const r = await parseAwsBillingCsv(fixture('aws-billing-total-mismatch.csv'));
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.problems).to.deep.equal([
      {
        file: fixture('aws-billing-total-mismatch.csv'),
        line: 3,
        column: 25,
        field: 'CostBeforeTax',
        reason: 'AccountTotal of account 444455556666 says CostBeforeTax 300.00 but the line items sum to 200.10',
      },
    ]);
  });

  it('rejects a malformed file with line and column, listing every problem', async () => {
    const file = path.join(tmp, '111122223333-aws-billing-csv-2026-10.csv');
    const good = fs.readFileSync(fixture('111122223333-aws-billing-csv-2026-10.csv'), 'utf8').split('\n');
    const lines = [...good];
    lines[1] = lines[1].replace('"350.3012345678"', '"350.30x"'); // not a decimal: line 2, CostBeforeTax (25)
    lines[2] = lines[2].replace('"2026/10/01 00:00:00"', '2026/10/01 00:00:00'); // unquoted BillingPeriodStartDate (6)
    lines[3] = lines[3].replace('"LinkedLineItem"', '"UsageItem"'); // unknown record type (4)
    lines[4] = lines[4].replace('"100.00"', '"100.00"x'); // CSV syntax: line 5, field 25
    fs.writeFileSync(file, lines.join('\n'));
    const r = await parseAwsBillingCsv(file);
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    const where = r.problems.map((p) => `${p.line}:${p.column}`);
    expect(where).to.include.members(['2:25', '3:6', '4:4', '5:25']);
    expect(r.problems.find((p) => p.line === 2)!.reason).to.match(/not a decimal/);
    expect(r.problems.find((p) => p.line === 3)!.reason).to.match(/quoted/);
    expect(r.problems.find((p) => p.line === 5)!.reason).to.match(/CSV syntax/);
  });

  it('rejects a wrong header, rows of another month and a file name that disagrees', async () => {
    const bad = path.join(tmp, 'header.csv');
    fs.writeFileSync(bad, quoted(AWS_BILLING_COLUMNS.map((c) => (c === 'RecordType' ? 'RecordKind' : c))) + '\n');
    const r1 = await parseAwsBillingCsv(bad);
    expect(!r1.ok && r1.problems[0]).to.include({ line: 1, column: 4 });
    const other = path.join(tmp, '111122223333-aws-billing-csv-2026-08.csv');
    const text = fs.readFileSync(fixture('111122223333-aws-billing-csv-2026-09.csv'), 'utf8').split('\n');
    text[2] = text[2].replace('"2026/09/01 00:00:00"', '"2026/10/01 00:00:00"');
    fs.writeFileSync(other, text.join('\n'));
    const r2 = await parseAwsBillingCsv(other);
    expect(r2.ok).to.equal(false);
    if (r2.ok) return;
    expect(r2.problems.map((p) => p.reason).join('\n')).to.match(/billing month 2026-10 differs/).and.match(/file name names month 2026-08/);
  });

  it('caps the problem list and says how many more there were', async () => {
    const file = path.join(tmp, 'many.csv');
    const row = (i: number) =>
      quoted(AWS_BILLING_COLUMNS.map((c) => ({ RecordType: 'LinkedLineItem', PayerAccountId: '111122223333', LinkedAccountId: 'bad', InvoiceID: 'Estimated', BillingPeriodStartDate: '2026/10/01 00:00:00', ProductName: 'x', CurrencyCode: 'USD', CostBeforeTax: `${i}` } as Record<string, string>)[c] ?? ''));
    fs.writeFileSync(file, [quoted([...AWS_BILLING_COLUMNS]), ...Array.from({ length: 30 }, (_, i) => row(i))].join('\n'));
    const r = await parseAwsBillingCsv(file, { maxProblems: 10 });
    expect(!r.ok && r.problems).to.have.length(11);
    expect(!r.ok && r.problems[10].reason).to.equal('and 20 more problems');
  });

  it('loads a 1,000,000-row file through ingest in bounded memory, with the expected rows, totals and credit use', async function () {
    this.timeout(300000);
    const file = path.join(tmp, '111122223333-aws-billing-csv-2026-10.csv');
    const out = fs.createWriteStream(file);
    const write = async (text: string) => {
      if (!out.write(text)) await once(out, 'drain');
    };
    await write(quoted([...AWS_BILLING_COLUMNS]) + '\n');
    const ROWS = 1_000_000;
    let expected = 0n; // in 10^-10
    const value = (i: number) => BigInt(i % 1000) * 10_000_000_000n + BigInt((i * 7919) % 10_000_000_000);
    const text = (v: bigint) => `${v / 10_000_000_000n}.${(v % 10_000_000_000n).toString().padStart(10, '0')}`;
    const base: Record<string, string> = { InvoiceID: 'Estimated', PayerAccountId: '111122223333', BillingPeriodStartDate: '2026/10/01 00:00:00', BillingPeriodEndDate: '2026/10/31 23:59:59', CurrencyCode: 'USD', RecordType: 'LinkedLineItem', SellerOfRecord: 'Amazon Web Services, Inc.' };
    const template = AWS_BILLING_COLUMNS.map((c) => base[c] ?? '');
    const at = (c: string) => AWS_BILLING_COLUMNS.indexOf(c as never);
    for (let i = 0; i < ROWS; i++) {
      const v = value(i);
      expected += v;
      const f = [...template];
      f[at('LinkedAccountId')] = String(100000000000 + (i % 100));
      f[at('RecordID')] = String(i);
      f[at('ProductCode')] = `Product${i % 20}`;
      f[at('ProductName')] = `Service ${i % 20}`;
      f[at('UsageStartDate')] = `2026/10/${String(1 + (i % 28)).padStart(2, '0')} 00:00:00`;
      f[at('CostBeforeTax')] = text(v);
      f[at('TotalCost')] = text(v);
      await write(quoted(f) + '\n');
    }
    const total = [...template];
    total[at('RecordType')] = 'InvoiceTotal';
    total[at('CostBeforeTax')] = text(expected);
    total[at('TotalCost')] = text(expected);
    await write(quoted(total) + '\n');
    out.end();
    await once(out, 'finish');

    // Loaded as a user would: through ingest, beside a credit of the payer that the month's charges use up.
    const credits = path.join(tmp, 'credits.json');
    fs.writeFileSync(
      credits,
      JSON.stringify({
        credits: [{
          creditId: '93000000001', accountId: '111122223333', creditType: 'Promotion', description: 'Big file credit',
          initialAmount: { currencyCode: 'USD', currencyAmount: '1000.00' }, remainingAmount: { currencyCode: 'USD', currencyAmount: '1000.00' },
          startDate: 1767225600, endDate: 1830297600, creditSharingType: 'DEFAULT',
        }],
      }),
    );
    const dataDir = path.join(tmp, 'data');
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = Date.now();
    const r = await ingestFiles([credits, file], dataDir, PROVIDER_INGESTS);
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
    const loaded = r.loaded.find((l) => l.file === file)!;
    expect(loaded).to.include({ rows: ROWS + 1, periods: 1 });
    // (day, account, product) repeats every lcm(28, 100, 20) = 700 rows
    expect(loaded.entries).to.equal(700);
    const db = await openAwsDatabase(dataDir);
    try {
      const stored = await storedCharges(db.manager);
      const sum = new ExactSum();
      for (const c of stored) sum.addText(c.amount);
      expect(stored).to.have.length(700);
      expect(sum.toString()).to.equal(text(expected));
      // The month is estimated and its charges exceed the credit: all 1000.00 is used in the estimate.
      expect(await db.manager.findOneByOrFail(CreditBalanceRow, { creditId: '93000000001' })).to.include({ remaining: '1000.00', appliedEstimated: '1000.0000000000', estimated: '0.0000000000' });
    } finally {
      await db.destroy();
    }
    // Memory must not follow the file (271 MB, a million rows): only the aggregated charges are held.
    expect(peak - baseline).to.be.below(256 * 1024 * 1024);
    console.log(
      `      1,000,000-row AWS file (${(fs.statSync(file).size / 1e6).toFixed(0)} MB) loaded: ${Date.now() - started} ms, peak RSS growth ${((peak - baseline) / 1e6).toFixed(0)} MB (speed: npm run bench)`,
    );
  });
});

describe('Azure MCA cost details CSV parser', () => {
  it('reads a final month by header name (any order, extra columns), netting a refund', async () => {
    const r = await parseCostDetailsCsv(fixture('azure-cost-details-2026-10-final.csv'));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.summary).to.deep.include({ rows: 4, periods: 1, charges: 2, ineligibleRows: { 'Azure support plan': 1 } });
    expect(r.summary.totals).to.deep.equal({ USD: { cost: '250.00', eligible: '150.00', ineligible: '100.00' } });
    expect(r.periods).to.deep.equal([
      {
        group: 'PBFV-AB12-CD3-EF4',
        month: '2026-10',
        final: true,
        invoiceIds: ['G012345678'],
        dataThrough: '2026-10-03',
        charges: [
          { consumerId: 'QRS2-CD34-PJA-TGB', consumerKind: 'AZURE_INVOICE_SECTION', service: 'Azure Support', productCode: 'Azure Support Plan - Standard', currency: 'USD', creditEligible: false, date: '2026-10-01', amount: '100.00' },
          { consumerId: 'XYZ1-AB12-PJA-TGB', consumerKind: 'AZURE_INVOICE_SECTION', service: 'Virtual Machines', productCode: 'Virtual Machines NCadsH100v5 Series', currency: 'USD', creditEligible: true, date: '2026-10-03', amount: '150.00' },
        ],
      },
    ]);
  });

  it('reads an estimated month per billing profile and never lets credits pay ineligible products', async () => {
    const r = await parseCostDetailsCsv(fixture('azure-cost-details-2026-11-estimated.csv'));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.summary.ineligibleRows).to.deep.equal({ 'isAzureCreditEligible False': 1, 'ineligible product': 3 });
    expect(r.periods.map((p) => `${p.group} ${p.month} ${p.final}`)).to.deep.equal(['PBFV-AB12-CD3-EF4 2026-11 false', 'PBFV-EU99-CD3-EF4 2026-11 false']);
    const eligible = r.periods[0].charges.filter((c) => c.creditEligible).map((c) => c.productCode);
    // charges come in (day, invoice section, ...) order: QRS2 before XYZ1 on 2026-11-03
    expect(eligible).to.deep.equal(['Rtn Preference: MGN - Standard Data Transfer Out - Zone 1', 'Virtual Machines NCadsH100v5 Series - NC40ads H100 v5 - US East']);
    expect(r.periods[1].charges[0]).to.include({ currency: 'EUR', date: '2026-11-07', amount: '7.10' });
    const lot = { id: 'lot-1', group: 'PBFV-AB12-CD3-EF4', currency: 'USD', openingBalance: '1000.00', openingMonth: '2026-11', startsAt: '2026-01-01', expiresAt: null, applicableServices: [] };
    const out = applyCharges([lot], r.periods);
    // Only the two eligible charges: 169.28 + 10.4835 = 179.7635.
    expect(out.credits[0]).to.include({ remaining: '1000.00', appliedEstimated: '179.7635000000', estimated: '820.2365000000' });
  });

  it('matches the ineligible products list sensibly', () => {
    const f = (productName: string, extra: Partial<Parameters<typeof azureIneligibility>[0]> = {}) =>
      azureIneligibility({ isAzureCreditEligible: true, publisherType: 'Azure', publisherName: 'Microsoft', productName, meterCategory: 'Virtual Machines', ...extra });
    expect(f('Visual Studio Professional (Annual)')).to.equal('ineligible product');
    expect(f('Remote Access Rights XenApp Essentials Registered User')).to.equal('ineligible product');
    expect(f('Citrix XenApp Essentials')).to.equal('ineligible product');
    expect(f('Canonical Ubuntu Pro', { publisherName: 'Canonical' })).to.equal('ineligible product');
    expect(f('Anything', { publisherType: 'Marketplace' })).to.equal('Azure Marketplace');
    expect(f('Developer Support', { meterCategory: 'Azure Support' })).to.equal('Azure support plan');
    expect(f('Visual Studio Enterprisey Things')).to.equal(null);
    expect(f('Virtual Machines Dv5 Series')).to.equal(null);
    expect(f('Registered Users Report')).to.equal(null);
  });

  it('names missing required columns', async () => {
    const file = path.join(tmp, 'missing.csv');
    fs.writeFileSync(file, 'billingProfileId,date,costInBillingCurrency\nP,2026-11-01,1\n');
    const r = await parseCostDetailsCsv(file);
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.problems[0].reason).to.match(/missing required columns: invoiceId, invoiceSectionId, billingPeriodStartDate, ProductName/).and.match(/meterCategory \(or consumedService\)/);
  });

  it('rejects bad rows with line, column and field, and a month that mixes invoiced and open rows', async () => {
    const file = path.join(tmp, 'bad.csv');
    const lines = fs.readFileSync(fixture('azure-cost-details-2026-11-estimated.csv'), 'utf8').trimEnd().split('\n');
    lines[1] = lines[1].replace(',169.2800000000,', ',169.28.00,'); // costInBillingCurrency is column 20
    lines[2] = lines[2].replace(/^,/, 'G0001,'); // an invoiceId in an otherwise open month
    lines[3] = lines[3].replace(',False', ',Maybe');
    fs.writeFileSync(file, lines.join('\n'));
    const r = await parseCostDetailsCsv(file);
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.line}:${p.column}:${p.field}`)).to.deep.equal(['2:20:costInBillingCurrency', '4:23:isAzureCreditEligible', '3:1:invoiceId']);
  });
});

describe('Azure cost details aggregation', () => {
  const HEADER = 'invoiceId,billingProfileId,invoiceSectionId,billingPeriodStartDate,date,meterCategory,ProductName,publisherType,publisherName,billingCurrency,costInBillingCurrency,isAzureCreditEligible,tags';
  const PRODUCTS = ['Virtual Machines D2s v5', 'Storage, Hot LRS', 'Azure Support Plan - Standard', 'Visual Studio Enterprise (Monthly)', 'Bandwidth'];

  it('sums each charge exactly as adding its rows one by one does, in order, however many distinct products a file names', async () => {
    // 150,000 rows over 3 profiles, 2 months, 4 sections and over 65,535 distinct products (the
    // parser's short charge keys run out there), quoted fields, refunds and ineligible rows; the
    // reference adds amounts with lib/domain/money and orders charges by their texts. The rows of the
    // distinct products share one profile, section, day and currency, so that two products whose
    // numbers are 65,536 apart would meet in one key if the short form were used past its end.
    const lines = [HEADER];
    const expected = new Map<string, Map<string, { charge: Record<string, unknown>; amount: string }>>();
    for (let i = 0; i < 150_000; i++) {
      const unique = i % 2 === 0;
      const profile = unique ? 'PROF-0' : `PROF-${i % 3}`;
      const month = unique ? '2026-10' : '2026-11';
      const invoice = month === '2026-10' ? 'G0' : '';
      // Sections, days and currencies first met out of their order: charges are ordered by text.
      const section = unique ? 'SEC-3' : `SEC-${3 - (i % 4)}`;
      const date = unique ? `${month}-28` : `${month}-${String(28 - (i % 28)).padStart(2, '0')}`;
      const product = unique ? `Unique product ${i}` : PRODUCTS[i % 5];
      const currency = !unique && i % 13 === 1 ? 'EUR' : 'USD';
      const cost = i % 17 === 0 ? `-${(i % 7) + 0.25}` : `${(i * 7919) % 1000}.${String(i % 10000).padStart(4, '0')}`;
      const eligibleText = !unique && i % 11 === 0 ? 'False' : 'True';
      const tags = i % 4 === 0 ? `"{""team"":""t${i % 9}""}"` : '';
      lines.push(`${invoice},${profile},${section},${month}-01,${date},Compute,${quoted([product])},Azure,Microsoft,${currency},${cost},${eligibleText},${tags}`);
      const creditEligible = azureIneligibility({ isAzureCreditEligible: eligibleText === 'True', publisherType: 'Azure', publisherName: 'Microsoft', productName: product, meterCategory: 'Compute' }) === null;
      const charge = { consumerId: section, consumerKind: 'AZURE_INVOICE_SECTION', service: 'Compute', productCode: product, currency, creditEligible, date };
      const key = JSON.stringify([date, section, 'Compute', product, currency, creditEligible ? 1 : 0]);
      const period = expected.get(`${profile} ${month}`) ?? new Map();
      expected.set(`${profile} ${month}`, period);
      const seen = period.get(key);
      if (seen) seen.amount = addDecimal(seen.amount, cost);
      else period.set(key, { charge, amount: cost });
    }
    const file = path.join(tmp, 'aggregation.csv');
    fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
    const r = await parseCostDetailsCsv(file);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.summary.rows).to.equal(150_000);
    const byTexts = (a: string, b: string) => {
      const [x, y] = [JSON.parse(a), JSON.parse(b)];
      for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return x[k] < y[k] ? -1 : 1;
      return 0;
    };
    expect(r.periods.map((p) => `${p.group} ${p.month}`)).to.deep.equal([...expected.keys()].sort());
    for (const p of r.periods) {
      const period = expected.get(`${p.group} ${p.month}`)!;
      const charges = [...period.keys()].sort(byTexts).map((k) => ({ ...period.get(k)!.charge, amount: period.get(k)!.amount })).filter((c) => compareDecimal(c.amount, '0') > 0);
      expect(p.charges).to.have.length(charges.length);
      expect(p.charges).to.deep.equal(charges);
    }
  });
});

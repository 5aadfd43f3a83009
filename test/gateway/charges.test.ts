/**
 * What users see of applied charges, through the gateway on the demo data (12 months of billing
 * files): month-to-date charges with a run-rate forecast, Azure's balance summary, a pause that
 * re-estimates the open month at once, and the ingest command's summary.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ExactSum, parseExact } from '../../lib/domain/charges/amount';
import { compareDecimal, sumDecimals, canonicalMoneyAmount } from '../../lib/domain/money';
import { DEMO_DIR, query, REPO_ROOT, Stack, startStack, tempDir } from '../support/stack';

const DATA = '444455556666';
const PROFILE = '/providers/Microsoft.Billing/billingAccounts/5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31/billingProfiles/PBFV-AB12-CD3-EF4';

/** CostBeforeTax of one account's line items in a demo billing file, read here with a plain split. */
function costOf(file: string, account: string): ExactSum {
  const sum = new ExactSum();
  for (const line of fs.readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
    const f = line.slice(1, -1).split('","');
    if (f[3] === 'LinkedLineItem' && f[2] === account) sum.addText(f[24]);
  }
  return sum;
}

describe('applied charges through the gateway', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.stop());

  it('gives an AWS account its month-to-date charges, what credits paid, and a forecast from the run rate', async () => {
    const data = await query(stack.gatewayUrl, `{ awsAccount(accountId: "${DATA}") {
      open: monthToDate { month currencyCode estimated dataThrough daysCovered daysInMonth charges creditsApplied net forecastCharges forecastNet }
      october: monthToDate(month: "2026-10") { estimated charges forecastCharges daysCovered } } }`);
    const [open] = data.awsAccount.open;
    const charges = costOf(path.join(DEMO_DIR, 'aws', '111122223333-aws-billing-csv-2026-11.csv'), DATA);
    expect(open).to.include({ month: '2026-11', currencyCode: 'USD', estimated: true, dataThrough: '2026-11-21', daysCovered: 21, daysInMonth: 30 });
    expect(compareDecimal(open.charges, charges.toString())).to.equal(0);
    // The API's one money form: cents at least, no trailing zeros beyond them, nothing rounded.
    for (const amount of [open.charges, open.creditsApplied, open.net, open.forecastCharges, open.forecastNet]) expect(canonicalMoneyAmount(amount, 'USD')).to.equal(amount);
    expect(compareDecimal(open.net, sumDecimals([open.charges, `-${open.creditsApplied}`]))).to.equal(0);
    // 30/21 of the charges, to the last place: |forecast x 21 - charges x 30| is at most half a unit of the last place x 21.
    const places = open.forecastCharges.split('.')[1].length;
    const unit = 10n ** BigInt(20 - places);
    const error = parseExact(open.forecastCharges).units * 21n - charges.units * 30n;
    expect((error < 0n ? -error : error) <= (unit * 21n) / 2n).to.equal(true);
    const [october] = data.awsAccount.october;
    const octoberCharges = costOf(path.join(DEMO_DIR, 'aws', '111122223333-aws-billing-csv-2026-10.csv'), DATA).toString();
    expect(october).to.include({ estimated: false, daysCovered: 31 });
    expect(compareDecimal(october.charges, octoberCharges)).to.equal(0);
    expect(october.forecastCharges).to.equal(october.charges);
  });

  it('summarizes an Azure billing profile\'s balance as its lots and month-to-date show it', async () => {
    const data = await query(stack.gatewayUrl, `query($id: ID!) { azureBillingProfile(id: $id) {
      availableBalance { value currency }
      balanceSummary { currency currentBalance { value } estimatedBalance { value } pendingEligibleCharges { value } expiredCredit { value } }
      monthToDate { month estimated eligibleCharges creditsApplied }
      lots { nodes { name status estimatedBalance { value } expirationDate startDate } }
    } }`, { id: PROFILE });
    const profile = data.azureBillingProfile;
    // By hand from demo/README.md: on 2026-11-22 the Development profile's usable lots are G100200301 (6000.00 left,
    // 5216.9290852869 estimated), G100200302 (18107.4128605023, nothing estimated) and G100200308 (1500.00, from 2026-11-16);
    // G100200307 expired on 2026-11-15. 6000.00 + 18107.4128605023 + 1500.00 = 25607.4128605023;
    // 5216.9290852869 + 18107.4128605023 + 1500.00 = 24824.3419457892.
    expect(profile.balanceSummary.currentBalance.value).to.equal('25607.4128605023');
    expect(profile.balanceSummary.estimatedBalance.value).to.equal('24824.3419457892');
    expect(profile.balanceSummary.currentBalance.value).to.equal(profile.availableBalance.value);
    // The open month: every eligible charge of November is pending; what the lots pay of it is the drop to the estimate.
    const [open] = profile.monthToDate;
    expect(open).to.include({ month: '2026-11', estimated: true });
    expect(profile.balanceSummary.pendingEligibleCharges.value).to.equal(open.eligibleCharges);
    const credits = await query(stack.gatewayUrl, `{ credits(first: 100, filter: { providers: [AZURE], ownerIds: ["${PROFILE}"], statuses: [ACTIVE] }) { nodes { estimatedBalance { amount } expiredAmount { amount } } } }`);
    expect(compareDecimal(profile.balanceSummary.estimatedBalance.value, sumDecimals(credits.credits.nodes.map((c: any) => c.estimatedBalance.amount)))).to.equal(0);
    // demo/README.md: G100200303 expired with 2665.2546874854 left.
    expect(profile.balanceSummary.expiredCredit.value).to.equal('2665.2546874854');
  });

  it('re-estimates the open month at once when a credit is paused, and again when it is activated', async () => {
    const ids = await query(stack.gatewayUrl, `{ credits(first: 100, filter: { providers: [AWS] }) { nodes { id providerCreditId estimatedBalance { amount } } } }`);
    const activate = ids.credits.nodes.find((c: any) => c.providerCreditId === '90000000001');
    const balances = async () =>
      new Map<string, string>(
        (await query(stack.gatewayUrl, `{ credits(first: 100, filter: { providers: [AWS] }) { nodes { providerCreditId remainingBalance { amount } estimatedBalance { amount } } } }`)).credits.nodes.map(
          (c: any) => [c.providerCreditId, `${c.remainingBalance.amount}/${c.estimatedBalance.amount}`],
        ),
      );
    const before = await balances();
    expect(before.get('90000000001')).to.equal('11559.9810363054/9434.1711455225');
    const paused = await query(stack.gatewayUrl, `mutation($id: ID!) { pauseCredit(input: { creditId: $id }) { credit { status remainingBalance { amount } estimatedBalance { amount } } userErrors { code } } }`, { id: activate.id });
    // Paused in November (open): it pays nothing of November, so its estimate is its remaining balance;
    // the credits after it in the order pay what it would have.
    expect(paused.pauseCredit.credit).to.deep.equal({ status: 'PAUSED', remainingBalance: { amount: '11559.9810363054' }, estimatedBalance: { amount: '11559.9810363054' } });
    const during = await balances();
    for (const [id, value] of during) if (id !== '90000000001') expect(value.split('/')[0], id).to.equal(before.get(id)!.split('/')[0]);
    expect([...during.values()].join()).to.not.equal([...before.values()].join());
    await query(stack.gatewayUrl, `mutation($id: ID!) { activateCredit(input: { creditId: $id }) { userErrors { code } } }`, { id: activate.id });
    expect(await balances()).to.deep.equal(before);
  });

  it('`npm run ingest` applies billing files and prints a summary, without a progress bar off a terminal', () => {
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'scripts', 'ingest.js'), DEMO_DIR], {
      env: { ...process.env, DATA_DIR: tempDir('ingest-summary') },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).to.equal('');
    expect(run.stdout).to.match(/loaded .*111122223333-aws-billing-csv-2026-11\.csv \(AWS Programmatic Billing CSV, \d+ rows, 1 month\(s\), \d+ charges\)/);
    expect(run.stdout).to.match(/AWS: applied 12 billing month\(s\) of 1 billing group\(s\) to 7 credit\(s\)/);
    expect(run.stdout).to.match(/AZURE: applied 24 billing month\(s\) of 2 billing group\(s\)/);
    expect(run.stdout).to.match(/45 file\(s\) loaded into .*: \d+ billing rows, 36 billing month\(s\), [\d.]+ s/);
  });
});

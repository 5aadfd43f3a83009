/**
 * Properties of the whole stored path (fast-check): random AWS credits, random billing files
 * loaded through `ingestFiles` (estimated, overwritten, final), random pauses, activations and
 * shares through the provider, and newer GetCredits snapshots, in random order. After every step
 * every credit keeps
 *   opening = remaining + applied in final months + expired, and 0 <= estimated <= remaining,
 * its served balances are the computed ones (or the snapshot's when nothing applies), its computed
 * history sums to what it paid, final and estimated apart; a pause or share leaves every closed
 * month as it was, a snapshot of the served balances leaves the remaining balances as they were,
 * and loading a file that is already loaded changes nothing.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import type { Principal } from '../../lib/platform/auth/principal';
import { ExactSum, parseExact } from '../../lib/domain/charges/amount';
import { readApplications } from '../../lib/store/ledger';
import { CreditApplicationsRow, CreditBalanceRow } from '../../lib/store/storage';
import { ingestFiles } from '../../lib/store/ingest';
import type { ShareCreditRequest } from '../../lib/domain/provider-contract';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { openAwsDatabase } from '../../subgraphs/aws/store';
import { AwsCredit } from '../../subgraphs/aws/entities/credit';
import { AwsCreditAllocation } from '../../subgraphs/aws/entities/credit-allocation';
import { AwsCreditProvider } from '../../subgraphs/aws/provider';
import { onPostgres, removeProviderDatabase } from '../support/database';
import { tempDir } from '../support/stack';
import { AwsLine, PAYER, writeAwsBillingCsv } from './billing-files';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/aws');
const ACCOUNTS = ['444455556666', '777788889999', '123456789012', PAYER];
const SERVICES = [
  { service: 'Amazon Elastic Compute Cloud', productCode: 'AmazonEC2' },
  { service: 'Amazon Simple Storage Service', productCode: 'AmazonS3' },
];
const FUNDING = 'arn:aws:ce::111122223333:costcategory/7d3a1c52-4b7e-4d8a-9f0e-2c6b5a4e3d21';
const MONTHS = ['2026-09', '2026-10', '2026-11'];
const CALLER: Principal = { subject: 'payer', awsAccountIds: [PAYER], azureRoleAssignments: [] };
const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

const creditArb = fc.record({
  amount: fc.integer({ min: 0, max: 50_000 }).map(cents),
  endDay: fc.constantFrom('2026-10-10', '2026-11-05', '2027-06-01'),
  services: fc.constantFrom([], [SERVICES[0].service]),
});
const lineArb: fc.Arbitrary<AwsLine> = fc.record({
  account: fc.constantFrom(...ACCOUNTS),
  svc: fc.constantFrom(...SERVICES),
  day: fc.integer({ min: 1, max: 28 }),
  cost: fc.integer({ min: 1, max: 20_000 }).map(cents),
}).map(({ account, svc, day, cost }) => ({ account, ...svc, day, cost, payer: account === PAYER }));
const shareArb: fc.Arbitrary<Omit<ShareCreditRequest, 'providerCreditId' | 'now'>> = fc.oneof(
  fc.constant({ scope: 'ORGANIZATION' as const }),
  fc.constant({ scope: 'OWNER_ONLY' as const }),
  fc.subarray(ACCOUNTS.slice(0, 3), { minLength: 1 }).map((accountIds) => ({ scope: 'ACCOUNTS' as const, accountIds })),
  fc.constantFrom('GrantNSF', 'Product').map((value) => ({ scope: 'COST_CATEGORY' as const, costCategoryArn: FUNDING, costCategoryValue: value })),
);
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('load' as const), month: fc.constantFrom(...MONTHS), final: fc.boolean(), lines: fc.array(lineArb, { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('pause' as const), credit: fc.nat(3), paused: fc.boolean(), month: fc.constantFrom(...MONTHS) }),
  fc.record({ kind: fc.constant('share' as const), credit: fc.nat(3), share: shareArb, month: fc.constantFrom(...MONTHS) }),
  fc.record({ kind: fc.constant('snapshot' as const) }),
);

/** The computed history of closed (final) months, which no pause or share may change. */
async function closedMonths(dataDir: string): Promise<string> {
  const db = await openAwsDatabase(dataDir);
  try {
    const rows = await db.manager.find(AwsCreditAllocation, { where: { origin: 'COMPUTED', isEstimatedBill: false }, order: { creditId: 'ASC', billingMonth: 'ASC', accountId: 'ASC', appliedServiceName: 'ASC', productCode: 'ASC' } });
    return JSON.stringify(rows.map((r) => [r.creditId, r.billingMonth, r.accountId, r.productCode, r.currencyAmount]));
  } finally {
    await db.destroy();
  }
}

/** The served remaining balance of each credit. */
async function remainings(dataDir: string): Promise<Map<string, bigint>> {
  const db = await openAwsDatabase(dataDir);
  try {
    return new Map((await db.manager.find(AwsCredit)).map((c) => [c.creditId, parseExact(c.remainingCurrencyAmount).units]));
  } finally {
    await db.destroy();
  }
}

async function snapshot(dataDir: string): Promise<string> {
  const db = await openAwsDatabase(dataDir);
  try {
    const [credits, balances, allocations] = await Promise.all([
      db.manager.find(AwsCredit, { order: { creditId: 'ASC' } }),
      db.manager.find(CreditBalanceRow, { order: { creditId: 'ASC' } }),
      db.manager.find(AwsCreditAllocation, { order: { creditId: 'ASC', billingMonth: 'ASC', accountId: 'ASC', appliedServiceName: 'ASC', productCode: 'ASC', origin: 'ASC' } }),
    ]);
    return JSON.stringify({ credits, balances, allocations });
  } finally {
    await db.destroy();
  }
}

async function checkInvariants(dataDir: string): Promise<void> {
  const db = await openAwsDatabase(dataDir);
  try {
    const credits = new Map((await db.manager.find(AwsCredit)).map((c) => [c.creditId, c]));
    const balances = await db.manager.find(CreditBalanceRow);
    const applications = await readApplications(db.manager, balances.map((b) => b.creditId));
    // No credit has applications stored without a balance (a document left behind by a recompute).
    const withBalance = new Set(balances.map((b) => b.creditId));
    for (const d of await db.manager.find(CreditApplicationsRow, { select: ['creditId'] })) expect(withBalance.has(d.creditId), d.creditId).to.equal(true);
    const history = await db.manager.find(AwsCreditAllocation, { where: { origin: 'COMPUTED' } });
    for (const b of balances) {
      const [opening, remaining, estimated, final, est, expired] = [b.openingBalance, b.remaining, b.estimated, b.appliedFinal, b.appliedEstimated, b.expired].map((v) => parseExact(v).units);
      expect(opening, b.creditId).to.equal(remaining + final + expired);
      expect(estimated >= 0n && estimated <= remaining, b.creditId).to.equal(true);
      expect(estimated, b.creditId).to.equal(remaining - est);
      const paid = (rows: { amount: string; estimated: boolean }[], estimatedRows: boolean) => {
        const sum = new ExactSum();
        for (const r of rows) if (r.estimated === estimatedRows) sum.addText(r.amount);
        return sum.units;
      };
      const mine = applications.filter((a) => a.creditId === b.creditId);
      expect(paid(mine, false), b.creditId).to.equal(final);
      expect(paid(mine, true), b.creditId).to.equal(est);
      const rows = history.filter((h) => h.creditId === b.creditId).map((h) => ({ amount: h.currencyAmount.replace(/^-/, ''), estimated: h.isEstimatedBill }));
      expect(paid(rows, false), b.creditId).to.equal(final);
      expect(paid(rows, true), b.creditId).to.equal(est);
      const credit = credits.get(b.creditId)!;
      if (b.computed) {
        expect(parseExact(credit.remainingCurrencyAmount).units).to.equal(remaining);
        expect(parseExact(credit.estimatedCurrencyAmount!).units).to.equal(estimated);
      } else {
        // Nothing applies to it: the snapshot is served as the file gave it.
        expect(credit.remainingCurrencyAmount).to.equal(credit.snapshotRemainingAmount);
        expect(credit.estimatedCurrencyAmount).to.equal(credit.snapshotEstimatedAmount);
      }
    }
  } finally {
    await db.destroy();
  }
}

describe(`charges through storage: properties (fast-check, ${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('keeps the invariant after any sequence of loads, re-loads, pauses and shares, and a repeated load changes nothing', async function () {
    this.timeout(300_000);
    await fc.assert(
      fc.asyncProperty(fc.array(creditArb, { minLength: 1, maxLength: 4 }), fc.array(stepArb, { minLength: 1, maxLength: 7 }), async (credits, steps) => {
        const dataDir = tempDir('ledger-prop');
        const files = tempDir('ledger-prop-files');
        try {
          const ids = credits.map((_, i) => `9200000000${i}`);
          const getCredits = path.join(files, 'credits.json');
          const writeGetCredits = (remaining: (i: number) => string) =>
            fs.writeFileSync(
              getCredits,
              JSON.stringify({
                credits: credits.map((c, i) => ({
                  creditId: ids[i],
                  accountId: PAYER,
                  creditType: 'Promotion',
                  description: `P${i}`,
                  initialAmount: { currencyCode: 'USD', currencyAmount: c.amount },
                  remainingAmount: { currencyCode: 'USD', currencyAmount: remaining(i) },
                  applicableProductNames: c.services,
                  startDate: Date.parse('2026-01-01T00:00:00Z') / 1000,
                  endDate: Date.parse(`${c.endDay}T00:00:00Z`) / 1000,
                  creditSharingType: 'DEFAULT',
                })),
              }),
            );
          writeGetCredits((i) => credits[i].amount);
          const loaded = await ingestFiles([path.join(FIXTURES, 'list-accounts.json'), path.join(FIXTURES, 'cost-category.json'), getCredits], dataDir, PROVIDER_INGESTS);
          expect(loaded.ok).to.equal(true);
          let last: string | null = null;
          for (const [n, step] of steps.entries()) {
            if (step.kind === 'load') {
              const file = writeAwsBillingCsv(files, step.month, step.final ? `INV-${step.month}` : null, step.lines, `${PAYER}-aws-billing-csv-${step.month}-${n}.csv`);
              const result = await ingestFiles([file], dataDir, PROVIDER_INGESTS);
              // An estimate of a month already final is refused (and changes nothing); anything else loads.
              if (result.ok) last = file;
              else expect(result.problems.map((p) => p.reason).join()).to.match(/is already final/);
            } else if (step.kind === 'snapshot') {
              // GetCredits as AWS would give it now: the served remaining balances. They must stay what they were.
              const before = await remainings(dataDir);
              writeGetCredits((i) => {
                const units = before.get(ids[i])!;
                return `${units / 10n ** 20n}.${(units % 10n ** 20n).toString().padStart(20, '0')}`;
              });
              expect((await ingestFiles([getCredits], dataDir, PROVIDER_INGESTS)).ok).to.equal(true);
              expect(await remainings(dataDir)).to.deep.equal(before);
            } else {
              const closedBefore = await closedMonths(dataDir);
              const db = await openAwsDatabase(dataDir);
              try {
                const provider = new AwsCreditProvider(db);
                const id = ids[step.credit % ids.length];
                const now = `${step.month}-15T00:00:00.000Z`;
                const result =
                  step.kind === 'pause'
                    ? await (step.paused ? provider.pauseCredit(CALLER, id, now) : provider.activateCredit(CALLER, id, now))
                    : await provider.shareCredit(CALLER, { ...step.share, providerCreditId: id, now });
                expect(result.userErrors, `step ${n}`).to.deep.equal([]);
              } finally {
                await db.destroy();
              }
              expect(await closedMonths(dataDir), `step ${n}: closed months after a ${step.kind}`).to.equal(closedBefore);
            }
            await checkInvariants(dataDir);
          }
          if (last !== null) {
            const before = await snapshot(dataDir);
            expect((await ingestFiles([last], dataDir, PROVIDER_INGESTS)).ok).to.equal(true);
            expect(await snapshot(dataDir)).to.equal(before);
          }
        } finally {
          await removeProviderDatabase('aws', dataDir); // on PostgreSQL a schema per run: keep the catalog small
          fs.rmSync(dataDir, { recursive: true, force: true });
          fs.rmSync(files, { recursive: true, force: true });
        }
      }),
      // Every run opens the database a few times; on PostgreSQL each open checks the schema over the
      // network, so fewer runs there (the dialects' SQL agrees by the other suites; this is the engine's property).
      { numRuns: onPostgres() ? 20 : 60, seed: 20261201 },
    );
  });
});

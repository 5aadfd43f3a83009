/**
 * The Azure provider contract per persona: what each caller sees through searchCredits, getCredits
 * and getApplications, and who may pause, activate and share. The fixtures' Northwind account
 * (profiles Research and Europe) plus a second account, Fabrikam (test/fixtures/azure/access).
 */
import { runSql } from '../support/database';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../lib/platform/auth/principal';
import { positionOf } from '../../lib/domain/credit-order';
import type { MutationResult, NormalizedCredit, SearchCreditsRequest } from '../../lib/domain/provider-contract';
import { openAzureDatabase } from '../../subgraphs/azure/store';
import { armKey, azureGrants, canViewCredits } from '../../subgraphs/azure/domain/access';
import { AzureCreditLot } from '../../subgraphs/azure/entities/credit-lot';
import { AzureCreditProvider } from '../../subgraphs/azure/provider';
import { principal } from '../support/auth';
import { ACCOUNT, EUROPE, FABRIKAM, FABRIKAM_MAIN, GENOMICS, loadedDataDirWithSecondAccount, lotId, NOW, removeDir, RESEARCH, roleClaims } from './helpers';

/** Every application of the credits asked for, in one page. */
const ALL_APPLICATIONS = { first: 100, after: null };

const G = ['G-PROMO-1', 'G-PURCH-2', 'G-FUTURE-3', 'G-PREPAY-4', 'G-DONE-5'];
const E = ['E-USD-6', 'E-COMMIT-7', 'E-ODD-8', 'E-PROMO-9'];
const F = ['F-PROMO-1', 'F-PROMO-2'];
const idOf = (name: string) => lotId(name.startsWith('G-') ? RESEARCH : name.startsWith('E-') ? EUROPE : FABRIKAM_MAIN, name);
const nameOf = (credit: { providerCreditId: string }) => credit.providerCreditId.split('/').pop()!;

/** The personas of these tests, and the lots each one sees and may change. */
const PERSONAS: Record<string, { caller: Principal; sees: string[]; changes: string[] }> = {
  'Northwind account owner': { caller: principal(roleClaims([ACCOUNT, 'billing_account_owner'])), sees: [...G, ...E], changes: [...G, ...E] },
  'Northwind account contributor (id in lower case)': {
    caller: principal(roleClaims([ACCOUNT.toLowerCase(), 'billing_account_contributor'])),
    sees: [...G, ...E],
    changes: [...G, ...E],
  },
  'Northwind account reader': { caller: principal(roleClaims([ACCOUNT, 'billing_account_reader'])), sees: [...G, ...E], changes: [] },
  'Research profile owner': { caller: principal(roleClaims([RESEARCH, 'billing_profile_owner'])), sees: G, changes: G },
  'Research profile contributor (id in upper case)': { caller: principal(roleClaims([RESEARCH.toUpperCase(), 'billing_profile_contributor'])), sees: G, changes: G },
  'Europe profile reader': { caller: principal(roleClaims([EUROPE, 'billing_profile_reader'])), sees: E, changes: [] },
  'Research invoice manager': { caller: principal(roleClaims([RESEARCH, 'invoice_manager'])), sees: G, changes: [] },
  'Fabrikam account owner': { caller: principal(roleClaims([FABRIKAM, 'billing_account_owner'])), sees: F, changes: F },
  'Northwind reader and Fabrikam profile contributor': {
    caller: principal(roleClaims([ACCOUNT, 'billing_account_reader'], [FABRIKAM_MAIN, 'billing_profile_contributor'])),
    sees: [...G, ...E, ...F],
    changes: F,
  },
  'account roles on a profile, profile roles on an account': {
    caller: principal(roleClaims([RESEARCH, 'billing_account_owner'], [ACCOUNT, 'billing_profile_owner'], [GENOMICS, 'billing_profile_owner'])),
    sees: [],
    changes: [],
  },
  'AWS only': { caller: principal({ aws: { accountIds: ['111122223333'] } }), sees: [], changes: [] },
  'no claims at all': { caller: principal({}), sees: [], changes: [] },
};

const ALL = [...G, ...E, ...F];
/** Owner of both accounts: sees every lot. */
const EVERYTHING = principal(roleClaims([ACCOUNT, 'billing_account_owner'], [FABRIKAM, 'billing_account_owner']));

describe('azure provider contract: access per persona', () => {
  let dir: string;
  let db: DataSource;
  let provider: AzureCreditProvider;

  const search = (caller: Principal, overrides: Partial<SearchCreditsRequest> = {}) =>
    provider.searchCredits(caller, { filter: {}, order: { field: 'NAME', direction: 'ASC' }, after: null, limit: null, now: NOW, ...overrides });
  const sorted = (credits: { providerCreditId: string }[]) => credits.map(nameOf).sort();
  const storedLot = async (name: string) => (await db.manager.findOneByOrFail(AzureCreditLot, { id: idOf(name) }));

  before(async () => {
    dir = await loadedDataDirWithSecondAccount();
    db = await openAzureDatabase(dir);
    provider = new AzureCreditProvider(db);
  });
  after(async () => {
    await db.destroy();
    removeDir(dir);
  });

  for (const [persona, { caller, sees }] of Object.entries(PERSONAS)) {
    describe(persona, () => {
      it(`searchCredits lists exactly ${sees.length} lots, and no filter widens that`, async () => {
        expect(sorted(await search(caller))).to.deep.equal([...sees].sort());
        // Asking for another owner's credits, or for everything by text, still returns only the visible ones.
        expect(sorted(await search(caller, { filter: { ownerIds: [RESEARCH, EUROPE, FABRIKAM_MAIN] } }))).to.deep.equal([...sees].sort());
        const promotional = sorted(await search(EVERYTHING, { filter: { search: 'promo' } }));
        expect(promotional.length).to.be.greaterThan(0);
        expect(sorted(await search(caller, { filter: { search: 'promo' } }))).to.deep.equal(promotional.filter((n) => sees.includes(n)));
        // Keyset pages cover the visible lots once each, and a page is never padded from outside the scope.
        const paged: NormalizedCredit[] = [];
        let after = null;
        for (let round = 0; round < 20; round++) {
          const page = await search(caller, { after, limit: 2 });
          if (page.length === 0) break;
          paged.push(...page);
          after = positionOf(page[page.length - 1], 'NAME');
        }
        expect(paged.map(nameOf)).to.deep.equal((await search(caller)).map(nameOf));
      });

      it('getCredits returns only the visible lots of the ids asked for', async () => {
        expect(sorted(await provider.getCredits(caller, ALL.map(idOf), NOW))).to.deep.equal([...sees].sort());
      });

      it('getApplications returns only applications of visible lots', async () => {
        const applications = (await provider.getApplications(caller, ALL.map(idOf), ALL_APPLICATIONS)).flatMap((p) => p.applications);
        const expected = ['G-PROMO-1', 'F-PROMO-1'].filter((n) => sees.includes(n));
        expect([...new Set(applications.map(nameOf))].sort()).to.deep.equal(expected.sort());
      });
    });
  }

  it('armKey folds ids exactly as SQLite lower() does, so JS keys match lower(column)', async () => {
    for (const text of [ACCOUNT, RESEARCH.toUpperCase(), 'ÄÖÜ-Straße-ΔX', 'MiXeD_Case:1-2']) {
      const [{ folded }] = await runSql(db, 'SELECT lower(?) AS folded', [text]);
      expect(armKey(text), text).to.equal(folded);
    }
  });

  it('the SQL scope gives exactly what the canViewCredits rule allows, for every persona', async () => {
    const lots = await db.manager.find(AzureCreditLot);
    expect(lots).to.have.length(ALL.length);
    for (const [persona, { caller }] of Object.entries(PERSONAS)) {
      const grants = azureGrants(caller);
      const expected = lots.filter((lot) => canViewCredits(grants, lot)).map((l) => l.name).sort();
      expect(sorted(await search(caller)), persona).to.deep.equal(expected);
    }
  });

  describe('pause, activate and share', () => {
    const SAMPLE = ['G-PROMO-1', 'E-PROMO-9', 'F-PROMO-1'];
    type Outcome = 'OK' | 'FORBIDDEN' | 'NOT_FOUND';
    const outcome = (result: MutationResult): Outcome => (result.userErrors.length === 0 ? 'OK' : (result.userErrors[0].code as Outcome));

    for (const [persona, { caller, sees, changes }] of Object.entries(PERSONAS)) {
      it(`${persona}: may change ${changes.filter((n) => SAMPLE.includes(n)).join(', ') || 'none of the sample'}; refusals change nothing`, async () => {
        for (const name of SAMPLE) {
          const expected: Outcome = changes.includes(name) ? 'OK' : sees.includes(name) ? 'FORBIDDEN' : 'NOT_FOUND';
          const before = await storedLot(name);
          const results = [
            await provider.pauseCredit(caller, idOf(name), NOW),
            await provider.activateCredit(caller, idOf(name), NOW),
            await provider.shareCredit(caller, { providerCreditId: idOf(name), scope: 'ORGANIZATION', now: NOW }),
          ];
          expect(results.map(outcome), `${persona} on ${name}`).to.deep.equal([expected, expected, expected]);
          if (expected !== 'OK') {
            const after = await storedLot(name);
            expect([after.paused, after.sharedInvoiceSectionIds], `${persona} on ${name}`).to.deep.equal([before.paused, before.sharedInvoiceSectionIds]);
            for (const result of results) expect(result.credit).to.equal(null);
          }
        }
      });
    }

    it('a reader pausing gets a FORBIDDEN user error on creditId, and the lot stays active', async () => {
      const result = await provider.pauseCredit(PERSONAS['Europe profile reader'].caller, idOf('E-PROMO-9'), NOW);
      expect(result.credit).to.equal(null);
      expect(result.userErrors).to.have.length(1);
      expect(result.userErrors[0]).to.deep.include({ code: 'FORBIDDEN', field: ['creditId'] });
      expect(result.userErrors[0].message).to.match(/owner or contributor/);
      expect((await storedLot('E-PROMO-9')).paused).to.equal(false);
    });

    it('a lot the caller cannot see is NOT_FOUND with the same message as one that does not exist', async () => {
      const caller = PERSONAS['Research profile owner'].caller;
      const hidden = await provider.pauseCredit(caller, idOf('E-PROMO-9'), NOW);
      const missing = await provider.pauseCredit(caller, idOf('E-NOPE-0'), NOW);
      expect(hidden.userErrors).to.deep.equal([
        { code: 'NOT_FOUND', field: ['creditId'], message: `There is no Azure credit lot with id "${idOf('E-PROMO-9')}".` },
      ]);
      expect(missing.userErrors[0].message).to.equal(`There is no Azure credit lot with id "${idOf('E-NOPE-0')}".`);
    });

    it('a profile contributor shares a lot to its own invoice sections and pauses it', async () => {
      const caller = PERSONAS['Research profile contributor (id in upper case)'].caller;
      const shared = await provider.shareCredit(caller, { providerCreditId: idOf('G-PROMO-1'), scope: 'INVOICE_SECTIONS', invoiceSectionIds: [GENOMICS], now: NOW });
      expect(shared.userErrors).to.deep.equal([]);
      expect(shared.credit?.sharing.invoiceSections.map((s) => s.name)).to.deep.equal(['Genomics']);
      expect((await provider.pauseCredit(caller, idOf('G-PROMO-1'), NOW)).credit?.status).to.equal('PAUSED');
      // A reader of the same lot sees the change but cannot undo it.
      const reader = PERSONAS['Research invoice manager'].caller;
      expect((await provider.getCredits(reader, [idOf('G-PROMO-1')], NOW))[0].status).to.equal('PAUSED');
      expect((await provider.activateCredit(reader, idOf('G-PROMO-1'), NOW)).userErrors[0].code).to.equal('FORBIDDEN');
      expect((await provider.activateCredit(caller, idOf('G-PROMO-1'), NOW)).credit?.status).to.equal('ACTIVE');
      expect((await provider.shareCredit(caller, { providerCreditId: idOf('G-PROMO-1'), scope: 'ORGANIZATION', now: NOW })).userErrors).to.deep.equal([]);
    });
  });
});

/** The Azure provider contract against a real SQLite database loaded with the fixtures. */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { ingestFiles } from '../../lib/store/ingest';
import { compareCredits, positionOf } from '../../lib/domain/credit-order';
import { CREDIT_STATUSES, CreditOrder, NormalizedCredit, ORDER_FIELDS, SearchCreditsRequest } from '../../lib/domain/provider-contract';
import { openAzureDatabase } from '../../subgraphs/azure/store';
import { azureIngest } from '../../subgraphs/azure/ingest';
import { ContractRequestError } from '../../lib/api/provider-http';
import { AzureCreditProvider } from '../../subgraphs/azure/provider';
import { BERLIN, EUROPE, GENOMICS, IMAGING, loadedDataDir, lotId, NOW, OWNER, removeDir, RESEARCH } from './helpers';

/** Every application of the credits asked for, in one page. */
const ALL_APPLICATIONS = { first: 100, after: null };

const ALL_NAMES = ['G-PROMO-1', 'G-PURCH-2', 'G-FUTURE-3', 'G-PREPAY-4', 'G-DONE-5', 'E-USD-6', 'E-COMMIT-7', 'E-ODD-8', 'E-PROMO-9'];
const idOf = (name: string) => lotId(name.startsWith('G-') ? RESEARCH : EUROPE, name);
const nameOf = (credit: NormalizedCredit) => credit.providerCreditId.split('/').pop();

describe('azure provider contract', () => {
  let dir: string;
  let db: DataSource;
  let provider: AzureCreditProvider;

  const search = (overrides: Partial<SearchCreditsRequest> = {}) =>
    provider.searchCredits(OWNER, { filter: {}, order: { field: 'EXPIRES_AT', direction: 'ASC' }, after: null, limit: null, now: NOW, ...overrides });
  const names = async (overrides: Partial<SearchCreditsRequest> = {}) => (await search(overrides)).map(nameOf);

  beforeEach(async () => {
    dir = await loadedDataDir();
    db = await openAzureDatabase(dir);
    provider = new AzureCreditProvider(db);
  });
  afterEach(async () => {
    await db.destroy();
    removeDir(dir);
  });

  describe('searchCredits', () => {
    it('orders by expiry, credits that never expire last', async () => {
      expect(await names()).to.deep.equal([
        'G-PURCH-2', 'G-PREPAY-4', 'E-COMMIT-7', 'E-ODD-8', 'G-DONE-5', 'E-PROMO-9', 'G-PROMO-1', 'G-FUTURE-3', 'E-USD-6',
      ]);
      expect(await names({ order: { field: 'EXPIRES_AT', direction: 'DESC' } })).to.deep.equal([
        'E-USD-6', 'G-FUTURE-3', 'G-PROMO-1', 'E-PROMO-9', 'G-DONE-5', 'E-ODD-8', 'E-COMMIT-7', 'G-PREPAY-4', 'G-PURCH-2',
      ]);
    });

    it('orders by remaining balance exactly, ties by id', async () => {
      // 0 and 0.00 tie on the key; the EUROPE... ids sort before RSCH... ids, G-DONE-5 before G-PURCH-2.
      expect(await names({ order: { field: 'REMAINING_BALANCE', direction: 'ASC' } })).to.deep.equal([
        'G-DONE-5', 'G-PURCH-2', 'E-ODD-8', 'E-PROMO-9', 'G-PREPAY-4', 'E-COMMIT-7', 'E-USD-6', 'G-FUTURE-3', 'G-PROMO-1',
      ]);
    });

    it('orders by the normalized name', async () => {
      expect(await names({ order: { field: 'NAME', direction: 'ASC' } })).to.deep.equal([
        'G-PREPAY-4', 'E-COMMIT-7', 'E-ODD-8', 'E-PROMO-9', 'E-USD-6', 'G-DONE-5', 'G-FUTURE-3', 'G-PROMO-1', 'G-PURCH-2',
      ]);
    });

    for (const field of ORDER_FIELDS) {
      for (const direction of ['ASC', 'DESC'] as const) {
        const order: CreditOrder = { field, direction };
        it(`returns ${field} ${direction} in the global order and pages by keyset without repeats or gaps`, async () => {
          const all = await search({ order });
          expect(all).to.have.length(9);
          expect(all.map(nameOf)).to.deep.equal([...all].sort((a, b) => compareCredits(a, b, order)).map(nameOf));
          const paged: NormalizedCredit[] = [];
          let after = null;
          for (let round = 0; round < 10; round++) {
            const page = await search({ order, after, limit: 2 });
            if (page.length === 0) break;
            expect(page.length).to.be.at.most(2);
            paged.push(...page);
            after = positionOf(page[page.length - 1], field);
          }
          expect(paged.map(nameOf)).to.deep.equal(all.map(nameOf));
        });
      }
    }

    it('filters by status in SQL exactly as deriveStatus says, with :now', async () => {
      await provider.pauseCredit(OWNER, idOf('E-PROMO-9'), NOW);
      const all = await provider.getCredits(OWNER, ALL_NAMES.map(idOf), NOW);
      for (const status of CREDIT_STATUSES) {
        const expected = all.filter((c) => c.status === status).map(nameOf).sort();
        expect((await names({ filter: { statuses: [status] } })).sort(), status).to.deep.equal(expected);
      }
      expect((await names({ filter: { statuses: ['ACTIVE'] } })).sort()).to.deep.equal(['E-ODD-8', 'E-USD-6', 'G-PREPAY-4', 'G-PROMO-1']);
      // Later, G-PREPAY-4 has expired and G-FUTURE-3 has not started: its Azure status still says Inactive.
      expect((await names({ filter: { statuses: ['EXPIRED'] }, now: '2026-12-20T00:00:00.000Z' })).sort()).to.deep.equal(['G-PREPAY-4', 'G-PURCH-2']);
    });

    it('filters by currency, owner, expiry and text; an empty list matches nothing', async () => {
      expect(await names({ filter: { currencyCodes: ['EUR'] } })).to.deep.equal(['E-COMMIT-7', 'E-ODD-8', 'E-PROMO-9']);
      expect(await names({ filter: { ownerIds: [EUROPE] } })).to.deep.equal(['E-COMMIT-7', 'E-ODD-8', 'E-PROMO-9', 'E-USD-6']);
      // Dates arrive as UTC ISO text: lib/api/provider-http.ts parseSearchRequest normalises them.
      expect(await names({ filter: { expiresBefore: '2027-01-01T00:00:00.000Z' } })).to.deep.equal(['G-PURCH-2', 'G-PREPAY-4']);
      expect(await names({ filter: { search: 'PREPAY' } })).to.deep.equal(['G-PREPAY-4']);
      expect(await names({ filter: { search: 'mystery credit' } })).to.deep.equal(['E-ODD-8']);
      expect(await names({ filter: { search: 'consumptioncommitment' } })).to.deep.equal(['E-COMMIT-7']);
      expect(await names({ filter: { search: 'euro-2222' } })).to.have.length(4);
      expect(await names({ filter: { currencyCodes: ['USD'], statuses: ['ACTIVE', 'NOT_STARTED'], ownerIds: [RESEARCH] } })).to.deep.equal([
        'G-PREPAY-4', 'G-PROMO-1', 'G-FUTURE-3',
      ]);
      for (const filter of [{ statuses: [] }, { currencyCodes: [] }, { ownerIds: [] }]) {
        expect(await names({ filter }), JSON.stringify(filter)).to.deep.equal([]);
      }
      expect(await names({ filter: { statuses: null, currencyCodes: null, ownerIds: null, search: null, expiresBefore: null } })).to.have.length(9);
    });

    it('searches text folded in JS, so non-ASCII names and sources match in any case', async () => {
      const lot = (name: string, source: string) => ({
        id: lotId(EUROPE, name),
        name,
        type: 'Microsoft.Consumption/lots',
        properties: { originalAmount: { currency: 'EUR', value: 10 }, closedBalance: { currency: 'EUR', value: 5 }, source, status: 'Active' },
      });
      const file = path.join(dir, 'lots-unicode.json');
      fs.writeFileSync(file, JSON.stringify({ value: [lot('ÉCLAIR-Ü1', 'PrämieGutschrift'), lot('ΔΕΛΤΑ-2', 'ΠροωθητικήΠίστωση')] }));
      const loaded = await ingestFiles([file], dir, [azureIngest]);
      expect(loaded.ok, JSON.stringify(loaded)).to.equal(true);
      // SQLite's lower() leaves É, Ü, Ä, Δ... as they are; the stored searchText is folded in JS.
      expect(await names({ filter: { search: 'éclair-ü1' } })).to.deep.equal(['ÉCLAIR-Ü1']);
      expect(await names({ filter: { search: 'ÉCLAIR-Ü1' } })).to.deep.equal(['ÉCLAIR-Ü1']);
      expect(await names({ filter: { search: 'PRÄMIE' } })).to.deep.equal(['ÉCLAIR-Ü1']);
      expect(await names({ filter: { search: 'prämiegutschrift' } })).to.deep.equal(['ÉCLAIR-Ü1']);
      expect(await names({ filter: { search: 'δελτα-2' } })).to.deep.equal(['ΔΕΛΤΑ-2']);
      expect(await names({ filter: { search: 'προωθητικήπίστωση' } })).to.deep.equal(['ΔΕΛΤΑ-2']);
      expect(await names({ filter: { search: 'ß' } })).to.deep.equal([]);
      const [credit] = await search({ filter: { search: 'éclair' } });
      expect(credit.name).to.equal('Prämie gutschrift ÉCLAIR-Ü1');
    });

    it('returns at most limit credits', async () => {
      expect(await names({ limit: 3 })).to.deep.equal(['G-PURCH-2', 'G-PREPAY-4', 'E-COMMIT-7']);
      expect(await names({ limit: 0 })).to.deep.equal([]);
    });
  });

  it('getCredits returns the records of the ids that exist', async () => {
    const credits = await provider.getCredits(OWNER, [idOf('E-USD-6'), 'nope'], NOW);
    expect(credits).to.have.length(1);
    expect(credits[0]).to.deep.include({
      name: 'Promotional credit E-USD-6',
      status: 'ACTIVE',
      owner: { kind: 'AZURE_BILLING_PROFILE', id: EUROPE, name: 'Europe' },
      remainingBalance: { amount: '1000.50', currencyCode: 'USD' },
      remainingBalanceInBillingCurrency: { amount: '920.46', currencyCode: 'EUR', exchangeRate: '0.92', exchangeRateMonth: 11 },
      originalAmountInBillingCurrency: { amount: '1104.00', currencyCode: 'EUR', exchangeRate: '0.92', exchangeRateMonth: 6 },
      expiresAt: null,
    });
    expect(await provider.getCredits(OWNER, [], NOW)).to.deep.equal([]);
  });

  it('getApplications lists what each lot paid, from its charge events', async () => {
    const applications = (await provider.getApplications(OWNER, [idOf('G-PROMO-1'), idOf('G-PURCH-2'), 'nope'], ALL_APPLICATIONS)).flatMap((p) => p.applications);
    expect(applications.map((a) => [a.month, a.amount.amount, a.estimated, a.invoiceNumber, a.consumer.name])).to.deep.equal([
      ['2026-11', '640.00', true, null, 'Research'],
      ['2026-10', '1879.45', false, 'G0000001111', 'Research'],
    ]);
    expect(applications.every((a) => a.providerCreditId === idOf('G-PROMO-1') && a.consumer.id === RESEARCH)).to.equal(true);
  });

  it('getApplications pages each lot\'s applications after a position, newest month first, and counts them all', async () => {
    const [first] = await provider.getApplications(OWNER, [idOf('G-PROMO-1')], { first: 1, after: null });
    expect([first.totalCount, first.hasNextPage]).to.deep.equal([2, true]);
    expect(first.applications.map((a) => a.month)).to.deep.equal(['2026-11']);
    const [second] = await provider.getApplications(OWNER, [idOf('G-PROMO-1')], { first: 1, after: first.applications[0].position });
    expect([second.applications.map((a) => a.month), second.hasNextPage, second.totalCount]).to.deep.equal([['2026-10'], false, 2]);
    expect(await provider.getApplications(OWNER, [idOf('G-PURCH-2')], { first: 5, after: null })).to.deep.equal([]);
  });

  it('getApplications refuses an `after` that is no position of its applications order, naming page.after', async () => {
    for (const after of [['2026-11'], ['2026-11', RESEARCH, '', '', 'IMPORTED', 7]]) {
      const refused = await provider.getApplications(OWNER, [idOf('G-PROMO-1')], { first: 1, after }).then(
        () => null,
        (error) => error,
      );
      expect(refused, JSON.stringify(after)).to.be.instanceOf(ContractRequestError);
      expect(refused.field).to.equal('page.after');
    }
  });

  describe('pause and activate', () => {
    it('pauses and activates idempotently', async () => {
      const id = idOf('G-PROMO-1');
      for (let i = 0; i < 2; i++) {
        const paused = await provider.pauseCredit(OWNER, id, NOW);
        expect(paused.userErrors).to.deep.equal([]);
        expect(paused.credit?.status).to.equal('PAUSED');
      }
      expect(await names({ filter: { statuses: ['PAUSED'] } })).to.deep.equal(['G-PROMO-1']);
      for (let i = 0; i < 2; i++) {
        const active = await provider.activateCredit(OWNER, id, NOW);
        expect(active.credit?.status).to.equal('ACTIVE');
      }
      expect(await names({ filter: { statuses: ['PAUSED'] } })).to.deep.equal([]);
    });

    it('keeps the stronger status of an expired lot that is paused', async () => {
      expect((await provider.pauseCredit(OWNER, idOf('G-PURCH-2'), NOW)).credit?.status).to.equal('EXPIRED');
    });

    it('queues concurrent pause, activate and share calls: every one succeeds, in the order asked', async () => {
      const lots = ['G-PROMO-1', 'E-PROMO-9', 'G-PREPAY-4', 'E-USD-6'];
      const sectionsOf = (name: string) => (name.startsWith('G-') ? [[GENOMICS], [IMAGING, GENOMICS]] : [[BERLIN]]);
      // What each lot should be after each call, replayed one by one.
      const model = new Map(lots.map((name) => [name, { paused: false, sections: [] as string[] }]));
      const calls = Array.from({ length: 20 }, (_, i) => {
        const name = lots[i % lots.length];
        // Each lot goes through every kind, starting at a different one, so the lots end in different states.
        const kind = (['pause', 'share', 'activate', 'unshare'] as const)[(i + Math.floor(i / lots.length)) % 4];
        const sections = sectionsOf(name)[i % sectionsOf(name).length];
        const state = model.get(name)!;
        if (kind === 'pause') state.paused = true;
        if (kind === 'activate') state.paused = false;
        if (kind === 'share') state.sections = sections;
        if (kind === 'unshare') state.sections = [];
        return { name, kind, sections, expected: { ...state } };
      });
      const results = await Promise.all(
        calls.map(({ name, kind, sections }) => {
          if (kind === 'pause') return provider.pauseCredit(OWNER, idOf(name), NOW);
          if (kind === 'activate') return provider.activateCredit(OWNER, idOf(name), NOW);
          if (kind === 'share') return provider.shareCredit(OWNER, { providerCreditId: idOf(name), scope: 'INVOICE_SECTIONS', invoiceSectionIds: sections, now: NOW });
          return provider.shareCredit(OWNER, { providerCreditId: idOf(name), scope: 'ORGANIZATION', now: NOW });
        }),
      );
      results.forEach((result, i) => {
        const { name, kind, expected } = calls[i];
        expect(result.userErrors, `${i} ${kind} ${name}`).to.deep.equal([]);
        expect(result.credit?.status, `${i} ${kind} ${name}`).to.equal(expected.paused ? 'PAUSED' : 'ACTIVE');
        expect(result.credit?.sharing.invoiceSections.map((s) => s.id), `${i} ${kind} ${name}`).to.deep.equal(expected.sections);
      });
      const final = await provider.getCredits(OWNER, lots.map(idOf), NOW);
      expect(final).to.have.length(lots.length);
      for (const credit of final) {
        const expected = model.get(nameOf(credit)!)!;
        expect(credit.status, nameOf(credit)).to.equal(expected.paused ? 'PAUSED' : 'ACTIVE');
        expect(credit.sharing.scope, nameOf(credit)).to.equal(expected.sections.length > 0 ? 'INVOICE_SECTIONS' : 'ORGANIZATION');
        expect(credit.sharing.invoiceSections.map((s) => s.id), nameOf(credit)).to.deep.equal(expected.sections);
      }
      expect((await names({ filter: { statuses: ['PAUSED'] } })).sort()).to.deep.equal(lots.filter((n) => model.get(n)!.paused).sort());
    });

    it('answers NOT_FOUND for an unknown lot', async () => {
      for (const result of [await provider.pauseCredit(OWNER, 'nope', NOW), await provider.activateCredit(OWNER, 'nope', NOW)]) {
        expect(result.credit).to.equal(null);
        expect(result.userErrors).to.deep.equal([{ code: 'NOT_FOUND', field: ['creditId'], message: 'There is no Azure credit lot with id "nope".' }]);
      }
    });
  });

  describe('shareCredit', () => {
    const share = (name: string, scope: string, invoiceSectionIds?: unknown) =>
      provider.shareCredit(OWNER, { providerCreditId: idOf(name), scope: scope as any, invoiceSectionIds: invoiceSectionIds as string[], now: NOW });

    it('limits a lot to invoice sections named by id or name, idempotently, and back to the whole profile', async () => {
      for (let i = 0; i < 2; i++) {
        const result = await share('G-PROMO-1', 'INVOICE_SECTIONS', ['SEC2-BBBB-PJA-TGB', GENOMICS]);
        expect(result.userErrors).to.deep.equal([]);
        expect(result.credit?.sharing).to.deep.equal({
          scope: 'INVOICE_SECTIONS',
          accounts: [],
          accountCount: 0,
          costCategory: null,
          invoiceSections: [
            { id: IMAGING, name: 'Imaging' },
            { id: GENOMICS, name: 'Genomics' },
          ],
          invoiceSectionCount: 2,
        });
      }
      const [stored] = await provider.getCredits(OWNER, [idOf('G-PROMO-1')], NOW);
      expect(stored.sharing.invoiceSections.map((s) => s.id)).to.deep.equal([IMAGING, GENOMICS]);
      const cleared = await share('G-PROMO-1', 'ORGANIZATION');
      expect(cleared.credit?.sharing).to.deep.equal({ scope: 'ORGANIZATION', accounts: [], accountCount: 0, costCategory: null, invoiceSections: [], invoiceSectionCount: 0 });
    });

    it('refuses sections of another billing profile, unknown ones, an empty list and stray fields, changing nothing', async () => {
      const result = await share('G-PROMO-1', 'INVOICE_SECTIONS', [GENOMICS, BERLIN, 'SEC9']);
      expect(result.credit).to.equal(null);
      expect(result.userErrors.map((e) => [e.code, e.field])).to.deep.equal([
        ['INVALID_SCOPE', ['invoiceSectionIds', '1']],
        ['INVALID_SCOPE', ['invoiceSectionIds', '2']],
      ]);
      expect(result.userErrors[0].message).to.contain(BERLIN);
      // An empty list is a malformed request (the shared shape rule), not a bad value.
      expect((await share('G-PROMO-1', 'INVOICE_SECTIONS', [])).userErrors).to.deep.equal([
        { code: 'INVALID_INPUT', field: ['invoiceSectionIds'], message: 'Scope INVOICE_SECTIONS needs invoiceSectionIds.' },
      ]);
      expect((await share('G-PROMO-1', 'INVOICE_SECTIONS')).userErrors.map((e) => [e.code, e.field])).to.deep.equal([['INVALID_INPUT', ['invoiceSectionIds']]]);
      expect((await share('G-PROMO-1', 'ORGANIZATION', [GENOMICS])).userErrors.map((e) => [e.code, e.field])).to.deep.equal([['INVALID_INPUT', ['invoiceSectionIds']]]);
      const [stored] = await provider.getCredits(OWNER, [idOf('G-PROMO-1')], NOW);
      expect(stored.sharing.scope).to.equal('ORGANIZATION');
    });

    it('refuses AWS-only scopes as UNSUPPORTED and unknown lots as NOT_FOUND', async () => {
      for (const scope of ['OWNER_ONLY', 'ACCOUNTS', 'COST_CATEGORY']) {
        const result = await share('G-PROMO-1', scope);
        expect(result.userErrors.map((e) => [e.code, e.field])).to.deep.equal([['UNSUPPORTED', ['scope']]]);
      }
      const missing = await provider.shareCredit(OWNER, { providerCreditId: 'nope', scope: 'ORGANIZATION', now: NOW });
      expect(missing.userErrors.map((e) => e.code)).to.deep.equal(['NOT_FOUND']);
      // The shape is checked first, before the lot is looked up.
      const both = await provider.shareCredit(OWNER, { providerCreditId: 'nope', scope: 'ACCOUNTS', accountIds: ['123456789012'], now: NOW });
      expect(both.userErrors.map((e) => e.code)).to.deep.equal(['UNSUPPORTED']);
    });
  });
});

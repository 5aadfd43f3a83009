/**
 * Property-based tests of the charges engine (fast-check): random credits, charges, pauses, scopes
 * and re-loads. Besides the invariants, the engine must agree with a deliberately naive reference
 * model below, which scans every credit for every charge and does all arithmetic with lib/money.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { applyCharges, CreditControls, EngineCharge, EngineCredit, EnginePeriod, EngineResult, replacePeriod } from '../../lib/domain/charges';
import { addDecimal, compareDecimal, negateDecimal, sumDecimals } from '../../lib/domain/money';

const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04'];
const CONSUMERS = ['A1', 'A2', 'A3'];
const SERVICES = ['S1', 'S2', 'S3'];
const GROUPS = ['g1', 'g2'];

const amountArb = (min: number) =>
  fc.tuple(fc.integer({ min, max: 5000 }), fc.constantFrom(0, 1, 2, 3)).map(([n, places]) => {
    const text = String(n).padStart(places + 1, '0');
    return places === 0 ? text : `${text.slice(0, -places)}.${text.slice(-places)}`;
  });
const dayArb = (month: string) =>
  fc.tuple(fc.integer({ min: 1, max: 28 }), fc.option(fc.integer({ min: 0, max: 23 }), { nil: undefined })).map(([d, h]) => {
    const day = `${month}-${String(d).padStart(2, '0')}`;
    return h === undefined ? day : `${day}T${String(h).padStart(2, '0')}:00:00Z`;
  });
const instantArb = fc.constantFrom(...MONTHS, '2026-05').chain((m) => dayArb(m));

const scopeArb = fc.oneof(
  fc.constant({ kind: 'everyone' as const }),
  fc.subarray(CONSUMERS, { minLength: 1 }).map((ids) => ({ kind: 'consumers' as const, consumerIds: ids })),
);
const controlsArb: fc.Arbitrary<CreditControls[]> = fc
  .uniqueArray(fc.record({ from: fc.constantFrom(...MONTHS), paused: fc.boolean(), scope: scopeArb, restricted: fc.option(fc.boolean(), { nil: undefined }) }), {
    selector: (k) => k.from,
    maxLength: 3,
  })
  .map((ks) => ks.map((k) => (k.restricted === undefined ? { from: k.from, paused: k.paused, scope: k.scope } : k)));

const creditArb = (id: string): fc.Arbitrary<EngineCredit> =>
  fc.record({
    id: fc.constant(id),
    group: fc.constantFrom(...GROUPS),
    currency: fc.constantFrom('USD', 'USD', 'EUR'),
    openingBalance: amountArb(0),
    openingMonth: fc.constantFrom(...MONTHS),
    startsAt: fc.option(instantArb, { nil: null }),
    expiresAt: fc.option(instantArb, { nil: null }),
    applicableServices: fc.subarray(SERVICES),
    controls: controlsArb,
  });

const chargeArb = (month: string): fc.Arbitrary<EngineCharge> =>
  fc.record({
    consumerId: fc.constantFrom(...CONSUMERS),
    consumerKind: fc.constant('AWS_ACCOUNT'),
    service: fc.constantFrom(...SERVICES),
    productCode: fc.constantFrom('P1', 'P2'),
    currency: fc.constantFrom('USD', 'USD', 'EUR'),
    amount: amountArb(1),
    creditEligible: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false)),
    date: dayArb(month),
  });

const periodArb = (group: string, month: string): fc.Arbitrary<EnginePeriod> =>
  fc.record({ group: fc.constant(group), month: fc.constant(month), final: fc.boolean(), charges: fc.array(chargeArb(month), { maxLength: 8 }) });

const worldArb = fc
  .tuple(
    fc.integer({ min: 0, max: 7 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => creditArb(`c${i}`)))),
    fc.subarray(GROUPS.flatMap((g) => MONTHS.map((m) => [g, m] as const))).chain((keys) => fc.tuple(...keys.map(([g, m]) => periodArb(g, m)))),
  )
  .map(([credits, periods]) => ({ credits: credits as EngineCredit[], periods: periods as EnginePeriod[] }));

const RUNS = { numRuns: 300 };

function checkInvariants(r: EngineResult, periods: EnginePeriod[]): void {
  for (const c of r.credits) {
    expect(compareDecimal(sumDecimals([c.remaining, c.appliedFinal, c.expired]), c.openingBalance), `opening of ${c.creditId}`).to.equal(0);
    expect(compareDecimal(c.estimated, '0')).to.be.at.least(0);
    expect(compareDecimal(c.estimated, c.remaining)).to.be.at.most(0);
    expect(compareDecimal(addDecimal(c.estimated, c.appliedEstimated), c.remaining)).to.equal(0);
    for (const v of [c.remaining, c.appliedFinal, c.appliedEstimated, c.expired]) expect(compareDecimal(v, '0')).to.be.at.least(0);
    const apps = r.applications.filter((a) => a.creditId === c.creditId);
    expect(compareDecimal(sumDecimals(apps.filter((a) => !a.estimated).map((a) => a.amount)), c.appliedFinal)).to.equal(0);
    expect(compareDecimal(sumDecimals(apps.filter((a) => a.estimated).map((a) => a.amount)), c.appliedEstimated)).to.equal(0);
  }
  for (const outcome of r.periods) {
    const input = periods.find((p) => p.group === outcome.group && p.month === outcome.month)!;
    expect(outcome.coverage).to.have.length(input.charges.length);
    outcome.coverage.forEach((cov, i) => {
      expect(compareDecimal(cov.covered, '0')).to.be.at.least(0);
      expect(compareDecimal(cov.covered, input.charges[i].amount), 'covered <= amount').to.be.at.most(0);
      expect(compareDecimal(addDecimal(cov.covered, cov.uncovered), input.charges[i].amount)).to.equal(0);
      if (!input.charges[i].creditEligible) expect(compareDecimal(cov.covered, '0')).to.equal(0);
    });
    expect(outcome.chargesCovered, 'charges credits paid').to.equal(outcome.coverage.filter((c) => compareDecimal(c.covered, '0') > 0).length);
    const appsHere = r.applications.filter((a) => a.group === outcome.group && a.month === outcome.month);
    expect(compareDecimal(sumDecimals(appsHere.map((a) => a.amount)), sumDecimals(outcome.coverage.map((c) => c.covered)))).to.equal(0);
  }
  for (const m of r.consumers) {
    const input = periods.find((p) => p.group === m.group && p.month === m.month)!;
    const eligible = input.charges.filter((c) => c.creditEligible && c.consumerKind === m.consumerKind && c.consumerId === m.consumerId && c.currency === m.currency);
    const where = `${m.group} ${m.month} ${m.consumerId} ${m.currency}`;
    // In the places of the most precise of them, '0' when none is eligible.
    expect(m.eligibleCharges, where).to.equal(eligible.length === 0 ? '0' : m.eligibleCharges);
    expect(compareDecimal(m.eligibleCharges, sumDecimals(eligible.map((c) => c.amount))), where).to.equal(0);
    const places = Math.max(0, ...eligible.map((c) => c.amount.split('.')[1]?.length ?? 0));
    expect(m.eligibleCharges.split('.')[1]?.length ?? 0, where).to.equal(places);
  }
}

/** The naive reference: every credit for every charge, lib/domain/money strings, the rules as docs/CHARGES.md words them. */
function reference(credits: EngineCredit[], periods: EnginePeriod[]) {
  const ms = (t: string) => Date.parse(t.length > 10 && !/Z$/.test(t) ? `${t}Z` : t);
  const ctl = (c: EngineCredit, month: string) => {
    const ks = [...(c.controls ?? [])].sort((a, b) => (a.from < b.from ? -1 : 1));
    if (ks.length === 0) return { paused: false, everyone: true, ids: [] as readonly string[], restricted: false };
    let k = ks[0];
    for (const x of ks) if (x.from <= month) k = x;
    return {
      paused: k.paused,
      everyone: k.scope.kind === 'everyone',
      ids: k.scope.kind === 'consumers' ? k.scope.consumerIds : [],
      restricted: k.restricted ?? k.scope.kind === 'consumers',
    };
  };
  const bal = new Map(credits.map((c) => [c.id, { work: c.openingBalance, final: '0', est: '0', expired: '0', remaining: c.openingBalance }]));
  const covered = new Map<string, string[]>();
  const run = (p: EnginePeriod) => {
    const order = credits
      .filter((c) => c.group === p.group)
      .sort((a, b) => {
        const ea = a.expiresAt === null ? Infinity : ms(a.expiresAt);
        const eb = b.expiresAt === null ? Infinity : ms(b.expiresAt);
        if (ea !== eb) return ea < eb ? -1 : 1;
        const ra = ctl(a, p.month).restricted;
        const rb = ctl(b, p.month).restricted;
        if (ra !== rb) return ra ? -1 : 1;
        return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      });
    const idx = p.charges.map((_, i) => i);
    const key = (c: EngineCharge) => [c.consumerKind, c.consumerId, c.service, c.productCode, c.currency];
    idx.sort((i, j) => {
      const a = p.charges[i];
      const b = p.charges[j];
      if (ms(a.date) !== ms(b.date)) return ms(a.date) - ms(b.date);
      const ka = key(a);
      const kb = key(b);
      for (let k = 0; k < ka.length; k++) if (ka[k] !== kb[k]) return ka[k] < kb[k] ? -1 : 1;
      if (a.creditEligible !== b.creditEligible) return a.creditEligible ? -1 : 1;
      return compareDecimal(a.amount, b.amount) || i - j;
    });
    const cov = p.charges.map(() => '0');
    for (const i of idx) {
      const ch = p.charges[i];
      let need = ch.amount;
      for (const c of order) {
        if (compareDecimal(need, '0') <= 0) break;
        const b = bal.get(c.id)!;
        const k = ctl(c, p.month);
        const t = ms(ch.date);
        const ok =
          ch.creditEligible &&
          c.openingMonth <= p.month &&
          !k.paused &&
          (c.startsAt === null || ms(c.startsAt) <= t) &&
          (c.expiresAt === null || t < ms(c.expiresAt)) &&
          compareDecimal(b.work, '0') > 0 &&
          (c.applicableServices.length === 0 || c.applicableServices.includes(ch.service)) &&
          (k.everyone || k.ids.includes(ch.consumerId)) &&
          c.currency === ch.currency;
        if (!ok) continue;
        const portion = compareDecimal(need, b.work) < 0 ? need : b.work;
        b.work = addDecimal(b.work, negateDecimal(portion));
        need = addDecimal(need, negateDecimal(portion));
        cov[i] = addDecimal(cov[i], portion);
        if (p.final) b.final = addDecimal(b.final, portion);
        else b.est = addDecimal(b.est, portion);
      }
    }
    covered.set(`${p.group} ${p.month}`, cov);
  };
  for (const g of GROUPS) {
    const mine = periods.filter((p) => p.group === g).sort((a, b) => (a.month < b.month ? -1 : 1));
    const finals = mine.filter((p) => p.final);
    finals.forEach(run);
    if (finals.length > 0) {
      const last = finals[finals.length - 1].month;
      const [y, m] = last.split('-').map(Number);
      const end = Date.UTC(y, m, 1);
      for (const c of credits.filter((x) => x.group === g)) {
        const b = bal.get(c.id)!;
        if (c.expiresAt !== null && ms(c.expiresAt) <= end) {
          b.expired = b.work;
          b.work = '0';
        }
      }
    }
    for (const c of credits.filter((x) => x.group === g)) bal.get(c.id)!.remaining = bal.get(c.id)!.work;
    mine.filter((p) => !p.final).forEach(run);
  }
  return { bal, covered };
}

describe('charges engine: properties', () => {
  it('keeps opening = remaining + appliedFinal + expired and 0 <= estimated <= remaining; covers no charge beyond its amount', () => {
    fc.assert(
      fc.property(worldArb, ({ credits, periods }) => {
        checkInvariants(applyCharges(credits, periods), periods);
      }),
      RUNS,
    );
  });

  it('agrees with the naive reference model (every credit, every charge, lib/domain/money)', () => {
    fc.assert(
      fc.property(worldArb, ({ credits, periods }) => {
        const r = applyCharges(credits, periods);
        const ref = reference(credits, periods);
        for (const c of r.credits) {
          const b = ref.bal.get(c.creditId)!;
          expect(compareDecimal(c.remaining, b.remaining), `remaining ${c.creditId}`).to.equal(0);
          expect(compareDecimal(c.estimated, b.work), `estimated ${c.creditId}`).to.equal(0);
          expect(compareDecimal(c.appliedFinal, b.final)).to.equal(0);
          expect(compareDecimal(c.appliedEstimated, b.est)).to.equal(0);
          expect(compareDecimal(c.expired, b.expired)).to.equal(0);
        }
        for (const p of r.periods) {
          const cov = ref.covered.get(`${p.group} ${p.month}`)!;
          p.coverage.forEach((c, i) => expect(compareDecimal(c.covered, cov[i]), `${p.group} ${p.month} charge ${i}`).to.equal(0));
        }
      }),
      RUNS,
    );
  });

  it('is deterministic: the same inputs, in any order of credits and periods, give byte-identical output', () => {
    fc.assert(
      fc.property(worldArb, fc.nat(), ({ credits, periods }, seed) => {
        const once = JSON.stringify(applyCharges(credits, periods));
        expect(JSON.stringify(applyCharges(credits, periods))).to.equal(once);
        const rot = (xs: unknown[]) => (xs.length === 0 ? xs : [...xs.slice(seed % xs.length), ...xs.slice(0, seed % xs.length)]);
        const shuffled = JSON.stringify(applyCharges(rot([...credits].reverse()) as EngineCredit[], rot([...periods].reverse()) as EnginePeriod[]));
        expect(shuffled).to.equal(once);
      }),
      RUNS,
    );
  });

  it('gives the same balances and applications whatever the order of a period\'s charges', () => {
    fc.assert(
      fc.property(worldArb, ({ credits, periods }) => {
        const a = applyCharges(credits, periods);
        const b = applyCharges(
          credits,
          periods.map((p) => ({ ...p, charges: [...p.charges].reverse() })),
        );
        expect(JSON.stringify(b.credits)).to.equal(JSON.stringify(a.credits));
        expect(JSON.stringify(b.applications)).to.equal(JSON.stringify(a.applications));
        expect(JSON.stringify(b.consumers)).to.equal(JSON.stringify(a.consumers));
      }),
      RUNS,
    );
  });

  it('re-loading is idempotent: replace a period, put the original back, get the original result', () => {
    fc.assert(
      fc.property(
        worldArb.filter((w) => w.periods.length > 0),
        fc.nat(),
        fc.array(chargeArb('2026-01'), { maxLength: 6 }),
        fc.boolean(),
        ({ credits, periods }, which, charges, final) => {
          const original = periods[which % periods.length];
          const before = JSON.stringify(applyCharges(credits, periods));
          const replacement = { ...original, final, charges: charges.map((c) => ({ ...c, date: `${original.month}${c.date.slice(7)}` })) };
          const changed = replacePeriod(periods, replacement);
          expect(changed).to.have.length(periods.length);
          const mid = applyCharges(credits, changed);
          checkInvariants(mid, changed);
          const again = replacePeriod(changed, original);
          const back = applyCharges(credits, again);
          // Same content; periods come back in a different array order, which the engine ignores.
          expect(JSON.stringify(back)).to.equal(before);
          // Loading the same period twice in a row changes nothing.
          expect(JSON.stringify(applyCharges(credits, replacePeriod(again, original)))).to.equal(before);
        },
      ),
      RUNS,
    );
  });
});

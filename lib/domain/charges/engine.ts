/**
 * The charges engine: applies the charges of billing periods to credits, by the rules in
 * docs/CHARGES.md. A pure function of (credits, periods): the same inputs give byte-identical
 * outputs, and loading a period again is replacing its charges and calling it again.
 *
 * Speed: credits are indexed per period by currency, then by scope (everyone / each listed
 * consumer), then by service (all services / each applicable service), each list in the
 * application order; a charge merges at most four short lists instead of scanning every credit.
 * Amounts are exact BigInt units (lib/domain/charges/amount.ts), turned back into text once at the end.
 */
import { ExactSum, formatExact, parseExact } from './amount';
import { MONTH_PATTERN } from './months';
import type {
  ChargeCoverage,
  ConsumerMonth,
  CreditApplication,
  CreditControls,
  CreditOutcome,
  EngineCharge,
  EngineCredit,
  EngineResult,
  EnginePeriod,
  PeriodOutcome,
} from './types';
import { EngineInputError } from './types';

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Milliseconds of an ISO date or date-time (UTC when it names no offset), or NaN. */
export function instantOf(text: string): number {
  if (!ISO.test(text)) return NaN;
  const withZone = text.length > 10 && !/(Z|[+-]\d{2}:\d{2})$/.test(text) ? `${text}Z` : text;
  return Date.parse(withZone);
}

/** First instant after the month (UTC). */
export function endOfMonth(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return Date.UTC(y, m, 1);
}

interface Controls {
  from: string;
  paused: boolean;
  consumers: Set<string> | null;
  restricted: boolean;
}

interface CreditState {
  credit: EngineCredit;
  opening: bigint;
  openingPlaces: number;
  startMs: number;
  expiryMs: number;
  services: string[] | null;
  controls: Controls[];
  /** The balance the current phase moves: remaining during final periods, estimated after. */
  work: bigint;
  places: number;
  appliedFinal: bigint;
  appliedEstimated: bigint;
  expired: bigint;
  remaining: bigint;
  remainingPlaces: number;
  rank: number;
}

interface RankedList {
  items: CreditState[];
  head: number;
}

interface Bucket {
  all: RankedList | null;
  byService: Map<string, RankedList>;
}

interface PreparedCharge {
  index: number;
  charge: EngineCharge;
  dateMs: number;
  units: bigint;
  places: number;
}

function validate(credits: readonly EngineCredit[], periods: readonly EnginePeriod[], parsed: Map<EnginePeriod, PreparedCharge[]>): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const c of credits) {
    const at = `credit ${JSON.stringify(c.id)}`;
    if (!c.id) problems.push('a credit has an empty id');
    else if (ids.has(c.id)) problems.push(`${at}: id appears twice`);
    ids.add(c.id);
    if (!c.group) problems.push(`${at}: empty group`);
    if (!c.currency) problems.push(`${at}: empty currency`);
    try {
      if (parseExact(c.openingBalance).units < 0n) problems.push(`${at}: openingBalance is negative`);
    } catch (e) {
      problems.push(`${at}: openingBalance ${(e as Error).message}`);
    }
    if (!MONTH_PATTERN.test(c.openingMonth)) problems.push(`${at}: openingMonth "${c.openingMonth}" is not YYYY-MM`);
    if (c.startsAt !== null && Number.isNaN(instantOf(c.startsAt))) problems.push(`${at}: startsAt "${c.startsAt}" is not an ISO date`);
    if (c.expiresAt !== null && Number.isNaN(instantOf(c.expiresAt))) problems.push(`${at}: expiresAt "${c.expiresAt}" is not an ISO date`);
    const froms = new Set<string>();
    for (const k of c.controls ?? []) {
      if (!MONTH_PATTERN.test(k.from)) problems.push(`${at}: controls from "${k.from}" is not YYYY-MM`);
      if (froms.has(k.from)) problems.push(`${at}: two controls from ${k.from}`);
      froms.add(k.from);
    }
  }
  const keys = new Set<string>();
  for (const p of periods) {
    const at = `period ${p.group} ${p.month}`;
    if (!p.group) problems.push(`${at}: empty group`);
    if (!MONTH_PATTERN.test(p.month)) problems.push(`${at}: month is not YYYY-MM`);
    const key = `${p.group}\u0000${p.month}`;
    if (keys.has(key)) problems.push(`${at}: appears twice (load a period again by replacing it)`);
    keys.add(key);
    const list: PreparedCharge[] = new Array(p.charges.length);
    parsed.set(p, list);
    // A period's charges repeat few dates: each distinct one is read once.
    const instants = new Map<string, number>();
    p.charges.forEach((charge, i) => {
      const where = () => `${at} charge ${i}`; // built only for a problem
      if (!charge.consumerId) problems.push(`${where()}: empty consumerId`);
      if (!charge.currency) problems.push(`${where()}: empty currency`);
      let dateMs = instants.get(charge.date);
      if (dateMs === undefined) instants.set(charge.date, (dateMs = instantOf(charge.date)));
      if (Number.isNaN(dateMs)) problems.push(`${where()}: date "${charge.date}" is not an ISO date`);
      try {
        const amount = parseExact(charge.amount);
        if (amount.units <= 0n) problems.push(`${where()}: amount ${charge.amount} is not above zero`);
        list[i] = { index: i, charge, dateMs, units: amount.units, places: amount.places };
      } catch (e) {
        problems.push(`${where()}: amount ${(e as Error).message}`);
      }
    });
  }
  return problems;
}

function prepareCredit(credit: EngineCredit): CreditState {
  const opening = parseExact(credit.openingBalance);
  const given = [...(credit.controls ?? [])].sort((a, b) => cmp(a.from, b.from));
  const controls: Controls[] = (given.length > 0 ? given : [{ from: credit.openingMonth, paused: false, scope: { kind: 'everyone' } } as CreditControls]).map(
    (k) => ({
      from: k.from,
      paused: k.paused,
      consumers: k.scope.kind === 'everyone' ? null : new Set(k.scope.consumerIds),
      restricted: k.restricted ?? k.scope.kind === 'consumers',
    }),
  );
  return {
    credit,
    opening: opening.units,
    openingPlaces: opening.places,
    startMs: credit.startsAt === null ? -Infinity : instantOf(credit.startsAt),
    expiryMs: credit.expiresAt === null ? Infinity : instantOf(credit.expiresAt),
    services: credit.applicableServices.length > 0 ? [...new Set(credit.applicableServices)] : null,
    controls,
    work: opening.units,
    places: opening.places,
    appliedFinal: 0n,
    appliedEstimated: 0n,
    expired: 0n,
    remaining: opening.units,
    remainingPlaces: opening.places,
    rank: 0,
  };
}

/** The number of a charge's (consumer id, service, product, consumer kind), numbered by `next` when new. */
function lineOf(lines: Map<string, Map<string, Map<string, Map<string, number>>>>, charge: EngineCharge, next: () => number): number {
  let byService = lines.get(charge.consumerId);
  if (!byService) lines.set(charge.consumerId, (byService = new Map()));
  let byProduct = byService.get(charge.service);
  if (!byProduct) byService.set(charge.service, (byProduct = new Map()));
  let byKind = byProduct.get(charge.productCode);
  if (!byKind) byProduct.set(charge.productCode, (byKind = new Map()));
  let line = byKind.get(charge.consumerKind);
  if (line === undefined) byKind.set(charge.consumerKind, (line = next()));
  return line;
}

/** The controls in effect at a month: the latest `from` <= month, else the first. */
export function controlsAt<T extends { from: string }>(controls: readonly T[], month: string): T {
  let found = controls[0];
  for (const k of controls) if (k.from <= month) found = k;
  return found;
}

/** The application order: expiring first (never last), restricted before organization-wide, then id. */
function compareForApplication(a: CreditState, b: CreditState, restrictedA: boolean, restrictedB: boolean): number {
  if (a.expiryMs !== b.expiryMs) return a.expiryMs < b.expiryMs ? -1 : 1;
  if (restrictedA !== restrictedB) return restrictedA ? -1 : 1;
  return cmp(a.credit.id, b.credit.id);
}

function compareCharges(a: PreparedCharge, b: PreparedCharge): number {
  if (a.dateMs !== b.dateMs) return a.dateMs < b.dateMs ? -1 : 1;
  const x = a.charge;
  const y = b.charge;
  return (
    cmp(x.consumerKind, y.consumerKind) ||
    cmp(x.consumerId, y.consumerId) ||
    cmp(x.service, y.service) ||
    cmp(x.productCode, y.productCode) ||
    cmp(x.currency, y.currency) ||
    (x.creditEligible === y.creditEligible ? 0 : x.creditEligible ? -1 : 1) ||
    (a.units !== b.units ? (a.units < b.units ? -1 : 1) : 0) ||
    a.index - b.index
  );
}

interface AppAccumulator {
  state: CreditState;
  charge: EngineCharge;
  units: bigint;
  places: number;
}

interface ConsumerAccumulator {
  charge: EngineCharge;
  charges: ExactSum;
  eligible: ExactSum;
  covered: ExactSum;
}

/** Applies one period's charges to the credits' `work` balances. */
function applyPeriod(
  period: EnginePeriod,
  prepared: PreparedCharge[],
  groupCredits: CreditState[],
  applications: CreditApplication[],
  consumers: ConsumerMonth[],
): PeriodOutcome {
  const month = period.month;
  const estimated = !period.final;

  // The credits that may pay anything this month, in application order, indexed.
  const live: { state: CreditState; controls: Controls }[] = [];
  for (const state of groupCredits) {
    if (state.credit.openingMonth > month || state.work <= 0n) continue;
    const controls = controlsAt(state.controls, month);
    if (controls.paused) continue;
    live.push({ state, controls });
  }
  live.sort((a, b) => compareForApplication(a.state, b.state, a.controls.restricted, b.controls.restricted));
  // Per currency: the credits anyone may use, and those only some consumers may use, by consumer.
  // Lookups use a charge's own texts (no key is built per charge: a consumer id can be an ARM id of
  // 190 characters, and V8 hashes a string object once).
  const index = new Map<string, { everyone: Bucket | null; byConsumer: Map<string, Bucket> }>();
  const listIn = (bucket: Bucket, service: string | null): RankedList => {
    if (service === null) return (bucket.all ??= { items: [], head: 0 });
    let list = bucket.byService.get(service);
    if (!list) bucket.byService.set(service, (list = { items: [], head: 0 }));
    return list;
  };
  live.forEach(({ state, controls }, rank) => {
    state.rank = rank;
    let byScope = index.get(state.credit.currency);
    if (!byScope) index.set(state.credit.currency, (byScope = { everyone: null, byConsumer: new Map() }));
    const buckets: Bucket[] = [];
    if (controls.consumers === null) buckets.push((byScope.everyone ??= { all: null, byService: new Map() }));
    else {
      for (const c of controls.consumers) {
        let bucket = byScope.byConsumer.get(c);
        if (!bucket) byScope.byConsumer.set(c, (bucket = { all: null, byService: new Map() }));
        buckets.push(bucket);
      }
    }
    for (const bucket of buckets) {
      if (state.services === null) listIn(bucket, null).items.push(state);
      else for (const s of state.services) listIn(bucket, s).items.push(state);
    }
  });

  prepared.sort(compareCharges); // its own list (validate made it), read in date order from here on

  const coveredUnits: bigint[] = new Array(prepared.length).fill(0n);
  const coveredPlaces: number[] = new Array(prepared.length).fill(0);
  // An application is per (credit, consumer kind and id, service, product): each distinct
  // (consumer, service, product, kind) of the month's charges is numbered once ("lines"), and an
  // application is keyed by its line and its credit's rank. Consumer months are per (kind, id,
  // currency). Both are listed in the order they were first met.
  const lines = new Map<string, Map<string, Map<string, Map<string, number>>>>();
  let lineCount = 0;
  const ranks = live.length;
  const apps = new Map<number, AppAccumulator>();
  const perConsumer = new Map<string, ConsumerAccumulator[]>();
  const consumerList: ConsumerAccumulator[] = [];
  const lists: RankedList[] = [];
  const cursors: number[] = [];

  for (const p of prepared) {
    const charge = p.charge;
    let ofConsumer = perConsumer.get(charge.consumerId);
    if (!ofConsumer) perConsumer.set(charge.consumerId, (ofConsumer = []));
    let consumer = ofConsumer.find((c) => c.charge.consumerKind === charge.consumerKind && c.charge.currency === charge.currency);
    if (!consumer) {
      ofConsumer.push((consumer = { charge, charges: new ExactSum(), eligible: new ExactSum(), covered: new ExactSum() }));
      consumerList.push(consumer);
    }
    consumer.charges.add(p);
    if (!charge.creditEligible) continue;
    consumer.eligible.add(p);
    const byScope = index.get(charge.currency);
    if (!byScope) continue;

    lists.length = 0;
    for (const bucket of [byScope.everyone, byScope.byConsumer.get(charge.consumerId)]) {
      if (!bucket) continue;
      if (bucket.all) lists.push(bucket.all);
      const bySvc = bucket.byService.get(charge.service);
      if (bySvc) lists.push(bySvc);
    }
    if (lists.length === 0) continue;
    // Credits used up, or expired before this charge (charges come in date order), leave for good.
    for (const list of lists) {
      while (list.head < list.items.length) {
        const s = list.items[list.head];
        if (s.work > 0n && s.expiryMs > p.dateMs) break;
        list.head++;
      }
    }
    cursors.length = 0;
    for (const list of lists) cursors.push(list.head);

    let line = -1;
    let need = p.units;
    let places = p.places;
    let coveredHere = 0n;
    let coveredHerePlaces = 0;
    while (need > 0n) {
      // The next credit in application order among the lists.
      let best = -1;
      let bestRank = Infinity;
      for (let l = 0; l < lists.length; l++) {
        const items = lists[l].items;
        if (cursors[l] < items.length && items[cursors[l]].rank < bestRank) {
          best = l;
          bestRank = items[cursors[l]].rank;
        }
      }
      if (best < 0) break;
      const state = lists[best].items[cursors[best]++];
      if (state.work <= 0n || p.dateMs < state.startMs || p.dateMs >= state.expiryMs) continue;
      const portion = need < state.work ? need : state.work;
      const portionPlaces = Math.max(places, state.places);
      state.work -= portion;
      state.places = portionPlaces > state.places ? portionPlaces : state.places;
      need -= portion;
      coveredHere += portion;
      if (portionPlaces > coveredHerePlaces) coveredHerePlaces = portionPlaces;
      if (estimated) state.appliedEstimated += portion;
      else state.appliedFinal += portion;
      if (line < 0) line = lineOf(lines, charge, () => lineCount++);
      const key = line * ranks + state.rank;
      const app = apps.get(key);
      if (app) {
        app.units += portion;
        if (portionPlaces > app.places) app.places = portionPlaces;
      } else apps.set(key, { state, charge, units: portion, places: portionPlaces });
      places = portionPlaces;
    }
    coveredUnits[p.index] = coveredHere;
    coveredPlaces[p.index] = coveredHerePlaces;
    if (coveredHere > 0n) consumer.covered.add({ units: coveredHere, places: coveredHerePlaces });
  }

  for (const app of apps.values()) {
    applications.push({
      creditId: app.state.credit.id,
      group: period.group,
      month,
      consumerId: app.charge.consumerId,
      consumerKind: app.charge.consumerKind,
      service: app.charge.service,
      productCode: app.charge.productCode,
      currency: app.state.credit.currency,
      amount: formatExact(app.units, app.places),
      estimated,
    });
  }
  for (const c of consumerList) {
    const places = Math.max(c.charges.places, c.covered.places);
    consumers.push({
      group: period.group,
      month,
      estimated,
      consumerKind: c.charge.consumerKind,
      consumerId: c.charge.consumerId,
      currency: c.charge.currency,
      charges: formatExact(c.charges.units, places),
      eligibleCharges: formatExact(c.eligible.units, c.eligible.places),
      creditsApplied: formatExact(c.covered.units, places),
      net: formatExact(c.charges.units - c.covered.units, places),
    });
  }
  let chargesCovered = 0;
  for (const units of coveredUnits) if (units > 0n) chargesCovered++;
  // Two amounts per charge are formatted only when read: recomputing needs only the count, and
  // formatting them was a quarter of the engine's time (1,000,000 charges: 1 s).
  let coverage: ChargeCoverage[] | null = null;
  return {
    group: period.group,
    month,
    final: period.final,
    chargesCovered,
    get coverage(): ChargeCoverage[] {
      if (coverage === null) {
        coverage = new Array<ChargeCoverage>(prepared.length);
        for (const p of prepared) {
          const places = Math.max(p.places, coveredPlaces[p.index]);
          coverage[p.index] = { covered: formatExact(coveredUnits[p.index], places), uncovered: formatExact(p.units - coveredUnits[p.index], places) };
        }
      }
      return coverage;
    },
  };
}

/**
 * Applies every period's charges to the credits. Per group (AWS payer, Azure billing profile):
 * final periods in month order move the remaining balance; then a credit whose expiry passed by
 * the end of the group's last final month moves what is left to `expired`; then estimated periods
 * in month order move only the estimated balance, starting from the remaining balances.
 * Throws EngineInputError listing every problem with the inputs.
 */
export function applyCharges(credits: readonly EngineCredit[], periods: readonly EnginePeriod[]): EngineResult {
  const parsed = new Map<EnginePeriod, PreparedCharge[]>();
  const problems = validate(credits, periods, parsed);
  if (problems.length > 0) throw new EngineInputError(problems);

  const states = credits.map(prepareCredit).sort((a, b) => cmp(a.credit.id, b.credit.id));
  const byGroup = new Map<string, CreditState[]>();
  for (const s of states) {
    const list = byGroup.get(s.credit.group);
    if (list) list.push(s);
    else byGroup.set(s.credit.group, [s]);
  }
  const periodsByGroup = new Map<string, EnginePeriod[]>();
  for (const p of periods) {
    const list = periodsByGroup.get(p.group);
    if (list) list.push(p);
    else periodsByGroup.set(p.group, [p]);
  }

  const applications: CreditApplication[] = [];
  const consumers: ConsumerMonth[] = [];
  const outcomes: PeriodOutcome[] = [];
  const groups = [...new Set([...byGroup.keys(), ...periodsByGroup.keys()])].sort(cmp);
  for (const group of groups) {
    const groupCredits = byGroup.get(group) ?? [];
    const groupPeriods = [...(periodsByGroup.get(group) ?? [])].sort((a, b) => cmp(a.month, b.month));
    const finals = groupPeriods.filter((p) => p.final);
    for (const p of finals) outcomes.push(applyPeriod(p, parsed.get(p)!, groupCredits, applications, consumers));
    const lastFinal = finals.length > 0 ? finals[finals.length - 1].month : null;
    const closedUntil = lastFinal === null ? -Infinity : endOfMonth(lastFinal);
    for (const s of groupCredits) {
      if (s.expiryMs <= closedUntil && s.work > 0n) {
        s.expired = s.work;
        s.work = 0n;
      }
      s.remaining = s.work;
      s.remainingPlaces = s.places;
    }
    for (const p of groupPeriods) if (!p.final) outcomes.push(applyPeriod(p, parsed.get(p)!, groupCredits, applications, consumers));
  }

  const creditOutcomes: CreditOutcome[] = states.map((s) => {
    // Final figures with the places of the final phase; estimated ones with those of the whole run.
    return {
      creditId: s.credit.id,
      group: s.credit.group,
      currency: s.credit.currency,
      openingBalance: formatExact(s.opening, s.openingPlaces),
      remaining: formatExact(s.remaining, s.remainingPlaces),
      estimated: formatExact(s.work, s.places),
      appliedFinal: formatExact(s.appliedFinal, s.remainingPlaces),
      appliedEstimated: formatExact(s.appliedEstimated, s.places),
      expired: formatExact(s.expired, s.remainingPlaces),
    };
  });
  applications.sort(
    (a, b) =>
      cmp(a.creditId, b.creditId) ||
      cmp(a.month, b.month) ||
      cmp(a.consumerKind, b.consumerKind) ||
      cmp(a.consumerId, b.consumerId) ||
      cmp(a.service, b.service) ||
      cmp(a.productCode, b.productCode),
  );
  outcomes.sort((a, b) => cmp(a.group, b.group) || cmp(a.month, b.month));
  consumers.sort(
    (a, b) =>
      cmp(a.group, b.group) || cmp(a.month, b.month) || cmp(a.consumerKind, b.consumerKind) || cmp(a.consumerId, b.consumerId) || cmp(a.currency, b.currency),
  );
  return { credits: creditOutcomes, applications, periods: outcomes, consumers };
}

/** The periods with `period` in place of the one of the same group and month (or added): loading a period again. */
export function replacePeriod(periods: readonly EnginePeriod[], period: EnginePeriod): EnginePeriod[] {
  return [...periods.filter((p) => p.group !== period.group || p.month !== period.month), period];
}

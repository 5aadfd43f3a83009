/**
 * The Azure side of the charges ledger (lib/store/ledger.ts): a billing profile's lots as the
 * engine takes them, and the engine's results as Azure records: each lot's closedBalance, its
 * status (Complete when used up, Expired when it expired with a balance) and this product's
 * estimated balance; and the events Azure would write (NewCredit, SettledCharges with the
 * invoice number, PendingCharges, CreditExpired), each with the profile's balance after it.
 *
 * The billing group is the billing profile (its ARM id); consumers are its invoice sections
 * (their ARM ids). What the lots and events files cover stays authoritative: a lot's opening
 * month is the month after the later of the last month the profile's imported invoiced events
 * settle and the last closed month its lots file was loaded at (`snapshotThrough`), and not before
 * the lot starts; its opening balance is the lots file's closedBalance. docs/CHARGES.md.
 */
import { lockBillingGroups } from '../../../lib/platform/database';
import type { EntityManager } from 'typeorm';
import { ExactSum, formatExact, parseExact } from '../../../lib/domain/charges/amount';
import {
  BEFORE_ANY_MONTH,
  ChargeBook,
  ControlState,
  controlChangeMonth,
  GroupComputation,
  recomputableGroups,
  noteCoverage,
  periodKey,
  readControls,
  recomputeGroups,
  RecomputeSummary,
  recordControlChange,
} from '../../../lib/store/ledger';
import { laterMonth, monthOf, monthStartIso, nextMonth, openingMonthOf, previousMonth } from '../../../lib/domain/charges/months';
import type { IngestTouches } from '../../../lib/store/ingest';
import type { CreditControls, EngineCredit } from '../../../lib/domain/charges/types';
import { convertDecimal, negateDecimal } from '../../../lib/domain/money';
import { isPendingEventType } from '../domain/applications';
import { LOT_STATUS, lotDerivedColumns } from '../domain/normalize-lot';
import { amountColumns, amountWithRateColumns, AzureAmount } from '../entities/amount';
import type { AzureCreditEvent } from '../entities/credit-event';
import type { AzureCreditLot } from '../entities/credit-lot';
import * as store from '../store';
import type { ChargeLot } from '../store';

/** The sharing settings a control entry records for a lot: the invoice sections it pays for (null: the whole profile). */
export type AzureSharingState = string[] | null;

export function azureControlState(lot: Pick<AzureCreditLot, 'paused' | 'sharedInvoiceSectionIds'>): ControlState<AzureSharingState> {
  return { paused: lot.paused, sharing: lot.sharedInvoiceSectionIds };
}

const EVENT_TYPE = 'Microsoft.Consumption/events';

/**
 * The last billing month the profiles' imported invoiced events settle: an event with an invoice
 * number is on the invoice issued at its transaction date, for the month before it.
 */
async function eventsThrough(manager: EntityManager, profileIds: string[]): Promise<Map<string, string>> {
  const last = await store.lastInvoicedEventDates(manager, profileIds);
  return new Map([...last].map(([profile, date]) => [profile, previousMonth(monthOf(date))]));
}

/** Whether a lot takes part in applying charges: canceled lots never pay. */
function takesPart(lot: ChargeLot): boolean {
  return (lot.snapshotStatus ?? lot.status) !== LOT_STATUS.canceled;
}

export function createAzureChargeBook(): ChargeBook {
  let lots: ChargeLot[] = [];
  return {
    async engineCredits(manager, groups) {
      lots = await store.chargeLotsOfProfiles(manager, groups);
      const events = await eventsThrough(manager, groups);
      const controls = await readControls<AzureSharingState>(manager, lots.map((l) => l.id));
      const coveredThrough = new Map<string, string | null>();
      const credits = lots.filter(takesPart).map((lot): EngineCredit => {
        const through = laterMonth(events.get(lot.billingProfileId) ?? null, lot.snapshotThrough);
        noteCoverage(coveredThrough, lot.billingProfileId, through);
        const start = lot.startDate ?? lot.purchasedDate;
        const openingMonth = openingMonthOf(start ? monthOf(start) : BEFORE_ANY_MONTH, through);
        const entries = controls.get(lot.id) ?? [{ fromMonth: openingMonth, ...azureControlState(lot) }];
        return {
          id: lot.id,
          group: lot.billingProfileId,
          currency: lot.closedBalanceColumns.currency ?? '',
          openingBalance: lot.snapshotClosedBalance ?? lot.closedBalanceColumns.value ?? '0',
          openingMonth,
          startsAt: lot.startDate,
          expiresAt: lot.expirationDate,
          applicableServices: [],
          controls: entries.map(
            (e): CreditControls => ({
              from: e.fromMonth,
              paused: e.paused,
              scope: e.sharing === null ? { kind: 'everyone' } : { kind: 'consumers', consumerIds: e.sharing },
            }),
          ),
        };
      });
      return { credits, coveredThrough };
    },

    async project(manager, computation) {
      await projectLots(manager, lots, computation);
      await projectEvents(manager, lots, computation);
    },
  };
}

/** The lot's value converted as its snapshot's billing-currency amount was (same currency: as is). */
function inBillingCurrency(lot: ChargeLot, value: string): string | null {
  const columns = lot.closedBalanceInBillingCurrencyColumns;
  if (columns.currency === null) return null;
  if (columns.currency === lot.closedBalanceColumns.currency) return value;
  return columns.exchangeRate === null ? null : convertDecimal(value, columns.exchangeRate, 2);
}

/** Writes each lot's served balance, status and estimate: the engine's when computed, the snapshot's otherwise. */
async function projectLots(manager: EntityManager, lots: ChargeLot[], computation: GroupComputation): Promise<void> {
  const outcomes = new Map(computation.result.credits.map((o) => [o.creditId, o]));
  // The latest estimated month of each group: a lot's balance is an estimate when it is in or after the lot's opening month.
  const lastEstimated = new Map<string, string>();
  for (const p of computation.periods) if (!p.final && (lastEstimated.get(p.group) ?? '') < p.month) lastEstimated.set(p.group, p.month);
  const openings = new Map(computation.credits.map((c) => [c.id, c.openingMonth]));
  const changes: { lotId: string; set: Partial<AzureCreditLot> }[] = [];
  for (const lot of lots) {
    const outcome = outcomes.get(lot.id);
    const snapshotValue = lot.snapshotClosedBalance ?? lot.closedBalanceColumns.value ?? '0';
    let value: string;
    let status: string;
    let estimated: string | null;
    let expiredValue: string | null = null;
    let isEstimated = lot.isEstimatedBalance;
    if (outcome && computation.computed.has(lot.id)) {
      value = outcome.remaining;
      estimated = outcome.estimated;
      const expired = parseExact(outcome.expired).units > 0n;
      if (expired) expiredValue = outcome.expired;
      const usedUp = parseExact(outcome.remaining).units === 0n && parseExact(outcome.openingBalance).units > 0n;
      status = expired ? LOT_STATUS.expired : usedUp ? LOT_STATUS.complete : (lot.snapshotStatus ?? lot.status);
      isEstimated = (lastEstimated.get(lot.billingProfileId) ?? '') >= openings.get(lot.id)!;
    } else {
      value = snapshotValue;
      estimated = null;
      status = lot.snapshotStatus ?? lot.status;
    }
    const billingValue = value === snapshotValue ? (lot.snapshotClosedBalanceInBillingCurrency ?? lot.closedBalanceInBillingCurrencyColumns.value) : inBillingCurrency(lot, value);
    const derived = lotDerivedColumns({ id: lot.id, source: lot.source, name: lot.name, expirationDate: lot.expirationDate, closedBalanceValue: value });
    const same =
      lot.closedBalanceColumns.value === value &&
      lot.closedBalanceInBillingCurrencyColumns.value === billingValue &&
      lot.status === status &&
      lot.estimatedBalanceValue === estimated &&
      lot.expiredAmountValue === expiredValue &&
      lot.isEstimatedBalance === isEstimated;
    if (same) continue;
    const set = {
      closedBalanceColumns: { ...lot.closedBalanceColumns, value },
      closedBalanceInBillingCurrencyColumns: { ...lot.closedBalanceInBillingCurrencyColumns, value: billingValue },
      status,
      estimatedBalanceValue: estimated,
      expiredAmountValue: expiredValue,
      isEstimatedBalance: isEstimated,
      sortRemaining: derived.sortRemaining,
      closedBalanceIsZero: derived.closedBalanceIsZero,
    };
    changes.push({ lotId: lot.id, set });
    Object.assign(lot, set);
  }
  // One set-based UPDATE for many lots (10,000 lots changed took 10,000 statements before).
  await store.updateLots(manager, changes);
}

/** One event to write, before the running balance is known. */
interface PlannedEvent {
  kind: 'NewCredit' | 'SettledCharges' | 'CreditExpired' | 'PendingCharges';
  lot: ChargeLot;
  date: string;
  month: string;
  /** Change of the lot's balance: positive for new credit, negative otherwise. */
  delta: string;
  invoiceNumber: string;
  description: string;
}

const KIND_ORDER: Record<PlannedEvent['kind'], number> = { NewCredit: 0, SettledCharges: 1, CreditExpired: 2, PendingCharges: 3 };
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthLabel = (month: string) => `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;

/**
 * Replaces the profiles' computed events and marks imported pending events of months the cost
 * details cover as superseded. The profile's balance after each event is the sum, per credit
 * currency, of its lots' balances at that point, as Azure's events report it.
 */
async function projectEvents(manager: EntityManager, lots: ChargeLot[], computation: GroupComputation): Promise<void> {
  const groups = computation.groups;
  await store.clearComputedEvents(manager, groups);
  // Only pending events (superseded by cost details) and new credits (not written twice) matter here.
  const imported = await store.importedPendingOrNewCreditEvents(manager, groups);
  const periodByKey = new Map(computation.periods.map((p) => [periodKey(p.group, p.month), p]));
  const superseded = imported.filter((e) => isPendingEventType(e.eventType) && periodByKey.has(periodKey(e.billingProfileId, monthOf(e.transactionDate)))).map((e) => e.id);
  await store.supersedeEvents(manager, superseded);
  const withNewCredit = new Set(imported.filter((e) => e.eventType === 'NewCredit' || e.eventType === 'PendingNewCredit').map((e) => `${e.billingProfileId}\u0001${e.lotId}`));

  const profiles = await store.profilesByIds(manager, groups);
  const profileById = new Map(profiles.map((p) => [p.id, p]));
  const outcomes = new Map(computation.result.credits.map((o) => [o.creditId, o]));
  const lotById = new Map(lots.map((l) => [l.id, l]));

  const planned: PlannedEvent[] = [];
  const openingBalance = new Map<string, string>();
  for (const lot of lots) {
    const outcome = outcomes.get(lot.id);
    const computed = outcome !== undefined && computation.computed.has(lot.id);
    const original = lot.originalAmountColumns.value;
    // A NewCredit is Azure's record of a lot as granted: written here for a lot whose snapshot is its
    // original amount and that has no imported one (a lot loaded mid-life has its history in the snapshot).
    const generatesNewCredit =
      computed && lot.startDate !== null && original !== null && parseExact(original).units === parseExact(outcome!.openingBalance).units && !withNewCredit.has(`${lot.billingProfileId}\u0001${lot.name}`);
    openingBalance.set(lot.id, generatesNewCredit ? '0' : computed ? outcome!.openingBalance : (lot.closedBalanceColumns.value ?? '0'));
    if (generatesNewCredit) {
      planned.push({ kind: 'NewCredit', lot, date: lot.startDate!, month: monthOf(lot.startDate!), delta: original!, invoiceNumber: '', description: 'New credits added' });
    }
    if (computed && parseExact(outcome!.expired).units > 0n && lot.expirationDate) {
      // The month the lot was last usable in (an expiry at midnight on the 1st closes the month before).
      const month = monthOf(new Date(Date.parse(lot.expirationDate) - 1).toISOString());
      const period = periodByKey.get(periodKey(lot.billingProfileId, month));
      planned.push({
        kind: 'CreditExpired',
        lot,
        date: lot.expirationDate,
        month,
        delta: negateDecimal(outcome!.expired),
        invoiceNumber: period?.final ? (period.invoiceIds[0] ?? '') : '',
        description: 'Credit expired',
      });
    }
  }
  // What each lot paid per month, final and estimated apart, in the order first paid: found by
  // the lot, then by a short key of the month (a key built from the lot's ARM id for each of
  // 88,000 applications was most of planning the events).
  const paid: { lot: ChargeLot; month: string; estimated: boolean; sum: ExactSum }[] = [];
  const paidOfLot = new Map<ChargeLot, Map<string, (typeof paid)[number]>>();
  for (const a of computation.result.applications) {
    const lot = lotById.get(a.creditId);
    if (!lot) continue;
    let ofLot = paidOfLot.get(lot);
    if (!ofLot) paidOfLot.set(lot, (ofLot = new Map()));
    const monthKey = a.estimated ? `E${a.month}` : `F${a.month}`;
    let entry = ofLot.get(monthKey);
    if (!entry) {
      ofLot.set(monthKey, (entry = { lot, month: a.month, estimated: a.estimated, sum: new ExactSum() }));
      paid.push(entry);
    }
    entry.sum.addText(a.amount);
  }
  for (const { lot, month, estimated, sum } of paid) {
    const period = periodByKey.get(periodKey(lot.billingProfileId, month));
    const amount = negateDecimal(sum.toString());
    if (estimated) {
      const through = period?.dataThrough ?? `${month}-01`;
      planned.push({ kind: 'PendingCharges', lot, date: `${through}T00:00:00.000Z`, month, delta: amount, invoiceNumber: '', description: `Pending charges for ${monthLabel(month)}` });
    } else {
      // Azure settles a month's charges on the invoice issued after it.
      planned.push({ kind: 'SettledCharges', lot, date: monthStartIso(nextMonth(month)), month, delta: amount, invoiceNumber: period?.invoiceIds[0] ?? '', description: `Charges for ${monthLabel(month)}` });
    }
  }
  planned.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.lot.name < b.lot.name ? -1 : a.lot.name > b.lot.name ? 1 : 0)));

  // The profile's balance after an event, per credit currency: the balances of the lots that take
  // part and have started by then (a lot whose NewCredit is written here counts from that event).
  // Kept as running sums per (profile, currency) as the events go by in date order: a lot's
  // balance joins its sum once the events reach its start date.
  const lotBalance = new Map<string, bigint>();
  const places = new Map<string, number>();
  const keyOf = new Map<ChargeLot, string>();
  const key = (lot: ChargeLot) => {
    let k = keyOf.get(lot);
    if (k === undefined) keyOf.set(lot, (k = `${lot.billingProfileId}\u0001${lot.closedBalanceColumns.currency}`));
    return k;
  };
  const counted = lots.filter(takesPart);
  const running = new Map<string, { sum: bigint; waiting: ChargeLot[]; next: number }>();
  const started = new Set<ChargeLot>();
  for (const lot of counted) {
    const x = parseExact(openingBalance.get(lot.id)!);
    lotBalance.set(lot.id, x.units);
    places.set(key(lot), Math.max(places.get(key(lot)) ?? 2, x.places));
    let r = running.get(key(lot));
    if (!r) running.set(key(lot), (r = { sum: 0n, waiting: [], next: 0 }));
    if (lot.startDate === null) {
      r.sum += x.units;
      started.add(lot);
    } else r.waiting.push(lot);
  }
  for (const r of running.values()) r.waiting.sort((a, b) => (a.startDate! < b.startDate! ? -1 : a.startDate! > b.startDate! ? 1 : 0));
  /** The sum of the balances of the key's lots that have started by `date` (dates come in order). */
  const balanceAt = (k: string, date: string): bigint => {
    const r = running.get(k);
    if (!r) return 0n;
    while (r.next < r.waiting.length && r.waiting[r.next].startDate! <= date) {
      const lot = r.waiting[r.next++];
      started.add(lot);
      r.sum += lotBalance.get(lot.id)!;
    }
    return r.sum;
  };
  const rows: Partial<AzureCreditEvent>[] = planned.map((e) => {
    const delta = parseExact(e.delta);
    const k = key(e.lot);
    lotBalance.set(e.lot.id, (lotBalance.get(e.lot.id) ?? 0n) + delta.units);
    if (started.has(e.lot)) running.get(k)!.sum += delta.units;
    places.set(k, Math.max(places.get(k) ?? 2, delta.places));
    const profile = profileById.get(e.lot.billingProfileId);
    const currency = e.lot.closedBalanceColumns.currency!;
    const amount = (value: string): AzureAmount => ({ currency, value });
    const zero = amount(formatExact(0n, 2));
    const balance = formatExact(balanceAt(k, e.date), places.get(k)!);
    const converted = (a: AzureAmount) => {
      const v = currency === profile?.currency ? a.value : null;
      return amountWithRateColumns(v === null ? null : { currency, value: v, exchangeRate: '1', exchangeRateMonth: null });
    };
    const byKind = {
      newCredit: e.kind === 'NewCredit' ? amount(e.delta) : zero,
      adjustments: zero,
      creditExpired: e.kind === 'CreditExpired' ? amount(e.delta) : zero,
      charges: e.kind === 'SettledCharges' || e.kind === 'PendingCharges' ? amount(e.delta) : zero,
      closedBalance: amount(balance),
      canceledCredit: zero,
    };
    const name = `computed-${e.kind}-${e.month}-${e.lot.name}`;
    return {
      id: `${e.lot.billingProfileId}/providers/Microsoft.Consumption/events/${name}`,
      name,
      type: EVENT_TYPE,
      eTag: null,
      billingAccountId: e.lot.billingAccountId,
      billingProfileId: e.lot.billingProfileId,
      transactionDate: e.date,
      description: e.description,
      ...Object.fromEntries(
        Object.entries(byKind).flatMap(([field, a]) => [
          [`${field}Columns`, amountColumns(a)],
          [`${field}InBillingCurrencyColumns`, converted(a)],
        ]),
      ),
      eventType: e.kind,
      invoiceNumber: e.invoiceNumber,
      billingProfileDisplayName: profile?.displayName ?? null,
      lotId: e.lot.name,
      lotSource: e.lot.source,
      creditCurrency: currency,
      billingCurrency: profile?.currency ?? null,
      resellerId: e.lot.resellerId,
      resellerDescription: e.lot.resellerDescription,
      isEstimatedBalance: e.kind === 'PendingCharges',
      origin: 'COMPUTED',
      superseded: false,
    };
  });
  // TypeORM's insert builder takes embedded columns as nested objects, as the rows are built.
  await store.insertEvents(manager, rows as AzureCreditEvent[]);
}

/**
 * Locks the billing profile of a lot about to be paused, activated or re-shared, before anything
 * of it is read, so two replicas changing one profile's lots go one after the other
 * (lib/platform/database.ts lockBillingGroups). An unknown lot locks nothing.
 */
export async function lockGroupOfCredit(manager: EntityManager, lotId: string): Promise<void> {
  await lockBillingGroups(manager, async () => {
    const profile = (await store.profilesOfLots(manager, [lotId])).get(lotId);
    return profile === undefined ? [] : [profile];
  });
}

/**
 * Records a pause, activation or re-share of a lot made at `now` from the first open month of its
 * billing profile, and recomputes the profile at once, so the open months' estimates and pending
 * events reflect it.
 */
export async function applyAzureControlChange(
  manager: EntityManager,
  lot: AzureCreditLot,
  before: ControlState<AzureSharingState>,
  after: ControlState<AzureSharingState>,
  now: string,
): Promise<void> {
  const group = lot.billingProfileId;
  const covered = laterMonth((await eventsThrough(manager, [group])).get(group) ?? null, lot.snapshotThrough);
  await recordControlChange(manager, lot.id, await controlChangeMonth(manager, group, covered, now), before, after, now);
  await recomputeGroups(manager, createAzureChargeBook(), [group]);
}

/**
 * Recomputes the billing profiles a load touched that have cost details, or had computed
 * balances before (`touched.everything`: all of those).
 */
export async function recomputeAzure(manager: EntityManager, touched: IngestTouches): Promise<RecomputeSummary | null> {
  const relevant = await recomputableGroups(manager);
  const groups = new Set<string>();
  if (touched.everything) for (const g of relevant) groups.add(g);
  for (const g of touched.groups) if (relevant.has(g)) groups.add(g);
  for (const profile of (await store.profilesOfLots(manager, [...touched.credits])).values()) if (relevant.has(profile)) groups.add(profile);
  return groups.size === 0 ? null : recomputeGroups(manager, createAzureChargeBook(), [...groups].sort(), touched.storedCharges);
}

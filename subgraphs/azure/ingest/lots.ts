/**
 * Format: a page of the lots list (`GET .../billingProfiles/{p}/providers/Microsoft.Consumption/lots`,
 * `{ value: LotSummary[], nextLink }`). Each page of a list is its own file; every page loads.
 *
 * The closed balance is a snapshot (docs/CHARGES.md): a new one holds as of the profile's last
 * closed month stored at load time (`snapshotThrough`), the same one again keeps the stored
 * snapshot; the served balance and status of a lot the charges engine computes are the engine's.
 */
import { In, type EntityManager } from 'typeorm';
import { computedCreditIds, inSlices, lastFinalMonths } from '../../../lib/charges/ledger';
import type { IngestFormat, IngestProblem, IngestTouches } from '../../../lib/ingest';
import { lotDerivedColumns } from '../domain/normalize-lot';
import { LOT_RESOURCE_TYPE } from '../domain/resource-id';
import { amountColumns, amountWithRateColumns } from '../entities/amount';
import { AzureCreditLot } from '../entities/credit-lot';
import { isArmListOf, readArmList, readConsumptionResource } from './arm-list';
import { readAmount, readAmountWithRate, readReseller } from './read-amounts';
import { upsertById } from './upsert';

/** The columns of a lot the charges engine computes once cost details apply: kept on reload. */
function servedOf(lot: AzureCreditLot): Partial<LotRow> {
  return {
    closedBalanceColumns: lot.closedBalanceColumns,
    closedBalanceInBillingCurrencyColumns: lot.closedBalanceInBillingCurrencyColumns,
    status: lot.status,
    estimatedBalanceValue: lot.estimatedBalanceValue,
    expiredAmountValue: lot.expiredAmountValue,
    isEstimatedBalance: lot.isEstimatedBalance,
    sortRemaining: lot.sortRemaining,
    closedBalanceIsZero: lot.closedBalanceIsZero,
  };
}

/** The native and derived columns of a lot; never the pause/share extension, which a reload keeps. */
export type LotRow = Omit<
  { [K in keyof AzureCreditLot as AzureCreditLot[K] extends Function ? never : K]: AzureCreditLot[K] },
  'paused' | 'sharedInvoiceSectionIds' | 'originalAmount' | 'originalAmountInBillingCurrency' | 'closedBalance' | 'closedBalanceInBillingCurrency' | 'reseller' | 'usedAmount' | 'estimatedBalance'
>;

export const lotsFormat: IngestFormat<LotRow[]> = {
  name: 'Azure Consumption lots list page',
  provider: 'AZURE',
  order: 2,
  detect: (document) => isArmListOf(document, LOT_RESOURCE_TYPE),
  validate(document: unknown, file: string, problems: IngestProblem[]): LotRow[] {
    return readArmList(document, file, problems, (item, _entryName, seen) => {
      const { properties: p, envelope } = readConsumptionResource(item, LOT_RESOURCE_TYPE, seen);
      // A lot's amounts and balances are never negative (events' charges are, and keep their sign).
      const lotAmount = { required: true, nonNegative: true };
      const originalAmount = p && readAmount(p, 'originalAmount', lotAmount);
      const closedBalance = p && readAmount(p, 'closedBalance', lotAmount);
      const source = p?.string('source') ?? '';
      const closedInBilling = p && readAmountWithRate(p, 'closedBalanceInBillingCurrency', { nonNegative: true });
      const status = p?.string('status') ?? '';
      const expirationDate = p?.isoDate('expirationDate', false) ?? null;
      return {
        ...envelope,
        originalAmountColumns: amountColumns(originalAmount),
        originalAmountInBillingCurrencyColumns: amountWithRateColumns(p && readAmountWithRate(p, 'originalAmountInBillingCurrency', { nonNegative: true })),
        closedBalanceColumns: amountColumns(closedBalance),
        closedBalanceInBillingCurrencyColumns: amountWithRateColumns(closedInBilling),
        // The snapshot the charges engine starts from (the served columns equal it until cost details apply).
        snapshotClosedBalance: closedBalance?.value ?? null,
        snapshotClosedBalanceInBillingCurrency: closedInBilling?.value ?? null,
        snapshotStatus: status,
        snapshotThrough: null,
        estimatedBalanceValue: null,
        expiredAmountValue: null,
        source,
        startDate: p?.isoDate('startDate', false) ?? null,
        expirationDate,
        purchasedDate: p?.isoDate('purchasedDate', false) ?? null,
        poNumber: p?.string('poNumber', false) ?? null,
        ...(p ? readReseller(p) : { resellerId: null, resellerDescription: null }),
        status,
        creditCurrency: p?.string('creditCurrency', false) ?? null,
        billingCurrency: p?.string('billingCurrency', false) ?? null,
        isEstimatedBalance: p?.boolean('isEstimatedBalance', false) ?? null,
        usedAmountColumns: amountColumns(p && readAmount(p, 'usedAmount')),
        // api-version 2024-08-01 spells this key with a capital O.
        organizationType: p?.string('OrganizationType', false) ?? null,
        ...lotDerivedColumns({ id: envelope.id ?? '', source, name: envelope.name ?? '', expirationDate, closedBalanceValue: closedBalance?.value ?? '0' }),
      };
    });
  },
  async load(rows: LotRow[], manager: EntityManager, touched: IngestTouches): Promise<number> {
    const ids = rows.map((r) => r.id);
    const stored = new Map((await inSlices(ids, (slice) => manager.find(AzureCreditLot, { where: { id: In(slice) } }))).map((lot) => [lot.id, lot]));
    const computed = await computedCreditIds(manager, ids);
    const lastFinal = await lastFinalMonths(manager, [...new Set(rows.map((r) => r.billingProfileId))]);
    const toStore = rows.map((row) => {
      const before = stored.get(row.id);
      const newBalance = !before || before.snapshotClosedBalance !== row.snapshotClosedBalance || before.snapshotClosedBalanceInBillingCurrency !== row.snapshotClosedBalanceInBillingCurrency;
      const next: LotRow = { ...row, snapshotThrough: newBalance ? (lastFinal.get(row.billingProfileId) ?? null) : before.snapshotThrough };
      if (before && computed.has(row.id)) Object.assign(next, servedOf(before));
      const changed = !before || Object.keys(next).some((k) => JSON.stringify(next[k as keyof LotRow]) !== JSON.stringify(before[k as keyof AzureCreditLot]));
      if (changed) touched.credits.add(row.id);
      return next;
    });
    return upsertById(manager, AzureCreditLot, toStore);
  },
};

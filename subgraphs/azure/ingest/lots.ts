/**
 * Format: a page of the lots list (`GET .../billingProfiles/{p}/providers/Microsoft.Consumption/lots`,
 * `{ value: LotSummary[], nextLink }`). Each page of a list is its own file; every page loads.
 *
 * The closed balance is a snapshot (docs/CHARGES.md): a new one holds as of the profile's last
 * closed month stored at load time (`snapshotThrough`), the same one again keeps the stored
 * snapshot; the served balance and status of a lot the charges engine computes are the engine's.
 */
import type { EntityManager } from 'typeorm';
import { computedCreditIds, lastFinalMonths } from '../../../lib/store/ledger';
import { checkNotAbove, checkNotBefore, type EntryReader, type IngestFormat, type IngestProblem, type IngestTouches, type LoadEntries } from '../../../lib/store/ingest';
import { compareDecimal } from '../../../lib/domain/money';
import { lotDerivedColumns } from '../domain/normalize-lot';
import { LOT_RESOURCE_TYPE } from '../domain/resource-id';
import { amountColumns, amountWithRateColumns, type AzureAmount, type AzureAmountWithExchangeRate } from '../entities/amount';
import { AzureCreditLot } from '../entities/credit-lot';
import { isArmListOf, readArmList, readConsumptionResource, registerResource } from './arm-list';
import { checkAmountCurrencies, readAmount, readAmountWithRate, readReseller } from './read-amounts';
import { upsertByKey } from '../../../lib/store/bulk-sql';
import { storedLotsByIds } from '../store';

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

interface LotAmounts {
  originalAmount: AzureAmount | null;
  closedBalance: AzureAmount | null;
  usedAmount: AzureAmount | null;
  originalInBilling: AzureAmountWithExchangeRate | null;
  closedInBilling: AzureAmountWithExchangeRate | null;
  creditCurrency: string | null;
  billingCurrency: string | null;
}

/**
 * A lot's amounts are in its credit currency (and the billing-currency ones in its billing
 * currency), and its closed balance is never above its original amount. In the billing currency
 * the two are compared only at one exchange rate: the balance is converted at a later month's
 * rate than the original amount, which can make it the larger legitimately.
 */
function checkLot(p: EntryReader, a: LotAmounts): void {
  const same = checkAmountCurrencies(
    p,
    { originalAmount: a.originalAmount, closedBalance: a.closedBalance, usedAmount: a.usedAmount },
    { originalAmountInBillingCurrency: a.originalInBilling, closedBalanceInBillingCurrency: a.closedInBilling },
    a,
  );
  const why = 'a lot never holds more than it was given';
  if (same.credit) checkNotAbove(p, { field: 'closedBalance.value', value: a.closedBalance?.value ?? null }, { field: 'originalAmount.value', value: a.originalAmount?.value ?? null }, why);
  const [original, closed] = [a.originalInBilling, a.closedInBilling];
  if (!same.billing || !original || !closed) return;
  const oneRate =
    (original.exchangeRate !== null && closed.exchangeRate !== null && compareDecimal(original.exchangeRate, closed.exchangeRate) === 0) ||
    (a.closedBalance !== null && a.closedBalance.currency === closed.currency);
  if (oneRate) checkNotAbove(p, { field: 'closedBalanceInBillingCurrency.value', value: closed.value }, { field: 'originalAmountInBillingCurrency.value', value: original.value }, `${why} (at one exchange rate)`);
}

export const lotsFormat: IngestFormat<LotRow[]> = {
  name: 'Azure Consumption lots list page',
  provider: 'AZURE',
  order: 2,
  detect: (document) => isArmListOf(document, LOT_RESOURCE_TYPE),
  validate(document: unknown, file: string, problems: IngestProblem[], entries?: LoadEntries): LotRow[] {
    const register = (row: LotRow, index: number) => registerResource(entries, 'Azure lot', row.id, ['value', index], row);
    return readArmList(document, file, problems, (item, _entryName, seen) => {
      const { properties: p, envelope } = readConsumptionResource(item, LOT_RESOURCE_TYPE, seen);
      // A lot's amounts and balances are never negative (events' charges are, and keep their sign).
      const lotAmount = { required: true, nonNegative: true };
      const originalAmount = p && readAmount(p, 'originalAmount', lotAmount);
      const closedBalance = p && readAmount(p, 'closedBalance', lotAmount);
      const source = p?.string('source') ?? '';
      const originalInBilling = p && readAmountWithRate(p, 'originalAmountInBillingCurrency', { nonNegative: true });
      const closedInBilling = p && readAmountWithRate(p, 'closedBalanceInBillingCurrency', { nonNegative: true });
      const usedAmount = p && readAmount(p, 'usedAmount', { nonNegative: true });
      const status = p?.string('status') ?? '';
      const startDate = p?.isoDate('startDate', false) ?? null;
      const expirationDate = p?.isoDate('expirationDate', false) ?? null;
      const creditCurrency = p?.currency('creditCurrency', false) ?? null;
      const billingCurrency = p?.currency('billingCurrency', false) ?? null;
      if (p) {
        checkLot(p, { originalAmount, closedBalance, usedAmount, originalInBilling, closedInBilling, creditCurrency, billingCurrency });
        checkNotBefore(p, { field: 'expirationDate', value: expirationDate }, { field: 'startDate', value: startDate });
      }
      return {
        ...envelope,
        originalAmountColumns: amountColumns(originalAmount),
        originalAmountInBillingCurrencyColumns: amountWithRateColumns(originalInBilling),
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
        startDate,
        expirationDate,
        purchasedDate: p?.isoDate('purchasedDate', false) ?? null,
        poNumber: p?.string('poNumber', false) ?? null,
        ...(p ? readReseller(p) : { resellerId: null, resellerDescription: null }),
        status,
        creditCurrency,
        billingCurrency,
        isEstimatedBalance: p?.boolean('isEstimatedBalance', false) ?? null,
        usedAmountColumns: amountColumns(usedAmount),
        // api-version 2024-08-01 spells this key with a capital O.
        organizationType: p?.string('OrganizationType', false) ?? null,
        ...lotDerivedColumns({ id: envelope.id ?? '', source, name: envelope.name ?? '', expirationDate, closedBalanceValue: closedBalance?.value ?? '0' }),
      };
    }, register);
  },
  async load(rows: LotRow[], manager: EntityManager, touched: IngestTouches): Promise<number> {
    const ids = rows.map((r) => r.id);
    const stored = new Map((await storedLotsByIds(manager, ids)).map((lot) => [lot.id, lot]));
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
    return upsertByKey(manager, AzureCreditLot, toStore, ['id']);
  },
};

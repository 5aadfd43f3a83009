/**
 * From AWS credits and allocation history to the provider contract's normalized records: the
 * credit type, the status facts (the store states them as SQL columns, store/status-sql.ts),
 * the credit itself and its applications.
 */
import { isZeroDecimal, negateDecimal } from '../../../lib/domain/money';
import { creditSearchText } from '../../../lib/domain/credit-search';
import { deriveStatus, StatusFacts } from '../../../lib/domain/credit-status';
import type { ApplicationPosition, CreditApplicationRecord, CreditType, NormalizedCredit } from '../../../lib/domain/provider-contract';
import { SharingColumns, sharingOf, SharingLookups } from './sharing';

/** The stored credit fields normalization reads (the AwsCredit entity has them all). */
export interface CreditRow extends SharingColumns {
  creditId: string;
  accountId: string;
  creditType: string;
  description: string;
  initialCurrencyCode: string;
  initialCurrencyAmount: string;
  remainingCurrencyCode: string;
  remainingCurrencyAmount: string;
  estimatedCurrencyCode: string | null;
  estimatedCurrencyAmount: string | null;
  applicableProductNames: string[];
  startDate: string;
  endDate: string | null;
  creditStatus: string;
  /** What expired unused (the charges engine's figure); absent reads as 0. */
  expiredAmount?: string;
}

/** The stored allocation fields an application needs (the AwsCreditAllocation entity has them). */
export interface AllocationRow {
  creditId: string;
  accountId: string;
  appliedServiceName: string;
  billingMonth: string;
  /** '' when the entry was imported (AWS gives history per service). */
  productCode: string;
  currencyCode: string;
  currencyAmount: string;
  isEstimatedBill: boolean;
}

/** Promotion and Refund are AWS's own types; purchased and commitment credits are recognised by name. */
export function normalizeCreditType(creditType: string): CreditType {
  const t = creditType.trim().toLowerCase();
  if (t === 'promotion' || t === 'promotional') return 'PROMOTIONAL';
  if (t === 'refund') return 'REFUND';
  if (/purchase|prepaid|prepay/.test(t)) return 'PURCHASED';
  if (/commit/.test(t)) return 'COMMITMENT';
  return 'OTHER';
}

/** The text a credit is searched by (lib/domain/credit-search.ts): its name (description), credit id and AWS type. */
export function awsCreditSearchText(credit: { description: string; creditId: string; creditType: string }): string {
  return creditSearchText(credit.description, credit.creditId, credit.creditType);
}

/** The status facts of a stored credit (store/status-sql.ts: the same facts as SQL). AWS has no cancel, expired or not-started flags: dates decide. */
export function awsStatusFacts(credit: CreditRow): StatusFacts {
  return {
    canceled: false,
    expiredFlag: false,
    expiresAt: credit.endDate,
    // Ingest refuses negative amounts (AWS never writes them), so exhausted is exactly zero left.
    exhausted: isZeroDecimal(credit.remainingCurrencyAmount),
    paused: credit.creditStatus === 'DISABLED',
    notStartedFlag: false,
    startsAt: credit.startDate,
  };
}

/** The normalized record of a credit; `lookups` must hold its owner, listed accounts and cost category. */
export function normalizeCredit(credit: CreditRow, lookups: SharingLookups, now: string): NormalizedCredit {
  const remaining = { amount: credit.remainingCurrencyAmount, currencyCode: credit.remainingCurrencyCode };
  const estimated =
    credit.estimatedCurrencyAmount !== null && credit.estimatedCurrencyCode !== null
      ? { amount: credit.estimatedCurrencyAmount, currencyCode: credit.estimatedCurrencyCode }
      : remaining;
  return {
    provider: 'AWS',
    providerCreditId: credit.creditId,
    name: credit.description,
    type: normalizeCreditType(credit.creditType),
    providerType: credit.creditType,
    status: deriveStatus(awsStatusFacts(credit), now),
    providerStatus: credit.creditStatus,
    originalAmount: { amount: credit.initialCurrencyAmount, currencyCode: credit.initialCurrencyCode },
    remainingBalance: remaining,
    estimatedBalance: estimated,
    expiredAmount: { amount: credit.expiredAmount ?? '0', currencyCode: credit.remainingCurrencyCode },
    originalAmountInBillingCurrency: null,
    remainingBalanceInBillingCurrency: null,
    startsAt: credit.startDate,
    expiresAt: credit.endDate,
    applicableServices: credit.applicableProductNames,
    owner: { kind: 'AWS_ACCOUNT', id: credit.accountId, name: lookups.accounts.get(credit.accountId)?.name ?? null },
    sharing: sharingOf(credit, lookups),
  };
}

/**
 * An allocation history entry as an application: what the credit paid, as a positive amount, at
 * `position` (the entry's values of the history's sort, repository.ts ALLOCATION_ORDER).
 */
export function normalizeAllocation(row: AllocationRow, accountName: string | null, position: ApplicationPosition): CreditApplicationRecord {
  return {
    providerCreditId: row.creditId,
    position,
    month: row.billingMonth,
    consumer: { kind: 'AWS_ACCOUNT', id: row.accountId, name: accountName },
    service: row.appliedServiceName,
    productCode: row.productCode === '' ? null : row.productCode,
    amount: { amount: negateDecimal(row.currencyAmount), currencyCode: row.currencyCode },
    estimated: row.isEstimatedBill,
    invoiceNumber: null,
  };
}

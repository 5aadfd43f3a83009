/**
 * The charges engine's inputs and outputs. Plain data, no server: a provider loads its credits,
 * controls and billing periods, calls `applyCharges`, and stores or serves what comes back.
 * Amounts are decimal strings everywhere (see lib/domain/money.ts); dates are ISO 8601 texts.
 * docs/CHARGES.md states the rules.
 */

/** A billing month, 'YYYY-MM'. */
export type Month = string;

/** Who a credit may pay for: the whole organization (AWS) / billing profile (Azure), or listed consumers. */
export type CreditScope = { kind: 'everyone' } | { kind: 'consumers'; consumerIds: readonly string[] };

/**
 * Controls in effect from a month on (until the next entry's month): paused, and the sharing scope.
 * `restricted` says the scope is narrower than the organization / billing profile (owner only,
 * listed accounts, a cost category value, listed invoice sections); restricted credits are used
 * before organization-wide ones. When omitted it is true exactly when scope.kind is 'consumers'.
 */
export interface CreditControls {
  from: Month;
  paused: boolean;
  scope: CreditScope;
  restricted?: boolean;
}

export interface EngineCredit {
  /** Unique among all credits passed in one computation (e.g. the provider's credit id or lot id). */
  id: string;
  /**
   * The billing group whose charges the credit may pay: the AWS payer (management) account, the
   * Azure billing profile. Only periods of the same group reach it.
   */
  group: string;
  currency: string;
  /** Balance at the start of `openingMonth` (the imported snapshot's balance), >= 0. */
  openingBalance: string;
  /**
   * First month the engine applies charges to this credit. Months before it are covered by the
   * provider's own snapshot (GetCredits, allocation history, lots, events), which stays authoritative,
   * so their charges are never applied a second time.
   */
  openingMonth: Month;
  /** Usage from this instant on may be paid (null = always). */
  startsAt: string | null;
  /** Usage from this instant on may not be paid (null = never expires). */
  expiresAt: string | null;
  /** Services (AWS ProductName, Azure meterCategory) it pays for; empty = every service. Exact match. */
  applicableServices: readonly string[];
  /**
   * Controls by month, in any order, `from` unique. In effect at month M: the entry with the latest
   * `from` <= M; before the first entry, the first entry. Omitted or empty = active, everyone.
   */
  controls?: readonly CreditControls[];
}

export interface EngineCharge {
  /** AWS linked account id (the payer for PayerLineItem), Azure invoice section id. */
  consumerId: string;
  /** e.g. 'AWS_ACCOUNT', 'AZURE_INVOICE_SECTION'. Part of the charge's identity and order. */
  consumerKind: string;
  /** AWS ProductName, Azure meterCategory (or consumedService). Matched against applicableServices. */
  service: string;
  /** AWS ProductCode, Azure ProductName. */
  productCode: string;
  currency: string;
  /** > 0, decimal string. */
  amount: string;
  /** false for charges credits never pay (Azure Marketplace, ineligible products, isAzureCreditEligible False). */
  creditEligible: boolean;
  /** Usage start (ISO date or date-time; without an offset it is read as UTC). Checked against startsAt/expiresAt. */
  date: string;
}

export interface EnginePeriod {
  group: string;
  month: Month;
  /** true = final (invoiced): moves the remaining balance; false = estimated: moves only the estimated balance. */
  final: boolean;
  charges: readonly EngineCharge[];
}

/** Money one credit paid in one month for one consumer, service and product code (all charges summed). */
export interface CreditApplication {
  creditId: string;
  group: string;
  month: Month;
  consumerId: string;
  consumerKind: string;
  service: string;
  productCode: string;
  currency: string;
  amount: string;
  estimated: boolean;
}

/** A credit after the computation. Always: openingBalance = remaining + appliedFinal + expired; 0 <= estimated <= remaining. */
export interface CreditOutcome {
  creditId: string;
  group: string;
  currency: string;
  openingBalance: string;
  /** After every final period and expiry. */
  remaining: string;
  /** remaining minus what the estimated periods use. */
  estimated: string;
  appliedFinal: string;
  appliedEstimated: string;
  /** What was left when the credit's expiry passed by the end of its group's last final month. */
  expired: string;
}

/** How much of one charge credits paid. */
export interface ChargeCoverage {
  covered: string;
  uncovered: string;
}

export interface PeriodOutcome {
  group: string;
  month: Month;
  final: boolean;
  /** How many of the period's charges credits paid, wholly or partly. */
  chargesCovered: number;
  /** One entry per charge of the input period, at the same index (formatted when first read). */
  readonly coverage: ChargeCoverage[];
}

/** Month-to-date charges, credits applied and net of one consumer (AWS account, Azure invoice section). */
export interface ConsumerMonth {
  group: string;
  month: Month;
  estimated: boolean;
  consumerKind: string;
  consumerId: string;
  currency: string;
  charges: string;
  /** The charges credits may pay for, in the places of the most precise of them ('0' when none is). */
  eligibleCharges: string;
  creditsApplied: string;
  net: string;
}

export interface EngineResult {
  /** By creditId. */
  credits: CreditOutcome[];
  /** By creditId, month, consumerKind, consumerId, service, productCode. */
  applications: CreditApplication[];
  /** By group, month. */
  periods: PeriodOutcome[];
  /** By group, month, consumerKind, consumerId, currency. */
  consumers: ConsumerMonth[];
}

/** Inputs the engine refuses (every problem listed). */
export class EngineInputError extends Error {
  constructor(readonly problems: string[]) {
    super(`charges engine input refused: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`);
    this.name = 'EngineInputError';
  }
}

/**
 * The provider contract: what the normalized credits layer asks of every cloud's subgraph.
 *
 * It is internal (JSON over HTTP under /provider/v1 on each provider subgraph, never part of the
 * public GraphQL API). A provider answers in normalized records; the credits layer merges, sorts,
 * pages and routes mutations. Adding a cloud = implementing `CreditProvider` in a new subgraph.
 *
 * Every operation acts for a caller: the provider verifies the caller's token itself (the
 * contract routes do) and answers only with what that caller may see or do.
 */
import type { Principal } from '../platform/auth/principal';

export const PROVIDERS = ['AWS', 'AZURE'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const CREDIT_STATUSES = ['ACTIVE', 'PAUSED', 'EXHAUSTED', 'EXPIRED', 'NOT_STARTED', 'CANCELED'] as const;
export type CreditStatus = (typeof CREDIT_STATUSES)[number];

export const CREDIT_TYPES = ['PROMOTIONAL', 'PURCHASED', 'REFUND', 'COMMITMENT', 'OTHER'] as const;
export type CreditType = (typeof CREDIT_TYPES)[number];

export const SHARING_SCOPES = ['ORGANIZATION', 'OWNER_ONLY', 'ACCOUNTS', 'COST_CATEGORY', 'INVOICE_SECTIONS'] as const;
export type SharingScope = (typeof SHARING_SCOPES)[number];

export const ORDER_FIELDS = ['EXPIRES_AT', 'REMAINING_BALANCE', 'NAME'] as const;
export type CreditOrderField = (typeof ORDER_FIELDS)[number];
export const ORDER_DIRECTIONS = ['ASC', 'DESC'] as const;
export type OrderDirection = (typeof ORDER_DIRECTIONS)[number];

export const OWNER_KINDS = ['AWS_ACCOUNT', 'AZURE_BILLING_PROFILE'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

export const CONSUMER_KINDS = ['AWS_ACCOUNT', 'AZURE_INVOICE_SECTION', 'AZURE_BILLING_PROFILE'] as const;
export type ConsumerKind = (typeof CONSUMER_KINDS)[number];

export const USER_ERROR_CODES = ['NOT_FOUND', 'INVALID_SCOPE', 'UNSUPPORTED', 'INVALID_INPUT', 'FORBIDDEN'] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

/** An amount in one currency. `amount` is a decimal string. */
export interface MoneyRecord {
  amount: string;
  currencyCode: string;
}

/** An amount converted to the billing currency (Azure), with the rate used. */
export interface ConvertedMoneyRecord extends MoneyRecord {
  exchangeRate: string | null;
  exchangeRateMonth: number | null;
}

export interface NamedRef {
  id: string;
  name: string | null;
}

export interface CreditOwnerRecord extends NamedRef {
  kind: OwnerKind;
}

/**
 * Most accounts or invoice sections a credit's sharing lists (the first ones): the sharing is read
 * with every page of credits, so its lists are bounded; `accountCount` and `invoiceSectionCount`
 * say how many there are in all.
 */
export const MAX_SHARING_LIST = 100;

export interface CreditSharingRecord {
  scope: SharingScope;
  /** AWS accounts the credit may pay for (ACCOUNTS), or that the cost category value covers: the first MAX_SHARING_LIST. */
  accounts: NamedRef[];
  /** How many accounts the credit may pay for, all told. */
  accountCount: number;
  costCategory: { arn: string; name: string | null; value: string } | null;
  /** Azure invoice sections the credit may pay for (INVOICE_SECTIONS): the first MAX_SHARING_LIST. */
  invoiceSections: NamedRef[];
  /** How many invoice sections the credit may pay for, all told. */
  invoiceSectionCount: number;
}

/** A sharing record with its lists cut to MAX_SHARING_LIST and their whole lengths counted: how every provider builds one. */
export function boundedSharing(sharing: {
  scope: SharingScope;
  accounts?: readonly NamedRef[];
  costCategory?: CreditSharingRecord['costCategory'];
  invoiceSections?: readonly NamedRef[];
}): CreditSharingRecord {
  const accounts = sharing.accounts ?? [];
  const sections = sharing.invoiceSections ?? [];
  return {
    scope: sharing.scope,
    accounts: accounts.slice(0, MAX_SHARING_LIST),
    accountCount: accounts.length,
    costCategory: sharing.costCategory ?? null,
    invoiceSections: sections.slice(0, MAX_SHARING_LIST),
    invoiceSectionCount: sections.length,
  };
}

/** One credit, normalized. Dates are ISO-8601 strings. */
export interface NormalizedCredit {
  provider: ProviderName;
  providerCreditId: string;
  name: string;
  type: CreditType;
  providerType: string;
  status: CreditStatus;
  providerStatus: string | null;
  originalAmount: MoneyRecord;
  remainingBalance: MoneyRecord;
  estimatedBalance: MoneyRecord;
  /** What expired unused (0 until the credit expires with a balance in a closed month). */
  expiredAmount: MoneyRecord;
  /** Azure only: the same amounts in the billing profile's currency. */
  originalAmountInBillingCurrency: ConvertedMoneyRecord | null;
  remainingBalanceInBillingCurrency: ConvertedMoneyRecord | null;
  startsAt: string | null;
  expiresAt: string | null;
  applicableServices: string[];
  owner: CreditOwnerRecord;
  sharing: CreditSharingRecord;
}

/**
 * Where an application sits in its credit's applications order: the values of the provider's sort
 * columns, texts and numbers, compared one after the other (each in its column's direction). The
 * provider defines them (lib/domain/credit-order.ts compareApplications, made total by its own tiebreak);
 * to the credits layer they are opaque, passed back as `after` to continue after that application.
 */
export type ApplicationPosition = (string | number)[];

/** Most values a position may hold, and longest text among them (what the contract accepts as `after`). */
export const MAX_POSITION_VALUES = 16;
export const MAX_POSITION_TEXT = 1024;

/** One application of a credit to charges: a month, a consumer, a service. */
export interface CreditApplicationRecord {
  providerCreditId: string;
  /** Its position in the credit's applications order. */
  position: ApplicationPosition;
  /** Billing month, YYYY-MM. */
  month: string;
  consumer: NamedRef & { kind: ConsumerKind };
  service: string | null;
  productCode: string | null;
  /** What the credit paid: a positive amount. */
  amount: MoneyRecord;
  estimated: boolean;
  /** Azure: the invoice the application settled on, when settled. */
  invoiceNumber: string | null;
}

/**
 * A page of each credit's applications in the one applications order every provider serves
 * (lib/domain/credit-order.ts compareApplications: newest month first, then consumer, service and product
 * code; each provider breaks the remaining ties its own way, so the order is total): `first` of them
 * (at most MAX_APPLICATIONS_PAGE) strictly after the position `after` (from the start when null).
 * Keyset, not offsets: the open month's applications are recomputed on every ingest, pause, activation
 * and share, and new months go on top, so a page continues after the last application shown, not
 * after as many as were shown.
 */
export interface ApplicationsPageRequest {
  first: number;
  after: ApplicationPosition | null;
}

/** Largest page of applications the contract serves per credit. */
export const MAX_APPLICATIONS_PAGE = 100;

/** One credit's page of applications, whether more follow it, and how many it has in all. */
export interface CreditApplicationsPage {
  providerCreditId: string;
  applications: CreditApplicationRecord[];
  hasNextPage: boolean;
  totalCount: number;
}

export interface CreditFilter {
  statuses?: CreditStatus[] | null;
  currencyCodes?: string[] | null;
  ownerIds?: string[] | null;
  /** ISO date-time: only credits that expire strictly before it. */
  expiresBefore?: string | null;
  /** Case-insensitive text searched in the name, native id and provider type. */
  search?: string | null;
}

export interface CreditOrder {
  field: CreditOrderField;
  direction: OrderDirection;
}

/**
 * A position in the global order of credits: the sort key of the order's field, then provider,
 * then native id. A page continues strictly after it.
 */
export interface CreditPosition {
  key: string;
  provider: ProviderName;
  providerCreditId: string;
}

/** Whether a search can match no credit whatever is stored: an empty list in its filter, or a limit of 0. Both providers answer it with nothing before reading anything. */
export function selectsNothing(request: Pick<SearchCreditsRequest, 'filter' | 'limit'>): boolean {
  const { statuses, currencyCodes, ownerIds } = request.filter;
  return [statuses, currencyCodes, ownerIds].some((list) => list?.length === 0) || request.limit === 0;
}

export interface SearchCreditsRequest {
  filter: CreditFilter;
  order: CreditOrder;
  after: CreditPosition | null;
  /** At most this many credits; null for all (the credits layer never asks for all: it pages, and totals are `summarizeCredits`). */
  limit: number | null;
  now: string;
}

/** What `summarizeCredits` totals: the credits the filter selects that the caller may see, as of `now`. */
export interface SummarizeCreditsRequest {
  filter: CreditFilter;
  now: string;
}

/** Days ahead of now in which `expiring` totals what usable credits have left, shortest first (a credit falls in every window from the first it expires within). */
export const EXPIRY_WINDOWS_DAYS = [30, 60, 90] as const;

/**
 * Totals of the credits of one provider in one currency. Amounts are exact decimal sums, written
 * with the places of their most precise operand ("0" when nothing is added).
 */
export interface CurrencyTotalRecord {
  provider: ProviderName;
  currencyCode: string;
  creditCount: number;
  /** Credits that can still be used (ACTIVE, PAUSED, NOT_STARTED: lib/domain/credit-status.ts isUsable). */
  usableCreditCount: number;
  originalAmount: string;
  /** Remaining balance of the usable credits. */
  usableBalance: string;
  /** Estimated balance of the usable credits. */
  usableEstimatedBalance: string;
  /** Remaining balance of the credits that can no longer be used (EXPIRED, CANCELED, EXHAUSTED). */
  unusableBalance: string;
  /** Every credit's remaining balance, usable or not: usableBalance + unusableBalance. */
  remainingBalance: string;
  /** Every credit's estimated balance, usable or not. */
  estimatedBalance: string;
}

/** What usable credits with a balance left that expire within `withinDays` of now have, per provider and currency. */
export interface ExpiringTotalRecord {
  withinDays: number;
  provider: ProviderName;
  currencyCode: string;
  creditCount: number;
  remainingBalance: string;
}

/**
 * Totals over a set of credits (lib/domain/credit-summary.ts computes and merges them): what a provider
 * answers `summarizeCredits` with, for its own credits, and what the credits layer makes of every
 * provider's. `totals` is ordered by provider then currency, `statusCounts` lists every status in
 * CREDIT_STATUSES order, `expiring` is ordered by window, then by provider, then by the currency
 * whose credit expires first in that window.
 */
export interface CreditSummaryRecord {
  creditCount: number;
  totals: CurrencyTotalRecord[];
  statusCounts: { status: CreditStatus; count: number }[];
  expiring: ExpiringTotalRecord[];
}

export interface ShareCreditRequest {
  providerCreditId: string;
  scope: SharingScope;
  accountIds?: string[] | null;
  costCategoryArn?: string | null;
  costCategoryValue?: string | null;
  invoiceSectionIds?: string[] | null;
  now: string;
}

export interface ContractUserError {
  code: UserErrorCode;
  field: string[];
  message: string;
}

/** A mutation's result: the credit after the change, or the reasons it was refused. */
export type MutationResult = { credit: NormalizedCredit; userErrors: [] } | { credit: null; userErrors: ContractUserError[] };

/**
 * What a provider subgraph implements. `caller` is the verified principal of the request: a
 * provider returns only the credits the caller may see, and refuses a change the caller may not
 * make with a FORBIDDEN user error (an invisible credit is NOT_FOUND, so ids do not leak).
 */
export interface CreditProvider {
  readonly provider: ProviderName;
  searchCredits(caller: Principal, request: SearchCreditsRequest): Promise<NormalizedCredit[]>;
  getCredits(caller: Principal, providerCreditIds: string[], now: string): Promise<NormalizedCredit[]>;
  /**
   * A page of the applications of each of these credits the caller may see (none for the others,
   * nor for credits without any). A `page.after` that is no position of this provider's order is
   * refused (lib/api/provider-http.ts ContractRequestError naming `page.after`).
   */
  getApplications(caller: Principal, providerCreditIds: string[], page: ApplicationsPageRequest): Promise<CreditApplicationsPage[]>;
  /**
   * The totals of the credits `searchCredits` would return for the same filter and caller: only the
   * totals cross the contract, however many credits there are (lib/domain/credit-summary.ts).
   */
  summarizeCredits(caller: Principal, request: SummarizeCreditsRequest): Promise<CreditSummaryRecord>;
  pauseCredit(caller: Principal, providerCreditId: string, now: string): Promise<MutationResult>;
  activateCredit(caller: Principal, providerCreditId: string, now: string): Promise<MutationResult>;
  shareCredit(caller: Principal, request: ShareCreditRequest): Promise<MutationResult>;
}

/** Drops the first parameter of a function type. */
type WithoutCaller<F> = F extends (caller: Principal, ...rest: infer R) => infer T ? (...rest: R) => T : never;

/**
 * The credits layer's view of a provider: the same operations, already bound to one request's
 * caller (the client forwards that caller's token).
 */
export type ProviderClient = { readonly provider: ProviderName } & {
  [K in Exclude<keyof CreditProvider, 'provider'>]: WithoutCaller<CreditProvider[K]>;
};

/** Paths of the contract's operations below the provider's base URL. */
export const CONTRACT_PATHS = {
  searchCredits: '/provider/v1/credits/search',
  getCredits: '/provider/v1/credits/get',
  getApplications: '/provider/v1/credits/applications',
  summarizeCredits: '/provider/v1/credits/summary',
  pauseCredit: '/provider/v1/credits/pause',
  activateCredit: '/provider/v1/credits/activate',
  shareCredit: '/provider/v1/credits/share',
} as const;

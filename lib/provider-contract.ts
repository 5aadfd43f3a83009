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
import type { Principal } from './auth/principal';

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
export type OrderDirection = 'ASC' | 'DESC';

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
  kind: 'AWS_ACCOUNT' | 'AZURE_BILLING_PROFILE';
}

export interface CreditSharingRecord {
  scope: SharingScope;
  /** AWS accounts the credit may pay for (ACCOUNTS), or that the cost category value covers. */
  accounts: NamedRef[];
  costCategory: { arn: string; name: string | null; value: string } | null;
  invoiceSections: NamedRef[];
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

/** One application of a credit to charges: a month, a consumer, a service. */
export interface CreditApplicationRecord {
  providerCreditId: string;
  /** Billing month, YYYY-MM. */
  month: string;
  consumer: NamedRef & { kind: 'AWS_ACCOUNT' | 'AZURE_INVOICE_SECTION' | 'AZURE_BILLING_PROFILE' };
  service: string | null;
  productCode: string | null;
  /** What the credit paid: a positive amount. */
  amount: MoneyRecord;
  estimated: boolean;
  /** Azure: the invoice the application settled on, when settled. */
  invoiceNumber: string | null;
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

export interface SearchCreditsRequest {
  filter: CreditFilter;
  order: CreditOrder;
  after: CreditPosition | null;
  /** At most this many credits; null for all (summaries). */
  limit: number | null;
  now: string;
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
  getApplications(caller: Principal, providerCreditIds: string[]): Promise<CreditApplicationRecord[]>;
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
  pauseCredit: '/provider/v1/credits/pause',
  activateCredit: '/provider/v1/credits/activate',
  shareCredit: '/provider/v1/credits/share',
} as const;

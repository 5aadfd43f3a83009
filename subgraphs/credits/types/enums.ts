/**
 * The normalized layer's enums, registered with type-graphql with a description per value. Their
 * values are the provider contract's code lists (lib/domain/provider-contract.ts), defined once there:
 * each enum here is made from its list, and its type is the contract's, so nothing is cast.
 */
import { registerEnumType } from 'type-graphql';
import {
  CONSUMER_KINDS,
  CREDIT_STATUSES,
  CREDIT_TYPES,
  ORDER_DIRECTIONS,
  ORDER_FIELDS,
  OWNER_KINDS,
  PROVIDERS,
  SHARING_SCOPES,
  USER_ERROR_CODES,
} from '../../../lib/domain/provider-contract';
import type * as Contract from '../../../lib/domain/provider-contract';

/** A type-graphql enum (an object of value: value) made from one of the contract's lists. */
function enumOf<const T extends readonly string[]>(values: T): { readonly [K in T[number]]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { readonly [K in T[number]]: K };
}

export const CloudProvider = enumOf(PROVIDERS);
export type CloudProvider = Contract.ProviderName;
registerEnumType(CloudProvider, {
  name: 'CloudProvider',
  description: 'The cloud a credit comes from.',
  valuesConfig: {
    AWS: { description: 'Amazon Web Services: credits of an AWS organization (GetCredits).' },
    AZURE: { description: 'Microsoft Azure, Microsoft Customer Agreement: credit lots of a billing profile.' },
  },
});

export const CreditStatus = enumOf(CREDIT_STATUSES);
export type CreditStatus = Contract.CreditStatus;
registerEnumType(CreditStatus, {
  name: 'CreditStatus',
  description:
    'Where a credit stands now. When several apply, the first in this order wins: CANCELED, EXPIRED, EXHAUSTED, PAUSED, NOT_STARTED, ACTIVE.',
  valuesConfig: {
    ACTIVE: { description: 'Started, not expired, not paused, with balance left: it pays for eligible charges.' },
    PAUSED: { description: 'Paused by a user (AWS creditStatus DISABLED, or the Azure pause extension): charges skip it.' },
    EXHAUSTED: { description: 'Nothing is left of the balance.' },
    EXPIRED: { description: 'Past its expiry date (or marked expired by the provider).' },
    NOT_STARTED: { description: 'Its start date is still ahead (or the provider marks it inactive).' },
    CANCELED: { description: 'Canceled by the provider.' },
  },
});

export const CreditType = enumOf(CREDIT_TYPES);
export type CreditType = Contract.CreditType;
registerEnumType(CreditType, {
  name: 'CreditType',
  description: 'What kind of credit it is; `Credit.providerType` keeps the provider\'s own word.',
  valuesConfig: {
    PROMOTIONAL: { description: 'Granted by a program (AWS Promotion, Azure PromotionalCredit).' },
    PURCHASED: { description: 'Paid for in advance (Azure PurchasedCredit or prepayment).' },
    REFUND: { description: 'Given back for a service event or a billing correction (AWS Refund).' },
    COMMITMENT: { description: 'A consumption commitment (Azure ConsumptionCommitment).' },
    OTHER: { description: 'Any other provider type, e.g. AWS TrueUp.' },
  },
});

export const CreditSharingScope = enumOf(SHARING_SCOPES);
export type CreditSharingScope = Contract.SharingScope;
registerEnumType(CreditSharingScope, {
  name: 'CreditSharingScope',
  description: 'Whose charges a credit may pay for.',
  valuesConfig: {
    ORGANIZATION: { description: 'Everyone: every account of the AWS organization, every invoice section of the Azure billing profile.' },
    OWNER_ONLY: { description: 'AWS only: the owner account alone (creditSharingType DISABLED).' },
    ACCOUNTS: { description: 'AWS only: the listed accounts (creditSharingType CUSTOM).' },
    COST_CATEGORY: { description: 'AWS only: the accounts a cost category rule assigns to a value (COST_CATEGORY_RULE).' },
    INVOICE_SECTIONS: { description: 'Azure only (this product\'s extension): the listed invoice sections of the billing profile.' },
  },
});

export const CreditOrderField = enumOf(ORDER_FIELDS);
export type CreditOrderField = Contract.CreditOrderField;
registerEnumType(CreditOrderField, {
  name: 'CreditOrderField',
  description: 'What a list of credits is ordered by; ties are broken by provider, then native id.',
  valuesConfig: {
    EXPIRES_AT: { description: 'Expiry date; credits that never expire come last in ascending order.' },
    REMAINING_BALANCE: { description: 'Remaining balance as a number, whatever its currency.' },
    NAME: { description: 'Name, compared character by character (case-sensitive).' },
  },
});

export const OrderDirection = enumOf(ORDER_DIRECTIONS);
export type OrderDirection = Contract.OrderDirection;
registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'Ascending or descending; descending is the exact reverse of ascending.',
  valuesConfig: { ASC: { description: 'Smallest first.' }, DESC: { description: 'Largest first.' } },
});

export const UserErrorCode = enumOf(USER_ERROR_CODES);
export type UserErrorCode = Contract.UserErrorCode;
registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why a mutation was refused.',
  valuesConfig: {
    NOT_FOUND: { description: 'No credit the caller may see has that ID: unknown, malformed, or a credit the caller may not see (the three are not told apart).' },
    INVALID_SCOPE: { description: 'The sharing scope names accounts, sections or a cost category value that do not fit the credit.' },
    UNSUPPORTED: { description: 'The credit\'s provider does not offer that operation or scope.' },
    INVALID_INPUT: { description: 'The input is malformed: a field the scope needs is missing, or one it does not take is set.' },
    FORBIDDEN: { description: 'The caller may see the credit but not change it (e.g. an AWS linked account, an Azure reader).' },
  },
});

export const CreditOwnerKind = enumOf(OWNER_KINDS);
export type CreditOwnerKind = Contract.OwnerKind;
registerEnumType(CreditOwnerKind, {
  name: 'CreditOwnerKind',
  description: 'What owns a credit.',
  valuesConfig: {
    AWS_ACCOUNT: { description: 'An AWS account (usually the payer account of the organization).' },
    AZURE_BILLING_PROFILE: { description: 'An Azure billing profile of a Microsoft Customer Agreement.' },
  },
});

export const CreditConsumerKind = enumOf(CONSUMER_KINDS);
export type CreditConsumerKind = Contract.ConsumerKind;
registerEnumType(CreditConsumerKind, {
  name: 'CreditConsumerKind',
  description: 'Whose charges a credit paid for.',
  valuesConfig: {
    AWS_ACCOUNT: { description: 'A linked (or the payer) AWS account.' },
    AZURE_INVOICE_SECTION: { description: 'An invoice section of an Azure billing profile.' },
    AZURE_BILLING_PROFILE: { description: 'An Azure billing profile as a whole (Azure reports charges per profile).' },
  },
});

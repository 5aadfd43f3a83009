/**
 * Credit sharing on AWS: the normalized sharing of a stored credit, and the change a share request
 * makes (or the user errors it gets). Pure functions over lookups the provider loads in batches.
 *
 * creditSharingType DEFAULT = the whole organization, DISABLED = the owner account only, CUSTOM =
 * the listed shareableAccounts, COST_CATEGORY_RULE = the accounts of the owner's organization that
 * the cost category (costCategoryArn) assigns to the value ruleName.
 */
import { boundedSharing, type ContractUserError, type CreditSharingRecord, type NamedRef, type ShareCreditRequest, type SharingScope } from '../../../lib/domain/provider-contract';
import type { CreditScope } from '../../../lib/domain/charges/types';
import { AccountFacts, accountsForValue, CostCategoryDefinition, ruleValues } from './cost-category-rules';

/** The stored columns that say how a credit is shared. */
export interface SharingColumns {
  creditSharingType: string | null;
  shareableAccounts: string[] | null;
  costCategoryArn: string | null;
  ruleName: string | null;
}

/** The scopes AWS credits can be shared with (INVOICE_SECTIONS is an Azure concept). */
export const AWS_SHARING_SCOPES: readonly SharingScope[] = ['ORGANIZATION', 'OWNER_ONLY', 'ACCOUNTS', 'COST_CATEGORY'];

export interface CategoryFacts {
  costCategoryArn: string;
  name: string;
  /** The management account the category belongs to (from its ARN). */
  payerAccountId: string;
  definition: CostCategoryDefinition;
}

/** What sharing needs to know beyond the credit, loaded in batches by the provider. */
export interface SharingLookups {
  /** Accounts by id (at least owners and listed accounts). */
  accounts: Map<string, AccountFacts & { payerAccountId: string }>;
  /** Accounts of each organization, by management (payer) account id, in account id order: at least the organizations of owners of credits shared by cost category (what sharingOf reads), and every owner's for a share request. */
  organizations: Map<string, AccountFacts[]>;
  /** Cost categories by ARN. */
  categories: Map<string, CategoryFacts>;
  /**
   * What the caller may see of the accounts a sharing lists (ACCOUNTS and COST_CATEGORY scopes).
   * Absent: every account is listed (internal use). Present: the credits of the organizations of
   * `payerIds` (the caller manages them) list every account, as stored; any other credit lists only
   * the accounts in `accountIds` (those the caller may see, by the rule of the account queries:
   * domain/access.ts canSeeAccount / accountScopeSql).
   */
  visibility?: SharingVisibility;
}

/** The accounts a caller may see in sharings; see SharingLookups.visibility. */
export interface SharingVisibility {
  /** Management accounts the caller acts for: their organizations' credits show their sharing whole. */
  payerIds: ReadonlySet<string>;
  /** The accounts the caller may see among those the other credits' sharings list. */
  accountIds: ReadonlySet<string>;
}

/** Whether the sharing of a credit owned by `ownerId` may list `accountId` to the caller. */
function showsAccount(ownerId: string, accountId: string, lookups: SharingLookups): boolean {
  const visibility = lookups.visibility;
  if (!visibility) return true;
  if (visibility.payerIds.has(ownerId)) return true;
  const ownerPayer = lookups.accounts.get(ownerId)?.payerAccountId;
  if (ownerPayer !== undefined && visibility.payerIds.has(ownerPayer)) return true;
  return visibility.accountIds.has(accountId);
}

/** The accounts of the organization the owner belongs to (empty when the owner account is unknown). */
export function organizationOf(ownerId: string, lookups: SharingLookups): AccountFacts[] {
  const owner = lookups.accounts.get(ownerId);
  return owner ? (lookups.organizations.get(owner.payerAccountId) ?? []) : [];
}

function named(id: string, lookups: SharingLookups): NamedRef {
  return { id, name: lookups.accounts.get(id)?.name ?? null };
}

/**
 * The normalized sharing of a credit owned by `ownerId`. Unknown sharing types fail closed as
 * owner-only. The accounts listed are only those the caller may see (`lookups.visibility`).
 */
export function sharingOf(credit: SharingColumns & { accountId: string }, lookups: SharingLookups): CreditSharingRecord {
  switch (credit.creditSharingType) {
    case 'DISABLED':
      return boundedSharing({ scope: 'OWNER_ONLY' });
    case 'CUSTOM':
      return boundedSharing({
        scope: 'ACCOUNTS',
        accounts: (credit.shareableAccounts ?? []).filter((id) => showsAccount(credit.accountId, id, lookups)).map((id) => named(id, lookups)),
      });
    case 'COST_CATEGORY_RULE': {
      const arn = credit.costCategoryArn ?? '';
      const value = credit.ruleName ?? '';
      const category = lookups.categories.get(arn);
      const assigned = category ? accountsForValue(category.definition, organizationOf(credit.accountId, lookups), value) : [];
      const accounts = assigned.filter((a) => showsAccount(credit.accountId, a.accountId, lookups));
      return boundedSharing({
        scope: 'COST_CATEGORY',
        accounts: accounts.map((a) => ({ id: a.accountId, name: a.name })),
        costCategory: { arn, name: category?.name ?? null, value },
      });
    }
    case null:
    case 'DEFAULT':
      return boundedSharing({ scope: 'ORGANIZATION' });
    default:
      // A sharing type this product does not know is kept as written, and fails closed.
      return boundedSharing({ scope: 'OWNER_ONLY' });
  }
}

export type SharePlan = { ok: true; columns: SharingColumns } | { ok: false; userErrors: ContractUserError[] };

const refuse = (code: ContractUserError['code'], field: string[], message: string): SharePlan => ({
  ok: false,
  userErrors: [{ code, field, message }],
});

/**
 * The sharing columns a share request sets on a credit owned by `ownerId`, or why its values are
 * refused. The request's shape must have passed `shareShapeErrors` with AWS_SHARING_SCOPES.
 * Switching scope clears the other scope's fields, so the result is the same whatever the credit
 * was shared with before (which makes sharing idempotent).
 */
export function planShare(ownerId: string, request: ShareCreditRequest, lookups: SharingLookups): SharePlan {
  const cleared = { shareableAccounts: null, costCategoryArn: null, ruleName: null };
  switch (request.scope) {
    case 'ORGANIZATION':
      return { ok: true, columns: { creditSharingType: 'DEFAULT', ...cleared } };
    case 'OWNER_ONLY':
      return { ok: true, columns: { creditSharingType: 'DISABLED', ...cleared } };
    case 'ACCOUNTS':
      return planAccounts(ownerId, request.accountIds ?? [], lookups);
    case 'COST_CATEGORY':
      return planCostCategory(ownerId, request.costCategoryArn ?? '', request.costCategoryValue ?? '', lookups);
    default:
      throw new Error(`planShare needs a request whose shape passed shareShapeErrors; scope ${request.scope} is not offered by AWS`);
  }
}

function planAccounts(ownerId: string, accountIds: string[], lookups: SharingLookups): SharePlan {
  const members = new Set(organizationOf(ownerId, lookups).map((a) => a.accountId));
  const userErrors: ContractUserError[] = accountIds.flatMap((id, index) =>
    members.has(id)
      ? []
      : [
          {
            code: 'INVALID_SCOPE' as const,
            field: ['accountIds', String(index)],
            message: `Account "${id}" is not an account of the organization of the credit's owner ${ownerId}.`,
          },
        ],
  );
  if (userErrors.length > 0) return { ok: false, userErrors };
  return {
    ok: true,
    columns: { creditSharingType: 'CUSTOM', shareableAccounts: [...new Set(accountIds)], costCategoryArn: null, ruleName: null },
  };
}

function planCostCategory(ownerId: string, arn: string, value: string, lookups: SharingLookups): SharePlan {
  const category = lookups.categories.get(arn);
  if (!category) return refuse('INVALID_SCOPE', ['costCategoryArn'], `No cost category has the ARN "${arn}".`);
  const ownerPayer = lookups.accounts.get(ownerId)?.payerAccountId;
  if (ownerPayer !== category.payerAccountId) {
    const owner = ownerPayer
      ? `the organization of the credit's owner ${ownerId} (management account ${ownerPayer})`
      : `the organization of the credit's owner ${ownerId}, which is not a known account`;
    return refuse(
      'INVALID_SCOPE',
      ['costCategoryArn'],
      `Cost category ${category.name} belongs to the organization of management account ${category.payerAccountId}, not to ${owner}.`,
    );
  }
  const values = ruleValues(category.definition);
  if (!values.includes(value)) {
    const why =
      value === category.definition.defaultValue
        ? `"${value}" is the default value of cost category ${category.name}, not a rule: AWS shares credits with the accounts of a rule value`
        : `"${value}" is not a rule value of cost category ${category.name}`;
    return refuse('INVALID_SCOPE', ['costCategoryValue'], `${why} (its rule values: ${values.join(', ') || 'none'}).`);
  }
  return { ok: true, columns: { creditSharingType: 'COST_CATEGORY_RULE', shareableAccounts: null, costCategoryArn: arn, ruleName: value } };
}

/**
 * Whom a credit pays for when charges are applied, from the same reading of its sharing as
 * `sharingOf` (lookups without visibility: every account): the whole organization (DEFAULT), or
 * exactly the accounts its sharing names: the owner (DISABLED, and unknown types), the listed
 * accounts (CUSTOM), the accounts the cost category assigns to its value (COST_CATEGORY_RULE).
 * Every scope but the organization's is restricted, so those credits are used first.
 */
export function chargeScopeOf(credit: SharingColumns & { accountId: string }, lookups: SharingLookups): { scope: CreditScope; restricted: boolean } {
  const { visibility: _ignored, ...everyAccount } = lookups;
  const sharing = sharingOf(credit, everyAccount);
  switch (sharing.scope) {
    case 'ORGANIZATION':
      return { scope: { kind: 'everyone' }, restricted: false };
    case 'OWNER_ONLY':
      return { scope: { kind: 'consumers', consumerIds: [credit.accountId] }, restricted: true };
    default:
      return { scope: { kind: 'consumers', consumerIds: sharing.accounts.map((a) => a.id) }, restricted: true };
  }
}

/**
 * Who may see and change which Azure credits: plain functions over a principal's billing role
 * assignments (lib/platform/auth/principal.ts), used by the repository (SQL scope) and the provider
 * (mutation checks), and unit-tested on their own.
 *
 * - View the credits (lots, events, balances, summaries) of a billing profile: billing_profile_owner,
 *   billing_profile_contributor, billing_profile_reader or invoice_manager on that profile; or
 *   billing_account_owner, billing_account_contributor or billing_account_reader on its account.
 * - Change them (pause, activate, share): billing_profile_owner or billing_profile_contributor on the
 *   profile, or billing_account_owner or billing_account_contributor on its account.
 * - A role on a scope of the wrong kind (an account role on a profile id, a profile role on an
 *   account id, any role on an invoice section or another resource) grants nothing.
 * - A billing account is visible with an account-level role on it, or with any role on one of its
 *   profiles (then only the visible profiles are listed under it).
 *
 * ARM ids are compared case-insensitively, as Azure does: every id is reduced to its `armKey`.
 */
import type { AzureRole, Principal } from '../../../lib/platform/auth/principal';
import { parseBillingResourceId } from './resource-id';

export type ScopeKind = 'BILLING_ACCOUNT' | 'BILLING_PROFILE';

/** The kind of scope each role applies to. */
export const ROLE_SCOPE_KIND: Record<AzureRole, ScopeKind> = {
  billing_account_owner: 'BILLING_ACCOUNT',
  billing_account_contributor: 'BILLING_ACCOUNT',
  billing_account_reader: 'BILLING_ACCOUNT',
  billing_profile_owner: 'BILLING_PROFILE',
  billing_profile_contributor: 'BILLING_PROFILE',
  billing_profile_reader: 'BILLING_PROFILE',
  invoice_manager: 'BILLING_PROFILE',
};

/** Roles that may pause, activate and share the credits of their scope (every role may view them). */
export const CHANGING_ROLES: ReadonlySet<AzureRole> = new Set<AzureRole>([
  'billing_account_owner',
  'billing_account_contributor',
  'billing_profile_owner',
  'billing_profile_contributor',
]);

/**
 * The comparison key of an ARM id: ASCII letters lower-cased, nothing else touched, which is
 * exactly what SQLite's lower() does, so keys computed here match `lower(column)` in SQL.
 */
export function armKey(id: string): string {
  return id.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** Whether an ARM id names a billing account, a billing profile, or neither (null). */
export function scopeKindOf(scope: string): ScopeKind | null {
  const parsed = parseBillingResourceId(scope);
  if (!parsed || parsed.invoiceSectionName !== null || parsed.resource !== null) return null;
  return parsed.billingProfileId ? 'BILLING_PROFILE' : 'BILLING_ACCOUNT';
}

/** What a principal's role assignments grant, as sets of `armKey`s. Assignments of the wrong kind are left out. */
export interface AzureGrants {
  /** Billing accounts with an account-level role (any): every profile under them is visible. */
  viewAccounts: ReadonlySet<string>;
  /** Billing accounts with an owner or contributor account-level role. */
  changeAccounts: ReadonlySet<string>;
  /** Billing profiles with a profile-level role (any). */
  viewProfiles: ReadonlySet<string>;
  /** Billing profiles with an owner or contributor profile-level role. */
  changeProfiles: ReadonlySet<string>;
  /** Billing accounts holding a profile the caller has a profile-level role on. */
  accountsOfViewProfiles: ReadonlySet<string>;
}

export function azureGrants(principal: Pick<Principal, 'azureRoleAssignments'>): AzureGrants {
  const grants = {
    viewAccounts: new Set<string>(),
    changeAccounts: new Set<string>(),
    viewProfiles: new Set<string>(),
    changeProfiles: new Set<string>(),
    accountsOfViewProfiles: new Set<string>(),
  };
  for (const { scope, role } of principal.azureRoleAssignments) {
    const kind = ROLE_SCOPE_KIND[role];
    if (kind === undefined || typeof scope !== 'string' || scopeKindOf(scope) !== kind) continue;
    const key = armKey(scope);
    if (kind === 'BILLING_ACCOUNT') {
      grants.viewAccounts.add(key);
      if (CHANGING_ROLES.has(role)) grants.changeAccounts.add(key);
    } else {
      grants.viewProfiles.add(key);
      if (CHANGING_ROLES.has(role)) grants.changeProfiles.add(key);
      grants.accountsOfViewProfiles.add(armKey(parseBillingResourceId(scope)!.billingAccountId));
    }
  }
  return grants;
}

/** Where a credit (lot) or event sits: its billing profile and billing account ids, as stored. */
export interface BillingPlace {
  billingProfileId: string;
  billingAccountId: string;
}

/** Whether the caller may see the credits (lots, events, balances) of this place. */
export function canViewCredits(grants: AzureGrants, place: BillingPlace): boolean {
  return grants.viewProfiles.has(armKey(place.billingProfileId)) || grants.viewAccounts.has(armKey(place.billingAccountId));
}

/** Whether the caller may pause, activate and share the credits of this place. */
export function canChangeCredits(grants: AzureGrants, place: BillingPlace): boolean {
  return grants.changeProfiles.has(armKey(place.billingProfileId)) || grants.changeAccounts.has(armKey(place.billingAccountId));
}

/** Whether the caller may see a billing profile (and its invoice sections). */
export function canViewBillingProfile(grants: AzureGrants, profile: { id: string; billingAccountId: string }): boolean {
  return canViewCredits(grants, { billingProfileId: profile.id, billingAccountId: profile.billingAccountId });
}

/** Whether the caller may see a billing account (with at least one of its profiles, or all of them). */
export function canViewBillingAccount(grants: AzureGrants, accountId: string): boolean {
  const key = armKey(accountId);
  return grants.viewAccounts.has(key) || grants.accountsOfViewProfiles.has(key);
}

/**
 * The rows one request may see, as `armKey`s the store puts into its SQL WHERE clauses
 * (store/access-sql.ts: `lower(column) IN (...)`). Computed once per request by `azureScope`.
 */
export interface AzureScope {
  grants: AzureGrants;
  /** Visible billing profiles: profile-level roles, plus every profile of an account-level role. */
  profileKeys: string[];
  /**
   * The profile-level roles' profiles outside the accounts of `accountKeys`: for rows that carry
   * their billing account, these and `accountKeys` already say everything `profileKeys` does.
   */
  profileKeysBeyondAccounts: string[];
  /**
   * Billing accounts with an account-level role: lots, events and profiles whose account is one of
   * these are visible even when their profile row is not loaded.
   */
  accountKeys: string[];
  /** Visible billing accounts: account-level roles, plus the accounts of profile-level roles. */
  listedAccountKeys: string[];
}

/**
 * The scope of a request from the caller's grants and the billing profiles (from the profiles
 * table) of the accounts it holds account-level roles on.
 */
export function azureScope(grants: AzureGrants, profilesOfViewAccounts: readonly { id: string; billingAccountId: string }[]): AzureScope {
  const profiles = new Set(grants.viewProfiles);
  for (const profile of profilesOfViewAccounts) {
    if (grants.viewAccounts.has(armKey(profile.billingAccountId))) profiles.add(armKey(profile.id));
  }
  const accounts = [...grants.viewAccounts].sort();
  return {
    grants,
    profileKeys: [...profiles].sort(),
    profileKeysBeyondAccounts: [...grants.viewProfiles].filter((key) => !accounts.some((account) => key.startsWith(`${account}/`))).sort(),
    accountKeys: accounts,
    listedAccountKeys: [...new Set([...grants.viewAccounts, ...grants.accountsOfViewProfiles])].sort(),
  };
}

/** The user-facing message of a change refused to a caller who may see the credit. */
export function forbiddenChangeMessage(providerCreditId: string): string {
  return (
    `You may view the Azure credit lot "${providerCreditId}" but not change it: pausing, activating and sharing need the ` +
    'owner or contributor role on its billing profile or billing account.'
  );
}

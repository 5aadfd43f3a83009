/**
 * Who may see and change what on AWS: plain predicates over a caller's SCOPE and a row (for checks
 * and tests). The store states each rule once more as an SQL condition (store/access-sql.ts), so
 * lists, counts and DataLoaders only ever read permitted rows; a test runs both over every
 * combination of facts and requires them to agree.
 *
 * A principal acts for AWS accounts (Principal.awsAccountIds). Each account it names counts as:
 * - a PAYER (management account) when it is the management account of a loaded organization
 *   (an account with isPayer, or the payerAccountId of loaded accounts). The payer sees and
 *   controls every credit of its organization (owned by the payer or by an account whose
 *   payerAccountId is the payer), all their allocation history, every account and every cost
 *   category of its organization.
 * - a LINKED account when it is a loaded account of an organization it does not manage. It sees
 *   the credits that can pay for its usage: those it owns (whatever their sharing) and, among the
 *   credits owned within its organization, those shared organization-wide (DEFAULT or no type;
 *   an unknown type fails closed as owner-only, as in domain/sharing.ts), CUSTOM credits listing it in
 *   shareableAccounts, and COST_CATEGORY_RULE credits whose cost category assigns it the value
 *   ruleName. DISABLED credits only when it owns them. Sharing never reaches outside the owner's
 *   organization (as on AWS). It sees only its OWN rows of allocation history (accountId = itself),
 *   its own account record, a minimal record (no email, status or join facts) of its management
 *   account and of the owner of every credit it sees, and the cost categories of the credits it
 *   sees (their values' visible accounts, not their rules, which name accounts). The sharing of a
 *   credit it sees lists only the accounts it sees (domain/sharing.ts). It can neither pause,
 *   activate nor share (FORBIDDEN).
 * - nothing when the account is not loaded: unknown accounts give no rights.
 */
import type { Principal } from '../../../lib/platform/auth/principal';
import { AccountFacts, CostCategoryDefinition, costCategoryValueOf } from './cost-category-rules';

/** A cost category value an account belongs to. */
export interface CategoryValue {
  costCategoryArn: string;
  value: string;
}

/** A linked account the caller acts for, with the facts its visibility needs. */
export interface LinkedAccountScope {
  accountId: string;
  /** The management account of its organization. */
  payerAccountId: string;
  /** The value each cost category of its organization assigns it (COST_CATEGORY_RULE sharing). */
  categoryValues: CategoryValue[];
}

/** What a caller may see and change on AWS, resolved once per request. */
export interface AwsScope {
  /** Management accounts whose organizations the caller sees and controls whole. */
  payerIds: string[];
  /** Linked accounts the caller acts for, outside the organizations of `payerIds`. */
  linked: LinkedAccountScope[];
}

export const EMPTY_SCOPE: AwsScope = { payerIds: [], linked: [] };

/** The facts of a loaded account the rules read. */
export interface ScopeAccount extends AccountFacts {
  payerAccountId: string;
  isPayer: boolean;
}

/** A cost category as the rules read it. */
export interface ScopeCategory {
  costCategoryArn: string;
  /** The management account the category belongs to. */
  payerAccountId: string;
  definition: CostCategoryDefinition;
}

/**
 * The roles of the accounts a caller names, from the loaded facts: `accounts` are the loaded
 * records of the caller's account ids, `managementIds` those of its ids that are the
 * payerAccountId of some loaded account. Unknown ids are dropped.
 */
export function classifyCallerAccounts(
  caller: Principal,
  accounts: readonly ScopeAccount[],
  managementIds: ReadonlySet<string>,
): { payerIds: string[]; linked: ScopeAccount[] } {
  const own = new Set(caller.awsAccountIds);
  const loaded = new Map(accounts.filter((a) => own.has(a.accountId)).map((a) => [a.accountId, a]));
  const payerIds = [...own].filter((id) => managementIds.has(id) || loaded.get(id)?.isPayer === true).sort();
  const payers = new Set(payerIds);
  const linked = [...loaded.values()]
    .filter((a) => !payers.has(a.accountId) && !payers.has(a.payerAccountId))
    .sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
  return { payerIds, linked };
}

/** The value each category of the account's organization assigns the account (categories of other organizations are skipped). */
export function categoryValuesOf(account: ScopeAccount, categories: readonly ScopeCategory[]): CategoryValue[] {
  return categories
    .filter((c) => c.payerAccountId === account.payerAccountId)
    .flatMap((c) => {
      const value = costCategoryValueOf(c.definition, account);
      return value === null ? [] : [{ costCategoryArn: c.costCategoryArn, value }];
    });
}

/** The caller's scope: payers as classified, each linked account with its cost category values. */
export function scopeOf(classified: { payerIds: string[]; linked: ScopeAccount[] }, categories: readonly ScopeCategory[]): AwsScope {
  return {
    payerIds: classified.payerIds,
    linked: classified.linked.map((a) => ({ accountId: a.accountId, payerAccountId: a.payerAccountId, categoryValues: categoryValuesOf(a, categories) })),
  };
}

export function isEmptyScope(scope: AwsScope): boolean {
  return scope.payerIds.length === 0 && scope.linked.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Predicates over rows

/** The stored credit columns visibility reads. */
export interface CreditAccessFacts {
  accountId: string;
  creditSharingType: string | null;
  shareableAccounts: string[] | null;
  costCategoryArn: string | null;
  ruleName: string | null;
}

/** What is known of an account a rule reads: its loaded record's organization, or null when it is not loaded. */
export type LoadedAccount = { payerAccountId: string } | null | undefined;

/**
 * Whether an account belongs to the organization of management account `payer`: it is the payer
 * itself, or a loaded account whose payerAccountId is the payer. (SQL: inOrganizations.)
 */
export function inOrganization(payer: string, accountId: string, account: LoadedAccount): boolean {
  return accountId === payer || account?.payerAccountId === payer;
}

/**
 * DEFAULT, or no sharing type at all (AWS's default), is organization-wide. An unknown type is
 * kept as written but fails closed: it reads as owner-only (domain/sharing.ts sharingOf).
 */
function isOrganizationWide(sharingType: string | null): boolean {
  return sharingType === null || sharingType === 'DEFAULT';
}

/** Whether the caller may see the credit; `owner` is the loaded record of its owner account. */
export function canSeeCredit(scope: AwsScope, credit: CreditAccessFacts, owner: LoadedAccount): boolean {
  if (canControlCredit(scope, credit, owner)) return true;
  return scope.linked.some((linked) => {
    if (credit.accountId === linked.accountId) return true;
    if (!inOrganization(linked.payerAccountId, credit.accountId, owner)) return false;
    if (isOrganizationWide(credit.creditSharingType)) return true;
    if (credit.creditSharingType === 'CUSTOM') return (credit.shareableAccounts ?? []).includes(linked.accountId);
    if (credit.creditSharingType === 'COST_CATEGORY_RULE') {
      return linked.categoryValues.some((v) => v.costCategoryArn === credit.costCategoryArn && v.value === credit.ruleName);
    }
    return false;
  });
}

/** Whether the caller may pause, activate or share a credit: only the payer of the owner's organization. */
export function canControlCredit(scope: AwsScope, credit: { accountId: string }, owner: LoadedAccount): boolean {
  return scope.payerIds.some((payer) => inOrganization(payer, credit.accountId, owner));
}

/** Whether the caller sees an account's whole record (its own, or one of an organization it manages). */
export function seesFullAccount(scope: AwsScope, account: { accountId: string; payerAccountId: string }): boolean {
  return (
    scope.payerIds.includes(account.accountId) ||
    scope.payerIds.includes(account.payerAccountId) ||
    scope.linked.some((l) => l.accountId === account.accountId)
  );
}

/**
 * Whether the caller sees an account at all: in full (above), or minimally as the management
 * account of a linked account it acts for or the owner of a credit it sees (`ownsVisibleCredit`).
 */
export function canSeeAccount(scope: AwsScope, account: { accountId: string; payerAccountId: string }, ownsVisibleCredit: boolean): boolean {
  return seesFullAccount(scope, account) || scope.linked.some((l) => l.payerAccountId === account.accountId) || ownsVisibleCredit;
}

/** The fields of an account a minimal record keeps; the others read as null. */
export const MINIMAL_ACCOUNT_HIDDEN = ['email', 'status', 'joinedMethod', 'joinedTimestamp'] as const;

/** The account as the caller may see it: whole, or minimal (contact and join facts removed). */
export function accountAsSeen<A extends { accountId: string; payerAccountId: string; email: string | null; status: string | null; joinedMethod: string | null; joinedTimestamp: string | null }>(
  scope: AwsScope,
  account: A,
): A {
  if (seesFullAccount(scope, account)) return account;
  const minimal = Object.assign(Object.create(Object.getPrototypeOf(account)), account) as A;
  for (const field of MINIMAL_ACCOUNT_HIDDEN) minimal[field] = null as never;
  return minimal;
}

/**
 * Whether the caller sees an allocation history entry: a payer every entry of its organization's
 * credits or charged to its organization's accounts; a linked account only its own entries.
 * `credit` is the stored credit with its owner's record (null when the credit is not loaded),
 * `account` the loaded record of the account charged.
 */
export function canSeeAllocation(
  scope: AwsScope,
  allocation: { accountId: string },
  credit: { accountId: string; owner: LoadedAccount } | null,
  account: LoadedAccount,
): boolean {
  const payerSees = (accountId: string, record: LoadedAccount) => scope.payerIds.some((p) => inOrganization(p, accountId, record));
  if (credit !== null && payerSees(credit.accountId, credit.owner)) return true;
  if (payerSees(allocation.accountId, account)) return true;
  return scope.linked.some((l) => l.accountId === allocation.accountId);
}

/**
 * Whether the caller sees a cost category: a payer those of its organization; anyone the ones
 * the credits it sees are shared by (`usedByVisibleCredit`).
 */
export function canSeeCostCategory(scope: AwsScope, category: { payerAccountId: string }, usedByVisibleCredit: boolean): boolean {
  return scope.payerIds.includes(category.payerAccountId) || usedByVisibleCredit;
}

/** Whether the caller sees a (visible) cost category's rules: only the payer of its organization, as rules name accounts. */
export function seesCostCategoryRules(scope: AwsScope, category: { payerAccountId: string }): boolean {
  return scope.payerIds.includes(category.payerAccountId);
}

/**
 * The Azure access rules of domain/access.ts (a request's scope: the visible billing profiles and
 * accounts, as armKeys) as an SQL condition: every read of the store carries it in its WHERE
 * clause. test/azure/access.test.ts checks it against the rules.
 */
import type { AzureScope } from '../domain/access';

/**
 * The SQL condition limiting rows to a request's scope: a row is visible when its billing profile
 * column is among the visible profiles or (for rows that carry one) its billing account column is
 * among the accounts of account-level roles. ARM ids compare case-insensitively (`lower()`, the
 * keys being `armKey`s). An empty scope matches nothing.
 */
export function scopeCondition(scope: AzureScope, columns: { profile?: string; account?: string }): { sql: string; params: Record<string, string[]> } {
  const parts: string[] = [];
  const params: Record<string, string[]> = {};
  // A row that carries its billing account is visible through the account condition for every
  // profile of an account-level role: listing those profiles too (a hundred ids for an account
  // owner) only made SQLite test each row against them. This can only narrow what is visible.
  const profileKeys = columns.account ? scope.profileKeysBeyondAccounts : scope.profileKeys;
  if (columns.profile && profileKeys.length > 0) {
    parts.push(`lower(${columns.profile}) IN (:...scopeProfileKeys)`);
    params.scopeProfileKeys = profileKeys;
  }
  if (columns.account && scope.accountKeys.length > 0) {
    parts.push(`lower(${columns.account}) IN (:...scopeAccountKeys)`);
    params.scopeAccountKeys = scope.accountKeys;
  }
  return { sql: parts.length > 0 ? `(${parts.join(' OR ')})` : '1 = 0', params };
}

/**
 * The shape of a share request, checked the same way for every provider before the provider
 * checks its values: a scope the provider does not offer is UNSUPPORTED; a field the scope needs
 * that is missing or empty, or a field that belongs to another scope, is INVALID_INPUT.
 */
import type { ContractUserError, ShareCreditRequest, SharingScope } from './provider-contract';

type ScopeField = 'accountIds' | 'costCategoryArn' | 'costCategoryValue' | 'invoiceSectionIds';

/** The input fields each scope needs; every other scope field must be absent. */
const SCOPE_FIELDS: Record<SharingScope, ScopeField[]> = {
  ORGANIZATION: [],
  OWNER_ONLY: [],
  ACCOUNTS: ['accountIds'],
  COST_CATEGORY: ['costCategoryArn', 'costCategoryValue'],
  INVOICE_SECTIONS: ['invoiceSectionIds'],
};
const ALL_FIELDS: ScopeField[] = ['accountIds', 'costCategoryArn', 'costCategoryValue', 'invoiceSectionIds'];

/**
 * Most accounts or invoice sections one share may list: a credit's sharing is read on every page
 * of credits, so its lists have this documented maximum (`@listSize(assumedSize: 100)`).
 */
export const MAX_SHARE_LIST = 100;

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

export function shareShapeErrors(request: ShareCreditRequest, offered: readonly SharingScope[], providerLabel: string): ContractUserError[] {
  if (!offered.includes(request.scope)) {
    return [
      {
        code: 'UNSUPPORTED',
        field: ['scope'],
        message: `${providerLabel} credits cannot be shared with scope ${request.scope}; use one of ${offered.join(', ')}.`,
      },
    ];
  }
  const needed = SCOPE_FIELDS[request.scope];
  const errors: ContractUserError[] = [];
  for (const field of needed) {
    const value = request[field];
    if (isBlank(value)) errors.push({ code: 'INVALID_INPUT', field: [field], message: `Scope ${request.scope} needs ${field}.` });
    else if (Array.isArray(value) && value.length > MAX_SHARE_LIST) {
      errors.push({ code: 'INVALID_INPUT', field: [field], message: `${field} lists ${value.length} values; a credit may be shared with at most ${MAX_SHARE_LIST}.` });
    }
  }
  for (const field of ALL_FIELDS) {
    if (!needed.includes(field) && !isBlank(request[field])) {
      errors.push({ code: 'INVALID_INPUT', field: [field], message: `${field} does not apply to scope ${request.scope}; leave it out.` });
    }
  }
  return errors;
}

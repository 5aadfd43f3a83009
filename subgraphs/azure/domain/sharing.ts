/**
 * This product's sharing extension for Azure lots. Azure applies a lot to every charge of its
 * billing profile; here a lot may instead be limited to some invoice sections of that profile.
 * A lot stores the full ARM ids of those sections, or null for the whole profile.
 */
import type { ContractUserError, CreditSharingRecord, ShareCreditRequest } from '../../../lib/provider-contract';
import type { AzureInvoiceSection } from '../entities/invoice-section';

/** The normalized sharing of a lot: ORGANIZATION (the whole billing profile) or INVOICE_SECTIONS. */
export function sharingOfLot(sharedIds: string[] | null, sectionsById: Map<string, AzureInvoiceSection>): CreditSharingRecord {
  const base = { accounts: [], costCategory: null };
  if (sharedIds === null) return { scope: 'ORGANIZATION', ...base, invoiceSections: [] };
  return {
    scope: 'INVOICE_SECTIONS',
    ...base,
    invoiceSections: sharedIds.map((id) => ({ id, name: sectionsById.get(id)?.displayName ?? null })),
  };
}

/** What a share request asks to store, or why it cannot. */
export type ShareDecision = { ok: true; sharedInvoiceSectionIds: string[] | null } | { ok: false; userErrors: ContractUserError[] };

/**
 * Decides a share request for a lot whose billing profile has `profileSections`. ORGANIZATION clears
 * the restriction; INVOICE_SECTIONS needs a non-empty list, each entry the full ARM id or the name of
 * one of those sections (stored as full ids, duplicates dropped). Other scopes do not exist on Azure.
 */
export function decideSharing(
  request: Pick<ShareCreditRequest, 'scope' | 'invoiceSectionIds'>,
  profileSections: AzureInvoiceSection[],
): ShareDecision {
  if (request.scope === 'ORGANIZATION') return { ok: true, sharedInvoiceSectionIds: null };
  if (request.scope !== 'INVOICE_SECTIONS') {
    return refuse('UNSUPPORTED', ['scope'], `Azure credits cannot be shared with scope ${String(request.scope)}: use ORGANIZATION (the whole billing profile) or INVOICE_SECTIONS.`);
  }
  const requested = request.invoiceSectionIds;
  if (!Array.isArray(requested) || requested.length === 0) {
    return refuse('INVALID_SCOPE', ['invoiceSectionIds'], 'Sharing with INVOICE_SECTIONS needs at least one invoice section id.');
  }
  const errors: ContractUserError[] = [];
  const ids: string[] = [];
  requested.forEach((value, index) => {
    const section = findSection(value, profileSections);
    if (!section) {
      errors.push({
        code: 'INVALID_SCOPE',
        field: ['invoiceSectionIds', String(index)],
        message: `"${String(value)}" is not an invoice section of the credit's billing profile.`,
      });
    } else if (!ids.includes(section.id)) {
      ids.push(section.id);
    }
  });
  return errors.length > 0 ? { ok: false, userErrors: errors } : { ok: true, sharedInvoiceSectionIds: ids };
}

function findSection(value: unknown, sections: AzureInvoiceSection[]): AzureInvoiceSection | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  const lower = value.toLowerCase();
  return sections.find((s) => s.id.toLowerCase() === lower) ?? sections.find((s) => s.name.toLowerCase() === lower);
}

function refuse(code: ContractUserError['code'], field: string[], message: string): ShareDecision {
  return { ok: false, userErrors: [{ code, field, message }] };
}

/** Whether two stored sharings are the same (so a repeated share changes nothing). */
export function sameSharing(a: string[] | null, b: string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * This product's sharing extension for Azure lots. Azure applies a lot to every charge of its
 * billing profile; here a lot may instead be limited to some invoice sections of that profile.
 * A lot stores the full ARM ids of those sections, or null for the whole profile.
 */
import { boundedSharing, type ContractUserError, type CreditSharingRecord, type ShareCreditRequest, type SharingScope } from '../../../lib/domain/provider-contract';
import { shareShapeErrors } from '../../../lib/domain/share-request';
import type { AzureInvoiceSection } from '../entities/invoice-section';

/** The normalized sharing of a lot: ORGANIZATION (the whole billing profile) or INVOICE_SECTIONS. */
export function sharingOfLot(sharedIds: string[] | null, sectionsById: Map<string, AzureInvoiceSection>): CreditSharingRecord {
  if (sharedIds === null) return boundedSharing({ scope: 'ORGANIZATION' });
  return boundedSharing({
    scope: 'INVOICE_SECTIONS',
    invoiceSections: sharedIds.map((id) => ({ id, name: sectionsById.get(id)?.displayName ?? null })),
  });
}

/** The scopes an Azure lot can be shared with: its whole billing profile, or some of its invoice sections. */
export const AZURE_SHARING_SCOPES: readonly SharingScope[] = ['ORGANIZATION', 'INVOICE_SECTIONS'];

/**
 * What is wrong with the shape of a share request for an Azure lot (lib/domain/share-request.ts): a scope
 * Azure has no equivalent for is UNSUPPORTED; INVOICE_SECTIONS without sections, or a field of
 * another scope, is INVALID_INPUT. Checked before anything else; `decideSharing` checks the values.
 */
export function sharingShapeErrors(request: ShareCreditRequest): ContractUserError[] {
  return shareShapeErrors(request, AZURE_SHARING_SCOPES, 'Azure');
}

/** A share request whose shape `sharingShapeErrors` accepted. */
export type ShapedShareRequest = { scope: 'ORGANIZATION' } | { scope: 'INVOICE_SECTIONS'; invoiceSectionIds: string[] };

/** The request as a `ShapedShareRequest`, once `sharingShapeErrors` found nothing wrong with it. */
export function shapedShareRequest(request: ShareCreditRequest): ShapedShareRequest {
  if (request.scope === 'ORGANIZATION') return { scope: 'ORGANIZATION' };
  if (request.scope === 'INVOICE_SECTIONS' && request.invoiceSectionIds && request.invoiceSectionIds.length > 0) {
    return { scope: 'INVOICE_SECTIONS', invoiceSectionIds: request.invoiceSectionIds };
  }
  throw new Error(`share request of scope ${request.scope} was not checked with sharingShapeErrors`);
}

/** What a share request asks to store, or why it cannot. */
export type ShareDecision = { ok: true; sharedInvoiceSectionIds: string[] | null } | { ok: false; userErrors: ContractUserError[] };

/**
 * Decides a well-shaped share request for a lot whose billing profile has `profileSections`.
 * ORGANIZATION clears the restriction; each INVOICE_SECTIONS entry must be the full ARM id or the
 * name of one of those sections (INVALID_SCOPE at its index otherwise). Sections are stored as
 * full ids, in the order given, duplicates dropped.
 */
export function decideSharing(request: ShapedShareRequest, profileSections: AzureInvoiceSection[]): ShareDecision {
  if (request.scope === 'ORGANIZATION') return { ok: true, sharedInvoiceSectionIds: null };
  const errors: ContractUserError[] = [];
  const ids: string[] = [];
  request.invoiceSectionIds.forEach((value, index) => {
    const section = findSection(value, profileSections);
    if (!section) {
      errors.push({
        code: 'INVALID_SCOPE',
        field: ['invoiceSectionIds', String(index)],
        message: `"${value}" is not an invoice section of the credit's billing profile.`,
      });
    } else if (!ids.includes(section.id)) {
      ids.push(section.id);
    }
  });
  return errors.length > 0 ? { ok: false, userErrors: errors } : { ok: true, sharedInvoiceSectionIds: ids };
}

function findSection(value: string, sections: AzureInvoiceSection[]): AzureInvoiceSection | undefined {
  if (value.length === 0) return undefined;
  const lower = value.toLowerCase();
  return sections.find((s) => s.id.toLowerCase() === lower) ?? sections.find((s) => s.name.toLowerCase() === lower);
}

/** Whether two stored sharings are the same (so a repeated share changes nothing). */
export function sameSharing(a: string[] | null, b: string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** The invoice-section sharing extension: deciding share requests, describing a lot's sharing. */
import { expect } from 'chai';
import { ShareCreditRequest } from '../../lib/domain/provider-contract';
import { decideSharing, sameSharing, shapedShareRequest, sharingOfLot, sharingShapeErrors } from '../../subgraphs/azure/domain/sharing';
import { AzureInvoiceSection } from '../../subgraphs/azure/entities/invoice-section';
import { GENOMICS, IMAGING, NOW, RESEARCH } from './helpers';

const request = (fields: Partial<ShareCreditRequest>): ShareCreditRequest => ({ providerCreditId: 'lot', scope: 'ORGANIZATION', now: NOW, ...fields });

const sections = [
  Object.assign(new AzureInvoiceSection(), { id: GENOMICS, name: 'SEC1-AAAA-PJA-TGB', displayName: 'Genomics', billingProfileId: RESEARCH }),
  Object.assign(new AzureInvoiceSection(), { id: IMAGING, name: 'SEC2-BBBB-PJA-TGB', displayName: 'Imaging', billingProfileId: RESEARCH }),
];

describe('azure sharing extension', () => {
  it('ORGANIZATION clears the restriction', () => {
    expect(decideSharing({ scope: 'ORGANIZATION' }, sections)).to.deep.equal({ ok: true, sharedInvoiceSectionIds: null });
  });

  it('INVOICE_SECTIONS accepts full ids or names and stores full ids without duplicates', () => {
    expect(decideSharing({ scope: 'INVOICE_SECTIONS', invoiceSectionIds: ['SEC2-BBBB-PJA-TGB', GENOMICS, IMAGING] }, sections)).to.deep.equal({
      ok: true,
      sharedInvoiceSectionIds: [IMAGING, GENOMICS],
    });
  });

  it('reports every unknown section at its index', () => {
    const decision = decideSharing({ scope: 'INVOICE_SECTIONS', invoiceSectionIds: [GENOMICS, 'NOPE', `${RESEARCH}/invoiceSections/OTHER`] }, sections);
    expect(decision).to.deep.equal({
      ok: false,
      userErrors: [
        { code: 'INVALID_SCOPE', field: ['invoiceSectionIds', '1'], message: '"NOPE" is not an invoice section of the credit\'s billing profile.' },
        {
          code: 'INVALID_SCOPE',
          field: ['invoiceSectionIds', '2'],
          message: `"${RESEARCH}/invoiceSections/OTHER" is not an invoice section of the credit's billing profile.`,
        },
      ],
    });
  });

  it('checks the shape first, with the shared rule: at least one section, no stray fields (INVALID_INPUT)', () => {
    for (const invoiceSectionIds of [[], null, undefined]) {
      expect(sharingShapeErrors(request({ scope: 'INVOICE_SECTIONS', invoiceSectionIds })), JSON.stringify(invoiceSectionIds)).to.deep.equal([
        { code: 'INVALID_INPUT', field: ['invoiceSectionIds'], message: 'Scope INVOICE_SECTIONS needs invoiceSectionIds.' },
      ]);
    }
    expect(sharingShapeErrors(request({ scope: 'ORGANIZATION', invoiceSectionIds: [GENOMICS] })).map((e) => [e.code, e.field])).to.deep.equal([
      ['INVALID_INPUT', ['invoiceSectionIds']],
    ]);
    expect(sharingShapeErrors(request({ scope: 'INVOICE_SECTIONS', invoiceSectionIds: [GENOMICS], accountIds: ['123456789012'] })).map((e) => [e.code, e.field])).to.deep.equal([
      ['INVALID_INPUT', ['accountIds']],
    ]);
    expect(sharingShapeErrors(request({ scope: 'INVOICE_SECTIONS', invoiceSectionIds: ['anything'] }))).to.deep.equal([]);
    expect(sharingShapeErrors(request({ scope: 'ORGANIZATION' }))).to.deep.equal([]);
  });

  it('refuses scopes Azure has no equivalent for as UNSUPPORTED', () => {
    for (const scope of ['OWNER_ONLY', 'ACCOUNTS', 'COST_CATEGORY'] as const) {
      const errors = sharingShapeErrors(request({ scope, accountIds: ['123456789012'] }));
      expect(errors).to.have.length(1);
      expect(errors[0]).to.deep.include({ code: 'UNSUPPORTED', field: ['scope'] });
      expect(errors[0].message).to.contain(scope).and.to.contain('Azure');
    }
  });

  it('narrows a well-shaped request, and refuses to narrow one that was not checked', () => {
    expect(shapedShareRequest(request({ scope: 'INVOICE_SECTIONS', invoiceSectionIds: [GENOMICS] }))).to.deep.equal({ scope: 'INVOICE_SECTIONS', invoiceSectionIds: [GENOMICS] });
    expect(shapedShareRequest(request({ scope: 'ORGANIZATION' }))).to.deep.equal({ scope: 'ORGANIZATION' });
    expect(() => shapedShareRequest(request({ scope: 'INVOICE_SECTIONS', invoiceSectionIds: [] }))).to.throw(/sharingShapeErrors/);
    expect(() => shapedShareRequest(request({ scope: 'ACCOUNTS' }))).to.throw(/sharingShapeErrors/);
  });

  it('describes a lot\'s sharing with section names', () => {
    const byId = new Map(sections.map((s) => [s.id, s]));
    expect(sharingOfLot(null, byId).scope).to.equal('ORGANIZATION');
    expect(sharingOfLot([IMAGING, 'gone'], byId).invoiceSections).to.deep.equal([
      { id: IMAGING, name: 'Imaging' },
      { id: 'gone', name: null },
    ]);
  });

  it('compares stored sharings', () => {
    expect(sameSharing(null, null)).to.equal(true);
    expect(sameSharing(null, [])).to.equal(false);
    expect(sameSharing([GENOMICS], [GENOMICS])).to.equal(true);
    expect(sameSharing([GENOMICS, IMAGING], [IMAGING, GENOMICS])).to.equal(false);
  });
});

/** The invoice-section sharing extension: deciding share requests, describing a lot's sharing. */
import { expect } from 'chai';
import { decideSharing, sameSharing, sharingOfLot } from '../../subgraphs/azure/domain/sharing';
import { AzureInvoiceSection } from '../../subgraphs/azure/entities/invoice-section';
import { GENOMICS, IMAGING, RESEARCH } from './helpers';

const sections = [
  Object.assign(new AzureInvoiceSection(), { id: GENOMICS, name: 'SEC1-AAAA-PJA-TGB', displayName: 'Genomics', billingProfileId: RESEARCH }),
  Object.assign(new AzureInvoiceSection(), { id: IMAGING, name: 'SEC2-BBBB-PJA-TGB', displayName: 'Imaging', billingProfileId: RESEARCH }),
];

describe('azure sharing extension', () => {
  it('ORGANIZATION clears the restriction', () => {
    expect(decideSharing({ scope: 'ORGANIZATION', invoiceSectionIds: [GENOMICS] }, sections)).to.deep.equal({ ok: true, sharedInvoiceSectionIds: null });
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

  it('needs at least one section', () => {
    for (const invoiceSectionIds of [[], null, undefined]) {
      const decision = decideSharing({ scope: 'INVOICE_SECTIONS', invoiceSectionIds }, sections);
      expect(decision.ok).to.equal(false);
      expect(!decision.ok && decision.userErrors[0]).to.deep.include({ code: 'INVALID_SCOPE', field: ['invoiceSectionIds'] });
    }
  });

  it('refuses scopes Azure has no equivalent for', () => {
    for (const scope of ['OWNER_ONLY', 'ACCOUNTS', 'COST_CATEGORY'] as const) {
      const decision = decideSharing({ scope }, sections);
      expect(!decision.ok && decision.userErrors).to.have.length(1);
      expect(!decision.ok && decision.userErrors[0]).to.deep.include({ code: 'UNSUPPORTED', field: ['scope'] });
      expect(!decision.ok && decision.userErrors[0].message).to.contain(scope);
    }
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

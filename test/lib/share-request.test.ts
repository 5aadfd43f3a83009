import { expect } from 'chai';
import type { ShareCreditRequest } from '../../lib/domain/provider-contract';
import { shareShapeErrors } from '../../lib/domain/share-request';

const base = { providerCreditId: '1', now: '2026-11-22T00:00:00.000Z' };
const check = (request: Partial<ShareCreditRequest>) =>
  shareShapeErrors({ ...base, scope: 'ORGANIZATION', ...request } as ShareCreditRequest, ['ORGANIZATION', 'ACCOUNTS', 'COST_CATEGORY'], 'AWS').map(
    (e) => `${e.code} ${e.field.join('.')}`,
  );

describe('share request shape', () => {
  it('accepts each offered scope with exactly its fields', () => {
    expect(check({ scope: 'ORGANIZATION' })).to.deep.equal([]);
    expect(check({ scope: 'ACCOUNTS', accountIds: ['1'] })).to.deep.equal([]);
    expect(check({ scope: 'COST_CATEGORY', costCategoryArn: 'arn', costCategoryValue: 'v' })).to.deep.equal([]);
  });

  it('refuses a scope the provider does not offer, naming the ones it does', () => {
    const errors = shareShapeErrors({ ...base, scope: 'INVOICE_SECTIONS', invoiceSectionIds: ['s'] }, ['ORGANIZATION'], 'AWS');
    expect(errors).to.deep.equal([{ code: 'UNSUPPORTED', field: ['scope'], message: 'AWS credits cannot be shared with scope INVOICE_SECTIONS; use one of ORGANIZATION.' }]);
  });

  it('reports every missing, empty or stray field', () => {
    expect(check({ scope: 'ACCOUNTS', accountIds: [] })).to.deep.equal(['INVALID_INPUT accountIds']);
    expect(check({ scope: 'COST_CATEGORY', costCategoryArn: '' })).to.deep.equal(['INVALID_INPUT costCategoryArn', 'INVALID_INPUT costCategoryValue']);
    expect(check({ scope: 'ORGANIZATION', accountIds: ['1'], invoiceSectionIds: ['s'] })).to.deep.equal(['INVALID_INPUT accountIds', 'INVALID_INPUT invoiceSectionIds']);
  });

  it('refuses more than 100 accounts or invoice sections, saying how many were sent', () => {
    const many = Array.from({ length: 101 }, (_, i) => String(i));
    expect(check({ scope: 'ACCOUNTS', accountIds: many.slice(0, 100) })).to.deep.equal([]);
    const errors = shareShapeErrors({ ...base, scope: 'ACCOUNTS', accountIds: many }, ['ACCOUNTS'], 'AWS');
    expect(errors).to.deep.equal([{ code: 'INVALID_INPUT', field: ['accountIds'], message: 'accountIds lists 101 values; a credit may be shared with at most 100.' }]);
    const sections = shareShapeErrors({ ...base, scope: 'INVOICE_SECTIONS', invoiceSectionIds: many }, ['INVOICE_SECTIONS'], 'Azure');
    expect(sections.map((e) => e.field[0])).to.deep.equal(['invoiceSectionIds']);
  });
});

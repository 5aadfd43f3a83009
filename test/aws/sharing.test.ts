/** Unit tests of AWS credit sharing: the normalized sharing of a credit and the plan of a share request. */
import { expect } from 'chai';
import type { ShareCreditRequest } from '../../lib/domain/provider-contract';
import { CostCategoryDefinition } from '../../subgraphs/aws/domain/cost-category-rules';
import { organizationOf, planShare, sharingOf, SharingLookups } from '../../subgraphs/aws/domain/sharing';
import { NOW } from './support';

const ARN = 'arn:aws:ce::111122223333:costcategory/7d3a1c52-4b7e-4d8a-9f0e-2c6b5a4e3d21';
const OTHER_ARN = 'arn:aws:ce::555566667777:costcategory/0f0f0f0f-1111-2222-3333-444455556666';
const definition: CostCategoryDefinition = {
  rules: [
    { Value: 'GrantNSF', Type: 'REGULAR', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['123456789012'] } }, InheritedValue: null },
    { Value: 'Product', Type: 'REGULAR', Rule: { Dimensions: { Key: 'LINKED_ACCOUNT_NAME', Values: ['team-'], MatchOptions: ['STARTS_WITH'] } }, InheritedValue: null },
  ],
  defaultValue: 'Unallocated',
};
const org = [
  { accountId: '111122223333', name: 'Example Corp', payerAccountId: '111122223333' },
  { accountId: '123456789012', name: 'research-grant', payerAccountId: '111122223333' },
  { accountId: '444455556666', name: 'team-data', payerAccountId: '111122223333' },
  { accountId: '777788889999', name: 'team-web', payerAccountId: '111122223333' },
];
const other = { accountId: '999988887777', name: 'team-other', payerAccountId: '555566667777' };
const lookups: SharingLookups = {
  accounts: new Map([...org, other].map((a) => [a.accountId, a])),
  organizations: new Map([['111122223333', org], ['555566667777', [other]]]),
  categories: new Map([
    [ARN, { costCategoryArn: ARN, name: 'FundingSource', payerAccountId: '111122223333', definition }],
    [OTHER_ARN, { costCategoryArn: OTHER_ARN, name: 'OtherFunding', payerAccountId: '555566667777', definition }],
  ]),
};
const columns = { shareableAccounts: null, costCategoryArn: null, ruleName: null, accountId: '111122223333' };
const request = (r: Partial<ShareCreditRequest>): ShareCreditRequest => ({ providerCreditId: '1', scope: 'ORGANIZATION', now: NOW, ...r });

describe('AWS credit sharing', () => {
  describe('sharingOf', () => {
    it('lists at most the first 100 accounts and counts them all', () => {
      const many = Array.from({ length: 150 }, (_, i) => String(100000000000 + i));
      const organization = new Map(many.map((id) => [id, { accountId: id, name: `a${id}`, payerAccountId: '111122223333' }]));
      const sharing = sharingOf(
        { ...columns, creditSharingType: 'CUSTOM', shareableAccounts: many },
        { ...lookups, accounts: new Map([...lookups.accounts, ...organization]) },
      );
      expect(sharing.accounts.map((a) => a.id)).to.deep.equal(many.slice(0, 100));
      expect(sharing.accountCount).to.equal(150);
    });

    it('reads DEFAULT (or no type) as the organization; DISABLED and unknown types (failing closed) as the owner only', () => {
      expect(sharingOf({ ...columns, creditSharingType: 'DEFAULT' }, lookups).scope).to.equal('ORGANIZATION');
      expect(sharingOf({ ...columns, creditSharingType: null }, lookups).scope).to.equal('ORGANIZATION');
      expect(sharingOf({ ...columns, creditSharingType: 'SOMETHING_NEW' }, lookups).scope).to.equal('OWNER_ONLY');
      expect(sharingOf({ ...columns, creditSharingType: 'DISABLED' }, lookups)).to.deep.equal({
        scope: 'OWNER_ONLY',
        accounts: [],
        accountCount: 0,
        costCategory: null,
        invoiceSections: [],
        invoiceSectionCount: 0,
      });
    });
    it('reads CUSTOM as the listed accounts with their names', () => {
      const sharing = sharingOf({ ...columns, creditSharingType: 'CUSTOM', shareableAccounts: ['777788889999', '000000000000'] }, lookups);
      expect(sharing.scope).to.equal('ACCOUNTS');
      expect(sharing.accounts).to.deep.equal([
        { id: '777788889999', name: 'team-web' },
        { id: '000000000000', name: null },
      ]);
    });
    it('reads COST_CATEGORY_RULE as the accounts of the organization the category gives that value', () => {
      const sharing = sharingOf({ ...columns, creditSharingType: 'COST_CATEGORY_RULE', costCategoryArn: ARN, ruleName: 'Product' }, lookups);
      expect(sharing).to.deep.equal({
        scope: 'COST_CATEGORY',
        accounts: [
          { id: '444455556666', name: 'team-data' },
          { id: '777788889999', name: 'team-web' },
        ],
        accountCount: 2,
        costCategory: { arn: ARN, name: 'FundingSource', value: 'Product' },
        invoiceSections: [],
        invoiceSectionCount: 0,
      });
    });
    it('keeps an unknown cost category with no accounts', () => {
      const arn = 'arn:aws:ce::111122223333:costcategory/unknown';
      const sharing = sharingOf({ ...columns, creditSharingType: 'COST_CATEGORY_RULE', costCategoryArn: arn, ruleName: 'X' }, lookups);
      expect(sharing.accounts).to.deep.equal([]);
      expect(sharing.costCategory).to.deep.equal({ arn, name: null, value: 'X' });
    });
    it('knows no organization for an unknown owner', () => {
      expect(organizationOf('000000000000', lookups)).to.deep.equal([]);
      expect(organizationOf('444455556666', lookups).map((a) => a.accountId)).to.have.length(4);
    });
  });

  describe('planShare', () => {
    const cleared = { shareableAccounts: null, costCategoryArn: null, ruleName: null };
    it('maps ORGANIZATION to DEFAULT and OWNER_ONLY to DISABLED, clearing scope fields', () => {
      expect(planShare('111122223333', request({ scope: 'ORGANIZATION' }), lookups)).to.deep.equal({
        ok: true,
        columns: { creditSharingType: 'DEFAULT', ...cleared },
      });
      expect(planShare('111122223333', request({ scope: 'OWNER_ONLY', accountIds: ['444455556666'] }), lookups)).to.deep.equal({
        ok: true,
        columns: { creditSharingType: 'DISABLED', ...cleared },
      });
    });
    it('maps ACCOUNTS to CUSTOM with the accounts, once each', () => {
      expect(planShare('111122223333', request({ scope: 'ACCOUNTS', accountIds: ['444455556666', '777788889999', '444455556666'] }), lookups)).to.deep.equal({
        ok: true,
        columns: { creditSharingType: 'CUSTOM', shareableAccounts: ['444455556666', '777788889999'], costCategoryArn: null, ruleName: null },
      });
    });
    it('refuses accounts outside the owner organization, naming each by index', () => {
      const plan = planShare('111122223333', request({ scope: 'ACCOUNTS', accountIds: ['444455556666', '999988887777', '000000000000'] }), lookups);
      expect(plan.ok).to.equal(false);
      if (plan.ok) return;
      expect(plan.userErrors.map((e) => [e.code, e.field])).to.deep.equal([
        ['INVALID_SCOPE', ['accountIds', '1']],
        ['INVALID_SCOPE', ['accountIds', '2']],
      ]);
      expect(plan.userErrors[0].message).to.contain('999988887777');
    });
    it('maps COST_CATEGORY to COST_CATEGORY_RULE with ARN and value', () => {
      expect(planShare('111122223333', request({ scope: 'COST_CATEGORY', costCategoryArn: ARN, costCategoryValue: 'GrantNSF', accountIds: ['1'] }), lookups)).to.deep.equal({
        ok: true,
        columns: { creditSharingType: 'COST_CATEGORY_RULE', shareableAccounts: null, costCategoryArn: ARN, ruleName: 'GrantNSF' },
      });
    });
    it('refuses an unknown cost category and a value that is not a rule value', () => {
      const unknown = planShare('111122223333', request({ scope: 'COST_CATEGORY', costCategoryArn: 'arn:nope', costCategoryValue: 'GrantNSF' }), lookups);
      expect(unknown.ok ? null : unknown.userErrors[0]).to.deep.include({ code: 'INVALID_SCOPE', field: ['costCategoryArn'] });
      const badValue = planShare('111122223333', request({ scope: 'COST_CATEGORY', costCategoryArn: ARN, costCategoryValue: 'Nothing' }), lookups);
      expect(badValue.ok ? null : badValue.userErrors[0]).to.deep.equal({
        code: 'INVALID_SCOPE',
        field: ['costCategoryValue'],
        message: '"Nothing" is not a rule value of cost category FundingSource (its rule values: GrantNSF, Product).',
      });
    });
    it('refuses the default value, saying it is not a rule and listing the rule values', () => {
      const plan = planShare('111122223333', request({ scope: 'COST_CATEGORY', costCategoryArn: ARN, costCategoryValue: 'Unallocated' }), lookups);
      expect(plan.ok ? null : plan.userErrors[0]).to.deep.equal({
        code: 'INVALID_SCOPE',
        field: ['costCategoryValue'],
        message:
          '"Unallocated" is the default value of cost category FundingSource, not a rule: AWS shares credits with the accounts of a rule value ' +
          '(its rule values: GrantNSF, Product).',
      });
    });
    it("refuses a cost category of another organization than the owner's", () => {
      const foreign = planShare('111122223333', request({ scope: 'COST_CATEGORY', costCategoryArn: OTHER_ARN, costCategoryValue: 'GrantNSF' }), lookups);
      expect(foreign.ok ? null : foreign.userErrors).to.deep.equal([
        {
          code: 'INVALID_SCOPE',
          field: ['costCategoryArn'],
          message:
            "Cost category OtherFunding belongs to the organization of management account 555566667777, not to the organization of the credit's owner 111122223333 (management account 111122223333).",
        },
      ]);
      // The same category is fine for a credit of its own organization.
      expect(planShare('999988887777', request({ scope: 'COST_CATEGORY', costCategoryArn: OTHER_ARN, costCategoryValue: 'GrantNSF' }), lookups).ok).to.equal(true);
      // An owner that is not a known account belongs to no known organization.
      const unknownOwner = planShare('000000000000', request({ scope: 'COST_CATEGORY', costCategoryArn: ARN, costCategoryValue: 'GrantNSF' }), lookups);
      expect(unknownOwner.ok ? null : unknownOwner.userErrors.map((e) => [e.code, e.field])).to.deep.equal([['INVALID_SCOPE', ['costCategoryArn']]]);
    });
    it('expects the request shape checked before: a scope AWS does not offer is a programming error', () => {
      expect(() => planShare('111122223333', request({ scope: 'INVOICE_SECTIONS', invoiceSectionIds: ['a'] }), lookups)).to.throw(/shareShapeErrors/);
    });
  });
});

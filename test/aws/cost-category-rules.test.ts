/** Unit tests of cost category evaluation: every match option, nesting, first match, default, undecidable parts. */
import { expect } from 'chai';
import {
  AccountFacts,
  accountsForValue,
  categoryValues,
  CostCategoryDefinition,
  CostCategoryExpression,
  costCategoryValueOf,
  dimensionMatches,
  evaluateExpression,
  ruleMatches,
  ruleValues,
} from '../../subgraphs/aws/domain/cost-category-rules';

const data: AccountFacts = { accountId: '444455556666', name: 'team-Data' };
const unnamed: AccountFacts = { accountId: '210987654321', name: null };

const byName = (Values: string[], MatchOptions?: string[]): CostCategoryExpression => ({
  Dimensions: { Key: 'LINKED_ACCOUNT_NAME', Values, MatchOptions },
});
const byId = (Values: string[], MatchOptions?: string[]): CostCategoryExpression => ({
  Dimensions: { Key: 'LINKED_ACCOUNT', Values, MatchOptions },
});
const regular = (Value: string, Rule: CostCategoryExpression) => ({ Value, Type: 'REGULAR', Rule, InheritedValue: null });

describe('AWS cost category rules', () => {
  describe('match options', () => {
    it('EQUALS is the default and is case-sensitive', () => {
      expect(evaluateExpression(byName(['team-Data']), data)).to.equal(true);
      expect(evaluateExpression(byName(['team-data']), data)).to.equal(false);
      expect(evaluateExpression(byName(['team-Data'], ['EQUALS']), data)).to.equal(true);
      expect(evaluateExpression(byName(['team'], ['EQUALS']), data)).to.equal(false);
    });
    it('STARTS_WITH, ENDS_WITH and CONTAINS compare parts of the value', () => {
      expect(evaluateExpression(byName(['team-'], ['STARTS_WITH']), data)).to.equal(true);
      expect(evaluateExpression(byName(['Data'], ['STARTS_WITH']), data)).to.equal(false);
      expect(evaluateExpression(byName(['-Data'], ['ENDS_WITH']), data)).to.equal(true);
      expect(evaluateExpression(byName(['team'], ['ENDS_WITH']), data)).to.equal(false);
      expect(evaluateExpression(byName(['m-D'], ['CONTAINS']), data)).to.equal(true);
      expect(evaluateExpression(byName(['xyz'], ['CONTAINS']), data)).to.equal(false);
      expect(evaluateExpression(byId(['4444'], ['STARTS_WITH']), data)).to.equal(true);
    });
    it('CASE_INSENSITIVE folds case, CASE_SENSITIVE keeps it', () => {
      expect(evaluateExpression(byName(['TEAM-DATA'], ['EQUALS', 'CASE_INSENSITIVE']), data)).to.equal(true);
      expect(evaluateExpression(byName(['TEAM-'], ['STARTS_WITH', 'CASE_INSENSITIVE']), data)).to.equal(true);
      expect(evaluateExpression(byName(['data'], ['ENDS_WITH', 'CASE_INSENSITIVE']), data)).to.equal(true);
      expect(evaluateExpression(byName(['M-d'], ['CONTAINS', 'CASE_INSENSITIVE']), data)).to.equal(true);
      expect(evaluateExpression(byName(['TEAM-DATA'], ['CASE_INSENSITIVE']), data)).to.equal(true);
      expect(evaluateExpression(byName(['TEAM-DATA'], ['EQUALS', 'CASE_SENSITIVE']), data)).to.equal(false);
      expect(evaluateExpression(byName(['team-Data'], ['CASE_SENSITIVE']), data)).to.equal(true);
    });
    it('ABSENT matches only an account without the value', () => {
      expect(evaluateExpression(byName([], ['ABSENT']), unnamed)).to.equal(true);
      expect(evaluateExpression(byName([], ['ABSENT']), data)).to.equal(false);
      expect(evaluateExpression(byId([], ['ABSENT']), data)).to.equal(false);
    });
    it('a dimension matches when ANY of its values matches', () => {
      expect(evaluateExpression(byId(['111122223333', '444455556666']), data)).to.equal(true);
      expect(evaluateExpression(byId(['111122223333', '777788889999']), data)).to.equal(false);
      expect(evaluateExpression(byId([]), data)).to.equal(false);
    });
    it('a name comparison does not match an account without a name', () => {
      expect(evaluateExpression(byName(['team-'], ['STARTS_WITH']), unnamed)).to.equal(false);
    });
  });

  describe('what a whole account cannot decide', () => {
    it('other dimension keys, Tags and CostCategories are undecided', () => {
      expect(dimensionMatches({ Key: 'SERVICE_CODE', Values: ['AmazonEC2'] }, data)).to.equal(null);
      expect(dimensionMatches({ Key: 'REGION', Values: ['us-east-1'] }, data)).to.equal(null);
      expect(evaluateExpression({ Tags: { Key: 'env', Values: ['prod'] } }, data)).to.equal(null);
      expect(evaluateExpression({ CostCategories: { Key: 'Team', Values: ['a'] } }, data)).to.equal(null);
    });
    it('GREATER_THAN_OR_EQUAL, unknown options and several comparisons are undecided', () => {
      expect(dimensionMatches({ Key: 'LINKED_ACCOUNT', Values: ['1'], MatchOptions: ['GREATER_THAN_OR_EQUAL'] }, data)).to.equal(null);
      expect(dimensionMatches({ Key: 'LINKED_ACCOUNT', Values: ['4'], MatchOptions: ['FUZZY'] }, data)).to.equal(null);
      expect(dimensionMatches({ Key: 'LINKED_ACCOUNT', Values: ['4'], MatchOptions: ['EQUALS', 'STARTS_WITH'] }, data)).to.equal(null);
    });
    it('undecided parts never make a rule match, not even under Not', () => {
      const tags: CostCategoryExpression = { Tags: { Key: 'env', Values: ['prod'] } };
      expect(ruleMatches(regular('x', tags), data)).to.equal(false);
      expect(ruleMatches(regular('x', { Not: tags }), data)).to.equal(false);
      expect(ruleMatches(regular('x', { Or: [tags, byId(['444455556666'])] }), data)).to.equal(true);
      expect(ruleMatches(regular('x', { And: [tags, byId(['444455556666'])] }), data)).to.equal(false);
      expect(evaluateExpression({ And: [tags, byId(['000000000000'])] }, data)).to.equal(false);
    });
    it('INHERITED_VALUE rules never match at account level', () => {
      expect(ruleMatches({ Value: 'x', Type: 'INHERITED_VALUE', Rule: null, InheritedValue: { DimensionName: 'TAG' } }, data)).to.equal(false);
      expect(ruleMatches({ Value: 'x', Type: 'INHERITED_VALUE', Rule: byId(['444455556666']), InheritedValue: null }, data)).to.equal(false);
    });
  });

  describe('nesting', () => {
    it('And needs every part, Or any part, Not inverts', () => {
      expect(evaluateExpression({ And: [byId(['444455556666']), byName(['team-'], ['STARTS_WITH'])] }, data)).to.equal(true);
      expect(evaluateExpression({ And: [byId(['444455556666']), byName(['web'], ['CONTAINS'])] }, data)).to.equal(false);
      expect(evaluateExpression({ Or: [byId(['000000000000']), byName(['Data'], ['ENDS_WITH'])] }, data)).to.equal(true);
      expect(evaluateExpression({ Or: [byId(['000000000000']), byName(['web'], ['CONTAINS'])] }, data)).to.equal(false);
      expect(evaluateExpression({ Not: byId(['444455556666']) }, data)).to.equal(false);
      expect(evaluateExpression({ Not: byId(['777788889999']) }, data)).to.equal(true);
    });
    it('evaluates deep nesting', () => {
      const expression: CostCategoryExpression = {
        And: [
          { Or: [byName(['sandbox'], ['CONTAINS', 'CASE_INSENSITIVE']), { Not: { Not: byId(['444455556666']) } }] },
          { Not: { And: [byId(['444455556666']), byName(['web'], ['ENDS_WITH'])] } },
        ],
      };
      expect(evaluateExpression(expression, data)).to.equal(true);
      expect(evaluateExpression(expression, { accountId: '777788889999', name: 'team-web' })).to.equal(false);
      expect(evaluateExpression(expression, { accountId: '210987654321', name: 'Sandbox' })).to.equal(true);
    });
    it('an empty And or Or selects nothing', () => {
      expect(evaluateExpression({ And: [] }, data)).to.equal(false);
      expect(evaluateExpression({ Or: [] }, data)).to.equal(false);
    });
  });

  describe('values of accounts', () => {
    const definition: CostCategoryDefinition = {
      rules: [
        regular('GrantNSF', byId(['123456789012'])),
        regular('Product', { Or: [byId(['444455556666']), byName(['team-'], ['STARTS_WITH'])] }),
        regular('Data', byName(['data'], ['CONTAINS', 'CASE_INSENSITIVE'])),
        regular('Product', byId(['210987654321'])),
      ],
      defaultValue: 'Unallocated',
    };
    const accounts: AccountFacts[] = [
      { accountId: '111122223333', name: 'Example Corp' },
      { accountId: '123456789012', name: 'team-grant' },
      { accountId: '210987654321', name: 'Sandbox' },
      data,
      { accountId: '777788889999', name: 'team-web' },
    ];

    it('the first matching rule wins', () => {
      expect(costCategoryValueOf(definition, data)).to.equal('Product');
      expect(costCategoryValueOf(definition, { accountId: '123456789012', name: 'team-grant' })).to.equal('GrantNSF');
      expect(costCategoryValueOf(definition, { accountId: '000000000001', name: 'big-data' })).to.equal('Data');
    });
    it('falls back to the default value, or null without one', () => {
      expect(costCategoryValueOf(definition, { accountId: '111122223333', name: 'Example Corp' })).to.equal('Unallocated');
      expect(costCategoryValueOf({ ...definition, defaultValue: null }, { accountId: '111122223333', name: 'Example Corp' })).to.equal(null);
    });
    it('lists values once, rule values in order then the default', () => {
      expect(ruleValues(definition)).to.deep.equal(['GrantNSF', 'Product', 'Data']);
      expect(categoryValues(definition)).to.deep.equal(['GrantNSF', 'Product', 'Data', 'Unallocated']);
      expect(categoryValues({ rules: definition.rules, defaultValue: 'Product' })).to.deep.equal(['GrantNSF', 'Product', 'Data']);
    });
    it('finds the accounts of a value', () => {
      expect(accountsForValue(definition, accounts, 'Product').map((a) => a.accountId)).to.deep.equal([
        '210987654321',
        '444455556666',
        '777788889999',
      ]);
      expect(accountsForValue(definition, accounts, 'Data')).to.deep.equal([]);
      expect(accountsForValue(definition, accounts, 'Unallocated').map((a) => a.accountId)).to.deep.equal(['111122223333']);
      expect(accountsForValue(definition, accounts, 'Nope')).to.deep.equal([]);
    });
  });
});

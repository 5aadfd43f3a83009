/**
 * Cost category evaluation for whole accounts, as AWS evaluates a cost category: the rules in
 * order, the FIRST rule that matches gives the value, else the DefaultValue.
 *
 * An account is known by its id and name only, so only the LINKED_ACCOUNT (account id) and
 * LINKED_ACCOUNT_NAME (account name) dimensions can be decided for it. Everything else (other
 * dimension keys such as SERVICE_CODE or REGION, Tags, CostCategories, GREATER_THAN_OR_EQUAL,
 * match options this code does not know) depends on individual line items, so it is UNDECIDED
 * for a whole account. Expressions are evaluated in three-valued logic (match / no match /
 * undecided, as SQL treats NULL) and a rule applies only when its expression surely matches, so
 * undecided parts never match, and `Not` of an undecided part does not match either.
 * INHERITED_VALUE rules take their value from a tag or the account name at line-item level;
 * account-level inheritance is out of scope, so they never match here.
 */

/**
 * The most rules one cost category may have: AWS Billing quotas, "The number of cost category
 * rules for a cost category (API): 500". The ingest refuses more; the `rules` field is costed so.
 */
export const MAX_COST_CATEGORY_RULES = 500;

/** A `Dimensions`, `Tags` or `CostCategories` filter: a key, values, match options. */
export interface CostCategoryValuesFilter {
  Key?: string;
  Values?: string[];
  MatchOptions?: string[];
}

/** A CostCategoryExpression.v1 expression, as AWS writes it. */
export interface CostCategoryExpression {
  And?: CostCategoryExpression[];
  Or?: CostCategoryExpression[];
  Not?: CostCategoryExpression;
  Dimensions?: CostCategoryValuesFilter;
  Tags?: CostCategoryValuesFilter;
  CostCategories?: CostCategoryValuesFilter;
}

/** One rule of a definition, as AWS writes it (`Type` defaults to REGULAR). */
export interface CostCategoryRuleDefinition {
  Value: string;
  Type: string;
  Rule: CostCategoryExpression | null;
  InheritedValue: unknown;
}

export interface CostCategoryDefinition {
  rules: CostCategoryRuleDefinition[];
  defaultValue: string | null;
}

/** What is known of an account when evaluating a category for it. */
export interface AccountFacts {
  accountId: string;
  name: string | null;
}

/** Three-valued truth: true, false, or null for undecided. */
type Truth = boolean | null;

export const EXPRESSION_OPERATORS = ['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'] as const;
const CASE_OPTIONS = ['CASE_SENSITIVE', 'CASE_INSENSITIVE'] as const;

/** The account attribute a dimension key reads, or undefined when a whole account cannot decide it. */
function dimensionValue(key: string | undefined, account: AccountFacts): string | null | undefined {
  if (key === 'LINKED_ACCOUNT') return account.accountId;
  if (key === 'LINKED_ACCOUNT_NAME') return account.name;
  return undefined;
}

function compare(option: string, actual: string, expected: string): Truth {
  switch (option) {
    case 'EQUALS':
      return actual === expected;
    case 'STARTS_WITH':
      return actual.startsWith(expected);
    case 'ENDS_WITH':
      return actual.endsWith(expected);
    case 'CONTAINS':
      return actual.includes(expected);
    default:
      // GREATER_THAN_OR_EQUAL compares numeric line-item values; unknown options are undecided.
      return null;
  }
}

/** Whether a `Dimensions` filter matches the account: ANY of its values matching is enough. */
export function dimensionMatches(filter: CostCategoryValuesFilter, account: AccountFacts): Truth {
  const actual = dimensionValue(filter.Key, account);
  if (actual === undefined) return null;
  const options = filter.MatchOptions ?? [];
  const comparisons = options.filter((o) => !(CASE_OPTIONS as readonly string[]).includes(o));
  if (comparisons.length > 1) return null;
  const comparison = comparisons[0] ?? 'EQUALS';
  if (comparison === 'ABSENT') return actual === null || actual === '';
  if (actual === null) return false;
  const insensitive = options.includes('CASE_INSENSITIVE');
  const fold = (s: string) => (insensitive ? s.toLowerCase() : s);
  let result: Truth = false;
  for (const expected of filter.Values ?? []) {
    const r = compare(comparison, fold(actual), fold(expected));
    if (r === true) return true;
    if (r === null) result = null;
  }
  return result;
}

function and(values: Truth[]): Truth {
  if (values.includes(false)) return false;
  return values.includes(null) ? null : true;
}

function or(values: Truth[]): Truth {
  if (values.includes(true)) return true;
  return values.includes(null) ? null : false;
}

/**
 * The truth of an expression for an account. An empty And/Or selects nothing; an expression
 * carrying several operators (invalid for AWS) needs all of them.
 */
export function evaluateExpression(expression: CostCategoryExpression, account: AccountFacts): Truth {
  const parts: Truth[] = [];
  if (expression.And) parts.push(expression.And.length === 0 ? false : and(expression.And.map((e) => evaluateExpression(e, account))));
  if (expression.Or) parts.push(expression.Or.length === 0 ? false : or(expression.Or.map((e) => evaluateExpression(e, account))));
  if (expression.Not) {
    const inner = evaluateExpression(expression.Not, account);
    parts.push(inner === null ? null : !inner);
  }
  if (expression.Dimensions) parts.push(dimensionMatches(expression.Dimensions, account));
  if (expression.Tags) parts.push(null);
  if (expression.CostCategories) parts.push(null);
  return parts.length === 0 ? null : and(parts);
}

/** Whether a rule surely applies to the account (INHERITED_VALUE rules never do here). */
export function ruleMatches(rule: CostCategoryRuleDefinition, account: AccountFacts): boolean {
  if (rule.Type === 'INHERITED_VALUE' || rule.Rule === null) return false;
  return evaluateExpression(rule.Rule, account) === true;
}

/** The value the category gives the account: the first matching rule's, else the default (null if none). */
export function costCategoryValueOf(definition: CostCategoryDefinition, account: AccountFacts): string | null {
  const rule = definition.rules.find((r) => ruleMatches(r, account));
  return rule ? rule.Value : definition.defaultValue;
}

/** The distinct values the rules assign, in rule order. */
export function ruleValues(definition: CostCategoryDefinition): string[] {
  return [...new Set(definition.rules.map((r) => r.Value))];
}

/** The distinct values of the category: every rule value, then the default value. */
export function categoryValues(definition: CostCategoryDefinition): string[] {
  const values = ruleValues(definition);
  if (definition.defaultValue !== null && !values.includes(definition.defaultValue)) values.push(definition.defaultValue);
  return values;
}

/** The accounts (of those given, in their order) that the category assigns to `value`. */
export function accountsForValue<A extends AccountFacts>(definition: CostCategoryDefinition, accounts: A[], value: string): A[] {
  return accountsByValue(definition, accounts).get(value) ?? [];
}

/**
 * The accounts (of those given, in their order) the category assigns to each value it gives
 * any of them: every account evaluated once. Accounts no rule matches without a default value
 * get none and are left out.
 */
export function accountsByValue<A extends AccountFacts>(definition: CostCategoryDefinition, accounts: readonly A[]): Map<string, A[]> {
  const byValue = new Map<string, A[]>();
  for (const account of accounts) {
    const value = costCategoryValueOf(definition, account);
    if (value === null) continue;
    const list = byValue.get(value);
    if (list) list.push(account);
    else byValue.set(value, [account]);
  }
  return byValue;
}

/**
 * A Cost Explorer cost category definition: the DescribeCostCategoryDefinition `CostCategory`
 * object (or a CreateCostCategoryDefinition request with its CostCategoryArn), bare or wrapped in
 * `{ "CostCategory": {...} }`. Rule expressions are checked in full and kept as given (only the
 * operators AWS defines); unknown dimension keys and match options are kept, not rejected.
 */
import type { EntityManager } from 'typeorm';
import { EntryReader, IngestFormat, IngestProblem, IngestTouches } from '../../../lib/store/ingest';
import {
  CostCategoryExpression,
  CostCategoryRuleDefinition,
  CostCategoryValuesFilter,
  EXPRESSION_OPERATORS,
  MAX_COST_CATEGORY_RULES,
} from '../domain/cost-category-rules';
import { AwsCostCategory } from '../entities/cost-category';
import { costCategoryArn, costCategoryPayer } from './fields';
import { upsertByKey } from '../../../lib/store/bulk-sql';

const MAX_NAME_LENGTH = 50;

export type CostCategoryRow = Omit<AwsCostCategory, 'rules' | 'definition'>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `CostCategory` object: the document itself, or its `CostCategory` member. */
function categoryObject(document: unknown): { value: Record<string, unknown>; prefix: string } | null {
  if (isObject(document) && isObject(document.CostCategory)) return { value: document.CostCategory, prefix: 'CostCategory.' };
  if (isObject(document) && Array.isArray(document.Rules) && ('CostCategoryArn' in document || 'Name' in document)) {
    return { value: document, prefix: '' };
  }
  return null;
}

/** Reads expressions of one rule, naming each problem's path inside it (e.g. `Rule.Or[1].Dimensions.Values`). */
class ExpressionReader {
  constructor(
    private readonly file: string,
    private readonly entry: string,
    private readonly problems: IngestProblem[],
  ) {}

  private reader(value: unknown, path: string): EntryReader {
    return new EntryReader(value, this.file, this.entry, this.problems, path ? `${path}.` : '');
  }

  private problem(path: string, reason: string): void {
    this.problems.push({ file: this.file, entry: this.entry, field: path, reason });
  }

  expression(value: unknown, path: string): CostCategoryExpression | null {
    if (!isObject(value)) {
      this.problem(path, 'must be an expression object (And, Or, Not, Dimensions, Tags or CostCategories)');
      return null;
    }
    const keys = Object.keys(value);
    const unknown = keys.filter((k) => !(EXPRESSION_OPERATORS as readonly string[]).includes(k));
    if (unknown.length > 0) this.problem(path, `has unknown members ${unknown.join(', ')} (expected one of ${EXPRESSION_OPERATORS.join(', ')})`);
    const operators = keys.filter((k) => !unknown.includes(k));
    if (operators.length !== 1) {
      if (unknown.length === 0) this.problem(path, `must have exactly one of ${EXPRESSION_OPERATORS.join(', ')}, got ${operators.length}`);
      return null;
    }
    const operator = operators[0] as (typeof EXPRESSION_OPERATORS)[number];
    const inner = `${path}.${operator}`;
    switch (operator) {
      case 'And':
      case 'Or': {
        const list = value[operator];
        if (!Array.isArray(list) || list.length === 0) {
          this.problem(inner, 'must be a non-empty list of expressions');
          return null;
        }
        const parts = list.map((item, i) => this.expression(item, `${inner}[${i}]`));
        return parts.includes(null) ? null : { [operator]: parts as CostCategoryExpression[] };
      }
      case 'Not': {
        const negated = this.expression(value.Not, inner);
        return negated && { Not: negated };
      }
      default: {
        const filter = this.filter(value[operator], inner, operator === 'Dimensions');
        return filter && { [operator]: filter };
      }
    }
  }

  private filter(value: unknown, path: string, keyRequired: boolean): CostCategoryValuesFilter | null {
    const reader = this.reader(value, path);
    if (!reader.isObject) {
      this.problem(path, 'must be an object with Key, Values and MatchOptions');
      return null;
    }
    const key = reader.string('Key', keyRequired);
    const values = reader.stringList('Values');
    const matchOptions = reader.stringList('MatchOptions');
    if ((keyRequired && key === null) || values === null || matchOptions === null) return null;
    return {
      ...(key !== null ? { Key: key } : {}),
      Values: values,
      ...(reader.has('MatchOptions') ? { MatchOptions: matchOptions } : {}),
    };
  }
}

function readRule(reader: EntryReader, file: string, entry: string, problems: IngestProblem[]): CostCategoryRuleDefinition | null {
  const value = reader.string('Value');
  const type = reader.string('Type', false) ?? 'REGULAR';
  let rule: CostCategoryExpression | null = null;
  let inheritedValue: Record<string, string> | null = null;
  if (type === 'INHERITED_VALUE') {
    const inherited = reader.object('InheritedValue');
    const dimensionName = inherited?.string('DimensionName', false) ?? null;
    const dimensionKey = inherited?.string('DimensionKey', false) ?? null;
    if (inherited) {
      inheritedValue = {
        ...(dimensionName !== null ? { DimensionName: dimensionName } : {}),
        ...(dimensionKey !== null ? { DimensionKey: dimensionKey } : {}),
      };
    }
  } else if (!reader.has('Rule')) {
    reader.problem('Rule', 'is required for a REGULAR rule');
  } else {
    rule = new ExpressionReader(file, entry, problems).expression(reader.raw('Rule'), 'Rule');
  }
  const ok = value !== null && (type === 'INHERITED_VALUE' ? inheritedValue !== null : rule !== null);
  return ok ? { Value: value, Type: type, Rule: rule, InheritedValue: inheritedValue } : null;
}

export const costCategoryFormat: IngestFormat<CostCategoryRow[]> = {
  name: 'AWS Cost Explorer cost category definition',
  provider: 'AWS',
  order: 2,
  detect: (document) => categoryObject(document) !== null,
  validate(document: unknown, file: string, problems: IngestProblem[]): CostCategoryRow[] {
    const found = categoryObject(document)!;
    const reader = new EntryReader(found.value, file, '', problems, found.prefix);
    const arn = costCategoryArn(reader, 'CostCategoryArn');
    const name = reader.string('Name');
    if (name !== null && (name.length < 1 || name.length > MAX_NAME_LENGTH)) {
      reader.problem('Name', `must be 1 to ${MAX_NAME_LENGTH} characters long, got ${name.length}`);
    }
    const effectiveStart = reader.isoDate('EffectiveStart', false);
    const ruleVersion = reader.string('RuleVersion', false);
    const defaultValue = reader.string('DefaultValue', false);
    const entryName = `${found.prefix}Rules`;
    // More rules than AWS allows are refused before any is read: a huge list costs one problem, not one per rule.
    const given = reader.raw('Rules');
    const rules = Array.isArray(given) && given.length > MAX_COST_CATEGORY_RULES ? null : reader.list('Rules', (rule, i) => readRule(rule, file, `${entryName}[${i}]`, problems), entryName);
    if (Array.isArray(given) && (given.length < 1 || given.length > MAX_COST_CATEGORY_RULES)) {
      reader.problem('Rules', `must hold 1 to ${MAX_COST_CATEGORY_RULES} rules (AWS allows at most ${MAX_COST_CATEGORY_RULES} per cost category), got ${given.length}`);
    }
    if (problems.length > 0 || arn === null || name === null || rules === null || rules.includes(null)) return [];
    const row: CostCategoryRow = {
      costCategoryArn: arn,
      name,
      effectiveStart,
      ruleVersion,
      defaultValue,
      payerAccountId: costCategoryPayer(arn)!,
      ruleDefinitions: rules as CostCategoryRuleDefinition[],
    };
    return [row];
  },
  // Rules decide which accounts cost-category-shared credits pay for: every organization is recomputed.
  load: (rows: CostCategoryRow[], manager: EntityManager, touched: IngestTouches) => (touched.all(), upsertByKey(manager, AwsCostCategory, rows, ['costCategoryArn'])),
};

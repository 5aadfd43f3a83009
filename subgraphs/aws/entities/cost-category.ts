/**
 * An AWS Cost Explorer cost category definition (DescribeCostCategoryDefinition `CostCategory`):
 * ordered rules that assign each account a value, first match wins, else the default value.
 */
import { GraphQLJSON } from 'graphql-scalars';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeScalar } from '../../../lib/api/scalars';
import type { CostCategoryDefinition, CostCategoryExpression, CostCategoryRuleDefinition } from '../domain/cost-category-rules';

@ObjectType({ description: 'One rule of a cost category: the value it assigns and the expression that selects what gets it.' })
export class AwsCostCategoryRule {
  @Field({ description: 'The cost category value the rule assigns (AWS `Value`).' })
  value: string;

  @Field({ description: 'REGULAR (the expression decides) or INHERITED_VALUE (the value comes from a tag or account name), kept as written.' })
  type: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'For INHERITED_VALUE rules: the dimension the value is inherited from, as AWS writes it.' })
  inheritedValue: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The rule expression (And, Or, Not, Dimensions, Tags, CostCategories) exactly as given.' })
  rule: CostCategoryExpression | null;
}

@ObjectType({ description: 'A value of a cost category and the accounts of its organization that the category assigns to it.' })
export class AwsCostCategoryValue {
  @Field({ description: 'The cost category value.' })
  value: string;

  /** The category giving the value: its `accounts` field (resolvers/cost-category.resolver.ts) evaluates it. */
  category: AwsCostCategory;
}

@Entity('aws_cost_category')
@ObjectType({ description: 'An AWS cost category (Cost Explorer CostCategory definition) whose rules can scope credit sharing.' })
@Directive('@key(fields: "costCategoryArn")')
export class AwsCostCategory {
  @PrimaryColumn('varchar')
  @Field({ description: 'The ARN of the cost category: arn:aws:ce::<management account>:costcategory/<id>.' })
  costCategoryArn: string;

  @Column('varchar')
  @Field({ description: 'The name of the cost category.' })
  name: string;

  @Column('varchar', { nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: 'The first day of the month from which this definition is effective.' })
  effectiveStart: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The rule language version, e.g. CostCategoryExpression.v1.' })
  ruleVersion: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The value given to whatever no rule matches.' })
  defaultValue: string | null;

  /** The management account the category belongs to (from the ARN): its organization's accounts are evaluated. */
  @Index()
  @Column('varchar')
  payerAccountId: string;

  @Column('simple-json')
  ruleDefinitions: CostCategoryRuleDefinition[];

  /** The rules and default value, as the evaluation in domain/cost-category-rules.ts reads them. */
  get definition(): CostCategoryDefinition {
    return { rules: this.ruleDefinitions, defaultValue: this.defaultValue };
  }

  /**
   * Every rule in evaluation order (the first rule that matches decides the value). Not a GraphQL
   * field as is: the `rules` field (resolvers/cost-category.resolver.ts) serves them to the payer only.
   */
  get rules(): AwsCostCategoryRule[] {
    return this.ruleDefinitions.map((r) => ({ value: r.Value, type: r.Type, inheritedValue: r.InheritedValue, rule: r.Rule }));
  }
}

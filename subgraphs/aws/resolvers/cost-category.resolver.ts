/** GraphQL resolvers of AwsCostCategory: its root queries, its rules (payer only), the accounts per value, and its federation reference. */
import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AwsContext } from '../context';
import { seesCostCategoryRules } from '../domain/access';
import { accountsForValue, categoryValues } from '../domain/cost-category-rules';
import { AwsAccount } from '../entities/account';
import { AwsCostCategory, AwsCostCategoryRule, AwsCostCategoryValue } from '../entities/cost-category';

@Resolver(() => AwsCostCategory)
export class AwsCostCategoryResolver {
  @Query(() => [AwsCostCategory], { description: 'The AWS cost categories the caller may see, by name: those of the organization it manages, and those sharing the credits it sees.' })
  awsCostCategories(@Ctx() ctx: AwsContext): Promise<AwsCostCategory[]> {
    return ctx.repository.costCategories();
  }

  @Query(() => AwsCostCategory, { nullable: true, description: 'One AWS cost category by its ARN, or null when unknown or not visible to the caller.' })
  awsCostCategory(@Arg('costCategoryArn', { description: 'The ARN of the cost category.' }) arn: string, @Ctx() ctx: AwsContext) {
    return ctx.loaders.costCategoryByArn.load(arn);
  }

  @FieldResolver(() => [AwsCostCategoryRule], {
    description:
      "The rules, for the payer account only: in evaluation order (the first rule that matches decides the value) to a caller that is the management (payer) account of the category's organization; an empty list to any other caller, since rules name accounts it may not see.",
  })
  rules(@Root() category: AwsCostCategory, @Ctx() ctx: AwsContext): AwsCostCategoryRule[] {
    return seesCostCategoryRules(ctx.repository.scope, category) ? category.rules : [];
  }

  @FieldResolver(() => [AwsCostCategoryValue], {
    description: 'Every rule value and the default value, each with the accounts of the organization (those the caller may see) the category assigns to it.',
  })
  async values(@Root() category: AwsCostCategory, @Ctx() ctx: AwsContext): Promise<AwsCostCategoryValue[]> {
    const organization = await ctx.loaders.accountsByPayer.load(category.payerAccountId);
    return categoryValues(category.definition).map((value) => ({ value, accounts: accountsForValue(category.definition, organization, value) }));
  }

  @FieldResolver(() => [AwsAccount], { description: 'The accounts of the organization (those the caller may see) the category assigns to the given value (first matching rule, else default).' })
  async accountsForValue(
    @Root() category: AwsCostCategory,
    @Arg('value', { description: 'A value of the cost category.' }) value: string,
    @Ctx() ctx: AwsContext,
  ): Promise<AwsAccount[]> {
    return accountsForValue(category.definition, await ctx.loaders.accountsByPayer.load(category.payerAccountId), value);
  }
}

export const awsCostCategoryReference = {
  AwsCostCategory: {
    __resolveReference: (reference: { costCategoryArn: string }, ctx: AwsContext) => ctx.loaders.costCategoryByArn.load(reference.costCategoryArn),
  },
};

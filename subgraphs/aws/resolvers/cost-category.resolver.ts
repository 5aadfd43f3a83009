/**
 * GraphQL resolvers of AwsCostCategory: its root queries, its rules (payer only), its values and
 * the accounts per value, and its federation reference; and of AwsCostCategoryValue's accounts.
 */
import { Arg, Args, Ctx, Directive, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { CONNECTION_LIST_SIZE, Connection, PageArgs, pageOfArray } from '../../../lib/platform/connection';
import { keysetConnection, keysetPageOfArray, pageRequest } from '../../../lib/api/keyset-connection';
import { foundOrNotFound } from '../../../lib/platform/not-found';
import type { AwsContext } from '../context';
import { seesCostCategoryRules } from '../domain/access';
import { categoryValues, MAX_COST_CATEGORY_RULES } from '../domain/cost-category-rules';
import { AwsAccount } from '../entities/account';
import { AwsAccountConnection, AwsCostCategoryConnection, AwsCostCategoryValueConnection } from '../entities/connections';
import { AwsCostCategory, AwsCostCategoryRule, AwsCostCategoryValue } from '../entities/cost-category';
import { ACCOUNT_ORDER, COST_CATEGORY_ORDER } from '../store';

/** A page of the accounts of its organization (those the caller sees) the category assigns to `value`, by account id. */
async function accountsPage(category: AwsCostCategory, value: string, args: PageArgs, ctx: AwsContext): Promise<Connection<AwsAccount>> {
  const byValue = await ctx.loaders.accountsByValueOfCategory.load(category);
  return keysetPageOfArray('AwsAccount', byValue.get(value) ?? [], ACCOUNT_ORDER, args);
}

@Resolver(() => AwsCostCategory)
export class AwsCostCategoryResolver {
  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => AwsCostCategoryConnection, {
    nullable: true,
    description: 'The AWS cost categories the caller may see, by name then ARN, a page at a time: those of the organization it manages, and those sharing the credits it sees.',
  })
  async awsCostCategories(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: AwsContext): Promise<Connection<AwsCostCategory>> {
    const page = pageRequest('AwsCostCategory', args, COST_CATEGORY_ORDER);
    return keysetConnection('AwsCostCategory', await ctx.repository.costCategories(page), COST_CATEGORY_ORDER, page);
  }

  @Query(() => AwsCostCategory, {
    nullable: true,
    description:
      'One AWS cost category by its ARN. An unknown or malformed ARN, or a cost category the caller may not see, answers null with a ' +
      '`NOT_FOUND` error at this field\'s path (the same error in every case).',
  })
  async awsCostCategory(@Arg('costCategoryArn', { description: 'The ARN of the cost category.' }) arn: string, @Ctx() ctx: AwsContext): Promise<AwsCostCategory> {
    return foundOrNotFound(await ctx.loaders.costCategoryByArn.load(arn), 'AWS cost category', 'costCategoryArn', arn);
  }

  @Directive(`@listSize(assumedSize: ${MAX_COST_CATEGORY_RULES})`)
  @FieldResolver(() => [AwsCostCategoryRule], {
    description:
      `The rules (at most ${MAX_COST_CATEGORY_RULES}, the AWS quota per cost category), for the payer account only: in evaluation order (the first rule that matches decides the value) to a caller that is the management (payer) account of the category's organization; an empty list to any other caller, since rules name accounts it may not see.`,
  })
  rules(@Root() category: AwsCostCategory, @Ctx() ctx: AwsContext): AwsCostCategoryRule[] {
    return seesCostCategoryRules(ctx.repository.scope, category) ? category.rules : [];
  }

  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => AwsCostCategoryValueConnection, {
    description: 'Every rule value in rule order, then the default value, a page at a time; each with the accounts of the organization (those the caller may see) the category assigns to it.',
  })
  values(@Root() category: AwsCostCategory, @Args(() => PageArgs) args: PageArgs): Connection<AwsCostCategoryValue> {
    const values = categoryValues(category.definition).map((value) => Object.assign(new AwsCostCategoryValue(), { value, category }));
    return pageOfArray('AwsCostCategoryValue', values, args);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => AwsAccountConnection, {
    description: 'The accounts of the organization (those the caller may see) the category assigns to the given value (first matching rule, else default), by account id, a page at a time.',
  })
  accountsForValue(
    @Root() category: AwsCostCategory,
    @Arg('value', { description: 'A value of the cost category.' }) value: string,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: AwsContext,
  ): Promise<Connection<AwsAccount>> {
    return accountsPage(category, value, args, ctx);
  }
}

@Resolver(() => AwsCostCategoryValue)
export class AwsCostCategoryValueResolver {
  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => AwsAccountConnection, {
    description: 'The accounts of the organization (those the caller may see) whose first matching rule gives this value (or the default value), by account id, a page at a time.',
  })
  accounts(@Root() value: AwsCostCategoryValue, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: AwsContext): Promise<Connection<AwsAccount>> {
    return accountsPage(value.category, value.value, args, ctx);
  }
}

export const awsCostCategoryReference = {
  AwsCostCategory: {
    __resolveReference: (reference: { costCategoryArn: string }, ctx: AwsContext) => ctx.loaders.costCategoryByArn.load(reference.costCategoryArn),
  },
};

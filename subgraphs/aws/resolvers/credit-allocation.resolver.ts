/** GraphQL resolvers of AwsCreditAllocation: the filtered history query and each entry's account. */
import { GraphQLError } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { AwsContext } from '../context';
import { AwsAccount } from '../entities/account';
import { AwsCreditAllocation } from '../entities/credit-allocation';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function month(name: string, value: string | null): string | null {
  if (value !== null && !MONTH.test(value)) {
    throw new GraphQLError(`${name} must be a billing month written YYYY-MM, got "${value}"`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

@ArgsType()
class AwsCreditAllocationHistoryArgs {
  @Field(() => ID, { nullable: true, description: 'Only entries of this credit.' })
  creditId: string | null;

  @Field(() => ID, { nullable: true, description: 'Only entries charged to this 12-digit account.' })
  accountId: string | null;

  @Field(() => String, { nullable: true, description: 'First billing month to include, YYYY-MM.' })
  startMonth: string | null;

  @Field(() => String, { nullable: true, description: 'Last billing month to include, YYYY-MM.' })
  endMonth: string | null;
}

@Resolver(() => AwsCreditAllocation)
export class AwsCreditAllocationResolver {
  @Query(() => [AwsCreditAllocation], {
    description: 'Credit allocation history (GetCreditAllocationHistory entries) the caller may see, newest billing month first, optionally filtered: a management account every entry of its organization, a linked account only its own.',
  })
  awsCreditAllocationHistory(@Args() args: AwsCreditAllocationHistoryArgs, @Ctx() ctx: AwsContext): Promise<AwsCreditAllocation[]> {
    return ctx.repository.allocations({
      creditIds: args.creditId ? [args.creditId] : undefined,
      accountIds: args.accountId ? [args.accountId] : undefined,
      startMonth: month('startMonth', args.startMonth ?? null),
      endMonth: month('endMonth', args.endMonth ?? null),
    });
  }

  @FieldResolver(() => AwsAccount, { nullable: true, description: 'The linked account charged (null when it was not loaded from ListAccounts).' })
  account(@Root() allocation: AwsCreditAllocation, @Ctx() ctx: AwsContext): Promise<AwsAccount | null> {
    return ctx.loaders.accountById.load(allocation.accountId);
  }
}

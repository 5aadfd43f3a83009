/** GraphQL resolvers of AwsCreditAllocation: the filtered history query and each entry's account. */
import { Args, ArgsType, Ctx, Directive, Field, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { badArgument, CONNECTION_LIST_SIZE, Connection, PageArgs } from '../../../lib/platform/connection';
import { keysetConnection, pageRequest } from '../../../lib/api/keyset-connection';
import type { AwsContext } from '../context';
import { AwsAccount } from '../entities/account';
import { AwsCreditAllocationConnection } from '../entities/connections';
import { AwsCreditAllocation } from '../entities/credit-allocation';
import { ALLOCATION_ORDER } from '../store';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function month(name: string, value: string | null): string | null {
  if (value !== null && !MONTH.test(value)) {
    throw badArgument(`${name} must be a billing month written YYYY-MM, got "${value}"`, name);
  }
  return value;
}

@ArgsType()
class AwsCreditAllocationHistoryArgs extends PageArgs {
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
  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => AwsCreditAllocationConnection, {
    nullable: true,
    description:
      'Credit allocation history (GetCreditAllocationHistory entries) the caller may see, newest billing month first, a page at a time, optionally filtered: a management account every entry of its organization, a linked account only its own.',
  })
  async awsCreditAllocationHistory(@Args(() => AwsCreditAllocationHistoryArgs) args: AwsCreditAllocationHistoryArgs, @Ctx() ctx: AwsContext): Promise<Connection<AwsCreditAllocation>> {
    const filter = {
      creditIds: args.creditId ? [args.creditId] : undefined,
      accountIds: args.accountId ? [args.accountId] : undefined,
      startMonth: month('startMonth', args.startMonth ?? null),
      endMonth: month('endMonth', args.endMonth ?? null),
    };
    const page = pageRequest('AwsCreditAllocation', args, ALLOCATION_ORDER);
    return keysetConnection('AwsCreditAllocation', await ctx.repository.allocations(filter, page), ALLOCATION_ORDER, page);
  }

  @FieldResolver(() => AwsAccount, { nullable: true, description: 'The linked account charged (null when it was not loaded from ListAccounts).' })
  account(@Root() allocation: AwsCreditAllocation, @Ctx() ctx: AwsContext): Promise<AwsAccount | null> {
    return ctx.loaders.accountById.load(allocation.accountId);
  }
}

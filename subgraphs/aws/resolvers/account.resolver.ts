/** GraphQL resolvers of AwsAccount: its root queries, its credits and history, and its federation reference. */
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { monthToDate } from '../../../lib/charges/month-to-date';
import { checkedMonth, MonthArgs, MonthToDateCharges, monthToDateCharges } from '../../../lib/charges/month-to-date-type';
import type { AwsContext } from '../context';
import { AwsAccount } from '../entities/account';
import { AwsCredit } from '../entities/credit';
import { AwsCreditAllocation } from '../entities/credit-allocation';

@Resolver(() => AwsAccount)
export class AwsAccountResolver {
  @Query(() => [AwsAccount], { description: 'The AWS accounts (from AWS Organizations ListAccounts) the caller may see, by account id: a management account sees its whole organization; a linked account itself, plus minimal records of its management account and of the owners of the credits it sees.' })
  awsAccounts(@Ctx() ctx: AwsContext): Promise<AwsAccount[]> {
    return ctx.repository.accounts();
  }

  @Query(() => AwsAccount, { nullable: true, description: 'One AWS account by its 12-digit id, or null when unknown or not visible to the caller.' })
  awsAccount(@Arg('accountId', () => ID, { description: 'The 12-digit account id.' }) accountId: string, @Ctx() ctx: AwsContext) {
    return ctx.loaders.accountById.load(accountId);
  }

  @FieldResolver(() => [AwsCredit], { description: 'The credits this account owns that the caller may see, by credit id.' })
  credits(@Root() account: AwsAccount, @Ctx() ctx: AwsContext): Promise<AwsCredit[]> {
    return ctx.loaders.creditsByOwner.load(account.accountId);
  }

  @FieldResolver(() => [AwsCreditAllocation], {
    description: 'The credit allocation history entries charged to this account that the caller may see, newest billing month first.',
  })
  allocationHistory(@Root() account: AwsAccount, @Ctx() ctx: AwsContext): Promise<AwsCreditAllocation[]> {
    return ctx.loaders.allocationsByAccount.load(account.accountId);
  }

  @FieldResolver(() => [MonthToDateCharges], {
    description:
      'This account\'s usage in one billing month (default: the latest loaded), one entry per currency, from the Programmatic ' +
      'Billing files loaded: charges, what credits paid, the net, and a forecast of the month\'s end from the run rate. Empty ' +
      'for an account the caller sees only minimally, and for a month without billing data.',
  })
  async monthToDate(@Root() account: AwsAccount, @Args(() => MonthArgs) { month }: MonthArgs, @Ctx() ctx: AwsContext): Promise<MonthToDateCharges[]> {
    const rows = await ctx.loaders.consumerMonthsByAccount.load(account.accountId);
    return monthToDate(rows, checkedMonth(month)).map(monthToDateCharges);
  }
}

export const awsAccountReference = {
  AwsAccount: {
    __resolveReference: (reference: { accountId: string }, ctx: AwsContext) => ctx.loaders.accountById.load(reference.accountId),
  },
};

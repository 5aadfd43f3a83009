/** GraphQL resolvers of AwsAccount: its root queries, its credits and history, and its federation reference. */
import { Arg, Args, Ctx, Directive, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { monthToDate } from '../../../lib/domain/charges/month-to-date';
import { checkedMonth, MonthArgs, MonthToDateCharges, monthToDateCharges } from '../../../lib/api/month-to-date-charges';
import { CONNECTION_LIST_SIZE, Connection, PageArgs } from '../../../lib/platform/connection';
import { keysetConnection, pageRequest } from '../../../lib/api/keyset-connection';
import { foundOrNotFound } from '../../../lib/platform/not-found';
import type { AwsContext } from '../context';
import { AwsAccount } from '../entities/account';
import { AwsAccountConnection, AwsCreditAllocationConnection, AwsCreditConnection } from '../entities/connections';
import { AwsCredit } from '../entities/credit';
import { AwsCreditAllocation } from '../entities/credit-allocation';
import { ACCOUNT_ORDER, ALLOCATION_ORDER, CREDIT_ORDER } from '../store';

@Resolver(() => AwsAccount)
export class AwsAccountResolver {
  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => AwsAccountConnection, {
    nullable: true,
    description:
      'The AWS accounts (from AWS Organizations ListAccounts) the caller may see, by account id, a page at a time: a management account sees its whole organization; a linked account itself, plus minimal records of its management account and of the owners of the credits it sees.',
  })
  async awsAccounts(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: AwsContext): Promise<Connection<AwsAccount>> {
    const page = pageRequest('AwsAccount', args, ACCOUNT_ORDER);
    return keysetConnection('AwsAccount', await ctx.repository.accounts(page), ACCOUNT_ORDER, page);
  }

  @Query(() => AwsAccount, {
    nullable: true,
    description:
      'One AWS account by its 12-digit id. An unknown or malformed id, or an account the caller may not see, answers null with a ' +
      '`NOT_FOUND` error at this field\'s path (the same error in every case).',
  })
  async awsAccount(@Arg('accountId', () => ID, { description: 'The 12-digit account id.' }) accountId: string, @Ctx() ctx: AwsContext): Promise<AwsAccount> {
    return foundOrNotFound(await ctx.loaders.accountById.load(accountId), 'AWS account', 'accountId', accountId);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => AwsCreditConnection, { description: 'The credits this account owns that the caller may see, by credit id, a page at a time.' })
  async credits(@Root() account: AwsAccount, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: AwsContext): Promise<Connection<AwsCredit>> {
    const page = pageRequest('AwsCredit', args, CREDIT_ORDER);
    return keysetConnection('AwsCredit', await ctx.loaders.creditsOfAccount(page).load(account.accountId), CREDIT_ORDER, page);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => AwsCreditAllocationConnection, {
    description: 'The credit allocation history entries charged to this account that the caller may see, newest billing month first, a page at a time.',
  })
  async allocationHistory(@Root() account: AwsAccount, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: AwsContext): Promise<Connection<AwsCreditAllocation>> {
    const page = pageRequest('AwsCreditAllocation', args, ALLOCATION_ORDER);
    return keysetConnection('AwsCreditAllocation', await ctx.loaders.allocationsOfAccount(page).load(account.accountId), ALLOCATION_ORDER, page);
  }

  @Directive('@listSize(assumedSize: 5)')
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

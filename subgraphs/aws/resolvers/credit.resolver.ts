/** GraphQL resolvers of AwsCredit: its root queries, owner account, allocation history and federation reference. */
import { Arg, Args, Ctx, Directive, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { CONNECTION_LIST_SIZE, Connection, PageArgs } from '../../../lib/platform/connection';
import { keysetConnection, pageRequest } from '../../../lib/api/keyset-connection';
import { foundOrNotFound } from '../../../lib/platform/not-found';
import type { AwsContext } from '../context';
import { canControlCredit } from '../domain/access';
import { AwsAccount } from '../entities/account';
import { AwsCreditAllocationConnection, AwsCreditConnection } from '../entities/connections';
import { AwsCredit } from '../entities/credit';
import { AwsCreditAllocation } from '../entities/credit-allocation';
import { ALLOCATION_ORDER, CREDIT_ORDER } from '../store';

@Resolver(() => AwsCredit)
export class AwsCreditResolver {
  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => AwsCreditConnection, {
    nullable: true,
    description: 'The AWS credits the caller may see, by credit id, a page at a time: all of them, or those one account owns.',
  })
  async awsCredits(
    @Arg('accountId', () => ID, { nullable: true, description: 'Only the credits this 12-digit account owns.' }) accountId: string | null,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: AwsContext,
  ): Promise<Connection<AwsCredit>> {
    const page = pageRequest('AwsCredit', args, CREDIT_ORDER);
    return keysetConnection('AwsCredit', await ctx.repository.credits({ ownerId: accountId }, page), CREDIT_ORDER, page);
  }

  @Query(() => AwsCredit, {
    nullable: true,
    description:
      'One AWS credit by its credit id. An unknown or malformed id, or a credit the caller may not see, answers null with a ' +
      '`NOT_FOUND` error at this field\'s path (the same error in every case).',
  })
  async awsCredit(@Arg('creditId', () => ID, { description: 'The numeric credit id.' }) creditId: string, @Ctx() ctx: AwsContext): Promise<AwsCredit> {
    return foundOrNotFound(await ctx.loaders.creditById.load(creditId), 'AWS credit', 'creditId', creditId);
  }

  @FieldResolver(() => [String], {
    nullable: true,
    description:
      'The account ids entitled to apply the credit (CUSTOM sharing), as GetCredits lists them, to the management account of ' +
      "the credit's organization; any other caller gets only those of the accounts it may see (itself, and the accounts " +
      '`awsAccount` answers it), as `Credit.sharing.accounts` lists them.',
  })
  async shareableAccounts(@Root() credit: AwsCredit, @Ctx() ctx: AwsContext): Promise<string[] | null> {
    if (credit.shareableAccounts === null) return null;
    const owner = await ctx.loaders.accountById.load(credit.accountId);
    if (canControlCredit(ctx.repository.scope, credit, owner)) return credit.shareableAccounts;
    // The accounts the caller may see, through the same scoped (batched) lookup awsAccount answers from.
    const seen = await ctx.loaders.accountById.loadMany(credit.shareableAccounts);
    return credit.shareableAccounts.filter((_, i) => seen[i] !== null && !(seen[i] instanceof Error));
  }

  @FieldResolver(() => AwsAccount, { nullable: true, description: 'The account that owns the credit (null when it was not loaded from ListAccounts).' })
  account(@Root() credit: AwsCredit, @Ctx() ctx: AwsContext): Promise<AwsAccount | null> {
    return ctx.loaders.accountById.load(credit.accountId);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => AwsCreditAllocationConnection, {
    description: 'Where the credit was applied, newest billing month first, as AWS sorts it, a page at a time (a linked account sees only its own entries).',
  })
  async allocationHistory(@Root() credit: AwsCredit, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: AwsContext): Promise<Connection<AwsCreditAllocation>> {
    const page = pageRequest('AwsCreditAllocation', args, ALLOCATION_ORDER);
    return keysetConnection('AwsCreditAllocation', await ctx.loaders.allocationsOfCredit(page).load(credit.creditId), ALLOCATION_ORDER, page);
  }
}

export const awsCreditReference = {
  AwsCredit: {
    __resolveReference: (reference: { creditId: string }, ctx: AwsContext) => ctx.loaders.creditById.load(reference.creditId),
  },
};

/** GraphQL resolvers of AwsCredit: its root queries, owner account, allocation history and federation reference. */
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { AwsContext } from '../context';
import { AwsAccount } from '../entities/account';
import { AwsCredit } from '../entities/credit';
import { AwsCreditAllocation } from '../entities/credit-allocation';

@Resolver(() => AwsCredit)
export class AwsCreditResolver {
  @Query(() => [AwsCredit], { description: 'The AWS credits the caller may see, by credit id: all of them, or those one account owns.' })
  awsCredits(
    @Arg('accountId', () => ID, { nullable: true, description: 'Only the credits this 12-digit account owns.' }) accountId: string | null,
    @Ctx() ctx: AwsContext,
  ): Promise<AwsCredit[]> {
    return ctx.repository.credits(accountId ? [accountId] : undefined);
  }

  @Query(() => AwsCredit, { nullable: true, description: 'One AWS credit by its credit id, or null when unknown or not visible to the caller.' })
  awsCredit(@Arg('creditId', () => ID, { description: 'The numeric credit id.' }) creditId: string, @Ctx() ctx: AwsContext) {
    return ctx.loaders.creditById.load(creditId);
  }

  @FieldResolver(() => AwsAccount, { nullable: true, description: 'The account that owns the credit (null when it was not loaded from ListAccounts).' })
  account(@Root() credit: AwsCredit, @Ctx() ctx: AwsContext): Promise<AwsAccount | null> {
    return ctx.loaders.accountById.load(credit.accountId);
  }

  @FieldResolver(() => [AwsCreditAllocation], { description: 'Where the credit was applied, newest billing month first, as AWS sorts it (a linked account sees only its own entries).' })
  allocationHistory(@Root() credit: AwsCredit, @Ctx() ctx: AwsContext): Promise<AwsCreditAllocation[]> {
    return ctx.loaders.allocationsByCredit.load(credit.creditId);
  }
}

export const awsCreditReference = {
  AwsCredit: {
    __resolveReference: (reference: { creditId: string }, ctx: AwsContext) => ctx.loaders.creditById.load(reference.creditId),
  },
};

/** Fields of AzureBillingAccount beyond its columns, and its federation reference resolver. */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AzureContext } from '../context';
import { profileCreditSummary } from '../domain/available-balance';
import { AzureBillingAccount } from '../entities/billing-account';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureBillingProfileCreditSummary } from '../entities/credit-summary';

@Resolver(() => AzureBillingAccount)
export class AzureBillingAccountResolver {
  @FieldResolver(() => [AzureBillingProfile], {
    description: 'The billing profiles of the account the caller may see (all of them with an account-level role), by id.',
  })
  billingProfiles(@Root() account: AzureBillingAccount, @Ctx() ctx: AzureContext): Promise<AzureBillingProfile[]> {
    return ctx.loaders.billingProfilesOfAccount.load(account.id);
  }

  @FieldResolver(() => [AzureBillingProfileCreditSummary], {
    description:
      'The Azure credits page at billing-account scope: for each billing profile, its available balance and lot ' +
      'counts, at the time of the request. Only the profiles the caller may see are summarised.',
  })
  async creditSummary(@Root() account: AzureBillingAccount, @Ctx() ctx: AzureContext): Promise<AzureBillingProfileCreditSummary[]> {
    const profiles = await ctx.loaders.billingProfilesOfAccount.load(account.id);
    const lots = await ctx.loaders.balanceLotsOfProfile.loadMany(profiles.map((p) => p.id));
    return profiles.map((profile, i) => {
      const own = lots[i];
      if (own instanceof Error) throw own;
      return profileCreditSummary(profile, own, ctx.now);
    });
  }
}

export const billingAccountReference = {
  __resolveReference: (reference: { id: string }, ctx: AzureContext) => ctx.loaders.billingAccount.load(reference.id),
};

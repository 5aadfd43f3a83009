/** Fields of AzureBillingAccount beyond its columns, and its federation reference resolver. */
import { Args, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { CONNECTION_LIST_SIZE, encodeCursor, PageArgs, toConnection } from '../../../lib/platform/connection';
import { keysetConnection, pageRequest, sortValuesOf } from '../../../lib/api/keyset-connection';
import type { AzureContext } from '../context';
import { PROFILE_ORDER } from '../store';
import { profileCreditSummary } from '../domain/available-balance';
import { AzureBillingAccount } from '../entities/billing-account';
import {
  AzureBillingProfileConnection,
  AzureBillingProfileCreditSummaryConnection,
} from '../entities/connections';
import type { AzureBillingProfileCreditSummary } from '../entities/credit-summary';

@Resolver(() => AzureBillingAccount)
export class AzureBillingAccountResolver {
  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => AzureBillingProfileConnection, {
    description: 'The billing profiles of the account the caller may see (all of them with an account-level role), by id.',
  })
  async billingProfiles(@Root() account: AzureBillingAccount, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: AzureContext): Promise<AzureBillingProfileConnection> {
    const page = pageRequest('AzureBillingProfile', args, PROFILE_ORDER);
    return keysetConnection('AzureBillingProfile', await ctx.loaders.billingProfilesOfAccount(page).load(account.id), PROFILE_ORDER, page);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => AzureBillingProfileCreditSummaryConnection, {
    description:
      'The Azure credits page at billing-account scope: for each billing profile, its available balance and lot ' +
      'counts, at the time of the request. Only the profiles the caller may see are summarised, by profile id.',
  })
  async creditSummary(
    @Root() account: AzureBillingAccount,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureBillingProfileCreditSummaryConnection> {
    const page = pageRequest('AzureBillingProfileCreditSummary', args, PROFILE_ORDER);
    // The profiles' page (the same loader, so the same statement, as billingProfiles), then the page's profiles summarised.
    const rows = await ctx.loaders.billingProfilesOfAccount(page).load(account.id);
    const profiles = rows.slice(0, page.first);
    const lots = await ctx.loaders.balanceLotsOfProfile.loadMany(profiles.map((p) => p.id));
    const summaries: AzureBillingProfileCreditSummary[] = profiles.map((profile, i) => {
      const own = lots[i];
      if (own instanceof Error) throw own;
      return profileCreditSummary(profile, own, ctx.now);
    });
    const cursor = (node: AzureBillingProfileCreditSummary) => encodeCursor('AzureBillingProfileCreditSummary', sortValuesOf(node.billingProfile, PROFILE_ORDER));
    return toConnection(
      summaries.map((node) => ({ cursor: cursor(node), node })),
      rows.length > page.first,
      page.after !== null,
    );
  }
}

export const billingAccountReference = {
  __resolveReference: (reference: { id: string }, ctx: AzureContext) => ctx.loaders.billingAccount.load(reference.id),
};

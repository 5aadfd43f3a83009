/** Fields of AzureBillingProfile beyond its columns, and its federation reference resolver. */
import { GraphQLError } from 'graphql';
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AzureContext } from '../context';
import { availableBalance } from '../domain/available-balance';
import { AzureAmount } from '../entities/amount';
import { AzureBillingAccount } from '../entities/billing-account';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureCreditEvent } from '../entities/credit-event';
import { AzureCreditLot } from '../entities/credit-lot';
import { AzureInvoiceSection } from '../entities/invoice-section';
import { EventRangeArgs } from '../entities/event-range';

/** The events of a profile in a date range (newest first), through the per-request loader. */
export function profileEvents(ctx: AzureContext, billingProfileId: string, { startDate, endDate }: EventRangeArgs): Promise<AzureCreditEvent[]> {
  if (startDate.getTime() > endDate.getTime()) {
    throw new GraphQLError('startDate must not be after endDate', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return ctx.loaders.eventsOfProfile.load({ billingProfileId, startDate: startDate.toISOString(), endDate: endDate.toISOString() });
}

@Resolver(() => AzureBillingProfile)
export class AzureBillingProfileResolver {
  @FieldResolver(() => AzureBillingAccount, { nullable: true, description: 'The billing account the profile belongs to.' })
  billingAccount(@Root() profile: AzureBillingProfile, @Ctx() ctx: AzureContext): Promise<AzureBillingAccount | null> {
    return ctx.loaders.billingAccount.load(profile.billingAccountId);
  }

  @FieldResolver(() => [AzureInvoiceSection], { description: 'The invoice sections of the profile, by id.' })
  invoiceSections(@Root() profile: AzureBillingProfile, @Ctx() ctx: AzureContext): Promise<AzureInvoiceSection[]> {
    return ctx.loaders.invoiceSectionsOfProfile.load(profile.id);
  }

  @FieldResolver(() => [AzureCreditLot], {
    description: 'Every credit lot of the profile (active, expired and future ones), by id.',
  })
  lots(@Root() profile: AzureBillingProfile, @Ctx() ctx: AzureContext): Promise<AzureCreditLot[]> {
    return ctx.loaders.lotsOfProfile.load(profile.id);
  }

  @FieldResolver(() => AzureAmount, {
    description:
      'Available balance, as the Azure portal defines it: the sum of closedBalance over the lots whose normalized ' +
      'credit status is ACTIVE at the time of the request (the same rule as the credits API: not canceled, expired, ' +
      'exhausted or not yet started, whatever the Azure lot status), in the profile\'s currency. A lot in another ' +
      'currency counts with its closedBalanceInBillingCurrency; a lot with no amount in the profile\'s currency is ' +
      'left out. Paused lots (this product\'s extension, status PAUSED) count when they would be ACTIVE unpaused: ' +
      'Azure knows nothing of pausing.',
  })
  async availableBalance(@Root() profile: AzureBillingProfile, @Ctx() ctx: AzureContext): Promise<AzureAmount> {
    return availableBalance(profile.currency, await ctx.loaders.lotsOfProfile.load(profile.id), ctx.now);
  }

  @FieldResolver(() => [AzureCreditEvent], {
    description: 'The credit events (transactions) of the profile between startDate and endDate, newest first.',
  })
  events(
    @Root() profile: AzureBillingProfile,
    @Args(() => EventRangeArgs) range: EventRangeArgs,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureCreditEvent[]> {
    return profileEvents(ctx, profile.id, range);
  }
}

export const billingProfileReference = {
  __resolveReference: (reference: { id: string }, ctx: AzureContext) => ctx.loaders.billingProfile.load(reference.id),
};

/** Fields of AzureBillingProfile beyond its columns, and its federation reference resolver. */
import { GraphQLError } from 'graphql';
import { Args, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { CONNECTION_LIST_SIZE, PageArgs } from '../../../lib/platform/connection';
import { keysetConnection, pageRequest } from '../../../lib/api/keyset-connection';
import type { AzureContext } from '../context';
import { EVENT_ORDER, LOT_ORDER, SECTION_ORDER } from '../store';
import { monthToDate } from '../../../lib/domain/charges/month-to-date';
import { checkedMonth, MonthArgs, MonthToDateCharges, monthToDateCharges } from '../../../lib/api/month-to-date-charges';
import { availableBalance, balanceSummary } from '../domain/available-balance';
import { AzureCreditBalanceSummary } from '../entities/credit-summary';
import { AzureAmount } from '../entities/amount';
import { AzureBillingAccount } from '../entities/billing-account';
import { AzureBillingProfile } from '../entities/billing-profile';
import {
  AzureCreditEventConnection,
  AzureCreditLotConnection,
  AzureInvoiceSectionConnection,
} from '../entities/connections';
import { EventRangeArgs } from '../entities/event-range';

/** A page of a profile's events in a date range (newest first), through the per-request loader. */
export async function profileEvents(
  ctx: AzureContext,
  billingProfileId: string,
  { startDate, endDate }: EventRangeArgs,
  args: PageArgs,
): Promise<AzureCreditEventConnection> {
  if (startDate.getTime() > endDate.getTime()) {
    throw new GraphQLError('startDate must not be after endDate', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const page = pageRequest('AzureCreditEvent', args, EVENT_ORDER);
  const range = { startDate: startDate.toISOString(), endDate: endDate.toISOString() };
  return keysetConnection('AzureCreditEvent', await ctx.loaders.eventsOfProfile(range)(page).load(billingProfileId), EVENT_ORDER, page);
}

/** A page of a profile's lots (by id), through the per-request loader. */
export async function profileLots(ctx: AzureContext, billingProfileId: string, args: PageArgs): Promise<AzureCreditLotConnection> {
  const page = pageRequest('AzureCreditLot', args, LOT_ORDER);
  return keysetConnection('AzureCreditLot', await ctx.loaders.lotsOfProfile(page).load(billingProfileId), LOT_ORDER, page);
}

@Resolver(() => AzureBillingProfile)
export class AzureBillingProfileResolver {
  @FieldResolver(() => AzureBillingAccount, { nullable: true, description: 'The billing account the profile belongs to.' })
  billingAccount(@Root() profile: AzureBillingProfile, @Ctx() ctx: AzureContext): Promise<AzureBillingAccount | null> {
    return ctx.loaders.billingAccount.load(profile.billingAccountId);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => AzureInvoiceSectionConnection, { description: 'The invoice sections of the profile, by id.' })
  async invoiceSections(@Root() profile: AzureBillingProfile, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: AzureContext): Promise<AzureInvoiceSectionConnection> {
    const page = pageRequest('AzureInvoiceSection', args, SECTION_ORDER);
    return keysetConnection('AzureInvoiceSection', await ctx.loaders.invoiceSectionsOfProfile(page).load(profile.id), SECTION_ORDER, page);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => AzureCreditLotConnection, {
    description: 'Every credit lot of the profile (active, expired and future ones), by id.',
  })
  lots(@Root() profile: AzureBillingProfile, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: AzureContext): Promise<AzureCreditLotConnection> {
    return profileLots(ctx, profile.id, args);
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
    return availableBalance(profile.currency, await ctx.loaders.balanceLotsOfProfile.load(profile.id), ctx.now);
  }

  @FieldResolver(() => AzureCreditBalanceSummary, {
    description:
      'The profile\'s credit balance summary (Azure `credits/balanceSummary`): current and estimated balance, pending ' +
      'eligible charges and expired credit, from the lots and the cost details loaded.',
  })
  async balanceSummary(@Root() profile: AzureBillingProfile, @Ctx() ctx: AzureContext): Promise<AzureCreditBalanceSummary> {
    const [lots, months] = await Promise.all([ctx.loaders.everyLotOfProfile.load(profile.id), ctx.loaders.consumerMonthsOfProfile.load(profile.id)]);
    return balanceSummary(profile.currency, lots, months, ctx.now);
  }

  @Directive('@listSize(assumedSize: 5)')
  @FieldResolver(() => [MonthToDateCharges], {
    description:
      'The profile\'s charges in one billing month (default: the latest loaded), summed over its invoice sections, one entry ' +
      'per currency, from the cost details loaded: charges, what credits paid, the net, and a forecast of the month\'s end ' +
      'from the run rate.',
  })
  async monthToDate(@Root() profile: AzureBillingProfile, @Args(() => MonthArgs) { month }: MonthArgs, @Ctx() ctx: AzureContext): Promise<MonthToDateCharges[]> {
    return monthToDate(await ctx.loaders.consumerMonthsOfProfile.load(profile.id), checkedMonth(month)).map(monthToDateCharges);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => AzureCreditEventConnection, {
    description:
      'The credit events (transactions) of the profile between startDate and endDate, newest first (by transaction date, ' +
      'then id, both descending).',
  })
  events(
    @Root() profile: AzureBillingProfile,
    @Args(() => EventRangeArgs) range: EventRangeArgs,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureCreditEventConnection> {
    return profileEvents(ctx, profile.id, range, args);
  }
}

export const billingProfileReference = {
  __resolveReference: (reference: { id: string }, ctx: AzureContext) => ctx.loaders.billingProfile.load(reference.id),
};

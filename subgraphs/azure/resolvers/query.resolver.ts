/** The Azure subgraph's root Query fields. There are no mutations: pause and share go through the provider contract. */
import { Arg, Args, Ctx, Directive, ID, Query, Resolver } from 'type-graphql';
import { CONNECTION_LIST_SIZE, PageArgs } from '../../../lib/platform/connection';
import { keysetConnection, pageRequest } from '../../../lib/api/keyset-connection';
import { foundOrNotFound } from '../../../lib/platform/not-found';
import type { AzureContext } from '../context';
import { ACCOUNT_ORDER } from '../store';
import { AzureBillingAccount } from '../entities/billing-account';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureBillingAccountConnection, AzureCreditEventConnection, AzureCreditLotConnection } from '../entities/connections';
import { AzureCreditLot } from '../entities/credit-lot';
import { ProfileEventsArgs } from '../entities/event-range';
import { profileEvents, profileLots } from './billing-profile.resolver';

@Resolver()
export class AzureQueryResolver {
  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => AzureBillingAccountConnection, {
    nullable: true,
    description:
      'The loaded MCA billing accounts the caller may see (an account-level role on it, or any role on one of its profiles), ' +
      'by id. Null only when the Azure subgraph cannot answer (the other fields of the query still can).',
  })
  async azureBillingAccounts(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: AzureContext): Promise<AzureBillingAccountConnection> {
    const page = pageRequest('AzureBillingAccount', args, ACCOUNT_ORDER);
    return keysetConnection('AzureBillingAccount', await ctx.repository.billingAccountsPage(page), ACCOUNT_ORDER, page);
  }

  @Query(() => AzureBillingAccount, {
    nullable: true,
    description:
      'One billing account by ARM id. An unknown or malformed id, or a billing account the caller may not see, answers null with a ' +
      '`NOT_FOUND` error at this field\'s path (the same error in every case).',
  })
  async azureBillingAccount(
    @Arg('id', () => ID, { description: 'The billing account\'s ARM id.' }) id: string,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureBillingAccount> {
    return foundOrNotFound(await ctx.loaders.billingAccount.load(id), 'Azure billing account', 'id', id);
  }

  @Query(() => AzureBillingProfile, {
    nullable: true,
    description:
      'One billing profile by ARM id. An unknown or malformed id, or a billing profile the caller may not see, answers null with a ' +
      '`NOT_FOUND` error at this field\'s path (the same error in every case).',
  })
  async azureBillingProfile(
    @Arg('id', () => ID, { description: 'The billing profile\'s ARM id.' }) id: string,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureBillingProfile> {
    return foundOrNotFound(await ctx.loaders.billingProfile.load(id), 'Azure billing profile', 'id', id);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => AzureCreditLotConnection, {
    nullable: true,
    description:
      'The credit lots of one billing profile (all statuses), by id; empty when the caller may not see the profile. Null ' +
      'only when the Azure subgraph cannot answer.',
  })
  azureCreditLots(
    @Arg('billingProfileId', () => ID, { description: 'The billing profile\'s ARM id.' }) billingProfileId: string,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureCreditLotConnection> {
    return profileLots(ctx, billingProfileId, args);
  }

  @Query(() => AzureCreditLot, {
    nullable: true,
    description:
      'One credit lot by ARM id. An unknown or malformed id, or a lot the caller may not see, answers null with a ' +
      '`NOT_FOUND` error at this field\'s path (the same error in every case).',
  })
  async azureCreditLot(
    @Arg('id', () => ID, { description: 'The lot\'s ARM id.' }) id: string,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureCreditLot> {
    return foundOrNotFound(await ctx.loaders.lot.load(id), 'Azure credit lot', 'id', id);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => AzureCreditEventConnection, {
    nullable: true,
    description:
      'The credit events of one billing profile between startDate and endDate, newest first (by transaction date, then id, ' +
      'both descending); empty when the caller may not see the profile. Null only when the Azure subgraph cannot answer.',
  })
  azureEvents(
    @Args(() => ProfileEventsArgs) args: ProfileEventsArgs,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureCreditEventConnection> {
    return profileEvents(ctx, args.billingProfileId, args, page);
  }
}

/** The Azure subgraph's root Query fields. There are no mutations: pause and share go through the provider contract. */
import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { AzureContext } from '../context';
import { AzureRepository } from '../repository';
import { AzureBillingAccount } from '../entities/billing-account';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureCreditEvent } from '../entities/credit-event';
import { AzureCreditLot } from '../entities/credit-lot';
import { ProfileEventsArgs } from '../entities/event-range';
import { profileEvents } from './billing-profile.resolver';

@Resolver()
export class AzureQueryResolver {
  @Query(() => [AzureBillingAccount], { description: 'The loaded MCA billing accounts the caller may see (an account-level role on it, or any role on one of its profiles), by id.' })
  azureBillingAccounts(@Ctx() ctx: AzureContext): Promise<AzureBillingAccount[]> {
    return new AzureRepository(ctx.dataSource.manager, ctx.scope).billingAccounts();
  }

  @Query(() => AzureBillingAccount, { nullable: true, description: 'One billing account by ARM id, or null (also when the caller may not see it).' })
  azureBillingAccount(
    @Arg('id', () => ID, { description: 'The billing account\'s ARM id.' }) id: string,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureBillingAccount | null> {
    return ctx.loaders.billingAccount.load(id);
  }

  @Query(() => AzureBillingProfile, { nullable: true, description: 'One billing profile by ARM id, or null (also when the caller may not see it).' })
  azureBillingProfile(
    @Arg('id', () => ID, { description: 'The billing profile\'s ARM id.' }) id: string,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureBillingProfile | null> {
    return ctx.loaders.billingProfile.load(id);
  }

  @Query(() => [AzureCreditLot], { description: 'The credit lots of one billing profile (all statuses), by id; empty when the caller may not see the profile.' })
  azureCreditLots(
    @Arg('billingProfileId', () => ID, { description: 'The billing profile\'s ARM id.' }) billingProfileId: string,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureCreditLot[]> {
    return ctx.loaders.lotsOfProfile.load(billingProfileId);
  }

  @Query(() => AzureCreditLot, { nullable: true, description: 'One credit lot by ARM id, or null (also when the caller may not see it).' })
  azureCreditLot(
    @Arg('id', () => ID, { description: 'The lot\'s ARM id.' }) id: string,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureCreditLot | null> {
    return ctx.loaders.lot.load(id);
  }

  @Query(() => [AzureCreditEvent], {
    description: 'The credit events of one billing profile between startDate and endDate, newest first; empty when the caller may not see the profile.',
  })
  azureEvents(
    @Args(() => ProfileEventsArgs) args: ProfileEventsArgs,
    @Ctx() ctx: AzureContext,
  ): Promise<AzureCreditEvent[]> {
    return profileEvents(ctx, args.billingProfileId, args);
  }
}

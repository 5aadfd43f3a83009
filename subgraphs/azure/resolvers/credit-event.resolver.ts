/** Fields of AzureCreditEvent beyond its columns, and its federation reference resolver. */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AzureContext } from '../context';
import { lotIdOf } from '../domain/resource-id';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureCreditEvent } from '../entities/credit-event';
import { AzureCreditLot } from '../entities/credit-lot';

@Resolver(() => AzureCreditEvent)
export class AzureCreditEventResolver {
  @FieldResolver(() => AzureBillingProfile, { nullable: true, description: 'The billing profile whose balance the event changed.' })
  billingProfile(@Root() event: AzureCreditEvent, @Ctx() ctx: AzureContext): Promise<AzureBillingProfile | null> {
    return ctx.loaders.billingProfile.load(event.billingProfileId);
  }

  @FieldResolver(() => AzureCreditLot, {
    nullable: true,
    description: 'The lot the event affected: the lot of the same billing profile named lotId (null when there is none).',
  })
  lot(@Root() event: AzureCreditEvent, @Ctx() ctx: AzureContext): Promise<AzureCreditLot | null> {
    if (!event.lotId) return Promise.resolve(null);
    return ctx.loaders.lot.load(lotIdOf(event.billingProfileId, event.lotId));
  }
}

export const creditEventReference = {
  __resolveReference: (reference: { id: string }, ctx: AzureContext) => ctx.loaders.event.load(reference.id),
};

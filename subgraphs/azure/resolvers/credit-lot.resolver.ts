/** Fields of AzureCreditLot beyond its columns, and its federation reference resolver. */
import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AzureContext } from '../context';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureCreditLot } from '../entities/credit-lot';
import { AzureInvoiceSection } from '../entities/invoice-section';

@Resolver(() => AzureCreditLot)
export class AzureCreditLotResolver {
  @FieldResolver(() => AzureBillingProfile, {
    nullable: true,
    description: 'The billing profile that owns the lot (null when its billing account file was not loaded).',
  })
  billingProfile(@Root() lot: AzureCreditLot, @Ctx() ctx: AzureContext): Promise<AzureBillingProfile | null> {
    return ctx.loaders.billingProfile.load(lot.billingProfileId);
  }

  @Directive('@listSize(assumedSize: 100)')
  @FieldResolver(() => [AzureInvoiceSection], {
    nullable: true,
    description:
      'This product\'s extension, not an Azure feature: the invoice sections the lot pays for, at most 100. Null = the ' +
      'whole billing profile (Azure\'s own behaviour). A shared lot pays only for charges of these sections. Set through ' +
      'the credits API\'s shareCredit, which refuses more than 100 sections.',
  })
  async sharedInvoiceSections(@Root() lot: AzureCreditLot, @Ctx() ctx: AzureContext): Promise<AzureInvoiceSection[] | null> {
    if (lot.sharedInvoiceSectionIds === null) return null;
    const sections = await ctx.loaders.invoiceSection.loadMany(lot.sharedInvoiceSectionIds);
    return sections.filter((s): s is AzureInvoiceSection => s !== null && !(s instanceof Error));
  }
}

export const creditLotReference = {
  __resolveReference: (reference: { id: string }, ctx: AzureContext) => ctx.loaders.lot.load(reference.id),
};

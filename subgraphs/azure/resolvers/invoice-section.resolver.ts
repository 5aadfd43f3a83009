/** Fields of AzureInvoiceSection beyond its columns, and its federation reference resolver. */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AzureContext } from '../context';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureInvoiceSection } from '../entities/invoice-section';

@Resolver(() => AzureInvoiceSection)
export class AzureInvoiceSectionResolver {
  @FieldResolver(() => AzureBillingProfile, { nullable: true, description: 'The billing profile the section belongs to.' })
  billingProfile(@Root() section: AzureInvoiceSection, @Ctx() ctx: AzureContext): Promise<AzureBillingProfile | null> {
    return ctx.loaders.billingProfile.load(section.billingProfileId);
  }
}

export const invoiceSectionReference = {
  __resolveReference: (reference: { id: string }, ctx: AzureContext) => ctx.loaders.invoiceSection.load(reference.id),
};

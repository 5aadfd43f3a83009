/** Fields of AzureInvoiceSection beyond its columns, and its federation reference resolver. */
import { Args, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { monthToDate } from '../../../lib/domain/charges/month-to-date';
import { checkedMonth, MonthArgs, MonthToDateCharges, monthToDateCharges } from '../../../lib/api/month-to-date-charges';
import type { AzureContext } from '../context';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureInvoiceSection } from '../entities/invoice-section';

@Resolver(() => AzureInvoiceSection)
export class AzureInvoiceSectionResolver {
  @FieldResolver(() => AzureBillingProfile, { nullable: true, description: 'The billing profile the section belongs to.' })
  billingProfile(@Root() section: AzureInvoiceSection, @Ctx() ctx: AzureContext): Promise<AzureBillingProfile | null> {
    return ctx.loaders.billingProfile.load(section.billingProfileId);
  }

  @Directive('@listSize(assumedSize: 5)')
  @FieldResolver(() => [MonthToDateCharges], {
    description:
      'The section\'s charges in one billing month (default: the latest loaded), one entry per currency, from the cost ' +
      'details loaded: charges, what credits paid, the net, and a forecast of the month\'s end from the run rate.',
  })
  async monthToDate(@Root() section: AzureInvoiceSection, @Args(() => MonthArgs) { month }: MonthArgs, @Ctx() ctx: AzureContext): Promise<MonthToDateCharges[]> {
    return monthToDate(await ctx.loaders.consumerMonthsOfSection.load(section.id), checkedMonth(month)).map(monthToDateCharges);
  }
}

export const invoiceSectionReference = {
  __resolveReference: (reference: { id: string }, ctx: AzureContext) => ctx.loaders.invoiceSection.load(reference.id),
};

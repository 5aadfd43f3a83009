/** The Azure subgraph's federated schema (buildable without a database, e.g. to print SDL). */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, ReferenceResolvers } from '../../lib/api/federation';
import { AzureBillingAccountResolver, billingAccountReference } from './resolvers/billing-account.resolver';
import { AzureBillingProfileResolver, billingProfileReference } from './resolvers/billing-profile.resolver';
import { AzureCreditEventResolver, creditEventReference } from './resolvers/credit-event.resolver';
import { AzureCreditLotResolver, creditLotReference } from './resolvers/credit-lot.resolver';
import { AzureInvoiceSectionResolver, invoiceSectionReference } from './resolvers/invoice-section.resolver';
import { AzureQueryResolver } from './resolvers/query.resolver';

const REFERENCE_RESOLVERS: ReferenceResolvers = {
  AzureBillingAccount: billingAccountReference,
  AzureBillingProfile: billingProfileReference,
  AzureInvoiceSection: invoiceSectionReference,
  AzureCreditLot: creditLotReference,
  AzureCreditEvent: creditEventReference,
};

export async function buildAzureSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        AzureQueryResolver,
        AzureBillingAccountResolver,
        AzureBillingProfileResolver,
        AzureInvoiceSectionResolver,
        AzureCreditLotResolver,
        AzureCreditEventResolver,
      ],
    },
    REFERENCE_RESOLVERS,
  );
}

/**
 * The Relay connections of the Azure subgraph (lib/platform/connection.ts): every native list that grows
 * with the data is one, paged by `first` and `after`. A list's cursors (lib/api/keyset-connection.ts)
 * carry its node type's name and the values of its sort columns (repository.ts `*_ORDER`).
 */
import { ObjectType } from 'type-graphql';
import { connectionType } from '../../../lib/platform/connection';
import { AzureBillingAccount } from './billing-account';
import { AzureBillingProfile } from './billing-profile';
import { AzureCreditEvent } from './credit-event';
import { AzureCreditLot } from './credit-lot';
import { AzureBillingProfileCreditSummary } from './credit-summary';
import { AzureInvoiceSection } from './invoice-section';

@ObjectType({ description: 'A page of MCA billing accounts, by id (Relay cursor connection).' })
export class AzureBillingAccountConnection extends connectionType(AzureBillingAccount, 'AzureBillingAccount', 'the billing accounts') {}

@ObjectType({ description: 'A page of billing profiles, by id (Relay cursor connection).' })
export class AzureBillingProfileConnection extends connectionType(AzureBillingProfile, 'AzureBillingProfile', 'the billing profiles') {}

@ObjectType({ description: 'A page of billing-profile credit summaries, one per billing profile, by profile id (Relay cursor connection).' })
export class AzureBillingProfileCreditSummaryConnection extends connectionType(
  AzureBillingProfileCreditSummary,
  'AzureBillingProfileCreditSummary',
  'the billing-profile credit summaries',
) {}

@ObjectType({ description: 'A page of invoice sections, by id (Relay cursor connection).' })
export class AzureInvoiceSectionConnection extends connectionType(AzureInvoiceSection, 'AzureInvoiceSection', 'the invoice sections') {}

@ObjectType({ description: 'A page of credit lots, by id (Relay cursor connection).' })
export class AzureCreditLotConnection extends connectionType(AzureCreditLot, 'AzureCreditLot', 'the credit lots') {}

@ObjectType({
  description: 'A page of credit events, newest first (by transaction date, then id, both descending) (Relay cursor connection).',
})
export class AzureCreditEventConnection extends connectionType(AzureCreditEvent, 'AzureCreditEvent', 'the credit events') {}

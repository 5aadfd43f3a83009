/** The billing-account view of credits: one summary per billing profile (not stored; computed). */
import { Field, Int, ObjectType } from 'type-graphql';
import { AzureAmount } from './amount';
import { AzureBillingProfile } from './billing-profile';

@ObjectType('AzureLotStatusCount', { description: 'How many lots of a billing profile have one Azure lot status.' })
export class AzureLotStatusCount {
  @Field({ description: 'The Azure lot `status`, as written (e.g. "Active", "Expired").' })
  status: string;

  @Field(() => Int, { description: 'Number of lots with that status.' })
  count: number;
}

@ObjectType('AzureBillingProfileCreditSummary', {
  description:
    'The Azure credits summary of one billing profile, as the portal shows it at billing-account scope: available ' +
    'balance and lots per status.',
})
export class AzureBillingProfileCreditSummary {
  @Field(() => AzureBillingProfile, { description: 'The billing profile summarised.' })
  billingProfile: AzureBillingProfile;

  @Field({ description: 'The billing profile\'s currency, in which the available balance is given.' })
  currency: string;

  @Field(() => AzureAmount, { description: 'The profile\'s available balance (see AzureBillingProfile.availableBalance).' })
  availableBalance: AzureAmount;

  @Field(() => [AzureLotStatusCount], { description: 'Number of lots per Azure lot status, ordered by status.' })
  lotCountsByStatus: AzureLotStatusCount[];

  @Field(() => Int, { description: 'Number of lots of the profile.' })
  lotCount: number;
}

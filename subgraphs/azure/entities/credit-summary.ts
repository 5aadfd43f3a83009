/** The billing-account view of credits: one summary per billing profile (not stored; computed). */
import { Directive, Field, Int, ObjectType } from 'type-graphql';
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

  @Directive('@listSize(assumedSize: 10)')
  @Field(() => [AzureLotStatusCount], { description: 'Number of lots per Azure lot status (one entry per status the profile\'s lots have), ordered by status.' })
  lotCountsByStatus: AzureLotStatusCount[];

  @Field(() => Int, { description: 'Number of lots of the profile.' })
  lotCount: number;
}

@ObjectType('AzureCreditBalanceSummary', {
  description:
    'A billing profile\'s credit balance summary, as Azure\'s `credits/balanceSummary` reports it, computed here from the ' +
    'lots and the cost details loaded: the current balance (as of the last invoice), the estimated balance after the open ' +
    'months\' charges, the credit-eligible charges still pending, and the credit that expired.',
})
export class AzureCreditBalanceSummary {
  @Field({ description: 'The billing profile\'s currency, in which every amount here is given.' })
  currency: string;

  @Field(() => AzureAmount, { description: 'Azure `currentBalance`: the available balance as of the last invoice (see AzureBillingProfile.availableBalance).' })
  currentBalance: AzureAmount;

  @Field(() => AzureAmount, {
    description: 'Azure `estimatedBalance`: the same lots\' balances after the charges of the open (estimated) months that they pay.',
  })
  estimatedBalance: AzureAmount;

  @Field(() => AzureAmount, { description: 'Azure `pendingEligibleCharges`: credit-eligible charges of the open (estimated) months.' })
  pendingEligibleCharges: AzureAmount;

  @Field(() => AzureAmount, { description: 'Azure `expiredCredit`: what expired unused on the profile\'s lots, in closed months.' })
  expiredCredit: AzureAmount;
}

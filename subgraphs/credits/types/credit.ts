/** The normalized Credit: one shape for every cloud's credits. */
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { encodeCreditId } from '../../../lib/api/global-id';
import { isExpiringSoon, EXPIRING_SOON_DAYS } from '../../../lib/domain/credit-status';
import type { NormalizedCredit } from '../../../lib/domain/provider-contract';
import { DateTimeScalar } from '../../../lib/api/scalars';
import { CreditOwner, CreditSharing } from './credit-parts';
import { CloudProvider, CreditStatus, CreditType } from './enums';
import { ConvertedMoney, Money } from './money';
import { Node } from './node';

@Directive('@key(fields: "id")')
@ObjectType({
  implements: Node,
  description:
    'A credit of any cloud, normalized: an AWS credit or an Azure credit lot. Balances are exact decimals; `aws` and `azure` open the provider\'s own record.',
})
export class Credit extends Node {
  @Field(() => ID, { description: 'Opaque global ID; use it with `credit(id:)`, `node(id:)` and the mutations.' })
  id: string;

  @Field(() => CloudProvider, { description: 'The cloud the credit comes from.' })
  provider: CloudProvider;

  @Field({ description: 'The provider\'s own ID: the AWS creditId, or the Azure lot\'s resource ID.' })
  providerCreditId: string;

  @Field({ description: 'Name: the AWS credit description, or a name made from the Azure lot\'s source and name.' })
  name: string;

  @Field(() => CreditType, { description: 'Normalized kind of credit.' })
  type: CreditType;

  @Field({ description: 'The provider\'s own type: AWS creditType (e.g. "Promotion") or Azure lot source (e.g. "PromotionalCredit").' })
  providerType: string;

  @Field(() => CreditStatus, { description: 'Normalized status at the time of the request.' })
  status: CreditStatus;

  @Field(() => String, { nullable: true, description: 'The provider\'s own status: AWS creditStatus or Azure lot status, as given.' })
  providerStatus: string | null;

  @Field({ description: `True when the credit can still be used and expires within ${EXPIRING_SOON_DAYS} days.` })
  expiringSoon: boolean;

  @Field(() => Money, { description: 'Amount the credit was issued with.' })
  originalAmount: Money;

  @Field(() => Money, { description: 'Balance as of the last closed (final) billing period.' })
  remainingBalance: Money;

  @Field(() => Money, { description: 'Balance after the open period\'s estimated charges.' })
  estimatedBalance: Money;

  @Field(() => Money, {
    description:
      'What expired unused: the balance left when the credit expired, once the month of its expiry is closed (0 before). ' +
      'Always originalAmount = remainingBalance + the final applications + expiredAmount (+ adjustments).',
  })
  expiredAmount: Money;

  @Field(() => ConvertedMoney, { nullable: true, description: 'Azure: the original amount in the billing profile\'s currency, with the exchange rate.' })
  originalAmountInBillingCurrency: ConvertedMoney | null;

  @Field(() => ConvertedMoney, { nullable: true, description: 'Azure: the remaining balance in the billing profile\'s currency, with the exchange rate.' })
  remainingBalanceInBillingCurrency: ConvertedMoney | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the credit may first be used; null when the provider gives no start.' })
  startsAt: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the credit expires; null when it never does.' })
  expiresAt: string | null;

  @Field(() => [String], { description: 'Services the credit may pay for; empty means every eligible service.' })
  applicableServices: string[];

  @Field(() => CreditOwner, { description: 'Who owns the credit: an AWS account or an Azure billing profile.' })
  owner: CreditOwner;

  @Field(() => CreditSharing, { description: 'Whose charges the credit may pay for.' })
  sharing: CreditSharing;

  /** Kept for the field resolvers (applications, aws, azure). */
  record: NormalizedCredit;
}

/** The GraphQL Credit of a provider's normalized record, at the request's time. */
export function toCredit(record: NormalizedCredit, now: string): Credit {
  const credit = Object.assign(new Credit(), record) as Credit;
  credit.id = encodeCreditId(record);
  credit.expiringSoon = isExpiringSoon(record.status, record.expiresAt, now);
  credit.record = record;
  return credit;
}

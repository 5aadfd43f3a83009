/** Inputs of the credits layer's queries and mutations. */
import { Field, ID, InputType } from 'type-graphql';
import { DateTimeScalar } from '../../../lib/api/scalars';
import { CloudProvider, CreditOrderField, CreditSharingScope, CreditStatus, OrderDirection } from './enums';

@InputType({ description: 'Which credits to include. Every given condition must hold; an empty list matches nothing.' })
export class CreditFilter {
  @Field(() => [CloudProvider], { nullable: true, description: 'Only credits of these clouds.' })
  providers?: CloudProvider[] | null;

  @Field(() => [CreditStatus], { nullable: true, description: 'Only credits in one of these statuses.' })
  statuses?: CreditStatus[] | null;

  @Field(() => [String], { nullable: true, description: 'Only credits in one of these currencies (ISO 4217 codes, e.g. "USD").' })
  currencyCodes?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only credits owned by one of these AWS account IDs or Azure billing profile IDs.' })
  ownerIds?: string[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only credits that expire strictly before this moment.' })
  expiresBefore?: Date | null;

  @Field(() => String, { nullable: true, description: 'Only credits whose name, provider ID or provider type contains this text (case-insensitive).' })
  search?: string | null;
}

@InputType({ description: 'How to order a list of credits.' })
export class CreditOrder {
  @Field(() => CreditOrderField, { description: 'The field to order by.' })
  field: CreditOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Ascending (default) or descending.' })
  direction: OrderDirection;
}

@InputType({ description: 'Input of `pauseCredit`.' })
export class PauseCreditInput {
  @Field(() => ID, { description: 'Global ID of the credit to pause.' })
  creditId: string;
}

@InputType({ description: 'Input of `activateCredit`.' })
export class ActivateCreditInput {
  @Field(() => ID, { description: 'Global ID of the credit to activate.' })
  creditId: string;
}

@InputType({
  description:
    'Input of `shareCredit`: the scope, and the accounts, cost category value or invoice sections the scope needs.',
})
export class ShareCreditInput {
  @Field(() => ID, { description: 'Global ID of the credit to share.' })
  creditId: string;

  @Field(() => CreditSharingScope, { description: 'Whose charges the credit may pay for from now on.' })
  scope: CreditSharingScope;

  @Field(() => [String], { nullable: true, description: 'ACCOUNTS: the AWS account IDs (of the credit owner\'s organization).' })
  accountIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'COST_CATEGORY: ARN of an existing cost category.' })
  costCategoryArn?: string | null;

  @Field(() => String, { nullable: true, description: 'COST_CATEGORY: one of the cost category\'s values.' })
  costCategoryValue?: string | null;

  @Field(() => [String], { nullable: true, description: 'INVOICE_SECTIONS: invoice section IDs (or names) of the credit\'s billing profile.' })
  invoiceSectionIds?: string[] | null;
}

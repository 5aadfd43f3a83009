/** Cross-cloud totals for FinOps: per provider and currency, per status, and what expires soon. */
import { Field, Int, ObjectType } from 'type-graphql';
import { CloudProvider, CreditStatus } from './enums';
import { Money } from './money';

@ObjectType({ description: 'Totals of the credits of one provider in one currency.' })
export class CreditCurrencyTotal {
  @Field(() => CloudProvider, { description: 'The cloud.' })
  provider: CloudProvider;

  @Field({ description: 'The currency of the credits (ISO 4217).' })
  currencyCode: string;

  @Field(() => Int, { description: 'How many credits.' })
  creditCount: number;

  @Field(() => Money, { description: 'Sum of their original amounts.' })
  originalAmount: Money;

  @Field(() => Money, { description: 'Sum of their remaining balances.' })
  remainingBalance: Money;

  @Field(() => Money, { description: 'Sum of their estimated balances.' })
  estimatedBalance: Money;
}

@ObjectType({ description: 'How many credits are in one status.' })
export class CreditStatusCount {
  @Field(() => CreditStatus, { description: 'The status.' })
  status: CreditStatus;

  @Field(() => Int, { description: 'How many credits are in it.' })
  count: number;
}

@ObjectType({ description: 'Balance that expires unused within a number of days unless it is consumed first, per provider and currency.' })
export class ExpiringCreditTotal {
  @Field(() => Int, { description: 'The window: 30, 60 or 90 days from now.' })
  withinDays: number;

  @Field(() => CloudProvider, { description: 'The cloud.' })
  provider: CloudProvider;

  @Field(() => Int, { description: 'How many usable credits with balance left expire in the window.' })
  creditCount: number;

  @Field(() => Money, { description: 'Their remaining balance.' })
  remainingBalance: Money;
}

@ObjectType({ description: 'Totals over the credits a filter selects, across clouds.' })
export class CreditSummary {
  @Field(() => Int, { description: 'How many credits the filter selects.' })
  creditCount: number;

  @Field(() => [CreditCurrencyTotal], { description: 'Totals per provider and currency (amounts of different currencies are never added).' })
  totals: CreditCurrencyTotal[];

  @Field(() => [CreditStatusCount], { description: 'Credit count per status, every status listed.' })
  statusCounts: CreditStatusCount[];

  @Field(() => [ExpiringCreditTotal], { description: 'Remaining balance of usable credits expiring within 30, 60 and 90 days, per provider and currency.' })
  expiring: ExpiringCreditTotal[];
}

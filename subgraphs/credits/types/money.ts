/** Money as frontend teams expect it: an exact decimal string and an ISO currency code. */
import { Field, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../../lib/scalars';

@ObjectType({ description: 'An exact amount of money in one currency.' })
export class Money {
  @Field(() => DecimalScalar, { description: 'The amount as an exact decimal string, e.g. "6250.4012345678".' })
  amount: string;

  @Field({ description: 'ISO 4217 currency code, e.g. "USD".' })
  currencyCode: string;
}

@ObjectType({ description: 'An amount converted into the billing currency, with the exchange rate the provider used.' })
export class ConvertedMoney {
  @Field(() => DecimalScalar, { description: 'The converted amount as an exact decimal string.' })
  amount: string;

  @Field({ description: 'ISO 4217 code of the billing currency.' })
  currencyCode: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Units of billing currency per unit of credit currency, when the provider gave it.' })
  exchangeRate: string | null;

  @Field(() => Int, { nullable: true, description: 'Month (1-12) whose exchange rate was used, when the provider gave it.' })
  exchangeRateMonth: number | null;
}

/** The AWS `Amount` value type: a currency code and an exact decimal amount (never a float). */
import { Field, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../../lib/api/scalars';

@ObjectType({ description: 'An AWS Billing `Amount`: an exact decimal amount in one currency, as AWS writes it.' })
export class AwsAmount {
  @Field({ description: 'ISO 4217 currency code, e.g. "USD".' })
  currencyCode: string;

  @Field(() => DecimalScalar, { description: 'The amount as an exact decimal string, every decimal place kept as AWS reported it.' })
  currencyAmount: string;
}

/** An amount from its two stored columns, or null when the amount is absent. */
export function amountOf(currencyCode: string | null, currencyAmount: string | null): AwsAmount | null {
  if (currencyCode === null || currencyAmount === null) return null;
  return { currencyCode, currencyAmount };
}

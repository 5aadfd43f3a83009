/** Money as frontend teams expect it: an exact decimal string and an ISO currency code. */
import { Field, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../../lib/api/scalars';

/** Description of every `amount` of the normalized layer: how lib/domain/money.ts canonicalMoneyAmount writes it. */
export const MONEY_AMOUNT_RULE =
  'Exact, never rounded, in the one form this API writes every amount in: at least the ' +
  'currency\'s ISO 4217 minor units, and no trailing zeros beyond them, e.g. USD "6000.00", "0.00" and "350.3012345678", ' +
  'EUR "1.50", JPY "1200", BHD "1.500". Compare amounts as decimals, never as text or binary floats.';

@ObjectType({ description: 'An exact amount of money in one currency.' })
export class Money {
  /** As stored or computed; the field `amount` (resolvers/money.resolver.ts) writes it in the canonical form. */
  amount: string;

  @Field({ description: 'ISO 4217 currency code, e.g. "USD".' })
  currencyCode: string;
}

@ObjectType({ description: 'An amount converted into the billing currency, with the exchange rate the provider used.' })
export class ConvertedMoney {
  /** As the provider gave it; the field `amount` (resolvers/money.resolver.ts) writes it in the canonical form. */
  amount: string;

  @Field({ description: 'ISO 4217 code of the billing currency.' })
  currencyCode: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'Units of billing currency per unit of credit currency, when the provider gave it: a rate, not money, so written exactly as the provider wrote it.',
  })
  exchangeRate: string | null;

  @Field(() => Int, { nullable: true, description: 'Month (1-12) whose exchange rate was used, when the provider gave it.' })
  exchangeRateMonth: number | null;
}

/**
 * Every amount of the normalized layer goes out through these two fields, so the API writes money
 * one way wherever it speaks its own language (balances, totals, applications): lib/domain/money.ts
 * canonicalMoneyAmount. The providers' native amounts (AwsAmount, AzureAmount) stay as written.
 */
import { FieldResolver, Resolver, Root } from 'type-graphql';
import { canonicalMoneyAmount } from '../../../lib/domain/money';
import { DecimalScalar } from '../../../lib/api/scalars';
import { ConvertedMoney, Money, MONEY_AMOUNT_RULE } from '../types/money';

@Resolver(() => Money)
export class MoneyResolver {
  @FieldResolver(() => DecimalScalar, { description: `The amount. ${MONEY_AMOUNT_RULE}` })
  amount(@Root() money: Money): string {
    return canonicalMoneyAmount(money.amount, money.currencyCode);
  }
}

@Resolver(() => ConvertedMoney)
export class ConvertedMoneyResolver {
  @FieldResolver(() => DecimalScalar, { description: `The converted amount, in the billing currency. ${MONEY_AMOUNT_RULE}` })
  amount(@Root() money: ConvertedMoney): string {
    return canonicalMoneyAmount(money.amount, money.currencyCode);
  }
}

/**
 * The GraphQL value type of month-to-date charges, shared by the provider subgraphs (@shareable:
 * both define it identically), and the argument that picks a month.
 */
import { GraphQLError } from 'graphql';
import { ArgsType, Directive, Field, Int, ObjectType } from 'type-graphql';
import { canonicalMoneyAmount } from '../domain/money';
import { DecimalScalar } from './scalars';
import type { MonthToDate } from '../domain/charges/month-to-date';
import { MONTH_PATTERN } from '../domain/charges/months';

@ObjectType('MonthToDateCharges', {
  description:
    'Charges of one month and currency for an AWS account, an Azure billing profile or invoice section, as this product ' +
    'computed them from the billing files loaded: what was charged, what credits paid and the net, with a forecast of ' +
    'the month\'s end at the run rate so far. Amounts are exact decimal strings in the API\'s one money form: at least the ' +
    'currency\'s minor units, no trailing zeros beyond them, never rounded.',
})
@Directive('@shareable')
export class MonthToDateCharges {
  @Field({ description: 'The billing month, YYYY-MM.' })
  month: string;

  @Field({ description: 'ISO 4217 currency code of every amount here.' })
  currencyCode: string;

  @Field({ description: 'True while the month is estimated (its billing file carries no invoice yet); false once invoiced.' })
  estimated: boolean;

  @Field(() => String, { nullable: true, description: 'The last usage day the loaded data holds (YYYY-MM-DD).' })
  dataThrough: string | null;

  @Field(() => Int, { description: 'Days of the month the data covers (all of them once the month is final).' })
  daysCovered: number;

  @Field(() => Int, { description: 'Days in the month.' })
  daysInMonth: number;

  @Field(() => DecimalScalar, { description: 'Every charge of the month so far, credit-eligible or not.' })
  charges: string;

  @Field(() => DecimalScalar, { description: 'The charges credits may pay for (Azure: not Marketplace, support plans or the listed products).' })
  eligibleCharges: string;

  @Field(() => DecimalScalar, { description: 'What credits paid of the charges.' })
  creditsApplied: string;

  @Field(() => DecimalScalar, { description: 'charges - creditsApplied: what is left to pay.' })
  net: string;

  @Field(() => DecimalScalar, {
    description: 'The month\'s charges at its end, at the run rate so far (charges x daysInMonth / daysCovered, rounded half-even); the actual charges once final.',
  })
  forecastCharges: string;

  @Field(() => DecimalScalar, {
    description: 'What credits would pay by the month\'s end at the same rate (not capped by the balances left); the actual once final.',
  })
  forecastCreditsApplied: string;

  @Field(() => DecimalScalar, { description: 'forecastCharges - forecastCreditsApplied.' })
  forecastNet: string;
}

/** The API's month-to-date figures, every amount in the one money form (lib/domain/money.ts canonicalMoneyAmount). */
export function monthToDateCharges(m: MonthToDate): MonthToDateCharges {
  const { currency, charges, eligibleCharges, creditsApplied, net, forecastCharges, forecastCreditsApplied, forecastNet, ...rest } = m;
  const money = (amount: string) => canonicalMoneyAmount(amount, currency);
  return Object.assign(new MonthToDateCharges(), {
    ...rest,
    currencyCode: currency,
    charges: money(charges),
    eligibleCharges: money(eligibleCharges),
    creditsApplied: money(creditsApplied),
    net: money(net),
    forecastCharges: money(forecastCharges),
    forecastCreditsApplied: money(forecastCreditsApplied),
    forecastNet: money(forecastNet),
  });
}

@ArgsType()
export class MonthArgs {
  @Field(() => String, { nullable: true, description: 'The billing month, YYYY-MM; default: the latest month with charges.' })
  month?: string | null;
}

/** Checks the month argument (YYYY-MM), or throws a BAD_USER_INPUT error naming it. */
export function checkedMonth(month: string | null | undefined): string | null {
  if (month === null || month === undefined) return null;
  if (!MONTH_PATTERN.test(month)) {
    throw new GraphQLError(`month must be a month written YYYY-MM, got "${month}"`, { extensions: { code: 'BAD_USER_INPUT', argument: 'month' } });
  }
  return month;
}

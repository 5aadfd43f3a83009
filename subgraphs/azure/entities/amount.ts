/**
 * Azure's amount value types (`Amount`, `AmountWithExchangeRate`, `Reseller`) as GraphQL object
 * types, and the flat column groups that store them (embedded in the lot and event tables as
 * `<field>Currency`, `<field>Value`, ...). Values are exact decimal strings.
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { Column } from 'typeorm';
import { MoneyColumn } from '../../../lib/platform/money-column';
import { DecimalScalar } from '../../../lib/api/scalars';

@ObjectType('AzureAmount', { description: 'An Azure `Amount`: a value in one currency, exact as Azure reported it.' })
export class AzureAmount {
  @Field({ description: 'ISO 4217 currency code, e.g. "USD".' })
  currency: string;

  @Field(() => DecimalScalar, { description: 'The amount, exact (Azure writes a JSON number; every decimal place is kept).' })
  value: string;
}

@ObjectType('AzureAmountWithExchangeRate', {
  description: 'An Azure `AmountWithExchangeRate`: an amount converted to the billing currency, with the rate used.',
})
export class AzureAmountWithExchangeRate extends AzureAmount {
  @Field(() => DecimalScalar, { nullable: true, description: 'Exchange rate from the credit currency to the billing currency.' })
  exchangeRate: string | null;

  @Field(() => Int, { nullable: true, description: 'Month (1-12) whose exchange rate was used.' })
  exchangeRateMonth: number | null;
}

@ObjectType('AzureReseller', { description: 'An Azure `Reseller`: the partner a credit was bought through.' })
export class AzureReseller {
  @Field(() => String, { nullable: true, description: 'The reseller id (an ARM id).' })
  resellerId: string | null;

  @Field(() => String, { nullable: true, description: 'The reseller name.' })
  resellerDescription: string | null;
}

/** Storage of an optional `Amount`: two nullable columns. */
export class AmountColumns {
  @Column('varchar', { nullable: true })
  currency: string | null;

  @MoneyColumn({ nullable: true })
  value: string | null;
}

/** Storage of an optional `AmountWithExchangeRate`. */
export class AmountWithRateColumns extends AmountColumns {
  @Column('varchar', { nullable: true })
  exchangeRate: string | null;

  @Column('integer', { nullable: true })
  exchangeRateMonth: number | null;
}

/** The amount stored in `columns`, or null when none was stored. */
export function amountOf(columns: AmountColumns | null | undefined): AzureAmount | null {
  if (!columns || columns.value === null || columns.value === undefined || columns.currency === null) return null;
  return { currency: columns.currency, value: columns.value };
}

/** The amount stored in `columns`, for amounts every row has. */
export function requiredAmountOf(columns: AmountColumns | null | undefined): AzureAmount {
  const amount = amountOf(columns);
  if (!amount) throw new Error('A required amount is missing from the database row');
  return amount;
}

export function amountWithRateOf(columns: AmountWithRateColumns | null | undefined): AzureAmountWithExchangeRate | null {
  const amount = amountOf(columns);
  if (!amount || !columns) return null;
  return { ...amount, exchangeRate: columns.exchangeRate ?? null, exchangeRateMonth: columns.exchangeRateMonth ?? null };
}

/** Column values storing `amount` (all null for none, so a reload clears an amount that went away). */
export function amountColumns(amount: AzureAmount | null): AmountColumns {
  return { currency: amount?.currency ?? null, value: amount?.value ?? null };
}

export function amountWithRateColumns(amount: AzureAmountWithExchangeRate | null): AmountWithRateColumns {
  return {
    ...amountColumns(amount),
    exchangeRate: amount?.exchangeRate ?? null,
    exchangeRateMonth: amount?.exchangeRateMonth ?? null,
  };
}

/** The reseller stored in the two reseller columns, or null when there is none. */
export function resellerOf(resellerId: string | null, resellerDescription: string | null): AzureReseller | null {
  if (resellerId === null && resellerDescription === null) return null;
  return { resellerId, resellerDescription };
}

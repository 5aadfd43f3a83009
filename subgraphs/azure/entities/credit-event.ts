/**
 * A credit event (`Microsoft.Consumption/events`, `EventSummary`): one transaction that changed a
 * billing profile's credit balance, with every `EventProperties` field.
 */
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { DateTimeScalar } from '../../../lib/api/scalars';
import { EVENT_INDEXES, IMPORTED_PENDING_OR_NEW_CREDIT, SUPERSEDED } from '../store/event-indexes';
import { ConsumptionResource } from './consumption-resource';
import {
  AmountColumns,
  AmountWithRateColumns,
  AzureAmount,
  AzureAmountWithExchangeRate,
  AzureReseller,
  amountOf,
  amountWithRateOf,
  resellerOf,
} from './amount';

/** The amounts an event carries, each also in the billing currency (`<name>InBillingCurrency`). */
export const EVENT_AMOUNT_FIELDS = [
  'newCredit',
  'adjustments',
  'creditExpired',
  'charges',
  'closedBalance',
  'canceledCredit',
] as const;
export type EventAmountField = (typeof EVENT_AMOUNT_FIELDS)[number];

const IN_BILLING = ' in the billing currency, with the exchange rate used';

@Entity('azure_credit_event')
@Index(['billingProfileId', 'transactionDate'])
@Index(EVENT_INDEXES.importedPendingOrNewCredit, ['billingProfileId'], { where: IMPORTED_PENDING_OR_NEW_CREDIT })
@Index(EVENT_INDEXES.superseded, ['billingProfileId'], { where: SUPERSEDED })
@ObjectType('AzureCreditEvent', {
  description:
    'An Azure credit event (`Microsoft.Consumption/events`): a transaction that changed a billing profile\'s credit ' +
    'balance (new credit, charges, expiry, adjustment), with its `properties` flattened.',
})
@Directive('@key(fields: "id")')
export class AzureCreditEvent extends ConsumptionResource {
  @Column('varchar')
  @Field(() => DateTimeScalar, { description: 'When the transaction happened.' })
  transactionDate: string;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'Description of the transaction.' })
  description: string | null;

  @Column(() => AmountColumns, { prefix: 'newCredit' })
  newCreditColumns: AmountColumns;
  @Column(() => AmountWithRateColumns, { prefix: 'newCreditInBillingCurrency' })
  newCreditInBillingCurrencyColumns: AmountWithRateColumns;
  @Column(() => AmountColumns, { prefix: 'adjustments' })
  adjustmentsColumns: AmountColumns;
  @Column(() => AmountWithRateColumns, { prefix: 'adjustmentsInBillingCurrency' })
  adjustmentsInBillingCurrencyColumns: AmountWithRateColumns;
  @Column(() => AmountColumns, { prefix: 'creditExpired' })
  creditExpiredColumns: AmountColumns;
  @Column(() => AmountWithRateColumns, { prefix: 'creditExpiredInBillingCurrency' })
  creditExpiredInBillingCurrencyColumns: AmountWithRateColumns;
  @Column(() => AmountColumns, { prefix: 'charges' })
  chargesColumns: AmountColumns;
  @Column(() => AmountWithRateColumns, { prefix: 'chargesInBillingCurrency' })
  chargesInBillingCurrencyColumns: AmountWithRateColumns;
  @Column(() => AmountColumns, { prefix: 'closedBalance' })
  closedBalanceColumns: AmountColumns;
  @Column(() => AmountWithRateColumns, { prefix: 'closedBalanceInBillingCurrency' })
  closedBalanceInBillingCurrencyColumns: AmountWithRateColumns;
  @Column(() => AmountColumns, { prefix: 'canceledCredit' })
  canceledCreditColumns: AmountColumns;
  @Column(() => AmountWithRateColumns, { prefix: 'canceledCreditInBillingCurrency' })
  canceledCreditInBillingCurrencyColumns: AmountWithRateColumns;

  @Field(() => AzureAmount, { nullable: true, description: 'Credit added by the transaction, in the credit currency.' })
  get newCredit(): AzureAmount | null {
    return amountOf(this.newCreditColumns);
  }
  @Field(() => AzureAmountWithExchangeRate, { nullable: true, description: `Credit added${IN_BILLING}.` })
  get newCreditInBillingCurrency(): AzureAmountWithExchangeRate | null {
    return amountWithRateOf(this.newCreditInBillingCurrencyColumns);
  }
  @Field(() => AzureAmount, { nullable: true, description: 'Adjustments (refunds, corrections), in the credit currency.' })
  get adjustments(): AzureAmount | null {
    return amountOf(this.adjustmentsColumns);
  }
  @Field(() => AzureAmountWithExchangeRate, { nullable: true, description: `Adjustments${IN_BILLING}.` })
  get adjustmentsInBillingCurrency(): AzureAmountWithExchangeRate | null {
    return amountWithRateOf(this.adjustmentsInBillingCurrencyColumns);
  }
  @Field(() => AzureAmount, { nullable: true, description: 'Credit that expired (negative), in the credit currency.' })
  get creditExpired(): AzureAmount | null {
    return amountOf(this.creditExpiredColumns);
  }
  @Field(() => AzureAmountWithExchangeRate, { nullable: true, description: `Credit that expired${IN_BILLING}.` })
  get creditExpiredInBillingCurrency(): AzureAmountWithExchangeRate | null {
    return amountWithRateOf(this.creditExpiredInBillingCurrencyColumns);
  }
  @Field(() => AzureAmount, { nullable: true, description: 'Charges the credit paid (negative), in the credit currency.' })
  get charges(): AzureAmount | null {
    return amountOf(this.chargesColumns);
  }
  @Field(() => AzureAmountWithExchangeRate, { nullable: true, description: `Charges the credit paid${IN_BILLING}.` })
  get chargesInBillingCurrency(): AzureAmountWithExchangeRate | null {
    return amountWithRateOf(this.chargesInBillingCurrencyColumns);
  }
  @Field(() => AzureAmount, { nullable: true, description: 'The balance after the transaction, in the credit currency.' })
  get closedBalance(): AzureAmount | null {
    return amountOf(this.closedBalanceColumns);
  }
  @Field(() => AzureAmountWithExchangeRate, { nullable: true, description: `The balance after the transaction${IN_BILLING}.` })
  get closedBalanceInBillingCurrency(): AzureAmountWithExchangeRate | null {
    return amountWithRateOf(this.closedBalanceInBillingCurrencyColumns);
  }
  @Field(() => AzureAmount, { nullable: true, description: 'Credit that was canceled, in the credit currency.' })
  get canceledCredit(): AzureAmount | null {
    return amountOf(this.canceledCreditColumns);
  }
  @Field(() => AzureAmountWithExchangeRate, { nullable: true, description: `Credit that was canceled${IN_BILLING}.` })
  get canceledCreditInBillingCurrency(): AzureAmountWithExchangeRate | null {
    return amountWithRateOf(this.canceledCreditInBillingCurrencyColumns);
  }

  @Column('varchar', { nullable: true })
  @Field(() => String, {
    nullable: true,
    description:
      'Azure `eventType`, e.g. "SettledCharges", "PendingCharges", "NewCredit", "CreditExpired"; values outside the ' +
      'documented set (real payloads send "ExpiredCredit") are kept as written.',
  })
  eventType: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The invoice the transaction is billed on; empty while pending.' })
  invoiceNumber: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The billing profile\'s display name, as the event carried it.' })
  billingProfileDisplayName: string | null;

  @Index()
  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The name of the lot the transaction affected, e.g. "G111222333".' })
  lotId: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The source of that lot (a free string, e.g. "PromotionalCredit").' })
  lotSource: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The currency of the credit (ISO 4217).' })
  creditCurrency: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The billing currency (ISO 4217).' })
  billingCurrency: string | null;

  @Column('varchar', { nullable: true })
  resellerId: string | null;

  @Column('varchar', { nullable: true })
  resellerDescription: string | null;

  @Field(() => AzureReseller, { nullable: true, description: 'The reseller of the affected credit, if any.' })
  get reseller(): AzureReseller | null {
    return resellerOf(this.resellerId, this.resellerDescription);
  }

  @Column('boolean', { nullable: true })
  @Field(() => Boolean, { nullable: true, description: 'Whether the balance is an estimate.' })
  isEstimatedBalance: boolean | null;

  /** IMPORTED (an events file) or COMPUTED (the charges engine, from cost details). */
  @Index()
  @Column('varchar', { default: 'IMPORTED' })
  origin: string;

  /** An imported pending event of a month that cost details now cover: kept (a reload finds it), never served. */
  @Column('boolean', { default: false })
  superseded: boolean;

  @Field({
    description:
      'True when this product generated the event by applying cost details to the billing profile\'s lots (as Azure ' +
      'would: NewCredit, PendingCharges, SettledCharges, CreditExpired); false when it was imported from an events file.',
  })
  get computed(): boolean {
    return this.origin === 'COMPUTED';
  }
}

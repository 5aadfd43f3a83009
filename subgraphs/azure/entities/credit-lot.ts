/**
 * A credit lot (`Microsoft.Consumption/lots`, `LotSummary`) with every `LotProperties` field, plus
 * this product's pause and share extension and the derived columns the provider contract sorts and
 * filters on.
 */
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { MoneyColumn } from '../../../lib/platform/money-column';
import { DateTimeScalar } from '../../../lib/api/scalars';
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
  requiredAmountOf,
} from './amount';

@Entity('azure_credit_lot')
@Index(['closedBalanceColumns.currency'])
@ObjectType('AzureCreditLot', {
  description:
    'An Azure credit lot of a billing profile (`Microsoft.Consumption/lots`): the `LotSummary` with its `properties` ' +
    'flattened, plus this product\'s `paused` and `sharedInvoiceSections` extension.',
})
@Directive('@key(fields: "id")')
export class AzureCreditLot extends ConsumptionResource {
  @Column(() => AmountColumns, { prefix: 'originalAmount' })
  originalAmountColumns: AmountColumns;

  @Field(() => AzureAmount, { description: 'The original amount of the credit, in the credit currency.' })
  get originalAmount(): AzureAmount {
    return requiredAmountOf(this.originalAmountColumns);
  }

  @Column(() => AmountWithRateColumns, { prefix: 'originalAmountInBillingCurrency' })
  originalAmountInBillingCurrencyColumns: AmountWithRateColumns;

  @Field(() => AzureAmountWithExchangeRate, {
    nullable: true,
    description: 'The original amount in the billing currency, with the exchange rate used.',
  })
  get originalAmountInBillingCurrency(): AzureAmountWithExchangeRate | null {
    return amountWithRateOf(this.originalAmountInBillingCurrencyColumns);
  }

  @Column(() => AmountColumns, { prefix: 'closedBalance' })
  closedBalanceColumns: AmountColumns;

  @Field(() => AzureAmount, { description: 'The balance as of the last invoice, in the credit currency.' })
  get closedBalance(): AzureAmount {
    return requiredAmountOf(this.closedBalanceColumns);
  }

  @Column(() => AmountWithRateColumns, { prefix: 'closedBalanceInBillingCurrency' })
  closedBalanceInBillingCurrencyColumns: AmountWithRateColumns;

  @Field(() => AzureAmountWithExchangeRate, {
    nullable: true,
    description: 'The balance as of the last invoice in the billing currency, with the exchange rate used.',
  })
  get closedBalanceInBillingCurrency(): AzureAmountWithExchangeRate | null {
    return amountWithRateOf(this.closedBalanceInBillingCurrencyColumns);
  }

  @Index()
  @Column('varchar')
  @Field({
    description:
      'Azure `source`: "PurchasedCredit", "PromotionalCredit", "ConsumptionCommitment", or any other value a real ' +
      'payload sends (e.g. "AzurePrepayment"), kept as written.',
  })
  source: string;

  @Column('varchar', { nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the credit became (or becomes) usable.' })
  startDate: string | null;

  @Index()
  @Column('varchar', { nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the credit expires.' })
  expirationDate: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the credit was purchased.' })
  purchasedDate: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The purchase order number of the invoice the credit was billed on.' })
  poNumber: string | null;

  @Column('varchar', { nullable: true })
  resellerId: string | null;

  @Column('varchar', { nullable: true })
  resellerDescription: string | null;

  @Field(() => AzureReseller, { nullable: true, description: 'The reseller the credit was bought through, if any.' })
  get reseller(): AzureReseller | null {
    return resellerOf(this.resellerId, this.resellerDescription);
  }

  @Index()
  @Column('varchar')
  @Field({
    description: 'Azure `status`: "None", "Active", "Inactive", "Expired", "Complete", "Canceled", or any other value, kept as written.',
  })
  status: string;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The currency of the credit (ISO 4217).' })
  creditCurrency: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The billing currency of the billing profile (ISO 4217).' })
  billingCurrency: string | null;

  @Column('boolean', { nullable: true })
  @Field(() => Boolean, { nullable: true, description: 'Whether the balance is an estimate.' })
  isEstimatedBalance: boolean | null;

  @Column(() => AmountColumns, { prefix: 'usedAmount' })
  usedAmountColumns: AmountColumns;

  @Field(() => AzureAmount, { nullable: true, description: 'The amount used so far (api-version 2024-08-01 and later).' })
  get usedAmount(): AzureAmount | null {
    return amountOf(this.usedAmountColumns);
  }

  @Column('varchar', { nullable: true })
  @Field(() => String, {
    nullable: true,
    description:
      'Azure `OrganizationType` (JSON key with a capital O, api-version 2024-08-01): "Primary" or "Contributor", kept as written.',
  })
  organizationType: string | null;

  @Column('boolean', { default: false })
  @Field({
    description:
      'This product\'s extension, not an Azure feature: true when a user paused the lot. A paused lot is skipped when ' +
      'charges are applied; Azure itself keeps applying it. Set through the credits API\'s pauseCredit/activateCredit.',
  })
  paused: boolean;

  /** This product's sharing extension: full ARM ids of the invoice sections the lot pays for; null = the whole profile. */
  @Column('simple-json', { nullable: true })
  sharedInvoiceSectionIds: string[] | null;

  /**
   * The lot as the last lots file gave it (closed balance, its billing-currency value, status).
   * The served columns hold the same until cost details for a month after the snapshot are loaded;
   * from then on the charges engine computes the served ones from these (docs/CHARGES.md). Null
   * only in a database written before the columns existed (database.ts fills them in).
   */
  @MoneyColumn({ nullable: true })
  snapshotClosedBalance: string | null;

  @MoneyColumn({ nullable: true })
  snapshotClosedBalanceInBillingCurrency: string | null;

  @Column('varchar', { nullable: true })
  snapshotStatus: string | null;

  /**
   * The last closed billing month the snapshot's closed balance includes: the profile's last final
   * month stored when a lots file with a new balance was loaded (null: none then).
   */
  @Column('varchar', { nullable: true })
  snapshotThrough: string | null;

  /** The closed balance minus the open months' estimated charges (null: no estimate computed, it equals the closed balance). */
  @MoneyColumn({ nullable: true })
  estimatedBalanceValue: string | null;

  @Field(() => AzureAmount, {
    description:
      'This product\'s estimate, not an Azure field: the closed balance minus the charges of the open (not yet invoiced) ' +
      'months that this lot pays, computed from the cost details loaded. Equals closedBalance when no open month is loaded.',
  })
  get estimatedBalance(): AzureAmount {
    const closed = requiredAmountOf(this.closedBalanceColumns);
    return this.estimatedBalanceValue === null ? closed : { currency: closed.currency, value: this.estimatedBalanceValue };
  }

  /** What expired unused, as the charges engine computed it, in the credit currency (null: nothing). */
  @MoneyColumn({ nullable: true })
  expiredAmountValue: string | null;

  /** The normalized credit name (e.g. "Promotional credit G111222333"), the key of NAME ordering. */
  @Index()
  @Column('varchar')
  creditName: string;

  /**
   * What the provider contract's text search matches: the credit name, the lot id and the source,
   * folded in JS by lib/domain/credit-search.ts and searched through the index store/text-search.ts
   * makes (lib/platform/text-search-sql.ts). Rows written before the column existed get '' and are
   * filled in when the database is opened (database.ts).
   */
  // On PostgreSQL its trigram index, which the migration makes and TypeORM leaves be.
  @Index('IDX_azure_credit_lot_search_trigram', { synchronize: false })
  @Column('varchar', { default: '' })
  searchText: string;

  /** lib/domain/credit-order.ts sort key of the expiration date. */
  @Index()
  @Column('varchar')
  sortExpiresAt: string;

  /** lib/domain/credit-order.ts sort key of the closed balance. */
  @Index()
  @Column('varchar')
  sortRemaining: string;

  /** Whether the closed balance is exactly zero (a status fact the SQL filter needs). */
  @Column('boolean')
  closedBalanceIsZero: boolean;
}

/**
 * An AWS credit: every field of the Billing API GetCredits `CreditData`, stored flat (amounts as
 * currency + decimal string columns), plus the sort keys the provider contract orders and pages by.
 */
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { MoneyColumn } from '../../../lib/platform/money-column';
import { DateTimeScalar } from '../../../lib/api/scalars';
import { AwsAmount, amountOf } from './amount';

@Entity('aws_credit')
@ObjectType({ description: 'An AWS credit, with the fields of the Billing API GetCredits `CreditData` named as AWS names them.' })
@Directive('@key(fields: "creditId")')
export class AwsCredit {
  @PrimaryColumn('varchar')
  @Field(() => ID, { description: 'The numeric credit id AWS assigns.' })
  creditId: string;

  @Index()
  @Column('varchar')
  @Field({ description: 'The 12-digit id of the account that owns the credit.' })
  accountId: string;

  @Column('varchar')
  @Field({ description: 'The type of credit as AWS writes it, e.g. Promotion, Refund, TrueUp (kept as written).' })
  creditType: string;

  /** Also the normalized name, so NAME ordering sorts on it. */
  @Index()
  @Column('varchar')
  @Field({ description: 'The description of the credit: its name as the Billing console shows it.' })
  description: string;

  @Column('varchar')
  initialCurrencyCode: string;

  @MoneyColumn()
  initialCurrencyAmount: string;

  @Index()
  @Column('varchar')
  remainingCurrencyCode: string;

  @MoneyColumn()
  remainingCurrencyAmount: string;

  @Column('varchar', { nullable: true })
  estimatedCurrencyCode: string | null;

  @MoneyColumn({ nullable: true })
  estimatedCurrencyAmount: string | null;

  @Column('simple-json')
  @Field(() => [String], { description: 'Names of the AWS services the credit may pay for (empty: every eligible service).' })
  applicableProductNames: string[];

  @Column('varchar')
  @Field(() => DateTimeScalar, { description: 'When the credit becomes valid (GetCredits `startDate`, epoch seconds at the source).' })
  startDate: string;

  @Column('varchar', { nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the credit expires (GetCredits `endDate`).' })
  endDate: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the credit balance reached zero (GetCredits `exhaustDate`).' })
  exhaustDate: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, {
    nullable: true,
    description: 'When the credit is applied during bill computation: BEFORE_CROSS_SERVICE_DISCOUNTS or AFTER_DISCOUNTS (kept as written).',
  })
  applicationType: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, {
    nullable: true,
    description: 'How the credit is shared: DEFAULT (whole organization), DISABLED (owner only), CUSTOM (shareableAccounts) or COST_CATEGORY_RULE.',
  })
  creditSharingType: string | null;

  @Index()
  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The cost category controlling sharing, when creditSharingType is COST_CATEGORY_RULE.' })
  costCategoryArn: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The cost category value (rule) whose accounts may use the credit, with COST_CATEGORY_RULE sharing.' })
  ruleName: string | null;

  /** The account ids entitled to apply the credit (CUSTOM sharing); served filtered for the caller (resolvers/credit.resolver.ts). */
  @Column('simple-json', { nullable: true })
  shareableAccounts: string[] | null;

  @Column('boolean', { nullable: true })
  @Field(() => Boolean, { nullable: true, description: 'Whether the owning account has account-level credit sharing turned on.' })
  accountHasCreditSharingEnabled: boolean | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The display configuration of the credit in the Billing console.' })
  creditConsoleVisibility: string | null;

  @Column('simple-json', { nullable: true })
  @Field(() => [String], {
    nullable: true,
    description: 'The purchase types the credit applies to; null when it applies to every purchase type.',
  })
  purchaseTypeApplications: string[] | null;

  @Column('varchar')
  @Field({
    description:
      'ENABLED, or DISABLED when the credit is paused and takes no part in billing runs (kept as written). A GetCredits entry ' +
      'without creditStatus reads as ENABLED for a new credit and keeps the stored value for a known one.',
  })
  creditStatus: string;

  /**
   * When pauseCredit, activateCredit or shareCredit last set this credit's controls (the `now` of
   * the request), null when never. From then on, loading GetCredits keeps the product-set
   * creditStatus and sharing fields (creditStatus, creditSharingType, shareableAccounts,
   * costCategoryArn, ruleName) and updates every other field.
   */
  @Column('varchar', { nullable: true })
  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'When this product last paused, activated or shared the credit (null: never). From then on, loading a GetCredits file ' +
      'keeps creditStatus, creditSharingType, shareableAccounts, costCategoryArn and ruleName as set here and updates every other field.',
  })
  controlsChangedAt: string | null;

  /**
   * The balances the last GetCredits file gave (remaining as of the last finalized bill, the
   * estimate, the exhaust date). The served columns above hold them too until billing files for a
   * month after the snapshot are loaded; from then on the charges engine computes the served ones
   * from these (docs/CHARGES.md).
   */
  /** Null only in a database written before the column existed (database.ts fills it in). */
  @MoneyColumn({ nullable: true })
  snapshotRemainingAmount: string | null;

  @MoneyColumn({ nullable: true })
  snapshotEstimatedAmount: string | null;

  @Column('varchar', { nullable: true })
  snapshotExhaustDate: string | null;

  /**
   * The last closed billing month the snapshot's remaining amount includes: the last final month
   * stored for the organization when a GetCredits file with new balances was loaded (null: none
   * then). Billing months up to it are never applied to the credit again.
   */
  @Column('varchar', { nullable: true })
  snapshotThrough: string | null;

  /** What expired unused, as the charges engine computed it (this product's figure; AWS gives none). */
  @MoneyColumn({ default: '0' })
  expiredAmount: string;

  /**
   * lib/domain/credit-search.ts text of description, creditId and creditType, searched through the
   * index store/text-search.ts makes (lib/platform/text-search-sql.ts).
   */
  // On PostgreSQL its trigram index, which the migration makes and TypeORM leaves be.
  @Index('IDX_aws_credit_search_trigram', { synchronize: false })
  @Column('varchar', { default: '' })
  searchText: string;

  /** lib/domain/credit-order.ts sort key of endDate. */
  @Index()
  @Column('varchar')
  sortExpiresAt: string;

  /** lib/domain/credit-order.ts sort key of remainingAmount. */
  @Index()
  @Column('varchar')
  sortRemaining: string;

  @Field(() => AwsAmount, { description: 'The amount of the credit when it was issued.' })
  get initialAmount(): AwsAmount {
    return { currencyCode: this.initialCurrencyCode, currencyAmount: this.initialCurrencyAmount };
  }

  @Field(() => AwsAmount, { description: 'The unused balance of the credit, as of the last finalized bill.' })
  get remainingAmount(): AwsAmount {
    return { currencyCode: this.remainingCurrencyCode, currencyAmount: this.remainingCurrencyAmount };
  }

  @Field(() => AwsAmount, { nullable: true, description: 'The estimated balance including open (not yet finalized) bills.' })
  get estimatedAmount(): AwsAmount | null {
    return amountOf(this.estimatedCurrencyCode, this.estimatedCurrencyAmount);
  }
}

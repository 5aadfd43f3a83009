/**
 * One GetCreditAllocationHistory entry: how much of a credit paid for one service of one linked
 * account in one billing month. Imported entries come from GetCreditAllocationHistory files and
 * are keyed (creditId, accountId, appliedServiceName, billingMonth), so reloading an entry
 * replaces it; computed entries are what the charges engine applied from billing files, one per
 * product code as well. `origin` and `productCode` complete the primary key.
 */
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { MoneyColumn } from '../../../lib/platform/money-column';
import { AwsAmount } from './amount';

@Entity('aws_credit_allocation')
@ObjectType({ description: 'An entry of the Billing API GetCreditAllocationHistory: a credit applied to one service of one account in one month.' })
export class AwsCreditAllocation {
  @PrimaryColumn('varchar')
  @Field({ description: 'The id of the credit that was applied.' })
  creditId: string;

  @Index()
  @PrimaryColumn('varchar')
  @Field({ description: 'The 12-digit id of the linked account the credit was applied to.' })
  accountId: string;

  @PrimaryColumn('varchar')
  @Field({ description: 'The AWS service the credit was applied to.' })
  appliedServiceName: string;

  @Index()
  @PrimaryColumn('varchar')
  @Field({ description: 'The billing month of the application, YYYY-MM.' })
  billingMonth: string;

  /** The AWS ProductCode of the charges paid ('' on imported entries, which AWS gives per service only). */
  @PrimaryColumn('varchar', { default: '' })
  productCode: string;

  /** IMPORTED (a GetCreditAllocationHistory file) or COMPUTED (the charges engine, from billing files). */
  @PrimaryColumn('varchar', { default: 'IMPORTED' })
  origin: string;

  /**
   * An imported estimate that billing files for the same month replaced: kept (a reload of the
   * history file finds it), never served.
   */
  @Column('boolean', { default: false })
  superseded: boolean;

  @Column('varchar')
  currencyCode: string;

  @MoneyColumn()
  currencyAmount: string;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'A human-readable description of the allocation (usually the credit description).' })
  description: string | null;

  @Column('boolean')
  @Field({ description: 'True when the entry belongs to a bill that is not finalized yet.' })
  isEstimatedBill: boolean;

  @Field(() => String, {
    name: 'productCode',
    nullable: true,
    description: 'The AWS ProductCode of the charges paid (e.g. "AmazonEC2"); null on entries imported from GetCreditAllocationHistory, which AWS gives per service.',
  })
  get productCodeOrNull(): string | null {
    return this.productCode === '' ? null : this.productCode;
  }

  @Field({ description: 'True when this product computed the entry by applying billing files to the credit; false when it was imported from GetCreditAllocationHistory.' })
  get computed(): boolean {
    return this.origin === 'COMPUTED';
  }

  @Field(() => AwsAmount, { description: 'The amount applied; NEGATIVE when the credit reduced the bill, as AWS writes it.' })
  get creditAmount(): AwsAmount {
    return { currencyCode: this.currencyCode, currencyAmount: this.currencyAmount };
  }
}

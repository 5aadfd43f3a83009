/**
 * One GetCreditAllocationHistory entry: how much of a credit paid for one service of one linked
 * account in one billing month. The natural key (creditId, accountId, appliedServiceName,
 * billingMonth) is the primary key, so reloading an entry replaces it.
 */
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
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

  @Column('varchar')
  currencyCode: string;

  @Column('varchar')
  currencyAmount: string;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'A human-readable description of the allocation (usually the credit description).' })
  description: string | null;

  @Column('boolean')
  @Field({ description: 'True when the entry belongs to a bill that is not finalized yet.' })
  isEstimatedBill: boolean;

  @Field(() => AwsAmount, { description: 'The amount applied; NEGATIVE when the credit reduced the bill, as AWS writes it.' })
  get creditAmount(): AwsAmount {
    return { currencyCode: this.currencyCode, currencyAmount: this.currencyAmount };
  }
}

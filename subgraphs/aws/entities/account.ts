/** An AWS Organizations account (ListAccounts), with the organization facts derived from its ARN. */
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeScalar } from '../../../lib/api/scalars';

@Entity('aws_account')
@ObjectType({ description: 'An AWS account of an organization, as AWS Organizations ListAccounts describes it.' })
@Directive('@key(fields: "accountId")')
export class AwsAccount {
  @PrimaryColumn('varchar')
  @Field(() => ID, { description: 'The 12-digit account id (ListAccounts `Id`).' })
  accountId: string;

  @Column('varchar')
  @Field({ description: 'The account ARN: arn:aws:organizations::<management account>:account/<organization>/<account>.' })
  arn: string;

  @Column('varchar')
  @Field({ description: 'The friendly name of the account.' })
  name: string;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The email address associated with the account (null in the minimal record a linked account sees of other accounts).' })
  email: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, {
    nullable: true,
    description: 'The account status as AWS reports it, e.g. ACTIVE, SUSPENDED, PENDING_CLOSURE (kept as written).',
  })
  status: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'How the account joined the organization, e.g. INVITED or CREATED.' })
  joinedMethod: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the account joined the organization.' })
  joinedTimestamp: string | null;

  @Index()
  @Column('varchar')
  @Field({ description: 'The management (payer) account of the organization, taken from the ARN.' })
  payerAccountId: string;

  @Index()
  @Column('varchar')
  @Field({ description: 'The organization id (o-...), taken from the ARN.' })
  organizationId: string;

  @Column('boolean')
  @Field({ description: 'True when this account is the management (payer) account of its organization.' })
  isPayer: boolean;
}

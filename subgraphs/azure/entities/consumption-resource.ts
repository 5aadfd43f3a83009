/**
 * What every `Microsoft.Consumption` resource of a billing profile has (lots and events): the ARM
 * envelope (id, name, type, eTag) and the billing account and profile its id names.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Index, PrimaryColumn } from 'typeorm';

@ObjectType({ description: "Base of Azure Consumption resources; never emitted on its own." })
export abstract class ConsumptionResource {
  @PrimaryColumn('varchar')
  @Field(() => ID, {
    description: 'The ARM id, ".../billingProfiles/{profile}/providers/Microsoft.Consumption/{kind}/{name}", as Azure wrote it.',
  })
  id: string;

  @Column('varchar')
  @Field({ description: 'The resource name (the last segment of the id), e.g. "G111222333".' })
  name: string;

  @Column('varchar')
  @Field({ description: 'The resource type, e.g. "Microsoft.Consumption/lots" or "Microsoft.Consumption/events".' })
  type: string;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The resource\'s eTag, as Azure wrote it.' })
  eTag: string | null;

  /** The ARM id of the billing account, from the resource's id. */
  @Index()
  @Column('varchar')
  billingAccountId: string;

  @Index()
  @Column('varchar')
  @Field(() => ID, {
    description: 'The ARM id of the billing profile the resource belongs to (taken from its id, as lots carry no profile field).',
  })
  billingProfileId: string;
}

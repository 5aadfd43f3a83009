/** An MCA billing profile (`Microsoft.Billing/billingAccounts/billingProfiles`), its `properties` flattened. */
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('azure_billing_profile')
@ObjectType('AzureBillingProfile', {
  description:
    'A billing profile of an MCA billing account: it has its own currency, monthly invoice and credit lots, and ' +
    'is divided into invoice sections.',
})
@Directive('@key(fields: "id")')
export class AzureBillingProfile {
  @PrimaryColumn('varchar')
  @Field(() => ID, { description: 'The ARM id, ".../billingAccounts/{account}/billingProfiles/{name}", as Azure wrote it.' })
  id: string;

  /** The ARM id of the parent billing account (exposed through the `billingAccount` field). */
  @Index()
  @Column('varchar')
  billingAccountId: string;

  @Column('varchar')
  @Field({ description: 'The billing profile name (the last segment of the id), e.g. "PBFV-AB12-CD3-EF4".' })
  name: string;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The display name, e.g. "Development".' })
  displayName: string | null;

  @Column('varchar')
  @Field({ description: 'The billing currency of the profile\'s invoices (ISO 4217), e.g. "USD".' })
  currency: string;

  @Column('integer', { nullable: true })
  @Field(() => Int, { nullable: true, description: 'Day of the month on which the invoice is generated.' })
  invoiceDay: number | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'Azure `status`, e.g. "Active" (kept as written).' })
  status: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'Azure `billingRelationshipType`, e.g. "Direct" or "CSPPartner".' })
  billingRelationshipType: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The profile\'s system id, as printed on invoices.' })
  systemId: string | null;

  @Column('boolean', { nullable: true })
  @Field(() => Boolean, { nullable: true, description: 'Whether the caller that exported the data could read the profile.' })
  hasReadAccess: boolean | null;
}

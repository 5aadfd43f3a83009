/** An MCA billing account (`Microsoft.Billing/billingAccounts`), its `properties` flattened. */
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('azure_billing_account')
@ObjectType('AzureBillingAccount', {
  description:
    'A Microsoft Customer Agreement billing account (`Microsoft.Billing/billingAccounts`). Its billing profiles each ' +
    'have their own currency, invoice and credits.',
})
@Directive('@key(fields: "id")')
export class AzureBillingAccount {
  @PrimaryColumn('varchar')
  @Field(() => ID, { description: 'The ARM id, e.g. "/providers/Microsoft.Billing/billingAccounts/{name}", as Azure wrote it.' })
  id: string;

  @Column('varchar')
  @Field({ description: 'The billing account name (the last segment of the id).' })
  name: string;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The display name, e.g. "Contoso Research".' })
  displayName: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'Azure `accountStatus`, e.g. "Active" (kept as written).' })
  accountStatus: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'Azure `accountType`, e.g. "Enterprise" or "Individual".' })
  accountType: string | null;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'Azure `agreementType`, e.g. "MicrosoftCustomerAgreement".' })
  agreementType: string | null;

  @Column('boolean', { nullable: true })
  @Field(() => Boolean, { nullable: true, description: 'Whether the caller that exported the data could read the account.' })
  hasReadAccess: boolean | null;
}

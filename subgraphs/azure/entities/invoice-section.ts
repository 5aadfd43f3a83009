/** An invoice section of a billing profile (`.../billingProfiles/{p}/invoiceSections/{s}`). */
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('azure_invoice_section')
@ObjectType('AzureInvoiceSection', {
  description: 'An invoice section of a billing profile: a group of charges (teams, projects) on the profile\'s invoice.',
})
@Directive('@key(fields: "id")')
export class AzureInvoiceSection {
  @PrimaryColumn('varchar')
  @Field(() => ID, { description: 'The ARM id, ".../billingProfiles/{profile}/invoiceSections/{name}", as Azure wrote it.' })
  id: string;

  /** The ARM id of the billing profile the section belongs to (exposed through `billingProfile`). */
  @Index()
  @Column('varchar')
  billingProfileId: string;

  @Column('varchar')
  @Field({ description: 'The invoice section name (the last segment of the id), e.g. "XYZ1-AB12-PJA-TGB".' })
  name: string;

  @Column('varchar', { nullable: true })
  @Field(() => String, { nullable: true, description: 'The display name, e.g. "ML platform".' })
  displayName: string | null;
}

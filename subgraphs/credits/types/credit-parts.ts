/** The parts of a normalized credit: who owns it, with whom it is shared, where it was applied. */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Money } from './money';
import { CreditConsumerKind, CreditOwnerKind, CreditSharingScope } from './enums';

@ObjectType({ description: 'An account, billing profile or invoice section, by its provider ID and name.' })
export class NamedResource {
  @Field(() => ID, { description: 'Provider ID: a 12-digit AWS account ID or an Azure resource ID.' })
  id: string;

  @Field(() => String, { nullable: true, description: 'Display name, when the provider data gave one.' })
  name: string | null;
}

@ObjectType({ description: 'Who owns a credit: an AWS account or an Azure billing profile.' })
export class CreditOwner {
  @Field(() => CreditOwnerKind, { description: 'What kind of owner it is.' })
  kind: CreditOwnerKind;

  @Field(() => ID, { description: 'The owner\'s provider ID.' })
  id: string;

  @Field(() => String, { nullable: true, description: 'The owner\'s display name, when known.' })
  name: string | null;
}

@ObjectType({ description: 'A cost category value that a credit is shared to (AWS COST_CATEGORY_RULE sharing).' })
export class CostCategoryScope {
  @Field({ description: 'ARN of the cost category.' })
  arn: string;

  @Field(() => String, { nullable: true, description: 'Name of the cost category, when loaded.' })
  name: string | null;

  @Field({ description: 'The cost category value (rule) whose accounts may use the credit.' })
  value: string;
}

@ObjectType({ description: 'Whose charges a credit may pay for.' })
export class CreditSharing {
  @Field(() => CreditSharingScope, { description: 'The kind of scope.' })
  scope: CreditSharingScope;

  /** The first MAX_SHARING_LIST accounts (lib/domain/provider-contract.ts); the field `accounts(first)` is resolved in resolvers/credit-sharing.resolver.ts. */
  accounts: NamedResource[];

  @Field(() => Int, { description: 'How many accounts the credit may pay for (ACCOUNTS, COST_CATEGORY); 0 otherwise.' })
  accountCount: number;

  @Field(() => CostCategoryScope, { nullable: true, description: 'The cost category value (COST_CATEGORY only).' })
  costCategory: CostCategoryScope | null;

  /** The first MAX_SHARING_LIST invoice sections; the field `invoiceSections(first)` is resolved in resolvers/credit-sharing.resolver.ts. */
  invoiceSections: NamedResource[];

  @Field(() => Int, { description: 'How many invoice sections the credit may pay for (INVOICE_SECTIONS); 0 otherwise.' })
  invoiceSectionCount: number;
}

@ObjectType({ description: 'Whose charges a credit paid for in one application.' })
export class CreditConsumer {
  @Field(() => CreditConsumerKind, { description: 'What kind of consumer it is.' })
  kind: CreditConsumerKind;

  @Field(() => ID, { description: 'The consumer\'s provider ID.' })
  id: string;

  @Field(() => String, { nullable: true, description: 'The consumer\'s display name, when known.' })
  name: string | null;
}

@ObjectType({ description: 'What a credit paid in one month for one consumer and service.' })
export class CreditApplication {
  @Field({ description: 'Billing month, YYYY-MM.' })
  month: string;

  @Field(() => CreditConsumer, { description: 'Whose charges it paid for.' })
  consumer: CreditConsumer;

  @Field(() => String, { nullable: true, description: 'Service name (AWS appliedServiceName), when the provider reports it.' })
  service: string | null;

  @Field(() => String, { nullable: true, description: 'Product code, when the provider reports it.' })
  productCode: string | null;

  @Field(() => Money, { description: 'How much the credit paid: a positive amount.' })
  amount: Money;

  @Field({ description: 'True while the month is open and the amount is an estimate.' })
  estimated: boolean;

  @Field(() => String, { nullable: true, description: 'Azure: the invoice the charge settled on; null while pending and on AWS.' })
  invoiceNumber: string | null;
}

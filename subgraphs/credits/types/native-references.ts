/**
 * References to the providers' native entities. The credits layer only knows their keys; the
 * query planner fetches every other field from the AWS or Azure subgraph.
 */
import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "creditId", resolvable: false)')
@ObjectType('AwsCredit', { description: 'A credit as AWS GetCredits describes it (served by the AWS subgraph).' })
export class AwsCreditReference {
  @Field(() => ID, { description: 'AWS credit ID, a numeric string.' })
  creditId: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('AzureCreditLot', { description: 'A credit lot as the Azure Consumption lots API describes it (served by the Azure subgraph).' })
export class AzureCreditLotReference {
  @Field(() => ID, { description: 'The lot\'s Azure resource ID, as Azure writes it.' })
  id: string;
}

/** Relay connections of the credits layer. */
import { Field, Int, ObjectType } from 'type-graphql';
import { CreditApplication } from './credit-parts';
import { Credit } from './credit';
import { PageInfo } from './page-info';

@ObjectType({ description: 'One credit of a page, with its cursor.' })
export class CreditEdge {
  @Field({ description: 'Cursor of this credit; pass it as `after` to continue after it.' })
  cursor: string;

  @Field(() => Credit, { description: 'The credit.' })
  node: Credit;
}

@ObjectType({ description: 'A page of credits across every cloud (Relay cursor connection).' })
export class CreditConnection {
  @Field(() => [CreditEdge], { description: 'The credits of this page, with cursors.' })
  edges: CreditEdge[];

  @Field(() => [Credit], { description: 'The credits of this page, without cursors.' })
  nodes: Credit[];

  @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
  pageInfo: PageInfo;
}

@ObjectType({ description: 'One application of a credit, with its cursor.' })
export class CreditApplicationEdge {
  @Field({ description: 'Cursor of this application.' })
  cursor: string;

  @Field(() => CreditApplication, { description: 'The application.' })
  node: CreditApplication;
}

@ObjectType({ description: 'A page of a credit\'s applications, newest month first (Relay cursor connection).' })
export class CreditApplicationConnection {
  @Field(() => [CreditApplicationEdge], { description: 'The applications of this page, with cursors.' })
  edges: CreditApplicationEdge[];

  @Field(() => [CreditApplication], { description: 'The applications of this page, without cursors.' })
  nodes: CreditApplication[];

  @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
  pageInfo: PageInfo;

  @Field(() => Int, { description: 'How many applications the credit has in all.' })
  totalCount: number;
}

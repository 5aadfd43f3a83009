/** Relay connections of the credits layer (lib/platform/connection.ts, the shape every subgraph's lists take). */
import { Field, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../../../lib/platform/connection';
import { CreditApplication } from './credit-parts';
import { Credit } from './credit';

@ObjectType({ description: 'A page of credits across every cloud (Relay cursor connection).' })
export class CreditConnection extends connectionType(Credit, 'Credit', 'the credits across every cloud') {}

@ObjectType({ description: "A page of a credit's applications, newest month first (Relay cursor connection)." })
export class CreditApplicationConnection extends connectionType(CreditApplication, 'CreditApplication', "a credit's applications") {
  @Field(() => Int, { description: 'How many applications the credit has in all.' })
  totalCount: number;
}

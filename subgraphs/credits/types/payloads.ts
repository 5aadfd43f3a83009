/** Mutation payloads: the credit after the change, or typed user errors. */
import { Directive, Field, ObjectType } from 'type-graphql';
import { Credit } from './credit';
import { UserErrorCode } from './enums';

@ObjectType({ description: 'Why a mutation was refused, and which input field is at fault.' })
export class UserError {
  @Field(() => UserErrorCode, { description: 'Machine-readable reason.' })
  code: UserErrorCode;

  @Field(() => [String], { description: 'Path to the input field at fault, e.g. ["accountIds", "2"]; empty when it is the whole input.' })
  field: string[];

  @Field({ description: 'Human-readable explanation naming the bad value.' })
  message: string;
}

/** At most one error per input field and per entry of an input list (lists hold at most 100 entries). */
const USER_ERRORS_LIST_SIZE = '@listSize(assumedSize: 100)';

@ObjectType({ description: 'Result of `pauseCredit`.' })
export class PauseCreditPayload {
  @Field(() => Credit, { nullable: true, description: 'The credit, paused; null when refused.' })
  credit: Credit | null;

  @Directive(USER_ERRORS_LIST_SIZE)
  @Field(() => [UserError], { description: 'Why it was refused; empty on success.' })
  userErrors: UserError[];
}

@ObjectType({ description: 'Result of `activateCredit`.' })
export class ActivateCreditPayload {
  @Field(() => Credit, { nullable: true, description: 'The credit, active again; null when refused.' })
  credit: Credit | null;

  @Directive(USER_ERRORS_LIST_SIZE)
  @Field(() => [UserError], { description: 'Why it was refused; empty on success.' })
  userErrors: UserError[];
}

@ObjectType({ description: 'Result of `shareCredit`.' })
export class ShareCreditPayload {
  @Field(() => Credit, { nullable: true, description: 'The credit with its new sharing; null when refused.' })
  credit: Credit | null;

  @Directive(USER_ERRORS_LIST_SIZE)
  @Field(() => [UserError], { description: 'Why it was refused; empty on success.' })
  userErrors: UserError[];
}

/**
 * What every single-item lookup of the API (`credit(id)`, `node(id)`, `awsAccount(accountId)`,
 * `azureCreditLot(id)`, ...) answers for an id it has nothing for: null and a typed NOT_FOUND
 * error at the field's path, naming the argument and the id. Unknown, malformed and invisible ids
 * get the same answer, so a caller never learns that something it may not see exists.
 *
 * Entity resolution for the router (`__resolveReference`, `_entities`) does not use this: the
 * query planner asks for entities it already knows, and keeps null for one that went away.
 */
import { GraphQLError } from 'graphql';

/** Longest part of an id a message repeats (the rest is cut, so a huge argument is not echoed back). */
const ID_SHOWN = 512;

/** The id as a message writes it: quoted and escaped (control characters included), cut after ID_SHOWN characters. */
function shownId(id: string): string {
  return JSON.stringify(id.length > ID_SHOWN ? `${id.slice(0, ID_SHOWN)}...` : id);
}

/**
 * The NOT_FOUND error of a lookup of `what` (e.g. "AWS account") by `argument` = `id`.
 * `extensions.argument` names the argument.
 */
export function notFound(what: string, argument: string, id: string): GraphQLError {
  return new GraphQLError(`No ${what} with ${argument} ${shownId(String(id))} exists that the caller may see.`, {
    extensions: { code: 'NOT_FOUND', argument },
  });
}

/** The value a lookup found, or a NOT_FOUND error (the field answers null with it) when it found none. */
export function foundOrNotFound<T>(value: T | null | undefined, what: string, argument: string, id: string): T {
  if (value === null || value === undefined) throw notFound(what, argument, id);
  return value;
}

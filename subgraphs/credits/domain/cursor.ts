/**
 * Opaque page cursors. A credits cursor carries the position of the last credit of a page in the
 * global order, and the order it belongs to, so a cursor from one order is refused by another. A
 * cursor of a credit's applications carries the application's position in its provider's order.
 */
import { afterValues, badArgument, encodeCursor, InvalidCursorError } from '../../../lib/platform/connection';
import {
  ApplicationPosition,
  CreditOrder,
  CreditPosition,
  MAX_POSITION_VALUES,
  ORDER_FIELDS,
  PROVIDERS,
  ProviderName,
} from '../../../lib/domain/provider-contract';

export { InvalidCursorError };

interface CursorBody {
  f: CreditOrder['field'];
  d: CreditOrder['direction'];
  k: string;
  p: CreditPosition['provider'];
  i: string;
}

export function encodeCreditCursor(position: CreditPosition, order: CreditOrder): string {
  const body: CursorBody = { f: order.field, d: order.direction, k: position.key, p: position.provider, i: position.providerCreditId };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeCreditCursor(cursor: string, order: CreditOrder): CreditPosition {
  let body: Partial<CursorBody>;
  try {
    if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) throw new Error('not base64url');
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(`"after" is not a cursor returned by this API`);
  }
  const valid =
    typeof body === 'object' &&
    body !== null &&
    ORDER_FIELDS.includes(body.f as CreditOrder['field']) &&
    (body.d === 'ASC' || body.d === 'DESC') &&
    typeof body.k === 'string' &&
    PROVIDERS.includes(body.p as CreditPosition['provider']) &&
    typeof body.i === 'string';
  if (!valid) throw new InvalidCursorError(`"after" is not a cursor returned by this API`);
  if (body.f !== order.field || body.d !== order.direction) {
    throw new InvalidCursorError(
      `"after" is a cursor of a list ordered by ${body.f} ${body.d}; this list is ordered by ${order.field} ${order.direction}`,
    );
  }
  return { key: body.k!, provider: body.p!, providerCreditId: body.i! };
}

/** Kind of the cursors of a credit's applications (lib/platform/connection.ts encodeCursor). */
const APPLICATION_CURSOR = 'CreditApplication';

/**
 * A cursor of a credit's applications: the credit's provider and the application's position in
 * that provider's applications order (opaque here: the provider defines it and pages after it), so
 * a page continues after the application, wherever the list has changed since.
 */
export function encodeApplicationCursor(provider: ProviderName, position: ApplicationPosition): string {
  return encodeCursor(APPLICATION_CURSOR, [provider, ...position]);
}

/**
 * The position `after` names in the applications of a credit of `provider` (null for none). A
 * string that is no such cursor (an offset cursor this list gave before its cursors were keyset
 * among them), or one of another cloud's credit, is a BAD_USER_INPUT error naming `after`; whether the position is one of its order the provider checks (`page.after` refused).
 */
export function applicationsAfter(provider: ProviderName, after: string | null | undefined): ApplicationPosition | null {
  if (typeof after === 'string' && /^offset:\d{1,9}$/.test(Buffer.from(after, 'base64url').toString('utf8'))) {
    throw badArgument(
      '"after" is not a cursor of this list: it is a position cursor of an earlier version, and the cursors of a credit\'s applications ' +
        'now name an application, not a place in the list. Ask for the first page again.',
      'after',
    );
  }
  const values = afterValues(APPLICATION_CURSOR, after, { min: 2, max: MAX_POSITION_VALUES + 1 });
  if (values === null) return null;
  if (values[0] !== provider) {
    const of = PROVIDERS.includes(values[0] as ProviderName) ? `: it is one of an ${values[0]} credit's` : '';
    throw badArgument(`"after" is not a cursor of this ${provider} credit's applications${of}`, 'after');
  }
  return values.slice(1);
}

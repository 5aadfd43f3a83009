/**
 * Opaque page cursors. A credits cursor carries the position of the last credit of a page in the
 * global order, and the order it belongs to, so a cursor from one order is refused by another.
 */
import { CreditOrder, CreditPosition, ORDER_FIELDS, PROVIDERS } from '../../../lib/provider-contract';

/** Raised for a cursor that is malformed or belongs to another order. */
export class InvalidCursorError extends Error {}

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

/** Cursors of small in-memory lists (a credit's applications): the offset of the item. */
export function encodeOffsetCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

export function decodeOffsetCursor(cursor: string): number {
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError(`"after" is not a cursor returned by this API`);
  return Number(match[1]);
}

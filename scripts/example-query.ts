/**
 * The query `npm start` prints with its curl example: the soonest-expiring credits that can still
 * pay, and the usable totals. test/docs/readme.test.ts runs it against the demo data with the
 * README's examples.
 */
export const EXAMPLE_QUERY = `query {
  credits(first: 5, orderBy: { field: EXPIRES_AT }, filter: { statuses: [ACTIVE, PAUSED, NOT_STARTED] }) {
    edges { node { id provider name status expiresAt expiringSoon remainingBalance { amount currencyCode } } }
    pageInfo { hasNextPage endCursor }
  }
  creditSummary { totals { provider currencyCode usableCreditCount usableBalance { amount } } }
}`;

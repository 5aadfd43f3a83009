/**
 * The status facts of a credit (domain/normalize-credit.ts awsStatusFacts) as SQL over the credit
 * table aliased `credit`, for lib/domain/credit-status.ts statusSqlCase. `exhausted` reads the
 * stored remaining sort key, which is the key of zero exactly when the remaining amount is zero.
 * test/aws/provider.test.ts runs them against the facts for every combination.
 */
import { amountSortKey } from '../../../lib/domain/money';
import type { StatusFactColumns } from '../../../lib/domain/credit-status';

/** The alias of the credit table in the store's credit queries. */
export const CREDIT_ALIAS = 'credit';

export const CREDIT_STATUS_COLUMNS: StatusFactColumns = {
  canceled: 'FALSE',
  expiredFlag: 'FALSE',
  expiresAt: `${CREDIT_ALIAS}.endDate`,
  exhausted: `${CREDIT_ALIAS}.sortRemaining = '${amountSortKey('0')}'`,
  paused: `${CREDIT_ALIAS}.creditStatus = 'DISABLED'`,
  notStartedFlag: 'FALSE',
  startsAt: `${CREDIT_ALIAS}.startDate`,
};

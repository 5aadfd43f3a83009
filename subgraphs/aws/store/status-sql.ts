/**
 * The status facts of a credit (domain/normalize-credit.ts awsStatusFacts) as SQL over the credit
 * table aliased `credit`, for lib/domain/credit-status.ts statusSqlCase. `exhausted` reads the
 * stored remaining sort key, which is the key of zero exactly when the remaining amount is zero.
 * test/aws/provider.test.ts runs them against the facts for every combination.
 */
import { amountSortKey } from '../../../lib/domain/money';
import { statusSqlCase, StatusFactColumns } from '../../../lib/domain/credit-status';
import type { SummaryColumns } from '../../../lib/store/summary-sql';

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

/**
 * What a summary sums and groups by (lib/store/summary-sql.ts), as domain/normalize-credit.ts
 * normalizeCredit reads it: the estimate is the remaining balance when AWS gives none.
 */
export const CREDIT_SUMMARY_COLUMNS: SummaryColumns = {
  alias: CREDIT_ALIAS,
  id: 'creditId',
  currency: `${CREDIT_ALIAS}.remainingCurrencyCode`,
  originalAmount: `${CREDIT_ALIAS}.initialCurrencyAmount`,
  remainingBalance: `${CREDIT_ALIAS}.remainingCurrencyAmount`,
  estimatedBalance:
    `(CASE WHEN ${CREDIT_ALIAS}.estimatedCurrencyAmount IS NOT NULL AND ${CREDIT_ALIAS}.estimatedCurrencyCode IS NOT NULL ` +
    `THEN ${CREDIT_ALIAS}.estimatedCurrencyAmount ELSE ${CREDIT_ALIAS}.remainingCurrencyAmount END)`,
  status: statusSqlCase(CREDIT_STATUS_COLUMNS),
  expiresAt: `${CREDIT_ALIAS}.endDate`,
};

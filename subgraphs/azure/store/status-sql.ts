/**
 * The status facts of a lot (domain/normalize-lot.ts lotStatusFacts) as SQL over the lot table
 * aliased `lot`, for lib/domain/credit-status.ts statusSqlCase (booleans are stored as 0/1 on
 * SQLite, TRUE/FALSE on PostgreSQL; TRUE reads as either).
 */
import { statusSqlCase, StatusFactColumns } from '../../../lib/domain/credit-status';
import type { SummaryColumns } from '../../../lib/store/summary-sql';
import { LOT_STATUS } from '../domain/normalize-lot';

/** The alias of the lot table in the store's lot queries. */
export const LOT_ALIAS = 'lot';

export const LOT_STATUS_COLUMNS: StatusFactColumns = {
  canceled: `${LOT_ALIAS}.status = '${LOT_STATUS.canceled}'`,
  expiredFlag: `${LOT_ALIAS}.status = '${LOT_STATUS.expired}'`,
  expiresAt: `${LOT_ALIAS}.expirationDate`,
  exhausted: `(${LOT_ALIAS}.status = '${LOT_STATUS.complete}' OR ${LOT_ALIAS}.closedBalanceIsZero = TRUE)`,
  paused: `${LOT_ALIAS}.paused = TRUE`,
  notStartedFlag: `${LOT_ALIAS}.status = '${LOT_STATUS.inactive}'`,
  startsAt: `${LOT_ALIAS}.startDate`,
};

/**
 * What a summary sums and groups by (lib/store/summary-sql.ts), as domain/normalize-lot.ts
 * normalizeLot reads it: the closed balance is the remaining balance, and the estimate when
 * nothing estimated it.
 */
export const LOT_SUMMARY_COLUMNS: SummaryColumns = {
  alias: LOT_ALIAS,
  id: 'id',
  currency: `${LOT_ALIAS}.closedBalanceCurrency`,
  originalAmount: `${LOT_ALIAS}.originalAmountValue`,
  remainingBalance: `${LOT_ALIAS}.closedBalanceValue`,
  estimatedBalance: `COALESCE(${LOT_ALIAS}.estimatedBalanceValue, ${LOT_ALIAS}.closedBalanceValue)`,
  status: statusSqlCase(LOT_STATUS_COLUMNS),
  expiresAt: `${LOT_ALIAS}.expirationDate`,
};

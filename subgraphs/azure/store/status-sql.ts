/**
 * The status facts of a lot (domain/normalize-lot.ts lotStatusFacts) as SQL over the lot table
 * aliased `lot`, for lib/domain/credit-status.ts statusSqlCase (booleans are stored as 0/1 on
 * SQLite, TRUE/FALSE on PostgreSQL; TRUE reads as either).
 */
import type { StatusFactColumns } from '../../../lib/domain/credit-status';
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

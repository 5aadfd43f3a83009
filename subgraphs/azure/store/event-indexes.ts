/**
 * The partial indexes of azure_credit_event and the SQL they hold: the WHEREs the recompute's
 * queries repeat (charges.ts), so SQLite may answer them from these small indexes.
 */
import { createHash } from 'node:crypto';
import { startsWithSql } from '../../../lib/platform/sql-dialect';

/** isPendingEventType (domain/applications.ts) in SQL, for an event type column (case-sensitive, as startsWith is; NULL is not pending), the same on both databases. */
export const pendingEventTypeSql = (column: string): string => startsWithSql(column, 'Pending');

/**
 * The WHERE of the imported pending-or-new-credit index, which queries using it repeat (SQLite
 * matches the terms). Written so that SQLite and PostgreSQL both take it: quoted names, TRUE.
 */
export const IMPORTED_PENDING_OR_NEW_CREDIT = `"origin" = 'IMPORTED' AND (${pendingEventTypeSql('"eventType"')} OR "eventType" = 'NewCredit')`;
/** The WHERE of the superseded index, repeated likewise. */
export const SUPERSEDED = '"superseded" = TRUE';

/**
 * A partial index's name, ending in a digest of its WHERE: TypeORM's schema sync compares an
 * index's columns but not its WHERE, so an edited WHERE under the same name would stay as first
 * created in existing databases, and a query repeating the new one would no longer be allowed to
 * name it. A new WHERE gets a new name, which sync creates, dropping the old one.
 */
const partialIndexName = (name: string, where: string) => `IDX_azure_credit_event_${name}_${createHash('sha256').update(where).digest('hex').slice(0, 8)}`;

/**
 * Partial indexes for recomputing a profile from cost details (charges/book.ts projectEvents),
 * each holding only the few events it finds, by profile. Queries name them (INDEXED BY): without
 * statistics SQLite prefers the `origin` index, which walks every imported event (a million
 * events: 0.3-0.6 s a query).
 */
export const EVENT_INDEXES = {
  /** Imported pending events (superseded by cost details) and new credits (not written twice). */
  importedPendingOrNewCredit: partialIndexName('imported_pending_or_new_credit', IMPORTED_PENDING_OR_NEW_CREDIT),
  /** Superseded events (to be un-superseded before a recompute marks them again). */
  superseded: partialIndexName('superseded', SUPERSEDED),
} as const;

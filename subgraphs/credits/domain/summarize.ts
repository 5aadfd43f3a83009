/**
 * Cross-cloud totals. Each provider sums its own credits and answers only the totals (the
 * contract's `summarizeCredits`); the credits layer merges the providers' parts. Both sides use
 * one piece of code, lib/domain/credit-summary.ts, with the same exact-decimal rules: what a credit can no
 * longer use is never added into what is usable, and amounts of different currencies never meet.
 */
export { mergeCreditSummaries, summarizeCredits } from '../../../lib/domain/credit-summary';

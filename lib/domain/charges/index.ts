/** The charges engine: plain, server-free domain code. Rules: docs/CHARGES.md. */
export * from './types';
export { applyCharges, replacePeriod, controlsAt, instantOf, endOfMonth } from './engine';
export { ExactSum, parseExact, formatExact, UNIT_PLACES } from './amount';
export type { Exact } from './amount';

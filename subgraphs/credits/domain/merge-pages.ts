/**
 * Merges the providers' pages into one page of the global order. Every provider returns its own
 * credits after the cursor, already in the global order, at most `first + 1` of them; the first
 * `first` of the merge are the page and one more tells that a next page exists.
 */
import { compareCredits } from '../../../lib/domain/credit-order';
import type { CreditOrder, NormalizedCredit } from '../../../lib/domain/provider-contract';

export interface MergedPage {
  credits: NormalizedCredit[];
  hasNextPage: boolean;
}

export function mergePages(pages: NormalizedCredit[][], order: CreditOrder, first: number): MergedPage {
  const all = pages.flat().sort((a, b) => compareCredits(a, b, order));
  return { credits: all.slice(0, first), hasNextPage: all.length > first };
}

/**
 * Text search over credits. SQLite's lower() folds ASCII letters only, so providers store a
 * search column folded here, in JS, and match the folded term against it (lib/platform/text-search-sql.ts textSearchCondition): both
 * sides fold the same way, whatever the alphabet.
 */

/** The text a credit is found by: its name, native id and provider type, case-folded. */
export function creditSearchText(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((p): p is string => typeof p === 'string' && p.length > 0)
    .join('\n')
    .toLowerCase();
}

/** A search term folded like `creditSearchText`; match with lib/platform/text-search-sql.ts textSearchCondition. */
export function foldSearchTerm(term: string): string {
  return term.toLowerCase();
}

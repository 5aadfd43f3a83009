/**
 * What every ingested text must be, checked the same way by the JSON readers (lib/store/ingest.ts
 * `EntryReader`) and the billing-file parsers: currency codes shaped as ISO 4217 codes, and text
 * without control characters (which no provider writes, and which would reach terminals, logs and
 * every client of the API as they are).
 */

/** Three capital letters A-Z: the shape of an ISO 4217 alphabetic code ("USD", "EUR"). */
const CURRENCY_CODE = /^[A-Z]{3}$/;

/** Whether `text` is shaped as an ISO 4217 currency code. */
export function isCurrencyCode(text: string): boolean {
  return CURRENCY_CODE.test(text);
}

/** Why `text` is not a currency code, or null when it is one. */
export function currencyCodeProblem(text: string): string | null {
  return isCurrencyCode(text) ? null : `${quoteText(text)} is not an ISO 4217 currency code (three capital letters A-Z, such as "USD")`;
}

/** C0 controls (U+0000 to U+001F, tab and line breaks included), DEL (U+007F) and C1 controls (U+0080 to U+009F). */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Whether `text` holds a control character. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/** Why `text` may not be stored (the first control character it holds and where), or null when it may. */
export function controlCharacterProblem(text: string): string | null {
  const match = CONTROL_CHARACTER.exec(text);
  if (!match) return null;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `holds the control character U+${code} at character ${match.index + 1}; text may not hold control characters (C0, DEL or C1)`;
}

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/** A text for a problem's message: quoted, every control character written as an escape (\u0007), cut when long. */
export function quoteText(text: string, max = 80): string {
  const shown = text.length > max ? `${text.slice(0, max)}...` : text;
  return `"${shown.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

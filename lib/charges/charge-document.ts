/**
 * A billing period's charges as one document (lib/charges/storage.ts PeriodChargesRow): the
 * ledger always writes a (billing group, month)'s charges together, replacing them, and reads them
 * together to recompute, and nothing queries one charge. A row per charge repeated the group and
 * the consumer in every row (an Azure invoice section's ARM id is about 190 characters): 290,000
 * charges were 206 MB of table and index. Here each distinct text is written once and each charge is
 * a row of numbers into them, with its amount as a decimal string.
 *
 *   {"texts": ["2026-10-01", "AZURE_INVOICE_SECTION", "/providers/...", ...],
 *    "charges": [[date, consumerKind, consumerId, service, productCode, currency, eligible (1/0), "amount"], ...]}
 */
import { TextNumbers } from '../text-numbers';
import type { EngineCharge } from './types';

type ChargeRow = [number, number, number, number, number, number, 0 | 1, string];

interface ChargesDocument {
  texts: string[];
  charges: ChargeRow[];
}

/** The document of a period's charges, in their order. */
export function encodeCharges(charges: readonly EngineCharge[]): string {
  const texts = new TextNumbers();
  const of = (text: string) => texts.of(text);
  const rows = charges.map((c): ChargeRow => [of(c.date), of(c.consumerKind), of(c.consumerId), of(c.service), of(c.productCode), of(c.currency), c.creditEligible ? 1 : 0, c.amount]);
  return JSON.stringify({ texts: texts.texts, charges: rows } satisfies ChargesDocument);
}

/** The charges of a document written by encodeCharges; `where` names the period in an error. */
export function decodeCharges(document: string, where: string): EngineCharge[] {
  const fail = (why: string): never => {
    throw new Error(`the stored charges of ${where} are not a charges document: ${why}`);
  };
  let parsed: ChargesDocument;
  try {
    parsed = JSON.parse(document) as ChargesDocument;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const { texts, charges } = parsed ?? {};
  if (!Array.isArray(texts) || !Array.isArray(charges)) return fail('expected "texts" and "charges" lists');
  const text = (n: unknown, i: number) => (typeof n === 'number' && typeof texts[n] === 'string' ? texts[n] : fail(`charge ${i + 1} names text ${JSON.stringify(n)}, which the document does not have`));
  return charges.map((row, i) => {
    if (!Array.isArray(row) || row.length !== 8 || (row[6] !== 0 && row[6] !== 1) || typeof row[7] !== 'string') {
      return fail(`charge ${i + 1} is not [date, kind, consumer, service, product, currency, eligible (1 or 0), amount]`);
    }
    return {
      date: text(row[0], i),
      consumerKind: text(row[1], i),
      consumerId: text(row[2], i),
      service: text(row[3], i),
      productCode: text(row[4], i),
      currency: text(row[5], i),
      creditEligible: row[6] === 1,
      amount: row[7],
    };
  });
}

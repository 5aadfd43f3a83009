/**
 * Lists the ledger always writes and reads whole, stored as one document each: a billing
 * period's charges (lib/store/storage.ts PeriodChargesRow) and a credit's applications
 * (CreditApplicationsRow). Nothing queries one charge or one application, and a row for each
 * repeated long texts in every row (an Azure invoice section's ARM id is about 190 characters):
 * 290,000 charges were 206 MB of table and index, 88,000 applications 105 MB. Here each distinct
 * text is written once and each entry is a row of numbers into them, flags as 1/0 and its amount
 * as a decimal string:
 *
 *   {"texts": ["2026-10-01", "AZURE_INVOICE_SECTION", "/providers/...", ...],
 *    "charges": [[date, consumerKind, consumerId, service, productCode, currency, eligible (1/0), "amount"], ...]}
 *   {"texts": [...], "applications": [[month, consumerKind, consumerId, service, productCode, currency, estimated (1/0), "amount"], ...]}
 */
import { TextNumbers } from '../platform/text-numbers';
import type { CreditApplication, EngineCharge } from '../domain/charges/types';

/** A field of an entry: a text (numbered into the document's texts), a flag (1/0) or a decimal (as written). */
type FieldKind = 'text' | 'flag' | 'decimal';

/**
 * How one kind of list is written: the name of its list and of an entry (for errors), and the
 * kind of every field of an entry, in the order a row holds them (the type asks for every field, so
 * one added to the entry cannot be left out of its documents unnoticed).
 */
export class RowDocument<T extends object> {
  private readonly fields: readonly (readonly [string, FieldKind])[];
  private readonly shape: string;

  constructor(
    private readonly list: string,
    private readonly entry: string,
    kinds: { readonly [K in keyof T]-?: FieldKind },
  ) {
    this.fields = Object.entries(kinds) as [string, FieldKind][];
    this.shape = `[${this.fields.map(([name, kind]) => (kind === 'flag' ? `${name} (1 or 0)` : name)).join(', ')}]`;
  }

  /** The document of `entries`, in their order. */
  encode(entries: readonly T[]): string {
    const texts = new TextNumbers();
    const { fields } = this;
    const width = fields.length;
    // A plain loop: a closure per field and entry cost twice as much for a period's 3,000 charges.
    const rows = new Array<(number | string)[]>(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as Record<string, unknown>;
      const row = new Array<number | string>(width);
      for (let f = 0; f < width; f++) {
        const [name, kind] = fields[f];
        const value = e[name];
        row[f] = kind === 'text' ? texts.of(value as string) : kind === 'flag' ? (value ? 1 : 0) : (value as string);
      }
      rows[i] = row;
    }
    return JSON.stringify({ texts: texts.texts, [this.list]: rows });
  }

  /** The entry's fields, as the tables written before documents named their columns. */
  get columns(): string[] {
    return this.fields.map(([name]) => name);
  }

  /** An entry from a row of such a table (SQLite gives a flag as 1 or 0). */
  fromRow(row: Record<string, unknown>): T {
    const entry: Record<string, unknown> = {};
    for (const [name, kind] of this.fields) entry[name] = kind === 'flag' ? Number(row[name]) === 1 : String(row[name]);
    return entry as T;
  }

  /** The entries of a document `encode` wrote; `where` names whose they are in an error. */
  decode(document: string, where: string): T[] {
    const fail = (why: string): never => {
      throw new Error(`the stored ${this.list} of ${where} are not ${/^[aeiou]/.test(this.list) ? 'an' : 'a'} ${this.list} document: ${why}`);
    };
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(document) as Record<string, unknown>;
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    const texts = parsed?.texts;
    const rows = parsed?.[this.list];
    if (!Array.isArray(texts) || !Array.isArray(rows)) return fail(`expected "texts" and "${this.list}" lists`);
    const { fields } = this;
    return rows.map((row: unknown, i) => {
      if (!Array.isArray(row) || row.length !== fields.length) return fail(`${this.entry} ${i + 1} is not ${this.shape}`);
      const entry: Record<string, unknown> = {};
      for (let f = 0; f < fields.length; f++) {
        const [name, kind] = fields[f];
        const value: unknown = row[f];
        if (kind === 'text') {
          const text: unknown = typeof value === 'number' ? texts[value] : undefined;
          entry[name] = typeof text === 'string' ? text : fail(`${this.entry} ${i + 1} names text ${JSON.stringify(value)}, which the document does not have`);
        } else if (kind === 'flag') {
          entry[name] = value === 1 ? true : value === 0 ? false : fail(`${this.entry} ${i + 1} is not ${this.shape}`);
        } else {
          entry[name] = typeof value === 'string' ? value : fail(`${this.entry} ${i + 1} is not ${this.shape}`);
        }
      }
      return entry as T;
    });
  }
}

/** A period's charges. */
export const CHARGES_DOCUMENT = new RowDocument<EngineCharge>('charges', 'charge', {
  date: 'text',
  consumerKind: 'text',
  consumerId: 'text',
  service: 'text',
  productCode: 'text',
  currency: 'text',
  creditEligible: 'flag',
  amount: 'decimal',
});

/** A credit's applications, without the credit and its group (the row's). */
export type StoredApplication = Omit<CreditApplication, 'creditId' | 'group'>;

/** A credit's applications. */
export const APPLICATIONS_DOCUMENT = new RowDocument<StoredApplication>('applications', 'application', {
  month: 'text',
  consumerKind: 'text',
  consumerId: 'text',
  service: 'text',
  productCode: 'text',
  currency: 'text',
  estimated: 'flag',
  amount: 'decimal',
});

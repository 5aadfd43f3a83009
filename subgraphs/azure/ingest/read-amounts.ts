/** Readers of Azure's value types (Amount, AmountWithExchangeRate, Reseller) from ingested JSON. */
import type { EntryReader } from '../../../lib/ingest';
import type { AzureAmount, AzureAmountWithExchangeRate } from '../entities/amount';

/** An `Amount` `{ currency, value }`, value a JSON number kept exact; null when absent or broken. */
export function readAmount(reader: EntryReader, field: string, required = false): AzureAmount | null {
  const amount = reader.object(field, required);
  if (!amount) return null;
  const currency = amount.string('currency');
  const value = amount.decimal('value', true, 'number');
  return currency !== null && value !== null ? { currency, value } : null;
}

/** An `AmountWithExchangeRate`: an Amount plus optional `exchangeRate` (number) and `exchangeRateMonth`. */
export function readAmountWithRate(reader: EntryReader, field: string): AzureAmountWithExchangeRate | null {
  const amount = readAmount(reader, field);
  if (!amount) return null;
  const raw = reader.object(field, false)!;
  return { ...amount, exchangeRate: raw.decimal('exchangeRate', false, 'number'), exchangeRateMonth: raw.integer('exchangeRateMonth', false) };
}

/** The optional `reseller` object as the two reseller columns. */
export function readReseller(reader: EntryReader): { resellerId: string | null; resellerDescription: string | null } {
  const reseller = reader.object('reseller', false);
  return {
    resellerId: reseller?.string('resellerId', false) ?? null,
    resellerDescription: reseller?.string('resellerDescription', false) ?? null,
  };
}

/** Readers of Azure's value types (Amount, AmountWithExchangeRate, Reseller) from ingested JSON. */
import { isLosslessNumber } from 'lossless-json';
import { checkSameCurrency, type EntryReader } from '../../../lib/store/ingest';
import { compareDecimal } from '../../../lib/domain/money';
import type { AzureAmount, AzureAmountWithExchangeRate } from '../entities/amount';
import { azureNumberText } from './azure-number';

/**
 * An exact decimal from a JSON number (kept exact by lossless-json), plain or with an exponent
 * ("1E-05"), as plain decimal text; null (with a problem) when absent and required, or broken.
 */
export function readAzureNumber(reader: EntryReader, field: string, required = true): string | null {
  const raw = reader.raw(field);
  if (raw === undefined || raw === null) {
    if (required) reader.problem(field, 'is required');
    return null;
  }
  if (!isLosslessNumber(raw)) {
    reader.problem(field, `must be a decimal number, got ${typeof raw === 'object' ? (Array.isArray(raw) ? 'a list' : 'an object') : JSON.stringify(raw)}`);
    return null;
  }
  const number = azureNumberText(raw.value);
  if (number.problem !== undefined) {
    reader.problem(field, number.problem);
    return null;
  }
  return number.value;
}

export interface AmountOptions {
  required?: boolean;
  /** Refuse a value below zero (lot amounts and balances; event amounts may be negative). */
  nonNegative?: boolean;
}

/** An `Amount` `{ currency, value }`, value a JSON number kept exact; null when absent or broken. */
export function readAmount(reader: EntryReader, field: string, options: AmountOptions = {}): AzureAmount | null {
  const amount = reader.object(field, options.required ?? false);
  if (!amount) return null;
  const currency = amount.currency('currency');
  let value = readAzureNumber(amount, 'value');
  if (value !== null && options.nonNegative && compareDecimal(value, '0') < 0) {
    amount.problem('value', `must not be negative, got ${value} (a credit's amount or balance is never below zero)`);
    value = null;
  }
  return currency !== null && value !== null ? { currency, value } : null;
}

/** An `AmountWithExchangeRate`: an Amount plus optional `exchangeRate` (number) and `exchangeRateMonth`. */
export function readAmountWithRate(reader: EntryReader, field: string, options: AmountOptions = {}): AzureAmountWithExchangeRate | null {
  const amount = readAmount(reader, field, options);
  if (!amount) return null;
  const raw = reader.object(field, false)!;
  return { ...amount, exchangeRate: readAzureNumber(raw, 'exchangeRate', false), exchangeRateMonth: raw.integer('exchangeRateMonth', false) };
}

/** The optional `reseller` object as the two reseller columns. */
export function readReseller(reader: EntryReader): { resellerId: string | null; resellerDescription: string | null } {
  const reseller = reader.object('reseller', false);
  return {
    resellerId: reseller?.string('resellerId', false) ?? null,
    resellerDescription: reseller?.string('resellerDescription', false) ?? null,
  };
}

/**
 * The currencies of a lot's or an event's amounts: those in the credit currency agree with each
 * other and with `creditCurrency` when the entry states it, those in the billing currency
 * (`...InBillingCurrency`) with each other and with `billingCurrency`. Returns whether each group agrees.
 */
export function checkAmountCurrencies(
  p: EntryReader,
  inCreditCurrency: Record<string, AzureAmount | null>,
  inBillingCurrency: Record<string, AzureAmount | null>,
  stated: { creditCurrency: string | null; billingCurrency: string | null },
): { credit: boolean; billing: boolean } {
  const currencies = (amounts: Record<string, AzureAmount | null>) => Object.entries(amounts).map(([field, a]) => ({ field: `${field}.currency`, value: a?.currency ?? null }));
  return {
    credit: checkSameCurrency(p, currencies(inCreditCurrency), { field: 'creditCurrency', value: stated.creditCurrency }, 'amounts in the credit currency are all in one currency'),
    billing: checkSameCurrency(p, currencies(inBillingCurrency), { field: 'billingCurrency', value: stated.billingCurrency }, 'amounts in the billing currency are all in one currency'),
  };
}

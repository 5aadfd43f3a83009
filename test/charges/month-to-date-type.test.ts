/** Month-to-date figures as the API serves them: every amount in the one money form of its currency. */
import 'reflect-metadata';
import { expect } from 'chai';
import { monthToDateCharges } from '../../lib/api/month-to-date-charges';

const facts = {
  month: '2026-11',
  estimated: true,
  dataThrough: '2026-11-21',
  daysCovered: 21,
  daysInMonth: 30,
  charges: '1200.5000000000',
  eligibleCharges: '1000.0000000000',
  creditsApplied: '0.0000000000',
  net: '1200.5000000000',
  forecastCharges: '1715.0000000000',
  forecastCreditsApplied: '0.0000000000',
  forecastNet: '1715.0000000000',
};

describe('month-to-date charges in the API', () => {
  it('writes every amount with the currency minor units and no noise beyond them, never rounding', () => {
    const usd = monthToDateCharges({ ...facts, currency: 'USD' });
    expect(usd).to.include({ currencyCode: 'USD', charges: '1200.50', eligibleCharges: '1000.00', creditsApplied: '0.00', net: '1200.50', forecastCharges: '1715.00', forecastNet: '1715.00' });
    expect(monthToDateCharges({ ...facts, currency: 'JPY' })).to.include({ charges: '1200.5', creditsApplied: '0', forecastCharges: '1715' });
    expect(monthToDateCharges({ ...facts, charges: '12.3456789012', currency: 'EUR' }).charges).to.equal('12.3456789012');
    expect(usd).to.include({ month: '2026-11', estimated: true, daysCovered: 21, daysInMonth: 30, dataThrough: '2026-11-21' });
  });
});

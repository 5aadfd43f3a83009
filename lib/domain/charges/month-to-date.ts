/**
 * Month-to-date charges, credits applied and net of a consumer (an AWS account, an Azure invoice
 * section) or a group of them (an Azure billing profile), with a forecast of the month's end
 * from the run rate. Plain functions over the stored consumer months (lib/store/storage.ts).
 */
import { ExactSum, formatExact, parseExact } from './amount';
import { daysInMonth } from './months';
import { scaleDecimal, scaleOf } from '../money';

/** The consumer-month fields a summary reads (ConsumerMonthRow has them). */
export interface ConsumerMonthFacts {
  month: string;
  currency: string;
  estimated: boolean;
  charges: string;
  eligibleCharges: string;
  creditsApplied: string;
  net: string;
  dataThrough: string | null;
}

/** One month and currency, summed over consumers (`estimated`: true while the month is open), with its forecast. */
export interface MonthToDate extends ConsumerMonthFacts {
  /** Days of the month the data covers (all of them once the month is final). */
  daysCovered: number;
  daysInMonth: number;
  /** The month's end at the run rate so far: the amounts x daysInMonth / daysCovered; the actuals once final. */
  forecastCharges: string;
  forecastCreditsApplied: string;
  forecastNet: string;
}

/** Places a forecast is written with: those of the amounts it scales, at least cents. */
function forecastPlaces(...amounts: string[]): number {
  return Math.max(2, ...amounts.map(scaleOf));
}

/**
 * The month-to-date figures of `month` (default: the latest month the rows hold), one per
 * currency, summed over every row of that month.
 */
export function monthToDate(rows: readonly ConsumerMonthFacts[], month?: string | null): MonthToDate[] {
  const chosen = month ?? rows.reduce<string | null>((latest, r) => (latest === null || r.month > latest ? r.month : latest), null);
  if (chosen === null) return [];
  const byCurrency = new Map<string, { estimated: boolean; dataThrough: string | null; sums: ExactSum[] }>();
  for (const r of rows) {
    if (r.month !== chosen) continue;
    let acc = byCurrency.get(r.currency);
    if (!acc) byCurrency.set(r.currency, (acc = { estimated: false, dataThrough: null, sums: [new ExactSum(), new ExactSum(), new ExactSum(), new ExactSum()] }));
    acc.estimated ||= r.estimated;
    if (r.dataThrough !== null && (acc.dataThrough === null || r.dataThrough > acc.dataThrough)) acc.dataThrough = r.dataThrough;
    [r.charges, r.eligibleCharges, r.creditsApplied, r.net].forEach((v, i) => acc!.sums[i].add(parseExact(v)));
  }
  const days = daysInMonth(chosen);
  return [...byCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, acc]) => {
      const places = Math.max(...acc.sums.map((s) => s.places));
      const [charges, eligibleCharges, creditsApplied, net] = acc.sums.map((s) => formatExact(s.units, places));
      const covered = !acc.estimated ? days : acc.dataThrough?.startsWith(chosen) ? Number(acc.dataThrough.slice(8, 10)) : days;
      const p = forecastPlaces(charges, creditsApplied);
      const forecast = (v: string) => (covered === days ? v : scaleDecimal(v, days, covered, p));
      const forecastCharges = forecast(charges);
      const forecastCreditsApplied = forecast(creditsApplied);
      const forecastNet = covered === days ? net : formatExact(parseExact(forecastCharges).units - parseExact(forecastCreditsApplied).units, p);
      return {
        month: chosen,
        currency,
        estimated: acc.estimated,
        charges,
        eligibleCharges,
        creditsApplied,
        net,
        dataThrough: acc.dataThrough,
        daysCovered: covered,
        daysInMonth: days,
        forecastCharges,
        forecastCreditsApplied,
        forecastNet,
      };
    });
}

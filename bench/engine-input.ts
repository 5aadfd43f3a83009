/**
 * Inputs of the charges engine benchmark, deterministic: `credits` credits over `groups` billing
 * groups (AWS organizations) of 50 accounts, `charges` charges over `months` months (the last one
 * estimated), with the mix the engine meets in practice: restricted and organization-wide scopes,
 * service lists, start and expiry dates inside the year, pauses, ineligible charges. Amounts are
 * BigInt 1e-10 units written as decimal strings.
 */
import type { CreditControls, EngineCharge, EngineCredit, EnginePeriod } from '../lib/domain/charges';
import type { EngineConfig } from './config';
import { AWS_SERVICES, makeRng, MONTHS, units10 } from './dataset';

const ACCOUNTS_PER_GROUP = 50;

function group(g: number): string {
  return String(200_000_000_000 + g * 1_000);
}

function account(g: number, j: number): string {
  return String(200_000_000_000 + g * 1_000 + j);
}

export function engineInput(config: EngineConfig, seed = 20261122): { credits: EngineCredit[]; periods: EnginePeriod[] } {
  const rng = makeRng(seed);
  const months = MONTHS.slice(-config.months);
  const credits: EngineCredit[] = [];
  for (let i = 0; i < config.credits; i++) {
    const g = i % config.groups;
    const services = rng.chance(40) ? [] : [rng.pick(AWS_SERVICES).name, ...(rng.chance(50) ? [rng.pick(AWS_SERVICES).name] : [])];
    const startMonth = rng.chance(15) ? months[rng.next(months.length)] : months[0];
    const expiresMonth = rng.chance(30) ? months[rng.next(months.length)] : null;
    const controls: CreditControls[] = [];
    const roll = rng.next(100);
    if (roll < 20) {
      const ids = Array.from({ length: 1 + rng.next(4) }, () => account(g, rng.next(ACCOUNTS_PER_GROUP)));
      controls.push({ from: months[0], paused: false, scope: { kind: 'consumers', consumerIds: [...new Set(ids)] } });
    } else if (roll < 30) {
      const pausedAt = 1 + rng.next(months.length - 2);
      controls.push({ from: months[0], paused: false, scope: { kind: 'everyone' } });
      controls.push({ from: months[pausedAt], paused: true, scope: { kind: 'everyone' } });
      controls.push({ from: months[pausedAt + 1], paused: false, scope: { kind: 'everyone' } });
    }
    credits.push({
      id: String(90_000_000_001 + i),
      group: group(g),
      currency: 'USD',
      // 500 to 20,000 USD: together the credits pay a large part of the year, so many are used up.
      openingBalance: units10(BigInt(500 + rng.next(19_500)) * 10_000_000_000n + BigInt(rng.next(10_000_000_000))),
      openingMonth: months[0],
      startsAt: `${startMonth}-${String(1 + rng.next(28)).padStart(2, '0')}T00:00:00Z`,
      expiresAt: expiresMonth ? `${expiresMonth}-${String(1 + rng.next(28)).padStart(2, '0')}T00:00:00Z` : null,
      applicableServices: services,
      ...(controls.length ? { controls } : {}),
    });
  }
  const periods: EnginePeriod[] = [];
  const cells = config.groups * months.length;
  for (let g = 0; g < config.groups; g++) {
    for (let m = 0; m < months.length; m++) {
      const cell = g * months.length + m;
      const n = Math.floor(config.charges / cells) + (cell < config.charges % cells ? 1 : 0);
      const charges: EngineCharge[] = [];
      for (let k = 0; k < n; k++) {
        const service = rng.pick(AWS_SERVICES);
        charges.push({
          consumerId: account(g, rng.next(ACCOUNTS_PER_GROUP)),
          consumerKind: 'AWS_ACCOUNT',
          service: service.name,
          productCode: service.code,
          currency: 'USD',
          amount: units10(BigInt(rng.next(60)) * 10_000_000_000n + BigInt(1 + rng.next(9_999_999_999))),
          creditEligible: !rng.chance(5),
          date: `${months[m]}-${String(1 + rng.next(28)).padStart(2, '0')}`,
        });
      }
      periods.push({ group: group(g), month: months[m], final: m < months.length - 1, charges });
    }
  }
  return { credits, periods };
}

/**
 * Hand-computed scenarios, one per rule of docs/CHARGES.md. Every expected number below was
 * worked out by hand from the scenario, never by calling the engine.
 */
import { expect } from 'chai';
import { applyCharges, EngineCharge, EngineCredit, EngineInputError, EnginePeriod, EngineResult, replacePeriod } from '../../lib/domain/charges';

const G = '111122223333';

function credit(id: string, over: Partial<EngineCredit> = {}): EngineCredit {
  return {
    id,
    group: G,
    currency: 'USD',
    openingBalance: '100.00',
    openingMonth: '2026-01',
    startsAt: '2026-01-01T00:00:00Z',
    expiresAt: null,
    applicableServices: [],
    ...over,
  };
}

function charge(amount: string, over: Partial<EngineCharge> = {}): EngineCharge {
  return {
    consumerId: 'A1',
    consumerKind: 'AWS_ACCOUNT',
    service: 'Amazon EC2',
    productCode: 'AmazonEC2',
    currency: 'USD',
    amount,
    creditEligible: true,
    date: '2026-01-10',
    ...over,
  };
}

function period(month: string, charges: EngineCharge[], final = true): EnginePeriod {
  return { group: G, month, final, charges };
}

const byId = (r: EngineResult, id: string) => r.credits.find((c) => c.creditId === id)!;
const applied = (r: EngineResult) => r.applications.map((a) => `${a.creditId} ${a.month} ${a.consumerId} ${a.service} ${a.amount}${a.estimated ? ' est' : ''}`);
const covered = (r: EngineResult, i = 0) => r.periods[i].coverage.map((c) => `${c.covered}/${c.uncovered}`);

describe('charges engine: hand-computed rules', () => {
  it('uses the credit that expires first, never-expiring last', () => {
    const r = applyCharges(
      [credit('a', { expiresAt: null }), credit('b', { expiresAt: '2026-12-31T00:00:00Z' }), credit('c', { expiresAt: '2026-06-30T00:00:00Z' })],
      [period('2026-01', [charge('150.00')])],
    );
    // c (June) pays 100, b (December) pays the other 50, a (never) nothing.
    expect(applied(r)).to.deep.equal(['b 2026-01 A1 Amazon EC2 50.00', 'c 2026-01 A1 Amazon EC2 100.00']);
    expect(byId(r, 'a').remaining).to.equal('100.00');
    expect(byId(r, 'b').remaining).to.equal('50.00');
    expect(byId(r, 'c').remaining).to.equal('0.00');
  });

  it('uses restricted credits before organization-wide ones of the same expiry', () => {
    const r = applyCharges(
      [
        credit('a-org', { expiresAt: '2026-12-31T00:00:00Z' }),
        credit('z-owner', { expiresAt: '2026-12-31T00:00:00Z', controls: [{ from: '2026-01', paused: false, scope: { kind: 'consumers', consumerIds: ['A1'] } }] }),
      ],
      [period('2026-01', [charge('30.00')])],
    );
    expect(applied(r)).to.deep.equal(['z-owner 2026-01 A1 Amazon EC2 30.00']);
  });

  it('honours an explicit restricted flag (a cost category covering every account is still restricted)', () => {
    const r = applyCharges(
      [
        credit('a-org', { expiresAt: '2026-12-31T00:00:00Z' }),
        credit('b-cc', { expiresAt: '2026-12-31T00:00:00Z', controls: [{ from: '2026-01', paused: false, scope: { kind: 'everyone' }, restricted: true }] }),
      ],
      [period('2026-01', [charge('30.00')])],
    );
    expect(applied(r)).to.deep.equal(['b-cc 2026-01 A1 Amazon EC2 30.00']);
  });

  it('breaks ties by credit id', () => {
    const r = applyCharges([credit('b'), credit('a'), credit('c')], [period('2026-01', [charge('120.00')])]);
    expect(applied(r)).to.deep.equal(['a 2026-01 A1 Amazon EC2 100.00', 'b 2026-01 A1 Amazon EC2 20.00']);
  });

  it('applies partially when a balance runs out and leaves what no credit covers uncovered', () => {
    const r = applyCharges(
      [credit('a', { openingBalance: '10.50' }), credit('b', { openingBalance: '4.25' })],
      [period('2026-01', [charge('12.00'), charge('5.00', { date: '2026-01-20' })])],
    );
    // 12.00: a 10.50, b 1.50. 5.00: b 2.75 (its last), 2.25 uncovered.
    expect(applied(r)).to.deep.equal(['a 2026-01 A1 Amazon EC2 10.50', 'b 2026-01 A1 Amazon EC2 4.25']);
    expect(covered(r)).to.deep.equal(['12.00/0.00', '2.75/2.25']);
    expect(byId(r, 'b')).to.include({ remaining: '0.00', appliedFinal: '4.25', expired: '0.00' });
    expect(r.consumers).to.have.length(1);
    expect(r.consumers[0]).to.include({ charges: '17.00', creditsApplied: '14.75', net: '2.25' });
  });

  it('stops paying at expiry inside a period and expires the rest after the last final month', () => {
    const r = applyCharges(
      [credit('a', { expiresAt: '2026-01-15T00:00:00Z' }), credit('b')],
      [period('2026-01', [charge('30.00', { date: '2026-01-14' }), charge('20.00', { date: '2026-01-15' })])],
    );
    // a pays the 14th (30.00), not the 15th (b pays 20.00); a's other 70.00 expire.
    expect(applied(r)).to.deep.equal(['a 2026-01 A1 Amazon EC2 30.00', 'b 2026-01 A1 Amazon EC2 20.00']);
    expect(byId(r, 'a')).to.include({ remaining: '0.00', appliedFinal: '30.00', expired: '70.00', estimated: '0.00' });
  });

  it('does not expire a credit whose expiry falls after the last final month', () => {
    const r = applyCharges([credit('a', { expiresAt: '2026-02-01T00:00:01Z' })], [period('2026-01', [charge('1.00')])]);
    expect(byId(r, 'a')).to.include({ remaining: '99.00', expired: '0.00' });
  });

  it('does not pay usage before the credit starts', () => {
    const r = applyCharges(
      [credit('late', { startsAt: '2026-01-15T00:00:00Z', expiresAt: '2026-03-01T00:00:00Z' }), credit('other')],
      [period('2026-01', [charge('5.00', { date: '2026-01-14' }), charge('7.00', { date: '2026-01-15' })])],
    );
    // 14th: late has not started, other pays 5.00. 15th: late (earlier expiry) pays 7.00.
    expect(applied(r)).to.deep.equal(['late 2026-01 A1 Amazon EC2 7.00', 'other 2026-01 A1 Amazon EC2 5.00']);
  });

  it('skips a paused credit for the months it is paused and uses it after activation', () => {
    const controls = [
      { from: '2026-01', paused: true, scope: { kind: 'everyone' as const } },
      { from: '2026-02', paused: false, scope: { kind: 'everyone' as const } },
    ];
    const r = applyCharges(
      [credit('p', { expiresAt: '2026-06-01T00:00:00Z', controls }), credit('q')],
      [period('2026-01', [charge('10.00')]), period('2026-02', [charge('10.00', { date: '2026-02-03' })])],
    );
    expect(applied(r)).to.deep.equal(['p 2026-02 A1 Amazon EC2 10.00', 'q 2026-01 A1 Amazon EC2 10.00']);
  });

  it('pays only for consumers in the sharing scope', () => {
    const scope = { kind: 'consumers' as const, consumerIds: ['A2', 'A3'] };
    const r = applyCharges(
      [credit('s', { controls: [{ from: '2026-01', paused: false, scope }] })],
      [period('2026-01', [charge('1.00', { consumerId: 'A1' }), charge('2.00', { consumerId: 'A2' }), charge('3.00', { consumerId: 'A3' })])],
    );
    expect(applied(r)).to.deep.equal(['s 2026-01 A2 Amazon EC2 2.00', 's 2026-01 A3 Amazon EC2 3.00']);
    expect(byId(r, 's').remaining).to.equal('95.00');
  });

  it('pays only applicable services (empty = all)', () => {
    const r = applyCharges(
      [credit('ec2', { applicableServices: ['Amazon EC2'] })],
      [period('2026-01', [charge('8.00', { service: 'Amazon S3' }), charge('9.00')])],
    );
    expect(applied(r)).to.deep.equal(['ec2 2026-01 A1 Amazon EC2 9.00']);
    expect(covered(r)).to.deep.equal(['0.00/8.00', '9.00/0.00']);
  });

  it('pays only charges in its own currency and group', () => {
    const r = applyCharges(
      [credit('usd'), credit('eur', { currency: 'EUR' }), credit('other-org', { group: '999999999999' })],
      [period('2026-01', [charge('4.00', { currency: 'EUR' }), charge('6.00', { currency: 'GBP' })])],
    );
    expect(applied(r)).to.deep.equal(['eur 2026-01 A1 Amazon EC2 4.00']);
    expect(covered(r)).to.deep.equal(['4.00/0.00', '0.00/6.00']);
  });

  it('never pays an ineligible charge', () => {
    const r = applyCharges([credit('a')], [period('2026-01', [charge('25.00', { creditEligible: false }), charge('1.00')])]);
    expect(applied(r)).to.deep.equal(['a 2026-01 A1 Amazon EC2 1.00']);
    expect(r.consumers[0]).to.include({ charges: '26.00', eligibleCharges: '1.00', creditsApplied: '1.00', net: '25.00' });
  });

  it('moves the remaining balance in final periods and only the estimated balance in estimated ones', () => {
    const r = applyCharges(
      [credit('a')],
      [period('2026-02', [charge('15.00', { date: '2026-02-02' })], false), period('2026-01', [charge('20.00')])],
    );
    // Final January: 100 - 20 = 80 remaining. Estimated February: 80 - 15 = 65 estimated.
    expect(byId(r, 'a')).to.deep.equal({
      creditId: 'a',
      group: G,
      currency: 'USD',
      openingBalance: '100.00',
      remaining: '80.00',
      estimated: '65.00',
      appliedFinal: '20.00',
      appliedEstimated: '15.00',
      expired: '0.00',
    });
    expect(applied(r)).to.deep.equal(['a 2026-01 A1 Amazon EC2 20.00', 'a 2026-02 A1 Amazon EC2 15.00 est']);
  });

  it('processes final months before estimated ones whatever the month order', () => {
    // An estimated January and a final February: February moves remaining first (100 - 70 = 30),
    // then January estimates from 30: pays 30 of 50.
    const r = applyCharges(
      [credit('a')],
      [period('2026-01', [charge('50.00')], false), period('2026-02', [charge('70.00', { date: '2026-02-01' })])],
    );
    expect(byId(r, 'a')).to.include({ remaining: '30.00', estimated: '0.00', appliedFinal: '70.00', appliedEstimated: '30.00' });
  });

  it('skips months covered by the provider snapshot (before openingMonth)', () => {
    const r = applyCharges(
      [credit('a', { openingBalance: '60.00', openingMonth: '2026-02' })],
      [period('2026-01', [charge('40.00')]), period('2026-02', [charge('25.00', { date: '2026-02-05' })])],
    );
    // January is in the snapshot (60.00 already reflects it): only February's 25.00 applies.
    expect(applied(r)).to.deep.equal(['a 2026-02 A1 Amazon EC2 25.00']);
    expect(byId(r, 'a')).to.include({ remaining: '35.00', appliedFinal: '25.00' });
    expect(covered(r, 0)).to.deep.equal(['0.00/40.00']);
  });

  it('writes results with the places of the most precise operand, exactly', () => {
    const r = applyCharges([credit('a', { openingBalance: '0.3' })], [period('2026-01', [charge('0.1000000001'), charge('0.2', { date: '2026-01-11' })])]);
    expect(byId(r, 'a')).to.include({ remaining: '0.0000000000', appliedFinal: '0.3000000000' });
    expect(covered(r)).to.deep.equal(['0.1000000001/0.0000000000', '0.1999999999/0.0000000001']);
  });

  it('aggregates applications per credit, month, consumer, service and product code', () => {
    const r = applyCharges(
      [credit('a')],
      [period('2026-01', [charge('1.10'), charge('2.20', { date: '2026-01-12' }), charge('3.30', { productCode: 'Other' })])],
    );
    expect(r.applications.map((a) => `${a.productCode} ${a.amount}`)).to.deep.equal(['AmazonEC2 3.30', 'Other 3.30']);
  });

  it('reloading a period replaces its charges', () => {
    const credits = [credit('a')];
    const estimate = period('2026-01', [charge('30.00')], false);
    const final = period('2026-01', [charge('45.00')], true);
    const r = applyCharges(credits, replacePeriod([estimate], final));
    expect(byId(r, 'a')).to.include({ remaining: '55.00', estimated: '55.00', appliedFinal: '45.00', appliedEstimated: '0.00' });
  });

  it('refuses bad input, listing every problem', () => {
    const bad = () =>
      applyCharges([credit('a', { openingBalance: '1e3' }), credit('a')], [period('2026-13', [charge('0'), charge('-1', { date: 'soon' }), charge('12.5.0'), charge('1'.repeat(21))])]);
    expect(bad).to.throw(EngineInputError);
    try {
      bad();
    } catch (e) {
      const problems = (e as EngineInputError).problems;
      expect(problems.join('\n')).to.match(/openingBalance/).and.match(/appears twice/).and.match(/not YYYY-MM/).and.match(/not above zero/).and.match(/not an ISO date/);
      expect(problems).to.include.members(['period 111122223333 2026-13 charge 2: amount "12.5.0" is not a decimal number (digits, an optional point and fraction)', `period 111122223333 2026-13 charge 3: amount "${'1'.repeat(21)}" has more than 20 integer digits`]);
    }
  });
});

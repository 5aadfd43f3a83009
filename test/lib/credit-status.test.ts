import { expect } from 'chai';
import sqlite3 from 'sqlite3';
import { deriveStatus, isExpiringSoon, StatusFacts, statusSqlCase } from '../../lib/domain/credit-status';

const NOW = '2026-11-22T12:00:00.000Z';
const base: StatusFacts = {
  canceled: false,
  expiredFlag: false,
  expiresAt: '2027-01-01T00:00:00.000Z',
  exhausted: false,
  paused: false,
  notStartedFlag: false,
  startsAt: '2026-01-01T00:00:00.000Z',
};

describe('credit status rule', () => {
  it('follows the documented precedence', () => {
    expect(deriveStatus(base, NOW)).to.equal('ACTIVE');
    expect(deriveStatus({ ...base, paused: true }, NOW)).to.equal('PAUSED');
    expect(deriveStatus({ ...base, paused: true, startsAt: '2027-01-01T00:00:00.000Z' }, NOW)).to.equal('PAUSED');
    expect(deriveStatus({ ...base, startsAt: '2027-01-01T00:00:00.000Z' }, NOW)).to.equal('NOT_STARTED');
    expect(deriveStatus({ ...base, exhausted: true, paused: true }, NOW)).to.equal('EXHAUSTED');
    expect(deriveStatus({ ...base, expiresAt: NOW, exhausted: true }, NOW)).to.equal('EXPIRED');
    expect(deriveStatus({ ...base, expiredFlag: true }, NOW)).to.equal('EXPIRED');
    expect(deriveStatus({ ...base, canceled: true, expiredFlag: true }, NOW)).to.equal('CANCELED');
    expect(deriveStatus({ ...base, expiresAt: null, startsAt: null }, NOW)).to.equal('ACTIVE');
  });

  it('the SQL CASE agrees with the function for every combination', async () => {
    const db = new sqlite3.Database(':memory:');
    const run = (sql: string, params: unknown[] = []) =>
      new Promise<any[]>((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));
    await run('CREATE TABLE t (id INTEGER, canceled INT, expired INT, expires TEXT, exhausted INT, paused INT, notstarted INT, starts TEXT)');
    const dates = [null, '2026-01-01T00:00:00.000Z', NOW, '2027-01-01T00:00:00.000Z'];
    const facts: StatusFacts[] = [];
    for (const canceled of [false, true])
      for (const expiredFlag of [false, true])
        for (const expiresAt of dates)
          for (const exhausted of [false, true])
            for (const paused of [false, true])
              for (const notStartedFlag of [false, true])
                for (const startsAt of dates) facts.push({ canceled, expiredFlag, expiresAt, exhausted, paused, notStartedFlag, startsAt });
    for (const [i, f] of facts.entries()) {
      await run('INSERT INTO t VALUES (?,?,?,?,?,?,?,?)', [i, +f.canceled, +f.expiredFlag, f.expiresAt, +f.exhausted, +f.paused, +f.notStartedFlag, f.startsAt]);
    }
    const sqlCase = statusSqlCase({
      canceled: 'canceled = 1',
      expiredFlag: 'expired = 1',
      expiresAt: 'expires',
      exhausted: 'exhausted = 1',
      paused: 'paused = 1',
      notStartedFlag: 'notstarted = 1',
      startsAt: 'starts',
    }).replace(/:now/g, '$now');
    const rows = await run(`SELECT id, ${sqlCase} AS status FROM t ORDER BY id`, { $now: NOW } as any);
    db.close();
    expect(rows).to.have.length(facts.length);
    for (const row of rows) expect(row.status, JSON.stringify(facts[row.id])).to.equal(deriveStatus(facts[row.id], NOW));
  });

  it('expiring soon means usable and expiring within 30 days', () => {
    expect(isExpiringSoon('ACTIVE', '2026-12-15T00:00:00.000Z', NOW)).to.equal(true);
    expect(isExpiringSoon('PAUSED', '2026-12-15T00:00:00.000Z', NOW)).to.equal(true);
    expect(isExpiringSoon('ACTIVE', '2027-01-15T00:00:00.000Z', NOW)).to.equal(false);
    expect(isExpiringSoon('EXHAUSTED', '2026-12-15T00:00:00.000Z', NOW)).to.equal(false);
    expect(isExpiringSoon('ACTIVE', null, NOW)).to.equal(false);
  });
});

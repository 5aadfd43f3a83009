import { expect } from 'chai';
import { openScratch, writeTransaction } from '../../lib/platform/database';

describe('database helpers', () => {
  it('queues concurrent write transactions on one sqlite connection instead of colliding', async () => {
    const db = await openScratch({ dialect: 'sqlite', file: ':memory:' }, []);
    await db.query('CREATE TABLE t (n INTEGER)');
    const writes = Array.from({ length: 20 }, (_, n) =>
      writeTransaction(db, async (manager) => {
        await manager.query('INSERT INTO t VALUES (?)', [n]);
        await new Promise((r) => setTimeout(r, 1));
        await manager.query('INSERT INTO t VALUES (?)', [n]);
      }),
    );
    await Promise.all(writes);
    const [{ count }] = await db.query('SELECT COUNT(*) AS count FROM t');
    expect(count).to.equal(40);
    await db.destroy();
  });

  it('rolls back a failed transaction and keeps serving the next ones', async () => {
    const db = await openScratch({ dialect: 'sqlite', file: ':memory:' }, []);
    await db.query('CREATE TABLE t (n INTEGER)');
    const failed = writeTransaction(db, async (manager) => {
      await manager.query('INSERT INTO t VALUES (1)');
      throw new Error('boom');
    });
    const next = writeTransaction(db, (manager) => manager.query('INSERT INTO t VALUES (2)'));
    await failed.catch((e) => expect(e.message).to.equal('boom'));
    await next;
    expect(await db.query('SELECT n FROM t')).to.deep.equal([{ n: 2 }]);
    await db.destroy();
  });
});

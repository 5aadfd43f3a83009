import { expect } from 'chai';
import { openScratch, tuneLoadTransaction, writeTransaction } from '../../lib/platform/database';
import { onPostgres, openScratchDatabase } from '../support/database';

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

  it("sets a load's transaction for itself on PostgreSQL (no JIT, lz4 documents where the server has it), and nothing after it", async function () {
    if (!onPostgres()) this.skip();
    const db = await openScratchDatabase([]);
    try {
      const show = async (manager: { query: (q: string) => Promise<any[]> }) => {
        const [row] = await manager.query(`SELECT current_setting('jit') AS jit, current_setting('default_toast_compression') AS compression, 'lz4' = ANY (enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
        return row as { jit: string; compression: string; lz4: boolean };
      };
      const before = await show(db.manager);
      const inside = await db.transaction(async (manager) => {
        await tuneLoadTransaction(manager);
        return show(manager);
      });
      expect(inside.jit).to.equal('off');
      expect(inside.compression).to.equal(inside.lz4 ? 'lz4' : before.compression);
      expect(await show(db.manager)).to.deep.equal(before);
    } finally {
      await db.destroy();
    }
  });

  it('leaves a SQLite transaction as it is', async () => {
    const db = await openScratch({ dialect: 'sqlite', file: ':memory:' }, []);
    const statements: string[] = [];
    await db.transaction(async (manager) => {
      const query = manager.query.bind(manager);
      manager.query = ((q: string, p?: unknown[]) => (statements.push(q), query(q, p))) as typeof manager.query;
      await tuneLoadTransaction(manager);
    });
    expect(statements).to.deep.equal([]);
    await db.destroy();
  });
});

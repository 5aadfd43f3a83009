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
    // One connection throughout, so "after" reads the very session the transaction ran on.
    const runner = db.createQueryRunner();
    try {
      await runner.connect();
      // pg_settings, not current_setting: PostgreSQL 13 has no default_toast_compression at all.
      const show = async () => {
        const [row] = await runner.query(
          `SELECT (SELECT setting FROM pg_settings WHERE name = 'jit') AS jit,
                  (SELECT setting FROM pg_settings WHERE name = 'default_toast_compression') AS compression,
                  COALESCE((SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'), FALSE) AS lz4`,
        );
        return row as { jit: string; compression: string | null; lz4: boolean };
      };
      const before = await show();
      await runner.startTransaction();
      await tuneLoadTransaction(runner.manager);
      const inside = await show();
      await runner.commitTransaction();
      expect(inside.jit).to.equal('off');
      expect(inside.compression).to.equal(inside.lz4 ? 'lz4' : before.compression);
      expect(await show()).to.deep.equal(before);
    } finally {
      await runner.release();
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

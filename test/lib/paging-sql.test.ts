/**
 * Keyset paging in SQL: walking a list page by page, for every page size, gives every row once in
 * order, with ties and mixed directions; pages of the children of many parents come from one
 * statement and agree with paging each parent alone.
 */
import 'reflect-metadata';
import { expect } from 'chai';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { openScratch } from '../../lib/platform/database';
import { keysetAfter, keysetPage, keysetPagesByParent, SortColumn, SortValues } from '../../lib/platform/paging-sql';

@Entity('paging_row')
class PagingRow {
  @PrimaryColumn('varchar')
  parent: string;

  @PrimaryColumn('varchar')
  id: string;

  @Column('varchar')
  month: string;

  @Column('integer')
  rank: number;

  @Column('boolean')
  hidden: boolean;
}

const SORT: SortColumn[] = [
  { column: 'row.month', direction: 'DESC' },
  { column: 'row.rank', direction: 'ASC' },
  { column: 'row.id', direction: 'ASC' },
];
const valuesOf = (r: PagingRow): SortValues => [r.month, r.rank, r.id];

/** The order of SORT, in JavaScript (ids and months are ASCII, so code units order them as SQLite does). */
function compare(a: PagingRow, b: PagingRow): number {
  if (a.month !== b.month) return a.month < b.month ? 1 : -1;
  if (a.rank !== b.rank) return a.rank - b.rank;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

describe('keyset paging in SQL', () => {
  let db: DataSource;
  const rows: PagingRow[] = [];

  before(async () => {
    db = await openScratch({ dialect: 'sqlite', file: ':memory:' }, [PagingRow]);
    // Three parents, many ties on month and rank, some rows hidden by the access condition.
    let n = 0;
    for (const parent of ['p1', 'p2', 'p3']) {
      const count = parent === 'p3' ? 0 : parent === 'p1' ? 23 : 9;
      for (let i = 0; i < count; i++) {
        rows.push(Object.assign(new PagingRow(), { parent, id: `r${String((n * 7) % 97).padStart(2, '0')}`, month: `2026-0${(i % 3) + 1}`, rank: i % 4, hidden: i % 5 === 4 }));
        n++;
      }
    }
    await db.manager.save(rows);
  });

  after(() => db.destroy());

  const visible = (parent: string) => rows.filter((r) => r.parent === parent && !r.hidden).sort(compare);
  const scoped = () => db.manager.createQueryBuilder(PagingRow, 'row').where('row.hidden = :hidden', { hidden: false });

  it('writes one row-value comparison for one direction, and an expansion for mixed directions', () => {
    expect(keysetAfter([{ column: 'a.x', direction: 'ASC' }], ['1']).sql).to.equal('a.x > :after0');
    expect(keysetAfter([{ column: 'a.x', direction: 'DESC' }, { column: 'a.y', direction: 'DESC' }], ['1', '2']).sql).to.equal('(a.x, a.y) < (:after0, :after1)');
    expect(keysetAfter(SORT, ['m', 1, 'i']).sql).to.equal(
      '((row.month < :after0) OR (row.month = :after0 AND row.rank > :after1) OR (row.month = :after0 AND row.rank = :after1 AND row.id > :after2))',
    );
    expect(() => keysetAfter(SORT, ['m'])).to.throw(/3 columns, 1 values/);
  });

  it('walks a list to its end for every page size, each row once, in order', async () => {
    const expected = visible('p1');
    for (let first = 1; first <= expected.length + 1; first++) {
      const seen: PagingRow[] = [];
      let after: SortValues | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const page = await keysetPage(scoped().andWhere('row.parent = :p', { p: 'p1' }), SORT, { first, after });
        expect(page.length).to.be.at.most(first + 1);
        seen.push(...page.slice(0, first));
        if (page.length <= first) break;
        after = valuesOf(page[first - 1]);
      }
      expect(seen.map((r) => r.id), `first ${first}`).to.deep.equal(expected.map((r) => r.id));
    }
  });

  it('pages the children of many parents in one statement, as paging each parent alone would', async () => {
    const parents = ['p2', 'p1', 'p3', 'missing'];
    for (const first of [1, 2, 5, 30]) {
      let statements = 0;
      const counting = scoped();
      const original = counting.getMany.bind(counting);
      counting.getMany = () => {
        statements++;
        return original();
      };
      const groups = await keysetPagesByParent(counting, { parent: 'row.parent', keys: ['row.parent', 'row.id'], sort: SORT, parents, first, after: null });
      expect(statements).to.equal(1);
      for (const [i, parent] of parents.entries()) {
        const expected = parent === 'missing' ? [] : visible(parent).slice(0, first + 1);
        expect(groups[i].map((r) => r.id), `${parent}, first ${first}`).to.deep.equal(expected.map((r) => r.id));
      }
    }
  });

  it('continues every parent after the cursor', async () => {
    const cursor = visible('p1')[3];
    const [p1, p2] = await keysetPagesByParent(scoped(), { parent: 'row.parent', keys: ['row.parent', 'row.id'], sort: SORT, parents: ['p1', 'p2'], first: 4, after: valuesOf(cursor) });
    expect(p1.map((r) => r.id)).to.deep.equal(visible('p1').slice(4, 9).map((r) => r.id));
    expect(p2.map((r) => r.id)).to.deep.equal(visible('p2').filter((r) => compare(r, cursor) > 0).slice(0, 5).map((r) => r.id));
  });
});

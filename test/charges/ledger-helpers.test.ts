/** The ledger's small helpers: slicing IN lists and gathering what the slices give. */
import { expect } from 'chai';
import { inSlices } from '../../lib/store/ledger';

describe('ledger inSlices', () => {
  it('gives work slices of at most 900 values, in order', async () => {
    const seen: number[][] = [];
    await inSlices(Array.from({ length: 2000 }, (_, i) => i), async (slice) => void seen.push(slice));
    expect(seen.map((s) => s.length)).to.deep.equal([900, 900, 200]);
    expect(seen.flat()).to.deep.equal(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('gathers any number of rows from one slice (a million rows of one query do not overflow the stack)', async () => {
    const rows = await inSlices(['one group'], async () => Array.from({ length: 1_000_000 }, (_, i) => i));
    expect(rows).to.have.length(1_000_000);
    expect(rows[999_999]).to.equal(999_999);
  });
});

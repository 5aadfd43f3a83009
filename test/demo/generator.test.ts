/**
 * The demo generator (scripts/generate-demo-data.ts). The checked-in demo/ is exactly its rendering
 * for 2026-11-22, the day the tests' clock is pinned to. Any other day renders deterministically,
 * passes the generator's own story checks, loads through the real ingest, and the product then
 * shows that story on that day: every credit's status, credits expiring within 30/60/90 days, and
 * month-to-date figures of the open month with usage up to the day before.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { ingestFiles } from '../../lib/store/ingest';
import { DEMO_AS_OF, generate, parseArguments, renderDemo } from '../../scripts/generate-demo-data';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { billingMonths, expectTheStoryOn, ON_THE_DAY, USD_PROFILE } from '../support/demo-story';
import { DEMO_DIR, query, startStack, tempDir, TEST_NOW } from '../support/stack';

/** Every file under `dir`, by path relative to it, with its bytes. */
function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const visit = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) visit(rel);
      else files.set(rel, fs.readFileSync(path.join(dir, rel)));
    }
  };
  visit('');
  return files;
}

describe('the demo generator', function () {
  this.timeout(120_000);

  it('renders 2026-11-22, the day the tests are pinned to, byte for byte as the checked-in demo/', async () => {
    expect(TEST_NOW.toISOString().slice(0, 10)).to.equal(DEMO_AS_OF);
    const out = tempDir('demo-render');
    try {
      await generate(out, DEMO_AS_OF);
      const rendered = filesUnder(out);
      const checkedIn = filesUnder(DEMO_DIR);
      expect([...rendered.keys()], 'the files of demo/').to.deep.equal([...checkedIn.keys()]);
      expect(rendered.size).to.equal(46); // 45 data files and the README
      for (const [name, bytes] of rendered) {
        expect(bytes.equals(checkedIn.get(name)!), `demo/${name} is not what the generator renders for ${DEMO_AS_OF}: change the generator, then run npm run build && node dist/scripts/generate-demo-data.js demo`).to.equal(true);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  const DAYS: [string, string][] = [
    ['2027-01-31', 'a 31st'],
    ['2028-02-29', 'a 29 February'],
    ['2027-03-01', 'the 1st of a month: the open month holds that day'],
    ['2027-12-05', 'before the 8th: G100200307 lapsed in the last final month'],
    ['2030-07-15', 'a day in 2030'],
  ];
  for (const [day, what] of DAYS) {
    it(`renders ${day} (${what}) the same every time, story checked, and the product loads it and shows that story on that day`, async () => {
      const first = await renderDemo(day); // throws when a story check fails
      const again = await renderDemo(day);
      expect(again).to.deep.equal(first);
      const readme = first.files.find(([name]) => name === 'README.md')![1];
      expect(readme).to.contain(`The demo as of **${day}**`);

      const out = tempDir('demo-render');
      try {
        await generate(out, day);
        const files = filesUnder(out);
        for (const [name, text] of first.files) expect(files.get(name)?.toString('utf8'), name).to.equal(text);
        const months = (prefix: string) => [...files.keys()].filter((n) => n.startsWith(prefix)).map((n) => n.slice(-11, -4));
        expect(months('aws/111122223333-aws-billing-csv-')).to.deep.equal(billingMonths(day));
        expect(months('azure/cost-details-PBFV-AB12-CD3-EF4-')).to.deep.equal(billingMonths(day));

        const dataDir = tempDir('demo-ingest');
        const loaded = await ingestFiles([out], dataDir, PROVIDER_INGESTS).finally(() => fs.rmSync(dataDir, { recursive: true, force: true }));
        expect(loaded.ok, JSON.stringify(!loaded.ok && loaded.problems)).to.equal(true);
        if (loaded.ok) expect(loaded.loaded).to.have.length(45);

        const stack = await startStack({ demoDir: out, now: new Date(`${day}T12:00:00Z`) });
        try {
          expectTheStoryOn(day, await query(stack.gatewayUrl, ON_THE_DAY, { profile: USD_PROFILE }));
        } finally {
          await stack.stop();
        }
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
  }

  it('would catch a demo that decays: the 2026-11-22 rendering seen on 2027-01-01 does not tell that day\'s story', async () => {
    // 40 days on, the product (its clock on the later day) shows credits the story means to be
    // active as EXPIRED and month-to-date figures of November: what a rendering for the day avoids.
    const stack = await startStack({ now: new Date('2027-01-01T12:00:00Z') });
    try {
      const answer = await query(stack.gatewayUrl, ON_THE_DAY, { profile: USD_PROFILE });
      expect(() => expectTheStoryOn('2027-01-01', answer)).to.throw();
      const aged = answer.credits.nodes.find((c: any) => c.aws?.creditId === '90000000007');
      expect(aged.status).to.equal('EXPIRED');
    } finally {
      await stack.stop();
    }
  });

  it('renders a day in well under a few seconds', async () => {
    const started = performance.now();
    await renderDemo('2029-09-09');
    expect(performance.now() - started).to.be.below(3_000);
  });

  it('refuses a day that is not on the calendar, naming it, and writes nothing', async () => {
    const out = tempDir('demo-render');
    try {
      for (const [day, why] of [['2027-02-29', 'is not a day of the calendar'], ['2026-11-22T00:00:00Z', 'is not of the form YYYY-MM-DD'], ['1999-12-31', 'is out of range']]) {
        let error: Error | null = null;
        await generate(out, day).catch((e: Error) => (error = e));
        expect(error, day).to.be.instanceOf(Error);
        expect(error!.message).to.equal(`the demo's as-of day must be a calendar day YYYY-MM-DD from 2000-01-01 to 2999-12-31: "${day}" ${why}`);
        expect(error!.name).to.equal('DayError');
      }
      expect(fs.readdirSync(out)).to.deep.equal([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('writing a rendering over another day\'s removes the billing files of months it does not hold', async () => {
    const out = tempDir('demo-render');
    try {
      await generate(out, '2027-06-15');
      await generate(out, '2028-02-10');
      const months = [...filesUnder(out).keys()].filter((n) => n.endsWith('.csv')).map((n) => n.slice(-11, -4));
      expect([...new Set(months)].sort()).to.deep.equal(billingMonths('2028-02-10'));
      expect(months).to.have.length(36);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('reads its command line: [outDir] [--as-of YYYY-MM-DD], refusing anything else by name', () => {
    expect(parseArguments([])).to.deep.equal({ outDir: 'demo', asOf: DEMO_AS_OF });
    expect(parseArguments(['out', '--as-of', '2030-07-15'])).to.deep.equal({ outDir: 'out', asOf: '2030-07-15' });
    expect(parseArguments(['--as-of=2028-02-29', 'x'])).to.deep.equal({ outDir: 'x', asOf: '2028-02-29' });
    expect(() => parseArguments(['--as-of'])).to.throw('--as-of needs a day, YYYY-MM-DD');
    expect(() => parseArguments(['--as-of', '2027-02-30'])).to.throw('"2027-02-30" is not a day of the calendar');
    expect(() => parseArguments(['--date', '2027-01-01'])).to.throw('unknown option --date');
    expect(() => parseArguments(['a', 'b'])).to.throw('one output folder only, got a and b');
  });
});

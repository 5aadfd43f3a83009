/**
 * `npm start` keeps the demo alive whatever the day: the real `node dist/scripts/start.js` (child
 * process, its own DATA_DIR, free ports) with its clock on a chosen day (DEMO_TODAY, tests only)
 * renders the demo for that day into DATA_DIR/demo-<day>/, loads it, and shows that day's story
 * through the gateway; a later start renders and loads nothing, so the data ages from the first
 * start's day.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { databaseLocation, describeLocation } from '../../lib/platform/database';
import { removeProviderDatabase } from '../support/database';
import { renderDemo, storyCredits } from '../../scripts/generate-demo-data';
import { tokenFor } from '../support/auth';
import { expectTheStoryOn, ON_THE_DAY, USD_PROFILE } from '../support/demo-story';
import { alive, Product, productEnv } from '../support/product';
import { ADMIN_CLAIMS, graphql, query } from '../support/stack';

/** The text with every run of white space as one space (the banner wraps its lines). */
const flat = (text: string) => text.replace(/\s+/g, ' ');

/** The query and token of the curl command the banner prints. */
function bannerCurl(output: string): { token: string; body: { query: string } } {
  const match = output.match(/-H 'authorization: Bearer ([\w.-]+)' \\\n {2}-d '(.*)'\n/);
  expect(match, 'the banner prints a curl command').to.not.equal(null);
  return { token: match![1], body: JSON.parse(match![2]) };
}

/** Every file under `dir`, by path relative to it, as text. */
function textsUnder(dir: string): [string, string][] {
  const out: [string, string][] = [];
  const visit = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) visit(rel);
      else out.push([rel, fs.readFileSync(path.join(dir, rel), 'utf8')]);
    }
  };
  visit('');
  return out.sort(([a], [b]) => (a < b ? -1 : 1));
}

async function stopAndCheck(product: Product): Promise<void> {
  const pids = product.allPids();
  expect(await product.stop()).to.deep.equal({ code: 0, signal: null });
  expect(pids.filter(alive), 'no service left running').to.deep.equal([]);
}

/** Two far-apart first-start days: one early in a month (G100200307 lapsed in the last final month), one late. */
const DAYS = ['2027-02-03', '2031-08-19'];
/** 40 days after the first: the restart's day. */
const RESTART_DAY = '2027-03-15';

describe('npm start renders the demo for the day of its first start', function () {
  this.timeout(180_000);

  for (const day of DAYS) {
    describe(`first started on ${day} (DEMO_TODAY=${day})`, () => {
      let product: Product;
      let dataDir: string;
      let gatewayUrl: string;
      let token: string;
      let answer: any;

      before(async () => {
        const setup = await productEnv({ DEMO_TODAY: day });
        ({ dataDir, gatewayUrl } = setup);
        product = new Product(setup.env);
        await product.waitFor(/Press Ctrl-C to stop\./, 120_000);
        token = await tokenFor(ADMIN_CLAIMS, 'operator');
        answer = await query(gatewayUrl, ON_THE_DAY, { profile: USD_PROFILE }, token);
      });
      after(async () => {
        await stopAndCheck(product);
        fs.rmSync(dataDir, { recursive: true, force: true });
      });

      it('renders that day into DATA_DIR/demo-<day>/, loads it, and says in the banner that from here it ages as real data would', async () => {
        const folder = path.join(dataDir, `demo-${day}`);
        const stores = (['aws', 'azure'] as const).map((p) => databaseLocation(p, dataDir));
        const into = stores.map(describeLocation).join(' and ');
        expect(product.output).to.match(new RegExp(`rendered the demo for ${day} into ${folder} in \\d+\\.\\d\\d s; loaded AWS and AZURE \\(45 files\\) into ${escaped(into)} in \\d+\\.\\d\\d s`));
        const schemas = stores.filter((l) => l.dialect === 'postgres').map(describeLocation);
        const drop = schemas.length === 0 ? '' : `, drop ${schemas.join(' and ')} (DROP SCHEMA ... CASCADE)`;
        expect(flat(product.output)).to.contain(
          `Demo data: rendered for today, ${day} (UTC), into ${folder} and loaded; its README.md tells the story. It is not rendered again: ` +
            `from here it ages as real data would (credits reach their expiry; the open month stays ${day.slice(0, 7)}). ` +
            `To start afresh on a later day, stop, delete ${dataDir}${drop} and start again.`,
        );
        expect(textsUnder(folder)).to.deep.equal((await renderDemo(day)).files.slice().sort(([a], [b]) => (a < b ? -1 : 1)));
        expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'demo.json'), 'utf8'))).to.deep.equal({ asOf: day, folder: `demo-${day}` });
      });

      it('answers the banner\'s own query (5 soonest-expiring credits) with no EXPIRED credit the story means to be active', async () => {
        const { token: printed, body } = bannerCurl(product.output);
        const response = await graphql(gatewayUrl, body.query, {}, printed);
        expect(response.errors).to.equal(undefined);
        const soonest = response.data.credits.edges.map((e: any) => e.node);
        expect(soonest).to.have.length(5);
        const story = storyCredits(day);
        for (const credit of soonest) {
          const known = answer.credits.nodes.find((c: any) => c.id === credit.id);
          const meant = story.find((s) => s.provider === known.provider && s.nativeId === (known.aws?.creditId ?? known.azure?.name))!;
          expect(credit.status, `${credit.name} on ${day}`).to.equal(meant.status);
          if (meant.status !== 'EXPIRED') expect(credit.status, credit.name).to.not.equal('EXPIRED');
        }
        expect(soonest.map((c: any) => c.status)).to.include('ACTIVE');
      });

      it('shows that day\'s story through the gateway: every status, credits expiring within 30/60/90 days, monthToDate of the open month up to the day before', () => {
        expectTheStoryOn(day, answer);
      });

      if (day === DAYS[0]) {
        it(`started again 40 days later (${RESTART_DAY}), renders and loads nothing: the data of ${day} has aged, and the banner says so`, async () => {
          const folder = path.join(dataDir, `demo-${day}`);
          const rendered = textsUnder(folder);
          await stopAndCheck(product);
          const setup = await productEnv({ DEMO_TODAY: RESTART_DAY }, dataDir);
          product = new Product(setup.env);
          await product.waitFor(/Press Ctrl-C to stop\./, 120_000);
          expect(product.output).to.not.contain('rendered the demo for');
          expect(flat(product.output)).to.contain(
            `Demo data: rendered for ${day} on the first start, 40 days ago (${folder}); its README.md tells the story. ` +
              `It is not rendered again: from here it ages as real data would (credits reach their expiry; the open month stays ${day.slice(0, 7)}).`,
          );
          expect(fs.existsSync(path.join(dataDir, `demo-${RESTART_DAY}`))).to.equal(false);
          expect(textsUnder(folder)).to.deep.equal(rendered);

          const later = await query(setup.gatewayUrl, ON_THE_DAY, { profile: USD_PROFILE }, token);
          expect(later.credits.nodes.map((c: any) => c.id).sort()).to.deep.equal(answer.credits.nodes.map((c: any) => c.id).sort());
          expect(later.awsAccount.monthToDate).to.deep.equal(answer.awsAccount.monthToDate);
          expect(later.awsAccount.monthToDate[0].month).to.equal(day.slice(0, 7));
          // What was expiring within 30 days of the first start has expired since.
          const soonStory = storyCredits(day).filter((c) => c.expiresWithinDays === 30);
          expect(soonStory).to.not.be.empty;
          for (const credit of soonStory) {
            const node = later.credits.nodes.find((c: any) => c.provider === credit.provider && (c.aws?.creditId ?? c.azure?.name) === credit.nativeId);
            expect(node.status, `${credit.nativeId} 40 days on`).to.equal('EXPIRED');
          }
        });

        it(`with only the Azure database gone, loads Azure from the rendering of ${day}, so both clouds tell one story`, async () => {
          await stopAndCheck(product);
          await removeProviderDatabase('azure', dataDir);
          const setup = await productEnv({ DEMO_TODAY: RESTART_DAY }, dataDir);
          product = new Product(setup.env);
          await product.waitFor(/Press Ctrl-C to stop\./, 120_000);
          const folder = path.join(dataDir, `demo-${day}`);
          expect(product.output).to.match(new RegExp(`rendered the demo for ${day} into ${folder} in \\d+\\.\\d\\d s; loaded AZURE \\(30 files\\)`));
          expect(flat(product.output)).to.contain(`Demo data: rendered for ${day}, the day the other databases were loaded for, into ${folder} and loaded;`);
          expect(fs.existsSync(path.join(dataDir, `demo-${RESTART_DAY}`))).to.equal(false);
          const later = await query(setup.gatewayUrl, ON_THE_DAY, { profile: USD_PROFILE }, token);
          expect(later.azureBillingProfile.monthToDate).to.deep.equal(answer.azureBillingProfile.monthToDate);
          expect(later.credits.nodes.map((c: any) => c.id).sort()).to.deep.equal(answer.credits.nodes.map((c: any) => c.id).sort());
        });
      }
    });
  }

  it('refuses a DEMO_TODAY that is not a day, and any DEMO_TODAY in production, before starting a service', async () => {
    for (const [extra, message] of [
      [{ DEMO_TODAY: '2027-13-01' }, 'DEMO_TODAY must be a calendar day YYYY-MM-DD from 2000-01-01 to 2999-12-31: "2027-13-01" is not a day of the calendar'],
      [{ DEMO_TODAY: 'tomorrow' }, 'DEMO_TODAY must be a calendar day YYYY-MM-DD from 2000-01-01 to 2999-12-31: "tomorrow" is not of the form YYYY-MM-DD'],
      [
        {
          DEMO_TODAY: '2027-06-30',
          NODE_ENV: 'production',
          AUTH_JWT_SECRET: 'production-like-secret-for-tests-0123456789',
          AUTH_ISSUER: 'https://login.example.com/',
          AUTH_AUDIENCE: 'credits-api-test',
          GATEWAY_SECRET: 'production-like-gateway-secret-0123456789',
        },
        'DEMO_TODAY is for tests only and is refused with NODE_ENV=production',
      ],
    ] as [NodeJS.ProcessEnv, string][]) {
      const setup = await productEnv(extra);
      const product = new Product(setup.env);
      const exit = await product.exited;
      const left = fs.readdirSync(setup.dataDir);
      fs.rmSync(setup.dataDir, { recursive: true, force: true });
      expect(exit.code, product.output).to.equal(1);
      expect(product.output).to.contain(message);
      expect(product.output).to.not.contain('[supervisor] started');
      expect(left, 'nothing rendered or loaded').to.deep.equal([]);
    }
  });
});

/** `text` matched literally inside a RegExp. */
function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

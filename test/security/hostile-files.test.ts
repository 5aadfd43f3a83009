/**
 * Hostile files given to ingest: what is not a regular file (named pipes, sockets, devices),
 * symbolic link loops, and billing files with control characters, malformed currency codes and
 * periods that end before they start. Each is a listed problem, nothing is written, the command
 * exits 1, and nothing hangs.
 */
import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { formatProblem, ingestFiles, IngestProblem } from '../../lib/store/ingest';
import { PROVIDER_INGESTS } from '../../scripts/providers-ingest';
import { awsDate, isAwsDateText, parseAwsBillingCsv } from '../../subgraphs/aws/charges/billing-csv';
import { parseCostDetailsCsv } from '../../subgraphs/azure/charges/cost-details-csv';
import { writeAwsBillingCsv, writeCostDetailsCsv } from '../charges/billing-files';

const INGEST_SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'ingest.js');
const GOOD_CREDITS = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'aws', 'get-credits.json');

/** Runs `npm run ingest`'s script on `paths`; a run that does not end within 20 s is killed (a hang fails the test, not the suite). */
function runIngest(paths: string[], dataDir: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [INGEST_SCRIPT, ...paths], { env: { ...process.env, DATA_DIR: dataDir }, timeout: 20_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, signal: error ? ((error as { signal?: NodeJS.Signals }).signal ?? null) : null, stdout, stderr });
    });
  });
}

/** The problems as "file: reason" lines, the file relative to `dir`. */
const relativeLines = (problems: IngestProblem[], dir: string) => problems.map((p) => formatProblem({ ...p, file: path.relative(dir, p.file) }));

describe('hostile files given to ingest', () => {
  let dir: string;
  let dataDir: string;
  const servers: net.Server[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-files-'));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-data-'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe('what is not a regular file', () => {
    it('lists a named pipe, given directly or in a folder, without opening it: exit code 1, no hang, nothing written', async function () {
      this.timeout(30_000);
      const folder = path.join(dir, 'exports');
      fs.mkdirSync(folder);
      fs.copyFileSync(GOOD_CREDITS, path.join(folder, 'get-credits.json'));
      execFileSync('mkfifo', [path.join(folder, 'pipe.json')]);
      // Whatever its name: a folder's pipe is listed even without a .json or .csv name.
      execFileSync('mkfifo', [path.join(folder, 'pipe')]);
      const given = path.join(dir, 'given-pipe');
      execFileSync('mkfifo', [given]);
      const run = await runIngest([given, folder], dataDir);
      expect(run.signal, 'the ingest hung and was killed').to.equal(null);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.equal('');
      expect(run.stderr.trim().split('\n')).to.deep.equal([
        'Nothing was loaded: 3 problem(s) found.',
        `  ${given}: is a named pipe (FIFO), not a regular file`,
        `  ${folder}/pipe: is a named pipe (FIFO), not a regular file`,
        `  ${folder}/pipe.json: is a named pipe (FIFO), not a regular file`,
      ]);
      expect(fs.readdirSync(dataDir), 'nothing was written').to.deep.equal([]);
    });

    it('lists a socket and devices, in a folder (a link to one too) or given directly, without opening them', async function () {
      this.timeout(30_000);
      const folder = path.join(dir, 'exports');
      fs.mkdirSync(folder);
      fs.copyFileSync(GOOD_CREDITS, path.join(folder, 'get-credits.json'));
      const socket = path.join(folder, 'listener.csv');
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(socket, resolve));
      fs.symlinkSync('/dev/null', path.join(folder, 'null.json'));
      const run = await runIngest([folder, '/dev/zero'], dataDir);
      expect(run.signal, 'the ingest hung and was killed').to.equal(null);
      expect(run.code).to.equal(1);
      expect(run.stderr.trim().split('\n')).to.deep.equal([
        'Nothing was loaded: 3 problem(s) found.',
        `  ${folder}/listener.csv: is a socket, not a regular file`,
        `  ${folder}/null.json: is a character device, not a regular file`,
        '  /dev/zero: is a character device, not a regular file',
      ]);
      expect(fs.readdirSync(dataDir), 'nothing was written').to.deep.equal([]);
    });

    it('names a symbolic link loop and a link to nothing for what they are, not "no such file"', async () => {
      fs.symlinkSync('b.json', path.join(dir, 'a.json'));
      fs.symlinkSync('a.json', path.join(dir, 'b.json'));
      fs.symlinkSync('gone.json', path.join(dir, 'dangling.json'));
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.copyFileSync(GOOD_CREDITS, path.join(dir, 'sub', 'get-credits.json'));
      // A folder linked inside itself: reading it would never end.
      fs.symlinkSync('..', path.join(dir, 'sub', 'back'));
      const result = await ingestFiles([dir, path.join(dir, 'missing.json')], dataDir, PROVIDER_INGESTS);
      expect(result.ok).to.equal(false);
      expect(relativeLines(result.ok ? [] : result.problems, dir)).to.deep.equal([
        'a.json: symbolic link loop: following its links never reaches a file',
        'b.json: symbolic link loop: following its links never reaches a file',
        'dangling.json: is a symbolic link to nothing (its target does not exist)',
        'sub/back: symbolic link loop: it leads back to a folder it is inside of',
        'missing.json: no such file or folder',
      ]);
      expect(fs.readdirSync(dataDir)).to.deep.equal([]);
    });

    it('still loads a folder reached through a symbolic link, and a file linked twice', async () => {
      const real = path.join(dir, 'real');
      fs.mkdirSync(real);
      fs.copyFileSync(GOOD_CREDITS, path.join(real, 'get-credits.json'));
      fs.symlinkSync(real, path.join(dir, 'linked'));
      fs.symlinkSync(path.join(real, 'get-credits.json'), path.join(dir, 'again.json'));
      const result = await ingestFiles([dir], dataDir, PROVIDER_INGESTS);
      expect(result.ok, JSON.stringify(result)).to.equal(true);
      expect(result.ok && result.loaded.map((l) => [path.relative(dir, l.file), l.entries])).to.deep.equal([
        ['again.json', 7],
        ['linked/get-credits.json', 7],
        ['real/get-credits.json', 7],
      ]);
    });
  });

  describe('billing files', () => {
    const line = (account: string, service: string, productCode: string, day: number, cost: string) => ({ account, service, productCode, day, cost });

    it('AWS: lists each distinct kept text with a control character once, and each bad currency code and period', async () => {
      const file = writeAwsBillingCsv(dir, '2026-10', 'INV\u007f42', [
        line('444455556666', 'Amazon\u0007EC2', 'AmazonEC2', 1, '1.00'),
        line('444455556666', 'Amazon\u0007EC2', 'AmazonEC2', 2, '2.00'),
        line('777788889999', 'Amazon\u0007EC2', 'AmazonEC2', 2, '3.00'),
        line('444455556666', 'Amazon S3', 'Amazon\u0085S3', 3, '4.00'),
        line('444455556666', 'Amazon S3', 'AmazonS3', 4, '5.00'),
      ]);
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      const field = (row: string, column: number, value: string) => {
        const fields = row.slice(1, -1).split('","');
        fields[column] = value;
        return `"${fields.join('","')}"`;
      };
      lines[5] = field(field(lines[5], 23, 'usd'), 20, '2026/10/03 23:59:59'); // CurrencyCode, UsageEndDate before UsageStartDate (10/04)
      lines[6] = field(lines[6], 6, '2026/09/30 23:59:59'); // BillingPeriodEndDate before BillingPeriodStartDate
      fs.writeFileSync(file, lines.join('\n'));
      const parsed = await parseAwsBillingCsv(file);
      expect(parsed.ok).to.equal(false);
      const problems = parsed.ok ? [] : parsed.problems;
      expect(problems.map((p) => [p.line, p.field, p.reason])).to.deep.equal([
        [2, 'InvoiceID', '"INV\\u007f42" holds the control character U+007F at character 4; text may not hold control characters (C0, DEL or C1)'],
        [2, 'ProductName', '"Amazon\\u0007EC2" holds the control character U+0007 at character 7; text may not hold control characters (C0, DEL or C1)'],
        [5, 'ProductCode', '"Amazon\\u0085S3" holds the control character U+0085 at character 7; text may not hold control characters (C0, DEL or C1)'],
        [6, 'CurrencyCode', '"usd" is not an ISO 4217 currency code (three capital letters A-Z, such as "USD")'],
        [6, 'UsageEndDate', '2026/10/03 23:59:59 is before UsageStartDate 2026/10/04 00:00:00: a range cannot end before it starts'],
        [7, 'BillingPeriodEndDate', '2026/09/30 23:59:59 is before BillingPeriodStartDate 2026/10/01 00:00:00: a range cannot end before it starts'],
      ]);
    });

    it('AWS: reads an end date character by character exactly as the date reader reads it', () => {
      const texts = ['2026/10/31 23:59:59', '2024/02/29 00:00:00', '2026/02/29 00:00:00', '1900/02/29 12:00:00', '2000/02/29 12:00:00', '2026/04/31 00:00:00', '2026/13/01 00:00:00', '2026/00/10 00:00:00', '2026/10/00 00:00:00', '2026/10/01 24:00:00', '2026/10/01 23:60:00', '2026/10/01 23:59:60', '2026-10-01 00:00:00', '2026/10/01T00:00:00', '2026/10/01 00:00:0', ' 2026/10/01 00:00:0', '2026/1a/01 00:00:00', '２026/10/01 00:00:00', ''];
      for (let month = 1; month <= 12; month++) for (const day of [28, 29, 30, 31]) texts.push(`2027/${String(month).padStart(2, '0')}/${day} 10:20:30`);
      for (const text of texts) expect(isAwsDateText(text), text).to.equal(awsDate(text) !== null);
    });

    it('Azure: lists each distinct kept text with a control character once, each bad currency code and each period ending before it starts', async () => {
      const row = (section: string, product: string, day: string, currency = 'USD') => ({ profile: 'PBFV-AB12-CD3-EF4', section, day, meterCategory: 'Virtual Machines', product, cost: '1.5', currency });
      const file = writeCostDetailsCsv(dir, 'cost.csv', '2026-10', 'G1\u00002', [
        row('SEC1\u001b', 'VM D2s', '2026-10-01'),
        row('SEC1\u001b', 'VM D2s', '2026-10-02'),
        row('SEC2', 'VM\u009fD4s', '2026-10-02'),
        row('SEC2', 'VM\u009fD4s', '2026-10-03', 'Eur'),
      ]);
      const parsed = await parseCostDetailsCsv(file);
      const problems = parsed.ok ? [] : parsed.problems;
      expect(problems.map((p) => [p.line, p.field, p.reason])).to.deep.equal([
        [2, 'invoiceId', '"G1\\u00002" holds the control character U+0000 at character 3; text may not hold control characters (C0, DEL or C1)'],
        [2, 'invoiceSectionId', '"SEC1\\u001b" holds the control character U+001B at character 5; text may not hold control characters (C0, DEL or C1)'],
        [4, 'ProductName', '"VM\\u009fD4s" holds the control character U+009F at character 3; text may not hold control characters (C0, DEL or C1)'],
        [5, 'billingCurrency', '"Eur" is not an ISO 4217 currency code (three capital letters A-Z, such as "USD")'],
      ]);

      const periods = path.join(dir, 'periods.csv');
      const header = 'invoiceId,billingProfileId,invoiceSectionId,billingPeriodStartDate,billingPeriodEndDate,servicePeriodStartDate,servicePeriodEndDate,date,meterCategory,ProductName,publisherType,billingCurrency,costInBillingCurrency,isAzureCreditEligible';
      const costRow = (periodEnd: string, serviceStart: string, serviceEnd: string) => `G1,P1,S1,2026-10-01,${periodEnd},${serviceStart},${serviceEnd},2026-10-05,Storage,Blob,Azure,USD,1.00,True`;
      fs.writeFileSync(periods, [header, costRow('2026-10-31', '2026-10-01', '2026-10-31'), costRow('2026-09-30', '2026-10-01', '2026-10-31'), costRow('2026-10-31', '10/05/2026', '10/04/2026'), costRow('2026-10-31', '', '')].join('\n'));
      const second = await parseCostDetailsCsv(periods);
      expect((second.ok ? [] : second.problems).map((p) => [p.line, p.field, p.reason])).to.deep.equal([
        [3, 'billingPeriodEndDate', '2026-09-30 is before billingPeriodStartDate 2026-10-01: a period cannot end before it starts'],
        [4, 'servicePeriodEndDate', '10/04/2026 is before servicePeriodStartDate 10/05/2026: a period cannot end before it starts'],
      ]);
    });

    it('refuses a billing file with a control character through npm run ingest: every problem listed, exit code 1', async () => {
      const file = writeAwsBillingCsv(dir, '2026-10', 'INV-1', [line('444455556666', 'Amazon EC2\r', 'AmazonEC2', 1, '1.00')]);
      const run = await runIngest([GOOD_CREDITS, file], dataDir);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('Nothing was loaded: 1 problem(s) found.');
      expect(run.stderr).to.contain(`${file}:2:14 ProductName: "Amazon EC2\\u000d" holds the control character U+000D at character 11`);
      expect(fs.readdirSync(dataDir)).to.deep.equal([]);
    });
  });
});

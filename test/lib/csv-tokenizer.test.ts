/**
 * The billing files' CSV tokenizer: fields, quoting, line numbers, syntax errors with line and
 * field, only the asked-for columns copied, and the same records whatever pieces the text comes in.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { completeUtf8Length, readCsv } from '../../lib/platform/csv';
import { CsvRecord, CsvSyntaxError, CsvTokenizer, detach } from '../../lib/platform/csv-tokenizer';

function tokenize(pieces: string[], options: { trackQuoting?: boolean; columns?: (h: string[]) => boolean[] } = {}) {
  const records: CsvRecord[] = [];
  const errors: CsvSyntaxError[] = [];
  const t = new CsvTokenizer({ ...options, onRecord: (r) => void records.push(r), onError: (e) => void errors.push(e) });
  for (const p of pieces) t.feed(p);
  t.end();
  return { records, errors };
}

/** Every way of cutting `text` in two, and one character at a time. */
function cuts(text: string): string[][] {
  const out = [[text], [...text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

const SAMPLE = '\uFEFFa,"b ""x""",c\r\n\n1,"two\nlines",3\n"",,"q,comma"\nlast,row,"end"';

describe('CSV tokenizer', () => {
  it('reads fields, doubled quotes, empty fields, quoted commas and line breaks, CRLF, and skips empty lines and a BOM', () => {
    const { records, errors } = tokenize([SAMPLE], { trackQuoting: true });
    expect(errors).to.deep.equal([]);
    expect(records).to.deep.equal([
      { line: 1, fields: ['a', 'b "x"', 'c'], unquoted: [1, 3] },
      { line: 3, fields: ['1', 'two\nlines', '3'], unquoted: [1, 3] },
      { line: 5, fields: ['', '', 'q,comma'], unquoted: [2] },
      { line: 6, fields: ['last', 'row', 'end'], unquoted: [1, 2] },
    ]);
  });

  it('gives the same records and errors whatever pieces the text is fed in', () => {
    const bad = SAMPLE + '\n"x"y,2\nok,"fine"\n"open';
    const whole = tokenize([bad], { trackQuoting: true });
    expect(whole.errors).to.have.length(2);
    for (const pieces of cuts(bad)) expect(tokenize(pieces, { trackQuoting: true })).to.deep.equal(whole);
  });

  it('reports syntax errors with their line and field and goes on with the next line', () => {
    const { records, errors } = tokenize(['h1,h2,h3\n1,"2"x,3\n4,5"6,7\n8,9,10\n"a\nb",c"d\n11,"12']);
    expect(errors.map((e) => [e.line, e.column])).to.deep.equal([
      [2, 2],
      [3, 2],
      [6, 2],
      [7, 2],
    ]);
    expect(errors[0].reason).to.match(/closing quote must be followed by a comma/);
    expect(errors[1].reason).to.match(/quote inside an unquoted field/);
    expect(errors[3].reason).to.match(/not closed/);
    expect(records.map((r) => [r.line, r.fields])).to.deep.equal([
      [1, ['h1', 'h2', 'h3']],
      [4, ['8', '9', '10']],
    ]);
  });

  it('copies only the columns asked for after the header, keeping every field count', () => {
    const { records } = tokenize(['a,b,c,d\n1,"2",3,4\n5,6\n'], { columns: (h) => h.map((name) => name === 'b' || name === 'd'), trackQuoting: true });
    expect(records).to.deep.equal([
      { line: 1, fields: ['a', 'b', 'c', 'd'], unquoted: [1, 2, 3, 4] },
      { line: 2, fields: ['', '2', '', '4'], unquoted: [1, 3, 4] },
      { line: 3, fields: ['', '6'], unquoted: [1, 2] },
    ]);
  });

  it('stops when a record handler returns false', () => {
    const records: CsvRecord[] = [];
    const t = new CsvTokenizer({ onRecord: (r) => (records.push(r), false), onError: () => undefined });
    t.feed('a\nb\n');
    t.feed('c\n');
    t.end();
    expect(records.map((r) => r.fields)).to.deep.equal([['a']]);
    expect(t.stopped).to.equal(true);
  });

  it('copies a kept value with its characters, long or short (detach)', () => {
    const long = 'x'.repeat(100);
    expect(detach(long.slice(10, 60))).to.equal('x'.repeat(50));
    expect(detach('short')).to.equal('short');
  });
});

describe('readCsv (files)', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads UTF-8 text whose characters are split between reads, and ASCII, the same as decoding the whole file', async () => {
    const file = path.join(dir, 'utf8.csv');
    const rows = ['name,amount'];
    // Over 1 MiB so several reads happen, with 2-, 3- and 4-byte characters across read boundaries.
    for (let i = 0; i < 60_000; i++) rows.push(`"Café ☕ 𝄞 ${i}",${i}.5`);
    for (let i = 0; i < 60_000; i++) rows.push(`plain ${i},${i}`);
    fs.writeFileSync(file, rows.join('\n'));
    const seen: string[] = [];
    const problems: unknown[] = [];
    let lastBytes = 0;
    await readCsv(file, { onProblem: (p) => problems.push(p), onBytes: (b) => (lastBytes = b) }, (r) => void seen.push(r.fields.join(',')));
    expect(problems).to.deep.equal([]);
    expect(seen).to.deep.equal(rows.map((r) => r.replace(/"/g, '')));
    expect(lastBytes).to.equal(fs.statSync(file).size);
  });

  it('reads a file as the tokenizer reads its whole text, whatever falls across the pieces it is given in', async () => {
    // Pieces are whole lines of up to 64 KiB cut from reads of 1 MiB: records here cross both,
    // with quoted line breaks, CRLF, a syntax error, multi-byte characters, a line of 200 KB and
    // a line and a quoted field longer than a read, and a byte order mark.
    const rows: string[] = ['id,text,amount'];
    for (let i = 0; i < 40_000; i++) {
      if (i % 7 === 0) rows.push(`${i},"two\nlines, ${'é'.repeat(i % 50)}",${i}.25\r`);
      else if (i === 12_345) rows.push(`${i},bad"quote,1`);
      else if (i === 20_000) rows.push(`${i},${'x'.repeat(200_000)},1`);
      else if (i === 30_000) rows.push(`${i},${'lông ☕ '.repeat(200_000)},2`);
      else if (i === 35_000) rows.push(`${i},"${'quoted\n'.repeat(200_000)}",3`);
      else rows.push(`${i},plain ☕ ${i},${i}`);
    }
    const text = '\uFEFF' + rows.join('\n') + '\n';
    const file = path.join(dir, 'pieces.csv');
    fs.writeFileSync(file, text);
    const whole = tokenize([text]);
    const seen: CsvRecord[] = [];
    const problems: { line?: number; column?: number }[] = [];
    await readCsv(file, { onProblem: (p) => problems.push(p) }, (r) => void seen.push(r));
    expect(seen.length).to.equal(whole.records.length);
    expect(seen).to.deep.equal(whole.records);
    expect(problems.map((p) => [p.line, p.column])).to.deep.equal(whole.errors.map((e) => [e.line, e.column]));
    expect(problems).to.have.length(1);
  });

  it('names the file, line and field of a syntax error', async () => {
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, 'a,b\n1,"2"x\n');
    const problems: unknown[] = [];
    await readCsv(file, { onProblem: (p) => problems.push(p) }, () => undefined);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include({ file, line: 2, column: 2 });
  });

  it('finds where the last whole UTF-8 character ends', () => {
    const bytes = Buffer.from('ab€', 'utf8'); // € is 3 bytes
    expect(completeUtf8Length(bytes)).to.equal(5);
    expect(completeUtf8Length(bytes.subarray(0, 4))).to.equal(2);
    expect(completeUtf8Length(bytes.subarray(0, 3))).to.equal(2);
    expect(completeUtf8Length(Buffer.from('abc'))).to.equal(3);
  });
});

/**
 * The layout docs/ARCHITECTURE.md describes, checked on the sources: each provider's SQL lives in
 * its store, the rest of the provider reaches the store through its index only, the two stores
 * have the same files, and lib/'s layers import only downwards (platform <- domain <- api, store).
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(rel));
    else if (entry.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

/** The code of a source file without its comments (a comment may well say "UPDATE"). */
function code(file: string): string {
  return fs
    .readFileSync(path.join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The relative imports of a file, resolved to repository paths without extension. */
function imports(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)].map((m) => path.join(path.dirname(file), m[1]));
}

/** What reaches a database: TypeORM's query APIs, raw statements, SQL verbs in strings. */
const DATABASE_ACCESS = [
  /\bcreateQueryBuilder\b/,
  /\bgetRepository\b/,
  /\b(manager|em|tx|entityManager|queryRunner|runner|dataSource|db)\s*\.\s*(find\w*|update|insert|delete|upsert|save|remove|softDelete|restore|query|count\w*|sum|average|minimum|maximum|increment|decrement|exists\w*)\s*\(/,
  /\.query\s*\(/,
  /['"`][^'"`]*\b(SELECT|UPDATE|DELETE FROM|INSERT INTO|INDEXED BY|json_each|CREATE (UNIQUE )?INDEX|CREATE TABLE|ALTER TABLE)\b/,
];

const CLOUDS = ['aws', 'azure'];

describe('the layout of the code', () => {
  it('finds sources to check (the checks below could not fail on an empty tree)', () => {
    for (const cloud of CLOUDS) expect(sources(`subgraphs/${cloud}`).length).to.be.greaterThan(20);
    expect(code('subgraphs/aws/store/charges.ts')).to.match(DATABASE_ACCESS[0]);
  });

  it("keeps every SQL statement of a provider in its store (subgraphs/<cloud>/store)", () => {
    const offenders: string[] = [];
    for (const cloud of CLOUDS) {
      for (const file of sources(`subgraphs/${cloud}`)) {
        if (file.startsWith(`subgraphs/${cloud}/store/`)) continue;
        const text = code(file);
        for (const pattern of DATABASE_ACCESS) if (pattern.test(text)) offenders.push(`${file}: ${pattern}`);
      }
    }
    for (const file of [...sources('subgraphs/credits'), ...sources('gateway'), ...sources('lib/domain'), ...sources('lib/api')]) {
      const text = code(file);
      for (const pattern of DATABASE_ACCESS) if (pattern.test(text)) offenders.push(`${file}: ${pattern}`);
    }
    expect(offenders).to.deep.equal([]);
  });

  it("reaches a provider's store through its index only (outside the store and the tests)", () => {
    const offenders: string[] = [];
    const outside = [...CLOUDS.flatMap((c) => sources(`subgraphs/${c}`)), ...sources('scripts'), ...sources('gateway'), ...sources('bench')];
    for (const file of outside) {
      for (const target of imports(file)) {
        const m = /^subgraphs\/(aws|azure)\/store\/(.+)$/.exec(target);
        if (!m || file.startsWith(`subgraphs/${m[1]}/store/`)) continue;
        // An entity declares the partial indexes the store names (their SQL is the store's).
        if (file.startsWith(`subgraphs/${m[1]}/entities/`) && m[2] === 'event-indexes') continue;
        offenders.push(`${file} imports ${target}`);
      }
    }
    expect(offenders).to.deep.equal([]);
  });

  it('gives the AWS and Azure stores the same files (Azure also has the partial indexes of its events)', () => {
    const files = (cloud: string) => sources(`subgraphs/${cloud}/store`).filter((f) => !f.includes('/migrations/')).map((f) => path.basename(f)).sort();
    expect(files('azure').filter((f) => f !== 'event-indexes.ts')).to.deep.equal(files('aws'));
    expect(files('aws')).to.include.members(['index.ts', 'database.ts', 'repository.ts', 'access-sql.ts', 'status-sql.ts', 'charges.ts']);
  });

  it('keeps the provider domain folders free of SQL: rules as plain predicates', () => {
    for (const cloud of CLOUDS) {
      for (const file of sources(`subgraphs/${cloud}/domain`)) {
        expect(imports(file).filter((t) => t.includes('sql-dialect') || t.includes('/store')), file).to.deep.equal([]);
        expect(code(file), file).not.to.match(/from 'typeorm'/);
      }
    }
  });

  it('layers lib/: platform imports nothing above it, domain (the engine too) only platform, and neither reaches a database or a schema library', () => {
    const above = (file: string, layers: string[]) => imports(file).filter((t) => layers.some((l) => t.startsWith(`lib/${l}/`)));
    for (const file of sources('lib/platform')) expect(above(file, ['domain', 'api', 'store']), file).to.deep.equal([]);
    for (const file of sources('lib/domain')) {
      expect(above(file, ['api', 'store']), file).to.deep.equal([]);
      expect(code(file), file).not.to.match(/from '(typeorm|type-graphql|graphql|node:[a-z_]+)'/);
    }
  });
});

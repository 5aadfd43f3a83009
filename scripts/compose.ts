/**
 * `npm run compose`: writes each subgraph's SDL and the composed supergraph to schema/.
 * `npm run compose -- --check`: exits 1 when the committed files are stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { composeSupergraph, staleSchemaFiles } from '../gateway/compose';
import { schemaDir } from '../gateway/supergraph';
import { runScript } from '../lib/platform/cli';

async function main(): Promise<number> {
  const dir = schemaDir();
  if (process.argv.includes('--check')) {
    const stale = await staleSchemaFiles(dir);
    if (stale.length === 0) {
      console.log('schema/ is up to date');
      return 0;
    }
    console.error(`schema/ is stale: ${stale.join(', ')}. Run \`npm run compose\` and commit the result.`);
    return 1;
  }
  const { files } = await composeSupergraph();
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of files) fs.writeFileSync(path.join(dir, name), content);
  console.log(`wrote ${[...files.keys()].map((n) => `schema/${n}`).join(', ')}`);
  return 0;
}

runScript(main);

/**
 * Where the committed schema files live and reading the supergraph the gateway serves. Apart from
 * compose.ts on purpose: composing needs every subgraph's schema code (TypeORM entities, resolvers),
 * serving does not, so the gateway process never loads it.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The repository's schema/ folder (also from dist/, where compiled code runs). */
export function schemaDir(): string {
  const fromSource = path.resolve(__dirname, '..', 'schema');
  return fs.existsSync(fromSource) ? fromSource : path.resolve(__dirname, '..', '..', 'schema');
}

export function readSupergraph(dir = schemaDir()): string {
  return fs.readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8');
}

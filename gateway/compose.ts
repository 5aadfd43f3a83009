/**
 * Composes the supergraph from the subgraphs' SDL. The SDL comes from each subgraph's schema
 * builder, so composing needs no running server; `npm run compose` writes the result to schema/.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { GraphQLSchema, parse } from 'graphql';
import { buildAwsSchema } from '../subgraphs/aws/schema';
import { buildAzureSchema } from '../subgraphs/azure/schema';
import { buildCreditsSchema } from '../subgraphs/credits/schema';
import { schemaDir } from './supergraph';

/** Subgraph names as the supergraph knows them, with their default development URLs. */
export const SUBGRAPHS: { name: 'credits' | 'aws' | 'azure'; url: string; build: () => Promise<GraphQLSchema> }[] = [
  { name: 'credits', url: 'http://127.0.0.1:4001/graphql', build: buildCreditsSchema },
  { name: 'aws', url: 'http://127.0.0.1:4002/graphql', build: buildAwsSchema },
  { name: 'azure', url: 'http://127.0.0.1:4003/graphql', build: buildAzureSchema },
];

export interface ComposedSchemas {
  /** File name in schema/ -> content. */
  files: Map<string, string>;
}

export async function composeSupergraph(): Promise<ComposedSchemas> {
  const files = new Map<string, string>();
  const services = [];
  for (const subgraph of SUBGRAPHS) {
    const sdl = printSubgraphSchema(await subgraph.build());
    files.set(`${subgraph.name}.graphql`, sdl);
    services.push({ name: subgraph.name, url: subgraph.url, typeDefs: parse(sdl) });
  }
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  files.set('supergraph.graphql', result.supergraphSdl);
  return { files };
}

/** Names of the committed schema files that differ from a fresh composition. */
export async function staleSchemaFiles(dir = schemaDir()): Promise<string[]> {
  const { files } = await composeSupergraph();
  const stale: string[] = [];
  for (const [name, content] of files) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content) stale.push(name);
  }
  return stale;
}

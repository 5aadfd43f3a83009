/**
 * Builds a federated subgraph schema from type-graphql classes.
 *
 * type-graphql's own printer drops directives, so the schema is printed with graphql-tools'
 * `printSchemaWithDirectives` (keeping @key, @shareable, ...) and rebuilt by Apollo's
 * `buildSubgraphSchema`, as type-graphql's apollo-federation-2 example does.
 */
import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { addResolversToSchema } from '@graphql-tools/schema';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, parse } from 'graphql';
import { buildSchema, BuildSchemaOptions, createResolversMap } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from './scalars';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@inaccessible"])';

/** `__resolveReference` per entity type name. */
export type ReferenceResolvers = Record<string, { __resolveReference: (reference: any, context: any, info: any) => unknown }>;

export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    ...options,
    skipCheck: true,
    scalarsMap: [
      { type: Date, scalar: DateTimeScalar },
      ...(options.scalarsMap ?? []),
    ],
    validate: false,
  });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`;
  const federated = buildSubgraphSchema({
    typeDefs: parse(sdl),
    resolvers: createResolversMap(schema) as any,
  });
  return addResolversToSchema({ schema: federated, resolvers: referenceResolvers as any, updateResolversInPlace: true });
}

export { DateTimeScalar, DecimalScalar };

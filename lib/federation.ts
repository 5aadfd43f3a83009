/**
 * Builds a federated subgraph schema from type-graphql classes.
 *
 * type-graphql's own printer drops directives, so the schema is printed with graphql-tools'
 * `printSchemaWithDirectives` (keeping @key, @shareable, ...) and rebuilt by Apollo's
 * `buildSubgraphSchema`, as type-graphql's apollo-federation-2 example does.
 */
import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
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
  // Reference resolvers go into the resolver map handed to buildSubgraphSchema, which is where
  // @apollo/subgraph picks up `__resolveReference` (it stores it in the type's extensions).
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  return buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as any });
}

export { DateTimeScalar, DecimalScalar };

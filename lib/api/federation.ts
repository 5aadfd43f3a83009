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
import { GraphQLSchema, lexicographicSortSchema, parse } from 'graphql';
import { buildSchema, BuildSchemaOptions, createResolversMap } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from './scalars';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@external", "@inaccessible", "@cost", "@listSize"])';

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
  // Sorted, because type-graphql's order of types and arguments can change from one build to the
  // next in one process; the committed SDL must not depend on what was built before it.
  const sdl = withRootDescriptions(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(lexicographicSortSchema(schema))}`);
  // Reference resolvers go into the resolver map handed to buildSubgraphSchema, which is where
  // @apollo/subgraph picks up `__resolveReference` (it stores it in the type's extensions).
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  return buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as any });
}

/** Root types get the same description in every subgraph, so composition keeps it as is. */
const ROOT_DESCRIPTIONS: Record<string, string> = {
  Query: "Reading credits: the normalized cross-cloud view and each provider's own records.",
  Mutation: "Changing credits: pause, activate and share, routed to the credit's provider.",
};

function withRootDescriptions(sdl: string): string {
  return sdl.replace(/^type (Query|Mutation) \{/gm, (line, name: string) => `"""${ROOT_DESCRIPTIONS[name]}"""\n${line}`);
}

export { DateTimeScalar, DecimalScalar };

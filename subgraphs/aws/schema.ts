/** The AWS subgraph's federated schema (buildable without a database, e.g. to print its SDL). */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, ReferenceResolvers } from '../../lib/api/federation';
import { AwsAccountResolver, awsAccountReference } from './resolvers/account.resolver';
import { AwsCostCategoryResolver, awsCostCategoryReference, AwsCostCategoryValueResolver } from './resolvers/cost-category.resolver';
import { AwsCreditAllocationResolver } from './resolvers/credit-allocation.resolver';
import { AwsCreditResolver, awsCreditReference } from './resolvers/credit.resolver';

const referenceResolvers: ReferenceResolvers = { ...awsAccountReference, ...awsCreditReference, ...awsCostCategoryReference };

export async function buildAwsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [AwsAccountResolver, AwsCreditResolver, AwsCreditAllocationResolver, AwsCostCategoryResolver, AwsCostCategoryValueResolver] },
    referenceResolvers,
  );
}

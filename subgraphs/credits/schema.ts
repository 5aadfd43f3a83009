/** The credits subgraph's schema: the normalized Credit, its queries and mutations. */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../../lib/api/federation';
import { CreditMutationsResolver } from './resolvers/credit-mutations.resolver';
import { CreditSharingResolver } from './resolvers/credit-sharing.resolver';
import { CreditSummaryResolver } from './resolvers/credit-summary.resolver';
import { creditReferenceResolver, CreditResolver } from './resolvers/credit.resolver';
import { ConvertedMoneyResolver, MoneyResolver } from './resolvers/money.resolver';
import { NodeResolver } from './resolvers/node.resolver';
import { Credit } from './types/credit';

export function buildCreditsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [CreditResolver, CreditSharingResolver, NodeResolver, CreditSummaryResolver, CreditMutationsResolver, MoneyResolver, ConvertedMoneyResolver], orphanedTypes: [Credit] },
    creditReferenceResolver,
  );
}

/** Query.credits, Query.credit and the Credit fields that reach beyond the normalized record. */
import { Arg, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { CreditsContext } from '../context';
import { badArgument as badInput, checkPageSize, CONNECTION_LIST_SIZE, toConnection } from '../../../lib/platform/connection';
import { foundOrNotFound } from '../../../lib/platform/not-found';
import { pageCredits } from '../credits-service';
import { ProviderRequestError } from '../../../lib/api/provider-http';
import type { CreditApplicationsPage } from '../../../lib/domain/provider-contract';
import { applicationsAfter, encodeApplicationCursor } from '../domain/cursor';
import { CreditApplicationConnection, CreditConnection } from '../types/connections';
import { Credit, toCredit } from '../types/credit';
import { CreditOrderField, OrderDirection } from '../types/enums';
import { CreditFilter, CreditOrder } from '../types/inputs';
import { AwsCreditReference, AzureCreditLotReference } from '../types/native-references';

const DEFAULT_ORDER: CreditOrder = { field: CreditOrderField.EXPIRES_AT, direction: OrderDirection.ASC };

@Resolver(() => Credit)
export class CreditResolver {
  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => CreditConnection, {
    description: 'Credits of every cloud in one list, filtered, ordered and paged (Relay). Pages never repeat or skip a credit.',
  })
  async credits(
    @Ctx() ctx: CreditsContext,
    @Arg('filter', () => CreditFilter, { nullable: true, description: 'Which credits to include; all when omitted.' })
    filter: CreditFilter | null,
    @Arg('orderBy', () => CreditOrder, { nullable: true, description: 'Order of the list; soonest expiry first when omitted.' })
    orderBy: CreditOrder | null,
    @Arg('first', () => Int, { defaultValue: 20, description: 'Page size, from 0 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'Continue after this cursor (a previous page\'s `pageInfo.endCursor`).' })
    after: string | null,
  ): Promise<CreditConnection> {
    const page = await pageCredits(ctx, { filter, order: orderBy ?? DEFAULT_ORDER, first, after });
    return toConnection(
      page.edges.map((e) => ({ cursor: e.cursor, node: toCredit(e.credit, ctx.now) })),
      page.hasNextPage,
      Boolean(after),
    );
  }

  @Query(() => Credit, {
    nullable: true,
    description:
      'One credit by its global ID. An unknown or malformed ID, or the ID of a credit the caller may not see, answers null with a ' +
      '`NOT_FOUND` error at this field\'s path (the same error in every case, so it does not tell whether the credit exists).',
  })
  async credit(@Ctx() ctx: CreditsContext, @Arg('id', () => ID, { description: 'The credit\'s global ID.' }) id: string): Promise<Credit> {
    return toCredit(foundOrNotFound(await ctx.loaders.credit.load(id), 'credit', 'id', id), ctx.now);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => CreditApplicationConnection, {
    description: 'What the credit paid, per month, consumer and service; newest month first.',
  })
  async applications(
    @Root() credit: Credit,
    @Ctx() ctx: CreditsContext,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, from 0 to 100.' }) first: number,
    @Arg('after', () => String, {
      nullable: true,
      description:
        "Continue after this cursor (a previous page's `pageInfo.endCursor`): the page starts after that application, even when " +
        'the list changed since (the open month is recomputed as billing files load and credits are paused, activated or shared).',
    })
    after: string | null,
  ): Promise<CreditApplicationConnection> {
    checkPageSize(first);
    const position = applicationsAfter(credit.provider, after);
    // The provider pages each credit's applications by keyset (the contract's one order), so a
    // page of credits with their applications reads what it shows, not every credit's whole history.
    let page: CreditApplicationsPage | null;
    try {
      page = await ctx.loaders.applications({ first, after: position }).load(credit.id);
    } catch (error) {
      // A cursor made up to look like one: the provider finds it no position of its order.
      if (error instanceof ProviderRequestError && error.field === 'page.after') throw badInput(`"after" is not a cursor of this credit's applications`, 'after');
      throw error;
    }
    const { applications, hasNextPage, totalCount } = page ?? { applications: [], hasNextPage: false, totalCount: 0 };
    const connection = toConnection(
      applications.map((node) => ({ cursor: encodeApplicationCursor(credit.provider, node.position), node })),
      hasNextPage,
      position !== null,
    );
    return { ...connection, totalCount } as CreditApplicationConnection;
  }

  @FieldResolver(() => AwsCreditReference, { nullable: true, description: 'The AWS credit as GetCredits describes it; null for other clouds.' })
  aws(@Root() credit: Credit): AwsCreditReference | null {
    return credit.provider === 'AWS' ? { creditId: credit.providerCreditId } : null;
  }

  @FieldResolver(() => AzureCreditLotReference, { nullable: true, description: 'The Azure credit lot as the lots API describes it; null for other clouds.' })
  azure(@Root() credit: Credit): AzureCreditLotReference | null {
    return credit.provider === 'AZURE' ? { id: credit.providerCreditId } : null;
  }
}

/**
 * Entity resolution of Credit for the router, through the request's DataLoader: null without an
 * error for a credit that is not there (the planner only asks for credits it was given).
 */
export const creditReferenceResolver = {
  Credit: {
    async __resolveReference(reference: { id: string }, ctx: CreditsContext): Promise<Credit | null> {
      const record = await ctx.loaders.credit.load(reference.id);
      return record ? toCredit(record, ctx.now) : null;
    },
  },
};

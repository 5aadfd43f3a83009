/** Query.credits, Query.credit and the Credit fields that reach beyond the normalized record. */
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { compareText } from '../../../lib/credit-order';
import type { CreditsContext } from '../context';
import { badInput, checkPageSize, pageCredits } from '../credits-service';
import { toConnection } from '../domain/connection';
import { decodeOffsetCursor, encodeOffsetCursor, InvalidCursorError } from '../domain/cursor';
import { CreditApplicationConnection, CreditConnection } from '../types/connections';
import { Credit, toCredit } from '../types/credit';
import { CreditOrderField, OrderDirection } from '../types/enums';
import { CreditFilter, CreditOrder } from '../types/inputs';
import { AwsCreditReference, AzureCreditLotReference } from '../types/native-references';

const DEFAULT_ORDER: CreditOrder = { field: CreditOrderField.EXPIRES_AT, direction: OrderDirection.ASC };

@Resolver(() => Credit)
export class CreditResolver {
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

  @Query(() => Credit, { nullable: true, description: 'One credit by its global ID; null when there is none.' })
  async credit(@Ctx() ctx: CreditsContext, @Arg('id', () => ID, { description: 'The credit\'s global ID.' }) id: string): Promise<Credit | null> {
    const record = await ctx.loaders.credit.load(id);
    return record ? toCredit(record, ctx.now) : null;
  }

  @FieldResolver(() => CreditApplicationConnection, {
    description: 'What the credit paid, per month, consumer and service; newest month first.',
  })
  async applications(
    @Root() credit: Credit,
    @Ctx() ctx: CreditsContext,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, from 0 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'Continue after this cursor.' }) after: string | null,
  ): Promise<CreditApplicationConnection> {
    checkPageSize(first);
    let start = 0;
    if (after) {
      try {
        start = decodeOffsetCursor(after) + 1;
      } catch (error) {
        if (error instanceof InvalidCursorError) throw badInput(error.message, 'after');
        throw error;
      }
    }
    const all = [...(await ctx.loaders.applications.load(credit.id))].sort(
      (a, b) =>
        compareText(b.month, a.month) ||
        compareText(a.consumer.id, b.consumer.id) ||
        compareText(a.service ?? '', b.service ?? '') ||
        compareText(a.productCode ?? '', b.productCode ?? ''),
    );
    const page = all.slice(start, start + first);
    const connection = toConnection(
      page.map((node, i) => ({ cursor: encodeOffsetCursor(start + i), node })),
      start + first < all.length,
      start > 0,
    );
    return { ...connection, totalCount: all.length } as CreditApplicationConnection;
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

/** Entity resolution of Credit for other subgraphs, through the request's DataLoader. */
export const creditReferenceResolver = {
  Credit: {
    async __resolveReference(reference: { id: string }, ctx: CreditsContext): Promise<Credit | null> {
      const record = await ctx.loaders.credit.load(reference.id);
      return record ? toCredit(record, ctx.now) : null;
    },
  },
};

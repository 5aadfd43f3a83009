/** Query.node: any object by its global ID (Relay). */
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { foundOrNotFound } from '../../../lib/platform/not-found';
import type { CreditsContext } from '../context';
import { toCredit } from '../types/credit';
import { Node } from '../types/node';

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description:
      'Any object by its global ID (Relay). An unknown or malformed ID, or the ID of an object the caller may not see, answers null ' +
      'with a `NOT_FOUND` error at this field\'s path (the same error in every case, so it does not tell whether the object exists).',
  })
  async node(@Ctx() ctx: CreditsContext, @Arg('id', () => ID, { description: 'A global ID.' }) id: string): Promise<Node> {
    return toCredit(foundOrNotFound(await ctx.loaders.credit.load(id), 'object', 'id', id), ctx.now);
  }
}

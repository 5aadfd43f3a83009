/** Query.node: any object by its global ID (Relay). */
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { CreditsContext } from '../context';
import { toCredit } from '../types/credit';
import { Node } from '../types/node';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global ID; null when there is none.' })
  async node(@Ctx() ctx: CreditsContext, @Arg('id', () => ID, { description: 'A global ID.' }) id: string): Promise<Node | null> {
    const record = await ctx.loaders.credit.load(id);
    return record ? toCredit(record, ctx.now) : null;
  }
}

/** pauseCredit, activateCredit, shareCredit: routed to the credit's provider, idempotent. */
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { MutationResult } from '../../../lib/domain/provider-contract';
import type { CreditsContext } from '../context';
import { mutateCredit } from '../credits-service';
import { toCredit } from '../types/credit';
import { ActivateCreditInput, PauseCreditInput, ShareCreditInput } from '../types/inputs';
import { ActivateCreditPayload, PauseCreditPayload, ShareCreditPayload } from '../types/payloads';

function toPayload(result: MutationResult, now: string) {
  return {
    credit: result.credit ? toCredit(result.credit, now) : null,
    userErrors: result.userErrors,
  };
}

@Resolver()
export class CreditMutationsResolver {
  @Mutation(() => PauseCreditPayload, {
    description: 'Pauses a credit: charges skip it until it is activated. Pausing a paused credit changes nothing.',
  })
  async pauseCredit(
    @Ctx() ctx: CreditsContext,
    @Arg('input', () => PauseCreditInput, { description: 'Which credit to pause.' }) input: PauseCreditInput,
  ): Promise<PauseCreditPayload> {
    return toPayload(await mutateCredit(ctx, input.creditId, (p, id) => p.pauseCredit(id, ctx.now)), ctx.now);
  }

  @Mutation(() => ActivateCreditPayload, {
    description: 'Activates a paused credit so charges may use it again. Activating an active credit changes nothing.',
  })
  async activateCredit(
    @Ctx() ctx: CreditsContext,
    @Arg('input', () => ActivateCreditInput, { description: 'Which credit to activate.' }) input: ActivateCreditInput,
  ): Promise<ActivateCreditPayload> {
    return toPayload(await mutateCredit(ctx, input.creditId, (p, id) => p.activateCredit(id, ctx.now)), ctx.now);
  }

  @Mutation(() => ShareCreditPayload, {
    description:
      'Sets whose charges a credit may pay for. AWS: ORGANIZATION, OWNER_ONLY, ACCOUNTS or COST_CATEGORY; Azure: ORGANIZATION or INVOICE_SECTIONS. Repeating it changes nothing.',
  })
  async shareCredit(
    @Ctx() ctx: CreditsContext,
    @Arg('input', () => ShareCreditInput, { description: 'The credit and its new scope.' }) input: ShareCreditInput,
  ): Promise<ShareCreditPayload> {
    return toPayload(
      await mutateCredit(ctx, input.creditId, (p, providerCreditId) =>
        p.shareCredit({
          providerCreditId,
          scope: input.scope,
          accountIds: input.accountIds ?? null,
          costCategoryArn: input.costCategoryArn ?? null,
          costCategoryValue: input.costCategoryValue ?? null,
          invoiceSectionIds: input.invoiceSectionIds ?? null,
          now: ctx.now,
        }),
      ),
      ctx.now,
    );
  }
}

/** Query.creditSummary: cross-cloud totals for FinOps. */
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { CreditsContext } from '../context';
import { summarizeAllCredits } from '../credits-service';
import { CreditFilter } from '../types/inputs';
import { CreditSummary } from '../types/summary';

const money = (amount: string, currencyCode: string) => ({ amount, currencyCode });

@Resolver()
export class CreditSummaryResolver {
  @Query(() => CreditSummary, {
    description:
      'Totals per provider and currency (what can still be used apart from what cannot), counts per status and usable balances expiring within 30/60/90 days.',
  })
  async creditSummary(
    @Ctx() ctx: CreditsContext,
    @Arg('filter', () => CreditFilter, { nullable: true, description: 'Which credits to count; all when omitted.' }) filter: CreditFilter | null,
  ): Promise<CreditSummary> {
    const summary = await summarizeAllCredits(ctx, filter);
    return {
      creditCount: summary.creditCount,
      statusCounts: summary.statusCounts,
      totals: summary.totals.map((t) => ({
        provider: t.provider,
        currencyCode: t.currencyCode,
        creditCount: t.creditCount,
        usableCreditCount: t.usableCreditCount,
        originalAmount: money(t.originalAmount, t.currencyCode),
        usableBalance: money(t.usableBalance, t.currencyCode),
        usableEstimatedBalance: money(t.usableEstimatedBalance, t.currencyCode),
        unusableBalance: money(t.unusableBalance, t.currencyCode),
        remainingBalance: money(t.remainingBalance, t.currencyCode),
        estimatedBalance: money(t.estimatedBalance, t.currencyCode),
      })),
      expiring: summary.expiring.map((e) => ({
        withinDays: e.withinDays,
        provider: e.provider,
        creditCount: e.creditCount,
        remainingBalance: money(e.remainingBalance, e.currencyCode),
      })),
    };
  }
}

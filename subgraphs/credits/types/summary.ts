/** Cross-cloud totals for FinOps: per provider and currency, per status, and what expires soon. */
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { CREDIT_STATUSES } from '../../../lib/domain/provider-contract';
import { CloudProvider, CreditStatus } from './enums';
import { Money } from './money';

/** The statuses whose balance a total counts as usable (lib/domain/credit-status.ts isUsable). */
const USABLE = 'ACTIVE, PAUSED and NOT_STARTED';

@ObjectType({
  description:
    'Totals of the credits of one provider in one currency. Balances that can still be used and those that cannot are never added ' +
    'together: `usableBalance` is what the credits can still pay, `unusableBalance` what is left on credits that never will.',
})
export class CreditCurrencyTotal {
  @Field(() => CloudProvider, { description: 'The cloud.' })
  provider: CloudProvider;

  @Field({ description: 'The currency of the credits (ISO 4217).' })
  currencyCode: string;

  @Field(() => Int, { description: 'How many credits of this provider and currency the filter selects, in every status.' })
  creditCount: number;

  @Field(() => Int, { description: `How many of them can still be used: ${USABLE} (the credits \`usableBalance\` adds up).` })
  usableCreditCount: number;

  @Field(() => Money, { description: 'Sum of the original amounts of every one of them, in every status.' })
  originalAmount: Money;

  @Field(() => Money, {
    description:
      `What the credits can still pay: the sum of the remaining balances (as of the last closed billing period) of the ${USABLE} ` +
      'credits. A paused credit counts (activating it makes it pay again); EXPIRED, CANCELED and EXHAUSTED credits never do.',
  })
  usableBalance: Money;

  @Field(() => Money, {
    description:
      `The estimated balances (after the open period's estimated charges) of the same ${USABLE} credits: what is expected to be ` +
      'left of `usableBalance` once the open period is billed.',
  })
  usableEstimatedBalance: Money;

  @Field(() => Money, {
    description:
      'What is left on credits that can no longer be used, and so will never pay: the sum of the remaining balances of the EXPIRED, ' +
      'CANCELED and EXHAUSTED credits (an expired credit keeps its remaining balance until the month of its expiry is closed, when it ' +
      'becomes its `expiredAmount`; a canceled one keeps it). `usableBalance` + `unusableBalance` = `remainingBalance`.',
  })
  unusableBalance: Money;

  @Field(() => Money, {
    deprecationReason: 'Adds balances of EXPIRED and CANCELED credits, which can no longer be used, to the usable ones: use usableBalance (and unusableBalance).',
    description: 'Sum of the remaining balances of every credit, usable or not: `usableBalance` + `unusableBalance`.',
  })
  remainingBalance: Money;

  @Field(() => Money, {
    deprecationReason: 'Adds estimated balances of EXPIRED and CANCELED credits, which can no longer be used, to the usable ones: use usableEstimatedBalance.',
    description: 'Sum of the estimated balances of every credit, usable or not.',
  })
  estimatedBalance: Money;
}

@ObjectType({ description: 'How many credits are in one status.' })
export class CreditStatusCount {
  @Field(() => CreditStatus, { description: 'The status.' })
  status: CreditStatus;

  @Field(() => Int, { description: 'How many credits are in it.' })
  count: number;
}

@ObjectType({ description: 'Balance that expires unused within a number of days unless it is consumed first, per provider and currency.' })
export class ExpiringCreditTotal {
  @Field(() => Int, { description: 'The window: 30, 60 or 90 days from now.' })
  withinDays: number;

  @Field(() => CloudProvider, { description: 'The cloud.' })
  provider: CloudProvider;

  @Field(() => Int, { description: `How many usable credits (${USABLE}) with a balance left expire in the window (after now, at most withinDays days from now).` })
  creditCount: number;

  @Field(() => Money, {
    description: 'The sum of their remaining balances (as of the last closed billing period): only usable credits, so never a balance that has already expired or was canceled.',
  })
  remainingBalance: Money;
}

@ObjectType({ description: 'Totals over the credits a filter selects, across clouds.' })
export class CreditSummary {
  @Field(() => Int, { description: 'How many credits the filter selects.' })
  creditCount: number;

  @Directive('@listSize(assumedSize: 20)')
  @Field(() => [CreditCurrencyTotal], { description: 'Totals per provider and currency (amounts of different currencies are never added).' })
  totals: CreditCurrencyTotal[];

  @Directive(`@listSize(assumedSize: ${CREDIT_STATUSES.length})`)
  @Field(() => [CreditStatusCount], { description: 'Credit count per status, every status listed.' })
  statusCounts: CreditStatusCount[];

  @Directive('@listSize(assumedSize: 60)')
  @Field(() => [ExpiringCreditTotal], { description: 'Remaining balance of usable credits expiring within 30, 60 and 90 days, per provider and currency.' })
  expiring: ExpiringCreditTotal[];
}

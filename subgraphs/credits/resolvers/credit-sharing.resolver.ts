/**
 * The lists of a credit's sharing: the accounts or invoice sections it may pay for, as many as
 * asked (`first`, at most the MAX_SHARING_LIST the provider contract carries), so a page of
 * credits with their sharing costs what it asks for. `accountCount` and `invoiceSectionCount`
 * say how many there are in all.
 */
import { Arg, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { badArgument } from '../../../lib/platform/connection';
import { MAX_SHARING_LIST } from '../../../lib/domain/provider-contract';
import { CreditSharing, NamedResource } from '../types/credit-parts';

/** How many accounts or sections a sharing list shows when `first` is not given. */
const DEFAULT_SHARING_LIST = 20;

const LIST_SIZE = '@listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)';

function firstOf(list: readonly NamedResource[], first: number): NamedResource[] {
  if (!Number.isInteger(first) || first < 0 || first > MAX_SHARING_LIST) {
    throw badArgument(`"first" must be a whole number from 0 to ${MAX_SHARING_LIST}, got ${first}`, 'first');
  }
  return list.slice(0, first);
}

@Resolver(() => CreditSharing)
export class CreditSharingResolver {
  @Directive(LIST_SIZE)
  @FieldResolver(() => [NamedResource], {
    description:
      'AWS accounts the credit may pay for: the listed accounts (ACCOUNTS) or those the cost category value covers (COST_CATEGORY); ' +
      'empty otherwise. The first `first` of them: `accountCount` says how many there are, and ' +
      '`awsCostCategory(costCategoryArn).values` or, to the management account, `awsCredit(creditId).shareableAccounts` list them all.',
  })
  accounts(
    @Root() sharing: CreditSharing,
    @Arg('first', () => Int, { defaultValue: DEFAULT_SHARING_LIST, description: `How many to list, from 0 to ${MAX_SHARING_LIST}.` }) first: number,
  ): NamedResource[] {
    return firstOf(sharing.accounts, first);
  }

  @Directive(LIST_SIZE)
  @FieldResolver(() => [NamedResource], {
    description:
      'Azure invoice sections the credit may pay for (INVOICE_SECTIONS only); empty otherwise. The first `first` of them ' +
      `(a share lists at most ${MAX_SHARING_LIST}): \`invoiceSectionCount\` says how many there are.`,
  })
  invoiceSections(
    @Root() sharing: CreditSharing,
    @Arg('first', () => Int, { defaultValue: DEFAULT_SHARING_LIST, description: `How many to list, from 0 to ${MAX_SHARING_LIST}.` }) first: number,
  ): NamedResource[] {
    return firstOf(sharing.invoiceSections, first);
  }
}

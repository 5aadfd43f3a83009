/**
 * The AWS side of the provider contract (lib/domain/provider-contract.ts): normalized credits searched,
 * ordered and paged in SQL, their applications, and pause / activate / share.
 *
 * Every operation first resolves the caller's scope (domain/access.ts): reads carry it in their
 * SQL, so a caller only ever gets what it may see; a credit outside it is NOT_FOUND, and one it
 * sees but may not control (a linked account's) is FORBIDDEN.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../../lib/platform/auth/principal';
import { sortValuesOf } from '../../lib/api/keyset-connection';
import { applicationsAfter } from '../../lib/api/provider-http';
import { summarizeInPages } from '../../lib/domain/credit-summary';
import { writeTransaction } from '../../lib/platform/database';
import type {
  ApplicationsPageRequest,
  CreditApplicationsPage,
  CreditProvider,
  CreditSummaryRecord,
  MutationResult,
  NormalizedCredit,
  SearchCreditsRequest,
  ShareCreditRequest,
  SummarizeCreditsRequest,
} from '../../lib/domain/provider-contract';
import { selectsNothing } from '../../lib/domain/provider-contract';
import { shareShapeErrors } from '../../lib/domain/share-request';
import { normalizeAllocation, normalizeCredit } from './domain/normalize-credit';
import { AwsScope, canControlCredit } from './domain/access';
import { AWS_SHARING_SCOPES, planShare, SharingLookups } from './domain/sharing';
import type { ControlState } from '../../lib/store/ledger';
import { applyAwsControlChange, awsControlState, AwsSharingState, lockGroupOfCredit } from './charges/book';
import { AwsCredit } from './entities/credit';
import { ALLOCATION_ORDER, AwsRepository, repositoryFor, setCreditControls } from './store';

function notFound(creditId: string): MutationResult {
  return { credit: null, userErrors: [{ code: 'NOT_FOUND', field: ['creditId'], message: `No AWS credit has the id "${creditId}".` }] };
}

function forbidden(creditId: string): MutationResult {
  return {
    credit: null,
    userErrors: [
      {
        code: 'FORBIDDEN',
        field: ['creditId'],
        message: `You may see AWS credit "${creditId}" but not change it: only the management (payer) account of its organization may pause, activate or share it.`,
      },
    ],
  };
}

/** Whether the caller controls the credit, with its owner's record from the lookups. */
function controls(scope: AwsScope, credit: AwsCredit, lookups: SharingLookups): boolean {
  return canControlCredit(scope, credit, lookups.accounts.get(credit.accountId));
}

export class AwsCreditProvider implements CreditProvider {
  readonly provider = 'AWS' as const;

  constructor(private readonly dataSource: DataSource) {}

  /** The caller's repository: every read limited to what the caller may see. */
  private repositoryFor(caller: Principal, manager: EntityManager = this.dataSource.manager): Promise<AwsRepository> {
    return repositoryFor(manager, caller);
  }

  /** Normalized records of stored credits, with every lookup batched. */
  private async normalize(credits: AwsCredit[], now: string, repository: AwsRepository): Promise<NormalizedCredit[]> {
    if (credits.length === 0) return [];
    const lookups = await repository.sharingLookups(credits);
    return credits.map((c) => normalizeCredit(c, lookups, now));
  }

  /** Requests arrive checked by lib/api/provider-http.ts (parseSearchRequest): `now` and dates are ISO. */
  async searchCredits(caller: Principal, request: SearchCreditsRequest): Promise<NormalizedCredit[]> {
    if (selectsNothing(request)) return [];
    const repository = await this.repositoryFor(caller);
    return this.normalize(await repository.searchCredits(request), request.now, repository);
  }

  /**
   * This provider's part of the summary: summed in SQL over the same filtered, scoped query as
   * searchCredits (lib/store/summary-sql.ts), or, where SQLite cannot sum them exactly, its credits
   * read through searchCredits a page at a time and summed as they come (lib/domain/credit-summary.ts).
   */
  async summarizeCredits(caller: Principal, request: SummarizeCreditsRequest): Promise<CreditSummaryRecord> {
    const repository = await this.repositoryFor(caller);
    return (await repository.summarizeCredits(request)) ?? summarizeInPages((page) => this.searchCredits(caller, page), request);
  }

  async getCredits(caller: Principal, providerCreditIds: string[], now: string): Promise<NormalizedCredit[]> {
    const repository = await this.repositoryFor(caller);
    return this.normalize(await repository.creditsByIds(providerCreditIds), now, repository);
  }

  /**
   * A page of each credit's allocation history the caller sees (a linked account's own rows only),
   * in the applications order (the history's own order within a credit, ALLOCATION_ORDER, whose
   * values are the positions), in two statements for any number of credits: the pages after
   * `page.after` (lib/platform/paging-sql.ts keysetPagesByParent) and their counts.
   */
  async getApplications(caller: Principal, providerCreditIds: string[], page: ApplicationsPageRequest): Promise<CreditApplicationsPage[]> {
    const after = applicationsAfter(page, ALLOCATION_ORDER, 'AWS');
    if (providerCreditIds.length === 0) return [];
    const repository = await this.repositoryFor(caller);
    const [pages, counts] = await Promise.all([
      repository.allocationPagesBy('creditId', providerCreditIds, { first: page.first, after }),
      repository.allocationCounts(providerCreditIds),
    ]);
    const rows = pages.flatMap((p) => p.slice(0, page.first));
    const accounts = await repository.accountsByIds([...new Set(rows.map((r) => r.accountId))]);
    const names = new Map(accounts.map((a) => [a.accountId, a.name]));
    return providerCreditIds
      .map((creditId, i) => ({
        providerCreditId: creditId,
        applications: pages[i].slice(0, page.first).map((row) => normalizeAllocation(row, names.get(row.accountId) ?? null, [...sortValuesOf(row, ALLOCATION_ORDER)])),
        hasNextPage: pages[i].length > page.first,
        totalCount: counts.get(creditId) ?? 0,
      }))
      .filter((p) => p.totalCount > 0);
  }

  pauseCredit(caller: Principal, providerCreditId: string, now: string): Promise<MutationResult> {
    return this.setCreditStatus(caller, providerCreditId, 'DISABLED', now);
  }

  activateCredit(caller: Principal, providerCreditId: string, now: string): Promise<MutationResult> {
    return this.setCreditStatus(caller, providerCreditId, 'ENABLED', now);
  }

  /**
   * Writes go through writeTransaction, so concurrent mutations queue on the database's single
   * connection. A successful mutation stamps `controlsChangedAt`, so later GetCredits loads keep
   * the status and sharing set here.
   */
  private setCreditStatus(caller: Principal, creditId: string, creditStatus: 'ENABLED' | 'DISABLED', now: string): Promise<MutationResult> {
    return writeTransaction(this.dataSource, async (manager) => {
      await lockGroupOfCredit(manager, creditId);
      const repository = await this.repositoryFor(caller, manager);
      const [credit] = await repository.creditsByIds([creditId]);
      if (!credit) return notFound(creditId);
      const lookups = await repository.sharingLookups([credit]);
      if (!controls(repository.scope, credit, lookups)) return forbidden(creditId);
      const before = awsControlState(credit);
      await setCreditControls(manager, creditId, { creditStatus, controlsChangedAt: now });
      Object.assign(credit, { creditStatus, controlsChangedAt: now });
      return { credit: await this.afterControlChange(manager, repository, credit, before, now, lookups), userErrors: [] };
    });
  }

  /**
   * After the request's shape, the credit's visibility (NOT_FOUND) and the caller's control
   * (FORBIDDEN) are checked before its accounts or cost category, so a caller that may not share
   * the credit learns nothing about the organization's accounts or categories from the errors.
   */
  async shareCredit(caller: Principal, request: ShareCreditRequest): Promise<MutationResult> {
    const shapeErrors = shareShapeErrors(request, AWS_SHARING_SCOPES, 'AWS');
    if (shapeErrors.length > 0) return { credit: null, userErrors: shapeErrors };
    const creditId = request.providerCreditId;
    return writeTransaction(this.dataSource, async (manager) => {
      await lockGroupOfCredit(manager, creditId);
      const repository = await this.repositoryFor(caller, manager);
      const [credit] = await repository.creditsByIds([creditId]);
      if (!credit) return notFound(creditId);
      const lookups = await repository.sharingLookups([credit], { categoryArns: request.costCategoryArn ? [request.costCategoryArn] : [], wholeOrganizations: true });
      if (!controls(repository.scope, credit, lookups)) return forbidden(creditId);
      const plan = planShare(credit.accountId, request, lookups);
      if (!plan.ok) return { credit: null, userErrors: plan.userErrors };
      const before = awsControlState(credit);
      await setCreditControls(manager, creditId, { ...plan.columns, controlsChangedAt: request.now });
      Object.assign(credit, plan.columns, { controlsChangedAt: request.now });
      return { credit: await this.afterControlChange(manager, repository, credit, before, request.now, lookups), userErrors: [] };
    });
  }

  /**
   * After a pause, activation or share: when the controls changed, records the change by month and
   * recomputes the credit's organization (so the open month's estimate reflects it at once), then
   * returns the credit as it now is (normalized with the lookups the change was checked with).
   */
  private async afterControlChange(
    manager: EntityManager,
    repository: AwsRepository,
    credit: AwsCredit,
    before: ControlState<AwsSharingState>,
    now: string,
    lookups: SharingLookups,
  ): Promise<NormalizedCredit> {
    const after = awsControlState(credit);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await applyAwsControlChange(manager, credit, before, after, now);
      const [fresh] = await repository.creditsByIds([credit.creditId]);
      if (fresh) credit = fresh;
    }
    return normalizeCredit(credit, lookups, now);
  }
}

/**
 * The AWS side of the provider contract (lib/provider-contract.ts): normalized credits searched,
 * ordered and paged in SQL, their applications, and pause / activate / share.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { keysetCondition } from '../../lib/credit-order';
import { foldSearchTerm } from '../../lib/credit-search';
import { statusSqlCase } from '../../lib/credit-status';
import { writeTransaction } from '../../lib/database';
import type {
  CreditApplicationRecord,
  CreditOrderField,
  CreditProvider,
  MutationResult,
  NormalizedCredit,
  SearchCreditsRequest,
  ShareCreditRequest,
} from '../../lib/provider-contract';
import { shareShapeErrors } from '../../lib/share-request';
import { awsStatusFactColumns, normalizeAllocation, normalizeCredit } from './domain/normalize-credit';
import { AWS_SHARING_SCOPES, planShare } from './domain/sharing';
import { AwsCredit } from './entities/credit';
import { AwsRepository } from './repository';

/** The stored column each order field sorts by (the NAME column is the normalized `name`). */
const ORDER_COLUMNS: Record<CreditOrderField, string> = {
  EXPIRES_AT: 'credit.sortExpiresAt',
  REMAINING_BALANCE: 'credit.sortRemaining',
  NAME: 'credit.description',
};

function notFound(creditId: string): MutationResult {
  return { credit: null, userErrors: [{ code: 'NOT_FOUND', field: ['creditId'], message: `No AWS credit has the id "${creditId}".` }] };
}

export class AwsCreditProvider implements CreditProvider {
  readonly provider = 'AWS' as const;

  constructor(private readonly dataSource: DataSource) {}

  private repository(manager: EntityManager = this.dataSource.manager): AwsRepository {
    return new AwsRepository(manager);
  }

  /** Normalized records of stored credits, with every lookup batched. */
  private async normalize(credits: AwsCredit[], now: string, repository = this.repository()): Promise<NormalizedCredit[]> {
    if (credits.length === 0) return [];
    const lookups = await repository.sharingLookups(credits);
    return credits.map((c) => normalizeCredit(c, lookups, now));
  }

  /** Requests arrive checked by lib/provider-http.ts (parseSearchRequest): `now` and dates are ISO. */
  async searchCredits(request: SearchCreditsRequest): Promise<NormalizedCredit[]> {
    const { filter, now } = request;
    const { statuses, currencyCodes, ownerIds } = filter;
    if ([statuses, currencyCodes, ownerIds].some((list) => list?.length === 0) || request.limit === 0) return [];

    const qb = this.dataSource.manager.createQueryBuilder(AwsCredit, 'credit');
    if (statuses) qb.andWhere(`${statusSqlCase(awsStatusFactColumns('credit'))} IN (:...statuses)`, { statuses, now });
    if (currencyCodes) qb.andWhere('credit.remainingCurrencyCode IN (:...currencyCodes)', { currencyCodes });
    if (ownerIds) qb.andWhere('credit.accountId IN (:...ownerIds)', { ownerIds });
    if (filter.expiresBefore) qb.andWhere('credit.endDate IS NOT NULL AND credit.endDate < :expiresBefore', { expiresBefore: filter.expiresBefore });
    if (filter.search) qb.andWhere('instr(credit.searchText, :search) > 0', { search: foldSearchTerm(filter.search) });
    const { field, direction } = request.order;
    const keyset = keysetCondition('AWS', request.after, direction, ORDER_COLUMNS[field], 'credit.creditId');
    if (keyset) qb.andWhere(keyset.sql, keyset.params);
    qb.orderBy(ORDER_COLUMNS[field], direction).addOrderBy('credit.creditId', direction);
    if (request.limit !== null) qb.limit(request.limit);
    return this.normalize(await qb.getMany(), now);
  }

  async getCredits(providerCreditIds: string[], now: string): Promise<NormalizedCredit[]> {
    return this.normalize(await this.repository().creditsByIds(providerCreditIds), now);
  }

  async getApplications(providerCreditIds: string[]): Promise<CreditApplicationRecord[]> {
    const repository = this.repository();
    const rows = await repository.allocations({ creditIds: providerCreditIds });
    const accounts = await repository.accountsByIds([...new Set(rows.map((r) => r.accountId))]);
    const names = new Map(accounts.map((a) => [a.accountId, a.name]));
    return rows.map((row) => normalizeAllocation(row, names.get(row.accountId) ?? null));
  }

  pauseCredit(providerCreditId: string, now: string): Promise<MutationResult> {
    return this.setCreditStatus(providerCreditId, 'DISABLED', now);
  }

  activateCredit(providerCreditId: string, now: string): Promise<MutationResult> {
    return this.setCreditStatus(providerCreditId, 'ENABLED', now);
  }

  /**
   * Writes go through writeTransaction, so concurrent mutations queue on the database's single
   * connection. A successful mutation stamps `controlsChangedAt`, so later GetCredits loads keep
   * the status and sharing set here.
   */
  private setCreditStatus(creditId: string, creditStatus: 'ENABLED' | 'DISABLED', now: string): Promise<MutationResult> {
    return writeTransaction(this.dataSource, async (manager) => {
      const repository = this.repository(manager);
      const [credit] = await repository.creditsByIds([creditId]);
      if (!credit) return notFound(creditId);
      await manager.update(AwsCredit, { creditId }, { creditStatus, controlsChangedAt: now });
      Object.assign(credit, { creditStatus, controlsChangedAt: now });
      const [normalized] = await this.normalize([credit], now, repository);
      return { credit: normalized, userErrors: [] };
    });
  }

  async shareCredit(request: ShareCreditRequest): Promise<MutationResult> {
    const shapeErrors = shareShapeErrors(request, AWS_SHARING_SCOPES, 'AWS');
    if (shapeErrors.length > 0) return { credit: null, userErrors: shapeErrors };
    const creditId = request.providerCreditId;
    return writeTransaction(this.dataSource, async (manager) => {
      const repository = this.repository(manager);
      const [credit] = await repository.creditsByIds([creditId]);
      if (!credit) return notFound(creditId);
      const lookups = await repository.sharingLookups([credit], { categoryArns: request.costCategoryArn ? [request.costCategoryArn] : [] });
      const plan = planShare(credit.accountId, request, lookups);
      if (!plan.ok) return { credit: null, userErrors: plan.userErrors };
      await manager.update(AwsCredit, { creditId }, { ...plan.columns, controlsChangedAt: request.now });
      Object.assign(credit, plan.columns, { controlsChangedAt: request.now });
      return { credit: normalizeCredit(credit, lookups, request.now), userErrors: [] };
    });
  }
}

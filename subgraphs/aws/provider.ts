/**
 * The AWS side of the provider contract (lib/provider-contract.ts): normalized credits searched,
 * ordered and paged in SQL, their applications, and pause / activate / share.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { keysetCondition } from '../../lib/credit-order';
import { statusSqlCase } from '../../lib/credit-status';
import { ContractRequestError } from '../../lib/provider-http';
import {
  CREDIT_STATUSES,
  CreditApplicationRecord,
  CreditOrderField,
  CreditProvider,
  MutationResult,
  NormalizedCredit,
  ORDER_FIELDS,
  SearchCreditsRequest,
  ShareCreditRequest,
} from '../../lib/provider-contract';
import { awsStatusFactColumns, normalizeAllocation, normalizeCredit } from './domain/normalize-credit';
import { planShare, SharingColumns } from './domain/sharing';
import { AwsCredit } from './entities/credit';
import { AwsRepository } from './repository';

/** The stored column each order field sorts by (the NAME column is the normalized `name`). */
const ORDER_COLUMNS: Record<CreditOrderField, string> = {
  EXPIRES_AT: 'credit.sortExpiresAt',
  REMAINING_BALANCE: 'credit.sortRemaining',
  NAME: 'credit.description',
};

/** An ISO-8601 instant from a request, or a 400 naming the field. */
function instant(value: unknown, field: string): string {
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new ContractRequestError(`${field} must be an ISO-8601 date-time, got ${JSON.stringify(value)}`);
  return date.toISOString();
}

function optionalList(value: unknown, field: string, allowed?: readonly string[]): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && (!allowed || allowed.includes(v)))) {
    throw new ContractRequestError(`${field} must be a list of ${allowed ? allowed.join(' | ') : 'strings'}`);
  }
  return value;
}

/** Checks a search request's shape (it arrives as JSON over HTTP); a malformed one is a 400. */
function checkSearch(request: SearchCreditsRequest): void {
  const { order, after, limit } = request;
  if (!order || !ORDER_FIELDS.includes(order.field) || (order.direction !== 'ASC' && order.direction !== 'DESC')) {
    throw new ContractRequestError(`order must be { field: ${ORDER_FIELDS.join(' | ')}, direction: ASC | DESC }`);
  }
  if (after !== null && after !== undefined && !(typeof after.key === 'string' && typeof after.provider === 'string' && typeof after.providerCreditId === 'string')) {
    throw new ContractRequestError('after must be null or { key, provider, providerCreditId } strings');
  }
  if (limit !== null && limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new ContractRequestError('limit must be null or a whole number of at least 0');
  }
}

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

  async searchCredits(request: SearchCreditsRequest): Promise<NormalizedCredit[]> {
    checkSearch(request);
    const now = instant(request.now, 'now');
    const filter = request.filter ?? {};
    const statuses = optionalList(filter.statuses, 'filter.statuses', CREDIT_STATUSES);
    const currencyCodes = optionalList(filter.currencyCodes, 'filter.currencyCodes');
    const ownerIds = optionalList(filter.ownerIds, 'filter.ownerIds');
    if ([statuses, currencyCodes, ownerIds].some((list) => list?.length === 0) || request.limit === 0) return [];

    const qb = this.dataSource.manager.createQueryBuilder(AwsCredit, 'credit');
    if (statuses) qb.andWhere(`${statusSqlCase(awsStatusFactColumns('credit'))} IN (:...statuses)`, { statuses, now });
    if (currencyCodes) qb.andWhere('credit.remainingCurrencyCode IN (:...currencyCodes)', { currencyCodes });
    if (ownerIds) qb.andWhere('credit.accountId IN (:...ownerIds)', { ownerIds });
    if (filter.expiresBefore !== null && filter.expiresBefore !== undefined) {
      qb.andWhere('credit.endDate IS NOT NULL AND credit.endDate < :expiresBefore', {
        expiresBefore: instant(filter.expiresBefore, 'filter.expiresBefore'),
      });
    }
    if (filter.search) {
      // SQLite's lower() folds ASCII letters only, so the search is case-insensitive for ASCII text.
      qb.andWhere(
        '(instr(lower(credit.description), :search) > 0 OR instr(lower(credit.creditId), :search) > 0 OR instr(lower(credit.creditType), :search) > 0)',
        { search: String(filter.search).toLowerCase() },
      );
    }
    const { field, direction } = request.order;
    const keyset = keysetCondition('AWS', request.after ?? null, direction, ORDER_COLUMNS[field], 'credit.creditId');
    if (keyset) qb.andWhere(keyset.sql, keyset.params);
    qb.orderBy(ORDER_COLUMNS[field], direction).addOrderBy('credit.creditId', direction);
    if (request.limit !== null && request.limit !== undefined) qb.limit(request.limit);
    return this.normalize(await qb.getMany(), now);
  }

  async getCredits(providerCreditIds: string[], now: string): Promise<NormalizedCredit[]> {
    const at = instant(now, 'now');
    return this.normalize(await this.repository().creditsByIds(providerCreditIds), at);
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

  private async setCreditStatus(creditId: string, creditStatus: 'ENABLED' | 'DISABLED', now: string): Promise<MutationResult> {
    const at = instant(now, 'now');
    return this.dataSource.transaction(async (manager) => {
      const repository = this.repository(manager);
      const [credit] = await repository.creditsByIds([creditId]);
      if (!credit) return notFound(creditId);
      if (credit.creditStatus !== creditStatus) {
        await manager.update(AwsCredit, { creditId }, { creditStatus });
        credit.creditStatus = creditStatus;
      }
      const [normalized] = await this.normalize([credit], at, repository);
      return { credit: normalized, userErrors: [] };
    });
  }

  async shareCredit(request: ShareCreditRequest): Promise<MutationResult> {
    const at = instant(request.now, 'now');
    const creditId = String(request.providerCreditId);
    optionalList(request.accountIds, 'accountIds');
    return this.dataSource.transaction(async (manager) => {
      const repository = this.repository(manager);
      const [credit] = await repository.creditsByIds([creditId]);
      if (!credit) return notFound(creditId);
      const categoryArns = typeof request.costCategoryArn === 'string' ? [request.costCategoryArn] : [];
      const lookups = await repository.sharingLookups([credit], { categoryArns });
      const plan = planShare(credit.accountId, request, lookups);
      if (!plan.ok) return { credit: null, userErrors: plan.userErrors };
      if (!sameSharing(credit, plan.columns)) {
        await manager.update(AwsCredit, { creditId }, plan.columns);
        Object.assign(credit, plan.columns);
      }
      return { credit: normalizeCredit(credit, lookups, at), userErrors: [] };
    });
  }
}

function sameSharing(a: SharingColumns, b: SharingColumns): boolean {
  return (
    a.creditSharingType === b.creditSharingType &&
    a.costCategoryArn === b.costCategoryArn &&
    a.ruleName === b.ruleName &&
    JSON.stringify(a.shareableAccounts) === JSON.stringify(b.shareableAccounts)
  );
}

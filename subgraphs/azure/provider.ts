/**
 * The Azure side of the provider contract (lib/provider-contract.ts): lots as normalized credits,
 * their applications from events, and this product's pause and share extension.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { ContractRequestError } from '../../lib/provider-http';
import {
  ContractUserError,
  CreditApplicationRecord,
  CreditProvider,
  MutationResult,
  NormalizedCredit,
  ORDER_FIELDS,
  SearchCreditsRequest,
  ShareCreditRequest,
} from '../../lib/provider-contract';
import { lotApplications } from './domain/applications';
import { normalizeLot } from './domain/normalize-lot';
import { decideSharing, sameSharing } from './domain/sharing';
import { AzureCreditLot } from './entities/credit-lot';
import { AzureRepository } from './repository';

/** An ISO-8601 UTC instant from a request field, or a 400 naming the field. */
function instant(value: unknown, field: string): string {
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new ContractRequestError(`${field} must be an ISO-8601 date-time, got ${JSON.stringify(value)}`);
  return date.toISOString();
}

function notFound(providerCreditId: string): MutationResult {
  return {
    credit: null,
    userErrors: [{ code: 'NOT_FOUND', field: ['creditId'], message: `There is no Azure credit lot with id "${providerCreditId}".` }],
  };
}

/** A change to one lot: the columns to set, or why it is refused. */
type LotChange = { ok: true; set: Partial<Pick<AzureCreditLot, 'paused' | 'sharedInvoiceSectionIds'>> } | { ok: false; userErrors: ContractUserError[] };

export class AzureCreditProvider implements CreditProvider {
  readonly provider = 'AZURE' as const;

  constructor(private readonly dataSource: DataSource) {}

  async searchCredits(request: SearchCreditsRequest): Promise<NormalizedCredit[]> {
    const now = instant(request.now, 'now');
    const filter = request.filter ?? {};
    const order = request.order;
    if (!order || !ORDER_FIELDS.includes(order.field) || (order.direction !== 'ASC' && order.direction !== 'DESC')) {
      throw new ContractRequestError(`order must be { field: ${ORDER_FIELDS.join(' | ')}, direction: ASC | DESC }`);
    }
    const expiresBefore = filter.expiresBefore ? instant(filter.expiresBefore, 'filter.expiresBefore') : null;
    const limit = request.limit ?? null;
    if (limit !== null && (!Number.isInteger(limit) || limit < 0)) throw new ContractRequestError('limit must be a whole number >= 0 or null');
    const lots = await new AzureRepository(this.dataSource.manager).searchLots({
      filter: { ...filter, expiresBefore },
      order,
      after: request.after ?? null,
      limit,
      now,
    });
    return this.normalize(this.dataSource.manager, lots, now);
  }

  async getCredits(providerCreditIds: string[], now: string): Promise<NormalizedCredit[]> {
    const at = instant(now, 'now');
    if (providerCreditIds.length === 0) return [];
    const lots = await new AzureRepository(this.dataSource.manager).lots(providerCreditIds);
    return this.normalize(this.dataSource.manager, lots, at);
  }

  async getApplications(providerCreditIds: string[]): Promise<CreditApplicationRecord[]> {
    if (providerCreditIds.length === 0) return [];
    const repository = new AzureRepository(this.dataSource.manager);
    const lots = await repository.lots(providerCreditIds);
    if (lots.length === 0) return [];
    const [events, profiles] = await Promise.all([
      repository.eventsOfLots(lots),
      repository.billingProfiles([...new Set(lots.map((l) => l.billingProfileId))]),
    ]);
    const profileById = new Map(profiles.map((p) => [p.id, p]));
    return lots.flatMap((lot) => lotApplications(lot, profileById.get(lot.billingProfileId) ?? null, events));
  }

  pauseCredit(providerCreditId: string, now: string): Promise<MutationResult> {
    return this.changeLot(providerCreditId, now, async () => ({ ok: true, set: { paused: true } }));
  }

  activateCredit(providerCreditId: string, now: string): Promise<MutationResult> {
    return this.changeLot(providerCreditId, now, async () => ({ ok: true, set: { paused: false } }));
  }

  shareCredit(request: ShareCreditRequest): Promise<MutationResult> {
    return this.changeLot(request.providerCreditId, request.now, async (lot, repository) => {
      const sections = request.scope === 'INVOICE_SECTIONS' ? await repository.invoiceSectionsOfProfiles([lot.billingProfileId]) : [];
      const decision = decideSharing(request, sections);
      return decision.ok ? { ok: true, set: { sharedInvoiceSectionIds: decision.sharedInvoiceSectionIds } } : decision;
    });
  }

  /** Applies a change to one lot in a transaction (writing only what differs) and returns the credit after it. */
  private async changeLot(
    providerCreditId: string,
    now: string,
    decide: (lot: AzureCreditLot, repository: AzureRepository) => Promise<LotChange>,
  ): Promise<MutationResult> {
    const at = instant(now, 'now');
    if (typeof providerCreditId !== 'string') throw new ContractRequestError('providerCreditId must be a string');
    return this.dataSource.transaction(async (manager) => {
      const repository = new AzureRepository(manager);
      const [lot] = await repository.lots([providerCreditId]);
      if (!lot) return notFound(providerCreditId);
      const change = await decide(lot, repository);
      if (!change.ok) return { credit: null, userErrors: change.userErrors };
      const differs =
        (change.set.paused !== undefined && change.set.paused !== lot.paused) ||
        (change.set.sharedInvoiceSectionIds !== undefined && !sameSharing(change.set.sharedInvoiceSectionIds, lot.sharedInvoiceSectionIds));
      if (differs) {
        await manager.update(AzureCreditLot, { id: lot.id }, change.set);
        Object.assign(lot, change.set);
      }
      const [credit] = await this.normalize(manager, [lot], at);
      return { credit, userErrors: [] };
    });
  }

  /** Normalized records of lots, with their profiles and shared sections fetched in two statements. */
  private async normalize(manager: EntityManager, lots: AzureCreditLot[], now: string): Promise<NormalizedCredit[]> {
    if (lots.length === 0) return [];
    const repository = new AzureRepository(manager);
    const sectionIds = [...new Set(lots.flatMap((l) => l.sharedInvoiceSectionIds ?? []))];
    const [profiles, sections] = await Promise.all([
      repository.billingProfiles([...new Set(lots.map((l) => l.billingProfileId))]),
      sectionIds.length > 0 ? repository.invoiceSections(sectionIds) : Promise.resolve([]),
    ]);
    const profileById = new Map(profiles.map((p) => [p.id, p]));
    const sectionsById = new Map(sections.map((s) => [s.id, s]));
    return lots.map((lot) => normalizeLot(lot, { profile: profileById.get(lot.billingProfileId) ?? null, sectionsById }, now));
  }
}

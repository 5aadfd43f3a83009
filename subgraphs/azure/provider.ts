/**
 * The Azure side of the provider contract (lib/provider-contract.ts): lots as normalized credits,
 * their applications from events, and this product's pause and share extension. Requests arrive
 * checked by lib/provider-http.ts (`now` and dates as ISO text, a known order, a valid limit).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { writeTransaction } from '../../lib/database';
import {
  ContractUserError,
  CreditApplicationRecord,
  CreditProvider,
  MutationResult,
  NormalizedCredit,
  SearchCreditsRequest,
  ShareCreditRequest,
} from '../../lib/provider-contract';
import { lotApplications } from './domain/applications';
import { normalizeLot } from './domain/normalize-lot';
import { decideSharing, sameSharing, shapedShareRequest, sharingShapeErrors } from './domain/sharing';
import { AzureCreditLot } from './entities/credit-lot';
import { AzureRepository } from './repository';

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
    const lots = await new AzureRepository(this.dataSource.manager).searchLots({
      filter: request.filter,
      order: request.order,
      after: request.after,
      limit: request.limit,
      now: request.now,
    });
    return this.normalize(this.dataSource.manager, lots, request.now);
  }

  async getCredits(providerCreditIds: string[], now: string): Promise<NormalizedCredit[]> {
    if (providerCreditIds.length === 0) return [];
    const lots = await new AzureRepository(this.dataSource.manager).lots(providerCreditIds);
    return this.normalize(this.dataSource.manager, lots, now);
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

  async shareCredit(request: ShareCreditRequest): Promise<MutationResult> {
    const shapeErrors = sharingShapeErrors(request);
    if (shapeErrors.length > 0) return { credit: null, userErrors: shapeErrors };
    const shaped = shapedShareRequest(request);
    return this.changeLot(request.providerCreditId, request.now, async (lot, repository) => {
      const sections = shaped.scope === 'INVOICE_SECTIONS' ? await repository.invoiceSectionsOfProfiles([lot.billingProfileId]) : [];
      const decision = decideSharing(shaped, sections);
      return decision.ok ? { ok: true, set: { sharedInvoiceSectionIds: decision.sharedInvoiceSectionIds } } : decision;
    });
  }

  /**
   * Applies a change to one lot (writing only what differs) and returns the credit after it. The
   * transaction is queued behind this database's other writes (lib/database.ts writeTransaction),
   * so concurrent mutations run one after another, in the order they were asked for.
   */
  private changeLot(
    providerCreditId: string,
    now: string,
    decide: (lot: AzureCreditLot, repository: AzureRepository) => Promise<LotChange>,
  ): Promise<MutationResult> {
    return writeTransaction(this.dataSource, async (manager) => {
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
      const [credit] = await this.normalize(manager, [lot], now);
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

/**
 * The Azure side of the provider contract (lib/domain/provider-contract.ts): lots as normalized credits,
 * their applications from events, and this product's pause and share extension. Requests arrive
 * checked by lib/api/provider-http.ts (`now` and dates as ISO text, a known order, a valid limit).
 * Every operation acts for a verified caller: reads see only its scope (domain/access.ts, applied
 * in the repository's SQL), and changes need an owner or contributor role.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../../lib/platform/auth/principal';
import { summarizeInPages } from '../../lib/domain/credit-summary';
import { writeTransaction } from '../../lib/platform/database';
import {
  ApplicationsPageRequest,
  ContractUserError,
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
import { canChangeCredits, forbiddenChangeMessage } from './domain/access';
import { applicationPages } from '../../lib/domain/credit-order';
import { applicationsAfter } from '../../lib/api/provider-http';
import { AZURE_APPLICATION_ORDER, computedLotApplications, lotApplications } from './domain/applications';
import { applyAzureControlChange, azureControlState, lockGroupOfCredit } from './charges/book';
import { normalizeLot } from './domain/normalize-lot';
import { decideSharing, sameSharing, shapedShareRequest, sharingShapeErrors } from './domain/sharing';
import { AzureCreditLot } from './entities/credit-lot';
import { AzureRepository, repositoryFor, setLotControls } from './store';

function forbidden(providerCreditId: string): MutationResult {
  return { credit: null, userErrors: [{ code: 'FORBIDDEN', field: ['creditId'], message: forbiddenChangeMessage(providerCreditId) }] };
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

  /** The caller's repository: every query limited to what the caller may see, computed once per call. */
  private repositoryFor(caller: Principal, manager: EntityManager = this.dataSource.manager): Promise<AzureRepository> {
    return repositoryFor(manager, caller);
  }

  async searchCredits(caller: Principal, request: SearchCreditsRequest): Promise<NormalizedCredit[]> {
    if (selectsNothing(request)) return [];
    const repository = await this.repositoryFor(caller);
    return this.normalize(repository, await repository.searchCredits(request), request.now);
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
    if (providerCreditIds.length === 0) return [];
    const repository = await this.repositoryFor(caller);
    return this.normalize(repository, await repository.lots(providerCreditIds), now);
  }

  /**
   * A page of each lot's applications after `page.after` (lib/domain/credit-order.ts applicationPages, in
   * AZURE_APPLICATION_ORDER): a lot's imported events and its computed applications (one document
   * per lot) are read whole, then paged.
   */
  async getApplications(caller: Principal, providerCreditIds: string[], page: ApplicationsPageRequest): Promise<CreditApplicationsPage[]> {
    applicationsAfter(page, AZURE_APPLICATION_ORDER, 'AZURE');
    if (providerCreditIds.length === 0) return [];
    const repository = await this.repositoryFor(caller);
    const lots = await repository.lots(providerCreditIds);
    if (lots.length === 0) return [];
    const profileIds = [...new Set(lots.map((l) => l.billingProfileId))];
    const [events, profiles, computed, periods] = await Promise.all([
      repository.importedEventsOfLots(lots),
      repository.billingProfiles(profileIds),
      repository.computedApplications(lots.map((l) => l.id)),
      repository.billingPeriods(profileIds),
    ]);
    const profileById = new Map(profiles.map((p) => [p.id, p]));
    const sectionIds = [...new Set(computed.map((a) => a.consumerId))];
    const sections = sectionIds.length > 0 ? await repository.invoiceSections(sectionIds) : [];
    const invoices = new Map(periods.map((p) => [`${p.billingGroup}\u0001${p.month}`, p.final ? (p.invoiceIds[0] ?? null) : null]));
    const fromCostDetails = computedLotApplications(computed, new Map(sections.map((s) => [s.id, s.displayName])), (profile, month) => invoices.get(`${profile}\u0001${month}`) ?? null);
    const imported = lots.flatMap((lot) => lotApplications(lot, profileById.get(lot.billingProfileId) ?? null, events));
    return applicationPages([...imported, ...fromCostDetails], page, AZURE_APPLICATION_ORDER);
  }

  pauseCredit(caller: Principal, providerCreditId: string, now: string): Promise<MutationResult> {
    return this.changeLot(caller, providerCreditId, now, async () => ({ ok: true, set: { paused: true } }));
  }

  activateCredit(caller: Principal, providerCreditId: string, now: string): Promise<MutationResult> {
    return this.changeLot(caller, providerCreditId, now, async () => ({ ok: true, set: { paused: false } }));
  }

  async shareCredit(caller: Principal, request: ShareCreditRequest): Promise<MutationResult> {
    // The shape of the request says nothing about any lot, so it is checked before the lot is looked up.
    const shapeErrors = sharingShapeErrors(request);
    if (shapeErrors.length > 0) return { credit: null, userErrors: shapeErrors };
    const shaped = shapedShareRequest(request);
    return this.changeLot(caller, request.providerCreditId, request.now, async (lot, repository) => {
      const sections = shaped.scope === 'INVOICE_SECTIONS' ? await repository.invoiceSectionsOfProfiles([lot.billingProfileId]) : [];
      const decision = decideSharing(shaped, sections);
      return decision.ok ? { ok: true, set: { sharedInvoiceSectionIds: decision.sharedInvoiceSectionIds } } : decision;
    });
  }

  /**
   * Applies a change to one lot (writing only what differs) and returns the credit after it. A lot
   * the caller may not see is NOT_FOUND (its existence does not leak); one it may see but not
   * change is FORBIDDEN. The transaction is queued behind this database's other writes
   * (lib/platform/database.ts writeTransaction), so concurrent mutations run one after another, in the
   * order they were asked for.
   */
  private changeLot(
    caller: Principal,
    providerCreditId: string,
    now: string,
    decide: (lot: AzureCreditLot, repository: AzureRepository) => Promise<LotChange>,
  ): Promise<MutationResult> {
    // Queued at once (the scope is read inside the transaction), so calls keep the order they were made in.
    return writeTransaction(this.dataSource, async (manager) => {
      await lockGroupOfCredit(manager, providerCreditId);
      const repository = await this.repositoryFor(caller, manager);
      const scope = repository.scope;
      let [lot] = await repository.lots([providerCreditId]);
      if (!lot) return notFound(providerCreditId);
      if (!canChangeCredits(scope.grants, lot)) return forbidden(providerCreditId);
      const change = await decide(lot, repository);
      if (!change.ok) return { credit: null, userErrors: change.userErrors };
      const differs =
        (change.set.paused !== undefined && change.set.paused !== lot.paused) ||
        (change.set.sharedInvoiceSectionIds !== undefined && !sameSharing(change.set.sharedInvoiceSectionIds, lot.sharedInvoiceSectionIds));
      if (differs) {
        const before = azureControlState(lot);
        await setLotControls(manager, lot.id, change.set);
        Object.assign(lot, change.set);
        // The open month's estimate reflects the change at once (the profile is recomputed).
        await applyAzureControlChange(manager, lot, before, azureControlState(lot), now);
        [lot] = await repository.lots([lot.id]);
      }
      const [credit] = await this.normalize(repository, [lot], now);
      return { credit, userErrors: [] };
    });
  }

  /** Normalized records of lots, with their profiles and shared sections fetched in two statements. */
  private async normalize(repository: AzureRepository, lots: AzureCreditLot[], now: string): Promise<NormalizedCredit[]> {
    if (lots.length === 0) return [];
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

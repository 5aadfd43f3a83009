/**
 * Format: the Azure MCA cost details CSV (Cost Management export / Cost Details API). Loading it
 * stores each billing profile's months of charges (replacing earlier loads of the same months)
 * and the profiles' lots are recomputed (subgraphs/azure/charges/book.ts).
 *
 * The file names billing profiles and invoice sections by their short names
 * ("PBFV-AB12-CD3-EF4"); they are resolved to the ARM ids the lots and sharing use, against the
 * billing accounts already loaded. A profile that is not loaded rejects the file.
 */
import type { EntityManager } from 'typeorm';
import { type LoadedFilePeriods, type LoadedPeriod, storeLoadedPeriods } from '../../../lib/charges/ledger';
import type { BillingFileFormat, IngestProblem, IngestTouches } from '../../../lib/ingest';
import { parseCostDetailsCsv } from '../charges/cost-details-csv';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureInvoiceSection } from '../entities/invoice-section';

export const azureCostDetailsFormat: BillingFileFormat = {
  name: 'Azure MCA cost details CSV',
  provider: 'AZURE',
  detectHeader: (header) => {
    const names = header.split(',').map((n) => n.trim().replace(/^"|"$/g, '').toLowerCase());
    return names.includes('costinbillingcurrency') && names.includes('billingprofileid');
  },
  async parse(file, onBytes) {
    const parsed = await parseCostDetailsCsv(file, { onBytes });
    return parsed.ok ? { ok: true, periods: parsed.periods, rows: parsed.summary.rows } : parsed;
  },
};

/** The last segment of an ARM id, or the text itself. */
const lastSegment = (text: string) => text.slice(text.lastIndexOf('/') + 1).toLowerCase();

/** Resolves the files' profiles and sections to ARM ids and stores their months; problems when a profile is unknown or ambiguous. */
export async function storeAzurePeriods(manager: EntityManager, files: LoadedFilePeriods[], touched: IngestTouches): Promise<IngestProblem[]> {
  const profiles = await manager.find(AzureBillingProfile, { select: ['id', 'name'] });
  const problems: IngestProblem[] = [];
  const resolvedFiles: LoadedFilePeriods[] = [];
  for (const { file, periods } of files) {
    resolvedFiles.push({ file, periods: await resolvePeriods(manager, file, periods, profiles, problems) });
  }
  return problems.length > 0 ? problems : storeLoadedPeriods(manager, resolvedFiles, touched);
}

async function resolvePeriods(manager: EntityManager, file: string, periods: LoadedPeriod[], profiles: AzureBillingProfile[], problems: IngestProblem[]): Promise<LoadedPeriod[]> {
  const resolved: LoadedPeriod[] = [];
  for (const period of periods) {
    const wanted = period.group.toLowerCase();
    const matches = profiles.filter((p) => p.id.toLowerCase() === wanted || p.name.toLowerCase() === lastSegment(wanted));
    if (matches.length !== 1) {
      problems.push({
        file,
        field: 'billingProfileId',
        reason:
          matches.length === 0
            ? `billing profile "${period.group}" (${period.month}) is not loaded: load the billing accounts file (billingAccounts?$expand=billingProfiles) that lists it first`
            : `billing profile "${period.group}" names ${matches.length} loaded profiles (${matches.map((m) => m.id).join(', ')}); use its full ARM id`,
      });
      continue;
    }
    const profileId = matches[0].id;
    const sections = await manager.find(AzureInvoiceSection, { where: { billingProfileId: profileId }, select: ['id', 'name'] });
    const sectionId = new Map<string, string>();
    for (const s of sections) {
      sectionId.set(s.id.toLowerCase(), s.id);
      sectionId.set(s.name.toLowerCase(), s.id);
    }
    // A section the billing accounts file does not list still pays its charges to the profile: its ARM id is built.
    const consumerOf = (id: string) => sectionId.get(id.toLowerCase()) ?? sectionId.get(lastSegment(id)) ?? (id.startsWith('/') ? id : `${profileId}/invoiceSections/${id}`);
    resolved.push({ ...period, group: profileId, charges: period.charges.map((c) => ({ ...c, consumerId: consumerOf(c.consumerId) })) });
  }
  return resolved;
}

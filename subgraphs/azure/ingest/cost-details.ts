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
import { type LoadedFilePeriods, type LoadedPeriod, storeLoadedPeriods } from '../../../lib/store/ledger';
import type { BillingFileFormat, IngestProblem, IngestTouches } from '../../../lib/store/ingest';
import { parseCostDetailsCsv } from '../charges/cost-details-csv';
import type { AzureBillingProfile } from '../entities/billing-profile';
import { profileNames, sectionNamesOfProfiles } from '../store';

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
  const profiles = await profileNames(manager);
  const problems: IngestProblem[] = [];
  const resolvedFiles: LoadedFilePeriods[] = [];
  for (const { file, periods } of files) {
    resolvedFiles.push({ file, periods: await resolvePeriods(manager, file, periods, profiles, problems) });
  }
  return problems.length > 0 ? problems : storeLoadedPeriods(manager, resolvedFiles, touched);
}

async function resolvePeriods(manager: EntityManager, file: string, periods: LoadedPeriod[], profiles: Pick<AzureBillingProfile, 'id' | 'name'>[], problems: IngestProblem[]): Promise<LoadedPeriod[]> {
  const matched: { period: LoadedPeriod; profileId: string }[] = [];
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
    matched.push({ period, profileId: matches[0].id });
  }
  // The sections of every profile the file names, in one statement a slice (not one per month).
  const profileIds = [...new Set(matched.map((m) => m.profileId))];
  const sections = await sectionNamesOfProfiles(manager, profileIds);
  const sectionIds = new Map<string, Map<string, string>>(profileIds.map((id) => [id, new Map()]));
  for (const s of sections) {
    const ids = sectionIds.get(s.billingProfileId)!;
    ids.set(s.id.toLowerCase(), s.id);
    ids.set(s.name.toLowerCase(), s.id);
  }
  // Each distinct section name of a profile is resolved once (a month has thousands of charges per section).
  const consumers = new Map<string, Map<string, string>>(profileIds.map((id) => [id, new Map()]));
  return matched.map(({ period, profileId }) => {
    const ids = sectionIds.get(profileId)!;
    const resolved = consumers.get(profileId)!;
    // A section the billing accounts file does not list still pays its charges to the profile: its ARM id is built.
    const consumerOf = (id: string) => {
      let arm = resolved.get(id);
      if (arm === undefined) resolved.set(id, (arm = ids.get(id.toLowerCase()) ?? ids.get(lastSegment(id)) ?? (id.startsWith('/') ? id : `${profileId}/invoiceSections/${id}`)));
      return arm;
    };
    // The charges are this load's own (the parse made them): resolved in place, not copied (290,000 of them for a 1M-row file).
    for (const c of period.charges) c.consumerId = consumerOf(c.consumerId);
    return { ...period, group: profileId };
  });
}

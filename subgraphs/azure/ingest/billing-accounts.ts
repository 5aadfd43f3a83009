/**
 * Format: the billing accounts list with `$expand=billingProfiles`
 * (`GET /providers/Microsoft.Billing/billingAccounts?$expand=billingProfiles`), billing profiles
 * nested under `properties.billingProfiles.value` and their invoice sections under
 * `properties.invoiceSections.value`.
 */
import type { EntityManager } from 'typeorm';
import type { EntryReader, IngestFormat, IngestProblem, LoadEntries } from '../../../lib/store/ingest';
import { BILLING_ACCOUNT_RESOURCE_TYPE, parseBillingResourceId, sameArmId } from '../domain/resource-id';
import { AzureBillingAccount } from '../entities/billing-account';
import { AzureBillingProfile } from '../entities/billing-profile';
import { AzureInvoiceSection } from '../entities/invoice-section';
import { checkUniqueId, isArmListOf, readArmList, readResourceHeader, registerResource } from './arm-list';
import { upsertByKey } from '../../../lib/store/bulk-sql';

const PROFILE_TYPE = 'Microsoft.Billing/billingAccounts/billingProfiles';
const SECTION_TYPE = 'Microsoft.Billing/billingAccounts/billingProfiles/invoiceSections';

type Row<T> = { [K in keyof T as T[K] extends Function ? never : K]: T[K] };

export interface BillingAccountsContent {
  accounts: Row<AzureBillingAccount>[];
  profiles: Row<AzureBillingProfile>[];
  sections: Row<AzureInvoiceSection>[];
}

/** The entries of a nested `{ value: [...] }` list (`hasMoreResults` is informational). */
function nestedList(properties: EntryReader | null, field: string, entryName: string, read: (item: EntryReader, index: number) => void): void {
  const list = properties?.object(field, false);
  list?.list('value', (item, index) => read(item, index), `${entryName}.properties.${field}.value`);
}

function readSection(item: EntryReader, profileId: string | null, seen: Set<string>, entries: LoadEntries | undefined): Row<AzureInvoiceSection> {
  const before = item.problemCount;
  const { id, name } = readResourceHeader(item, SECTION_TYPE, false);
  checkUniqueId(item, id, seen);
  const parsed = id !== null ? parseBillingResourceId(id) : null;
  if (id !== null && (!parsed?.invoiceSectionId || parsed.resource)) {
    item.problem('id', `"${id}" is not an invoice section id (.../billingProfiles/{profile}/invoiceSections/{name})`);
  } else if (parsed && profileId !== null && !sameArmId(parsed.billingProfileId!, profileId)) {
    item.problem('id', `"${id}" is not under its billing profile "${profileId}"`);
  } else if (parsed && name !== null && parsed.invoiceSectionName !== name) {
    item.problem('name', `is "${name}" but the id ends in "${parsed.invoiceSectionName}"`);
  }
  const properties = item.object('properties', false);
  const row = { id: id!, name: name!, billingProfileId: profileId!, displayName: properties?.string('displayName', false) ?? null };
  if (item.problemCount === before) registerResource(entries, 'Azure invoice section', row.id, item.entry, row);
  return row;
}

function readProfile(
  item: EntryReader,
  entryName: string,
  accountId: string | null,
  seen: Set<string>,
  sections: Row<AzureInvoiceSection>[],
  entries: LoadEntries | undefined,
): Row<AzureBillingProfile> {
  const before = item.problemCount;
  const { id, name } = readResourceHeader(item, PROFILE_TYPE);
  checkUniqueId(item, id, seen);
  const parsed = id !== null ? parseBillingResourceId(id) : null;
  if (id !== null && (!parsed?.billingProfileId || parsed.invoiceSectionName || parsed.resource)) {
    item.problem('id', `"${id}" is not a billing profile id (/providers/Microsoft.Billing/billingAccounts/{account}/billingProfiles/{name})`);
  } else if (parsed && accountId !== null && !sameArmId(parsed.billingAccountId, accountId)) {
    item.problem('id', `"${id}" is not under its billing account "${accountId}"`);
  } else if (parsed && name !== null && parsed.billingProfileName !== name) {
    item.problem('name', `is "${name}" but the id ends in "${parsed.billingProfileName}"`);
  }
  const p = item.object('properties');
  nestedList(p, 'invoiceSections', entryName, (section) => sections.push(readSection(section, id, seen, entries)));
  const row = {
    id: id!,
    billingAccountId: accountId!,
    name: name!,
    displayName: p?.string('displayName', false) ?? null,
    currency: p?.currency('currency') ?? '',
    invoiceDay: p?.integer('invoiceDay', false) ?? null,
    status: p?.string('status', false) ?? null,
    billingRelationshipType: p?.string('billingRelationshipType', false) ?? null,
    systemId: p?.string('systemId', false) ?? null,
    hasReadAccess: p?.boolean('hasReadAccess', false) ?? null,
  };
  if (item.problemCount === before) registerResource(entries, 'Azure billing profile', row.id, item.entry, row, ['properties.invoiceSections']);
  return row;
}

export const billingAccountsFormat: IngestFormat<BillingAccountsContent> = {
  name: 'Azure billing accounts list ($expand=billingProfiles)',
  provider: 'AZURE',
  order: 1,
  detect: (document) => isArmListOf(document, BILLING_ACCOUNT_RESOURCE_TYPE),
  validate(document: unknown, file: string, problems: IngestProblem[], entries?: LoadEntries): BillingAccountsContent {
    const content: BillingAccountsContent = { accounts: [], profiles: [], sections: [] };
    readArmList(document, file, problems, (item, entryName, seen) => {
      const before = item.problemCount;
      const { id, name } = readResourceHeader(item, BILLING_ACCOUNT_RESOURCE_TYPE);
      checkUniqueId(item, id, seen);
      const parsed = id !== null ? parseBillingResourceId(id) : null;
      if (id !== null && (!parsed || parsed.billingProfileId || parsed.resource)) {
        item.problem('id', `"${id}" is not a billing account id (/providers/Microsoft.Billing/billingAccounts/{name})`);
      } else if (parsed && name !== null && parsed.billingAccountName !== name) {
        item.problem('name', `is "${name}" but the id ends in "${parsed.billingAccountName}"`);
      }
      const p = item.object('properties');
      nestedList(p, 'billingProfiles', entryName, (profile, index) => {
        content.profiles.push(readProfile(profile, `${entryName}.properties.billingProfiles.value[${index}]`, id, seen, content.sections, entries));
      });
      const account = {
        id: id!,
        name: name!,
        displayName: p?.string('displayName', false) ?? null,
        accountStatus: p?.string('accountStatus', false) ?? null,
        accountType: p?.string('accountType', false) ?? null,
        agreementType: p?.string('agreementType', false) ?? null,
        hasReadAccess: p?.boolean('hasReadAccess', false) ?? null,
      };
      content.accounts.push(account);
      if (item.problemCount === before) registerResource(entries, 'Azure billing account', account.id, entryName, account, ['properties.billingProfiles']);
    });
    return content;
  },
  async load(content: BillingAccountsContent, manager: EntityManager): Promise<number> {
    await upsertByKey(manager, AzureBillingAccount, content.accounts, ['id']);
    await upsertByKey(manager, AzureBillingProfile, content.profiles, ['id']);
    await upsertByKey(manager, AzureInvoiceSection, content.sections, ['id']);
    return content.accounts.length + content.profiles.length + content.sections.length;
  },
};

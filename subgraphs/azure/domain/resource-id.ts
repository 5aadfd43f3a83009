/**
 * Azure Resource Manager ids of billing resources: parsing and building.
 *
 * Lots and events carry no billing account or (always) billing profile field of their own; both
 * come from the id path, e.g.
 * `/providers/Microsoft.Billing/billingAccounts/{a}/billingProfiles/{p}/providers/Microsoft.Consumption/lots/{name}`.
 * ARM compares path keywords case-insensitively; the ids returned here are prefixes of the id
 * exactly as the provider wrote it.
 */

export interface BillingResourceId {
  billingAccountName: string;
  /** `/providers/Microsoft.Billing/billingAccounts/{a}` as spelled in the parsed id. */
  billingAccountId: string;
  billingProfileName: string | null;
  billingProfileId: string | null;
  invoiceSectionName: string | null;
  invoiceSectionId: string | null;
  /** A nested provider resource, e.g. `{ type: 'Microsoft.Consumption/lots', name: 'G111222333' }`. */
  resource: { type: string; name: string } | null;
}

const ID_PATTERN = new RegExp(
  '^(?<account>/providers/Microsoft\\.Billing/billingAccounts/(?<accountName>[^/]+))' +
    '(?<profile>/billingProfiles/(?<profileName>[^/]+))?' +
    '(?<section>/invoiceSections/(?<sectionName>[^/]+))?' +
    '(?:/providers/(?<namespace>[^/]+)/(?<type>[^/]+)/(?<name>[^/]+))?$',
  'i',
);

/** The parts of a billing resource id, or null when the text is not one. */
export function parseBillingResourceId(id: string): BillingResourceId | null {
  const match = ID_PATTERN.exec(id);
  if (!match?.groups) return null;
  const g = match.groups;
  const profileId = g.profile ? g.account + g.profile : null;
  return {
    billingAccountName: g.accountName,
    billingAccountId: g.account,
    billingProfileName: g.profileName ?? null,
    billingProfileId: profileId,
    invoiceSectionName: g.sectionName ?? null,
    invoiceSectionId: g.section && profileId ? profileId + g.section : null,
    resource: g.namespace ? { type: `${g.namespace}/${g.type}`, name: g.name } : null,
  };
}

/** True when two ARM ids or resource types name the same thing (ARM ignores case). */
export function sameArmId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export const LOT_RESOURCE_TYPE = 'Microsoft.Consumption/lots';
export const EVENT_RESOURCE_TYPE = 'Microsoft.Consumption/events';
export const BILLING_ACCOUNT_RESOURCE_TYPE = 'Microsoft.Billing/billingAccounts';

/** The id of the lot called `lotName` of a billing profile. */
export function lotIdOf(billingProfileId: string, lotName: string): string {
  return `${billingProfileId}/providers/${LOT_RESOURCE_TYPE}/${lotName}`;
}

/** Why `id` is not the id of a `resourceType` resource under a billing profile, or null when it is. */
export function profileResourceIdProblem(id: string, resourceType: string, name: string | null): string | null {
  const parsed = parseBillingResourceId(id);
  if (!parsed || !parsed.billingProfileId || parsed.invoiceSectionName || !parsed.resource) {
    return `"${id}" is not an id of the form /providers/Microsoft.Billing/billingAccounts/{account}/billingProfiles/{profile}/providers/${resourceType}/{name}`;
  }
  if (!sameArmId(parsed.resource.type, resourceType)) return `"${id}" names a ${parsed.resource.type} resource, not ${resourceType}`;
  if (name !== null && parsed.resource.name !== name) return `ends in "${parsed.resource.name}" but the entry's name is "${name}"`;
  return null;
}

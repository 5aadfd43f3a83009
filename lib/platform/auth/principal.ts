/**
 * Who is calling: the principal a verified token describes. Its claims say which AWS accounts it
 * acts for and which Azure billing roles it holds; each provider subgraph applies its own rules.
 *
 * Token claims (besides iss, aud, exp, sub):
 *   "aws":   { "accountIds": ["111122223333"] }
 *   "azure": { "roleAssignments": [{ "scope": "<billing account or profile ARM id>", "role": "billing_profile_reader" }] }
 */

/** Azure billing roles, as the Azure API names them. */
export const AZURE_ROLES = [
  'billing_account_owner',
  'billing_account_contributor',
  'billing_account_reader',
  'billing_profile_owner',
  'billing_profile_contributor',
  'billing_profile_reader',
  'invoice_manager',
] as const;
export type AzureRole = (typeof AZURE_ROLES)[number];

export interface AzureRoleAssignment {
  /** ARM id of a billing account or billing profile. */
  scope: string;
  role: AzureRole;
}

export interface Principal {
  /** The token's subject. */
  subject: string;
  /** AWS accounts the principal acts for. */
  awsAccountIds: string[];
  /** Azure billing role assignments. */
  azureRoleAssignments: AzureRoleAssignment[];
}

/** A token whose claims are not shaped as above. */
export class InvalidClaimsError extends Error {}

function list(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidClaimsError(`${what} must be a list`);
  return value;
}

export function principalFromClaims(claims: Record<string, unknown>): Principal {
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new InvalidClaimsError('the token has no subject (sub)');
  const aws = (claims.aws ?? {}) as Record<string, unknown>;
  const azure = (claims.azure ?? {}) as Record<string, unknown>;
  const awsAccountIds = list(aws.accountIds, 'aws.accountIds').map((id) => {
    if (typeof id !== 'string' || !/^\d{12}$/.test(id)) throw new InvalidClaimsError(`aws.accountIds holds ${JSON.stringify(id)}, not a 12-digit account ID`);
    return id;
  });
  const azureRoleAssignments = list(azure.roleAssignments, 'azure.roleAssignments').map((a) => {
    const assignment = a as Record<string, unknown>;
    if (typeof assignment?.scope !== 'string' || !AZURE_ROLES.includes(assignment.role as AzureRole)) {
      throw new InvalidClaimsError(`azure.roleAssignments entries need a scope and a role among ${AZURE_ROLES.join(', ')}`);
    }
    return { scope: assignment.scope, role: assignment.role as AzureRole };
  });
  return { subject: claims.sub, awsAccountIds, azureRoleAssignments };
}

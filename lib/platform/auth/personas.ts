/**
 * Demo personas for development: ready-made principals over the demo data, so exploring in
 * Apollo Sandbox needs only an Authorization header (`npm run token -- <persona>`).
 */
import type { AuthConfig } from './config';
import { signToken } from './tokens';

const BILLING_ACCOUNT =
  '/providers/Microsoft.Billing/billingAccounts/5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31';
const DEVELOPMENT_PROFILE = `${BILLING_ACCOUNT}/billingProfiles/PBFV-AB12-CD3-EF4`;

export interface Persona {
  name: string;
  description: string;
  claims: Record<string, unknown>;
}

export const PERSONAS: Persona[] = [
  {
    name: 'aws-payer-admin',
    description: 'AWS payer (management) account 111122223333: sees and controls every credit of the organization.',
    claims: { aws: { accountIds: ['111122223333'] } },
  },
  {
    name: 'aws-linked-engineer',
    description: 'AWS linked account 444455556666 (team-data): sees the credits that can pay for its usage and its own history; cannot pause or share.',
    claims: { aws: { accountIds: ['444455556666'] } },
  },
  {
    name: 'azure-account-owner',
    description: 'Owner of the Azure billing account "Contoso Research": sees and controls the lots of every billing profile.',
    claims: { azure: { roleAssignments: [{ scope: BILLING_ACCOUNT, role: 'billing_account_owner' }] } },
  },
  {
    name: 'azure-profile-reader',
    description: 'Reader of the Azure billing profile "Development": sees its lots, cannot pause or share.',
    claims: { azure: { roleAssignments: [{ scope: DEVELOPMENT_PROFILE, role: 'billing_profile_reader' }] } },
  },
  {
    name: 'finops-both-clouds',
    description: 'FinOps lead on both clouds: the AWS payer account and owner of the Azure billing account.',
    claims: {
      aws: { accountIds: ['111122223333'] },
      azure: { roleAssignments: [{ scope: BILLING_ACCOUNT, role: 'billing_account_owner' }] },
    },
  },
];

export function findPersona(name: string): Persona | undefined {
  return PERSONAS.find((p) => p.name === name);
}

export function personaToken(config: AuthConfig, persona: Persona, expiresIn = '12h'): Promise<string> {
  return signToken(config, persona.name, persona.claims, expiresIn);
}

/** The Azure access rules (domain/access.ts) as plain functions, without a database or server. */
import { expect } from 'chai';
import {
  armKey,
  azureGrants,
  azureScope,
  canChangeCredits,
  canViewBillingAccount,
  canViewBillingProfile,
  canViewCredits,
  scopeKindOf,
} from '../../subgraphs/azure/domain/access';
import { principal } from '../support/auth';
import { scopeCondition } from '../../subgraphs/azure/store/access-sql';
import { ACCOUNT, EUROPE, GENOMICS, lotId, RESEARCH, roleClaims } from './helpers';

const OTHER_ACCOUNT = '/providers/Microsoft.Billing/billingAccounts/99999999-aaaa-4bbb-8ccc-999999999999:88888888-dddd-4eee-8fff-888888888888_2021-06-30';
const OTHER_PROFILE = `${OTHER_ACCOUNT}/billingProfiles/FABR-9999-ZZZ-999`;

const research = { billingProfileId: RESEARCH, billingAccountId: ACCOUNT };
const europe = { billingProfileId: EUROPE, billingAccountId: ACCOUNT };
const other = { billingProfileId: OTHER_PROFILE, billingAccountId: OTHER_ACCOUNT };
const PLACES = { research, europe, other };

const grantsOf = (...assignments: [string, string][]) => azureGrants(principal(roleClaims(...assignments)));

/** For each place, [may view, may change]. */
function rights(...assignments: [string, string][]): Record<keyof typeof PLACES, [boolean, boolean]> {
  const grants = grantsOf(...assignments);
  const result = {} as Record<keyof typeof PLACES, [boolean, boolean]>;
  for (const [name, place] of Object.entries(PLACES)) result[name as keyof typeof PLACES] = [canViewCredits(grants, place), canChangeCredits(grants, place)];
  return result;
}

describe('azure access rules', () => {
  describe('scope kinds', () => {
    it('tells billing accounts from billing profiles, and anything else from both', () => {
      expect(scopeKindOf(ACCOUNT)).to.equal('BILLING_ACCOUNT');
      expect(scopeKindOf(RESEARCH)).to.equal('BILLING_PROFILE');
      expect(scopeKindOf(GENOMICS)).to.equal(null);
      expect(scopeKindOf(lotId(RESEARCH, 'G-PROMO-1'))).to.equal(null);
      expect(scopeKindOf('/subscriptions/0000')).to.equal(null);
      expect(scopeKindOf('')).to.equal(null);
      expect(scopeKindOf(`${RESEARCH}/`)).to.equal(null);
    });

    it('folds ARM ids exactly as SQLite lower() does: ASCII letters only', () => {
      expect(armKey('/providers/Microsoft.Billing/billingAccounts/AB-cd')).to.equal('/providers/microsoft.billing/billingaccounts/ab-cd');
      expect(armKey('ÄÖÜ-Straße-X')).to.equal('ÄÖÜ-straße-x');
    });
  });

  describe('viewing and changing credits', () => {
    it('account owners and contributors see and change every profile of their account, and nothing else', () => {
      for (const role of ['billing_account_owner', 'billing_account_contributor']) {
        expect(rights([ACCOUNT, role]), role).to.deep.equal({ research: [true, true], europe: [true, true], other: [false, false] });
      }
    });

    it('account readers see every profile of their account but change nothing', () => {
      expect(rights([ACCOUNT, 'billing_account_reader'])).to.deep.equal({ research: [true, false], europe: [true, false], other: [false, false] });
    });

    it('profile owners and contributors see and change their profile only', () => {
      for (const role of ['billing_profile_owner', 'billing_profile_contributor']) {
        expect(rights([RESEARCH, role]), role).to.deep.equal({ research: [true, true], europe: [false, false], other: [false, false] });
      }
    });

    it('profile readers and invoice managers see their profile only and change nothing', () => {
      for (const role of ['billing_profile_reader', 'invoice_manager']) {
        expect(rights([EUROPE, role]), role).to.deep.equal({ research: [false, false], europe: [true, false], other: [false, false] });
      }
    });

    it('a role on a scope of the wrong kind grants nothing', () => {
      const none = { research: [false, false], europe: [false, false], other: [false, false] };
      for (const role of ['billing_account_owner', 'billing_account_contributor', 'billing_account_reader']) {
        expect(rights([RESEARCH, role]), `${role} on a profile`).to.deep.equal(none);
      }
      for (const role of ['billing_profile_owner', 'billing_profile_contributor', 'billing_profile_reader', 'invoice_manager']) {
        expect(rights([ACCOUNT, role]), `${role} on an account`).to.deep.equal(none);
      }
      expect(rights([GENOMICS, 'billing_profile_owner']), 'a role on an invoice section').to.deep.equal(none);
      expect(rights([lotId(RESEARCH, 'G-PROMO-1'), 'billing_profile_owner']), 'a role on a lot').to.deep.equal(none);
      expect(rights(['*', 'billing_account_owner'], ['/', 'billing_account_owner'], ['', 'billing_profile_owner'])).to.deep.equal(none);
      expect(rights([ACCOUNT, 'global_admin'])).to.deep.equal(none);
    });

    it('compares ARM ids case-insensitively, as Azure does', () => {
      expect(rights([RESEARCH.toLowerCase(), 'billing_profile_owner']).research).to.deep.equal([true, true]);
      expect(rights([ACCOUNT.toUpperCase(), 'billing_account_reader'])).to.deep.equal({ research: [true, false], europe: [true, false], other: [false, false] });
      const grants = grantsOf([RESEARCH, 'billing_profile_owner']);
      expect(canChangeCredits(grants, { billingProfileId: RESEARCH.toUpperCase(), billingAccountId: ACCOUNT.toUpperCase() })).to.equal(true);
    });

    it('combines assignments: the strongest right of any assignment wins, per place', () => {
      expect(rights([ACCOUNT, 'billing_account_reader'], [RESEARCH, 'billing_profile_contributor'], [OTHER_PROFILE, 'invoice_manager'])).to.deep.equal({
        research: [true, true],
        europe: [true, false],
        other: [true, false],
      });
    });

    it('a principal with no Azure roles (e.g. AWS only) sees nothing', () => {
      const grants = azureGrants(principal({ aws: { accountIds: ['111122223333'] } }));
      expect(Object.values(PLACES).some((p) => canViewCredits(grants, p) || canChangeCredits(grants, p))).to.equal(false);
      expect(canViewBillingAccount(grants, ACCOUNT)).to.equal(false);
      // An unknown role name grants nothing either.
      expect(rights([RESEARCH, 'account_owner'])).to.deep.equal({ research: [false, false], europe: [false, false], other: [false, false] });
    });
  });

  describe('billing accounts and profiles', () => {
    it('an account-level role shows the account and all its profiles', () => {
      const grants = grantsOf([ACCOUNT, 'billing_account_reader']);
      expect(canViewBillingAccount(grants, ACCOUNT)).to.equal(true);
      expect(canViewBillingAccount(grants, OTHER_ACCOUNT)).to.equal(false);
      expect(canViewBillingProfile(grants, { id: RESEARCH, billingAccountId: ACCOUNT })).to.equal(true);
      expect(canViewBillingProfile(grants, { id: EUROPE, billingAccountId: ACCOUNT })).to.equal(true);
    });

    it('a role on a profile shows its account too, with only that profile under it', () => {
      const grants = grantsOf([EUROPE.toLowerCase(), 'invoice_manager']);
      expect(canViewBillingAccount(grants, ACCOUNT)).to.equal(true);
      expect(canViewBillingAccount(grants, OTHER_ACCOUNT)).to.equal(false);
      expect(canViewBillingProfile(grants, { id: EUROPE, billingAccountId: ACCOUNT })).to.equal(true);
      expect(canViewBillingProfile(grants, { id: RESEARCH, billingAccountId: ACCOUNT })).to.equal(false);
    });
  });

  describe('the scope of a request', () => {
    const PROFILE_ROWS = [
      { id: RESEARCH, billingAccountId: ACCOUNT },
      { id: EUROPE, billingAccountId: ACCOUNT },
      { id: OTHER_PROFILE, billingAccountId: OTHER_ACCOUNT },
    ];

    it('adds the profiles of account-level roles, from the profiles table', () => {
      const scope = azureScope(grantsOf([ACCOUNT.toUpperCase(), 'billing_account_contributor'], [OTHER_PROFILE, 'billing_profile_reader']), PROFILE_ROWS);
      expect(scope.profileKeys).to.deep.equal([armKey(EUROPE), armKey(RESEARCH), armKey(OTHER_PROFILE)].sort());
      expect(scope.accountKeys).to.deep.equal([armKey(ACCOUNT)]);
      expect(scope.listedAccountKeys).to.deep.equal([armKey(ACCOUNT), armKey(OTHER_ACCOUNT)].sort());
    });

    it('lists, beyond its accounts, only the profiles granted outside them (for rows that carry their account)', () => {
      const scope = azureScope(
        grantsOf([ACCOUNT, 'billing_account_reader'], [EUROPE, 'billing_profile_owner'], [OTHER_PROFILE, 'billing_profile_reader']),
        PROFILE_ROWS,
      );
      expect(scope.profileKeysBeyondAccounts).to.deep.equal([armKey(OTHER_PROFILE)]);
      const sql = scopeCondition(scope, { profile: 'lot.billingProfileId', account: 'lot.billingAccountId' });
      expect(sql.params).to.deep.equal({ scopeProfileKeys: [armKey(OTHER_PROFILE)], scopeAccountKeys: [armKey(ACCOUNT)] });
      // A table without an account column still lists every visible profile.
      expect(scopeCondition(scope, { profile: 'section.billingProfileId' }).params).to.deep.equal({ scopeProfileKeys: scope.profileKeys });
    });

    it('keeps profile-level roles as they are, even for a profile the table does not hold', () => {
      const scope = azureScope(grantsOf([RESEARCH, 'billing_profile_reader']), []);
      expect(scope.profileKeys).to.deep.equal([armKey(RESEARCH)]);
      expect(scope.accountKeys).to.deep.equal([]);
      expect(scope.listedAccountKeys).to.deep.equal([armKey(ACCOUNT)]);
    });

    it('is empty for a principal without Azure roles', () => {
      const scope = azureScope(azureGrants(principal({})), PROFILE_ROWS);
      expect([scope.profileKeys, scope.accountKeys, scope.listedAccountKeys]).to.deep.equal([[], [], []]);
    });
  });
});

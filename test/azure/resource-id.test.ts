/** ARM id parsing of billing resources. */
import { expect } from 'chai';
import {
  lotIdOf,
  parseBillingResourceId,
  profileResourceIdProblem,
  sameArmId,
} from '../../subgraphs/azure/domain/resource-id';
import { ACCOUNT, RESEARCH } from './helpers';

describe('azure ARM resource ids', () => {
  it('parses a lot id into account, profile and lot, keeping the spelling of the id', () => {
    const id = `${RESEARCH}/providers/Microsoft.Consumption/lots/G-PROMO-1`;
    expect(parseBillingResourceId(id)).to.deep.equal({
      billingAccountName: '11111111-aaaa-4bbb-8ccc-222222222222:33333333-dddd-4eee-8fff-444444444444_2020-01-31',
      billingAccountId: ACCOUNT,
      billingProfileName: 'RSCH-1111-AAA-111',
      billingProfileId: RESEARCH,
      invoiceSectionName: null,
      invoiceSectionId: null,
      resource: { type: 'Microsoft.Consumption/lots', name: 'G-PROMO-1' },
    });
  });

  it('parses billing account, profile and invoice section ids', () => {
    expect(parseBillingResourceId(ACCOUNT)).to.include({ billingAccountId: ACCOUNT, billingProfileId: null, resource: null });
    expect(parseBillingResourceId(RESEARCH)).to.include({ billingProfileId: RESEARCH, billingProfileName: 'RSCH-1111-AAA-111' });
    const section = `${RESEARCH}/invoiceSections/SEC1`;
    expect(parseBillingResourceId(section)).to.include({ invoiceSectionId: section, invoiceSectionName: 'SEC1' });
  });

  it('accepts keywords in any case, as ARM does, and keeps the id as written', () => {
    const id = '/PROVIDERS/microsoft.billing/BILLINGACCOUNTS/acc/billingprofiles/prof/providers/microsoft.consumption/EVENTS/e1';
    const parsed = parseBillingResourceId(id)!;
    expect(parsed.billingProfileId).to.equal('/PROVIDERS/microsoft.billing/BILLINGACCOUNTS/acc/billingprofiles/prof');
    expect(parsed.resource).to.deep.equal({ type: 'microsoft.consumption/EVENTS', name: 'e1' });
    expect(sameArmId(parsed.resource!.type, 'Microsoft.Consumption/events')).to.equal(true);
  });

  it('rejects text that is not a billing resource id', () => {
    for (const bad of ['', 'G111', '/subscriptions/abc/resourceGroups/rg', '/providers/Microsoft.Billing/billingAccounts/', `${RESEARCH}/x`]) {
      expect(parseBillingResourceId(bad), bad).to.equal(null);
    }
  });

  it('builds a lot id from a profile id and a lot name', () => {
    expect(lotIdOf(RESEARCH, 'G1')).to.equal(`${RESEARCH}/providers/Microsoft.Consumption/lots/G1`);
  });

  it('explains why an id is not a lot id of the right shape', () => {
    const lot = lotIdOf(RESEARCH, 'G1');
    expect(profileResourceIdProblem(lot, 'Microsoft.Consumption/lots', 'G1')).to.equal(null);
    expect(profileResourceIdProblem(lot, 'Microsoft.Consumption/lots', 'G2')).to.match(/ends in "G1".*"G2"/);
    expect(profileResourceIdProblem(lot, 'Microsoft.Consumption/events', 'G1')).to.match(/not Microsoft.Consumption\/events/);
    expect(profileResourceIdProblem(`${ACCOUNT}/providers/Microsoft.Consumption/lots/G1`, 'Microsoft.Consumption/lots', 'G1')).to.match(
      /is not an id of the form/,
    );
  });
});

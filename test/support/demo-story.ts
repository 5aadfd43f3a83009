/**
 * What the demo must show on the day it is rendered for, checked through the gateway: every
 * credit has the status the story gives it, credits expire within 30, 60 and 90 days, and
 * month-to-date figures default to the open month (the day's), with usage up to the day before.
 */
import { expect } from 'chai';
import { storyCredits } from '../../scripts/generate-demo-data';

/** The demo's Azure "Development" billing profile (USD). */
export const USD_PROFILE =
  '/providers/Microsoft.Billing/billingAccounts/5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31/billingProfiles/PBFV-AB12-CD3-EF4';

/** The 12 billing months ending with the day's month, YYYY-MM. */
export function billingMonths(day: string): string[] {
  const [y, m] = day.split('-').map(Number);
  return Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(y, m - 12 + i, 1)).toISOString().slice(0, 7));
}

/** The last usage day of the open month: the day before, or the day itself on the 1st. */
export function dataThrough(day: string): string {
  return day.endsWith('-01') ? day : new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** What the product shows through the gateway on one day (variables: profile = USD_PROFILE). */
export const ON_THE_DAY = `query($profile: ID!) {
  credits(first: 100, orderBy: { field: EXPIRES_AT }) { nodes { id provider status expiresAt aws { creditId } azure { name } } }
  creditSummary { expiring { withinDays creditCount } }
  awsAccount(accountId: "444455556666") { monthToDate { month estimated dataThrough } }
  azureBillingProfile(id: $profile) { monthToDate { month estimated dataThrough } }
}`;

/** Checks what the product answers on `day` against the story rendered for it. */
export function expectTheStoryOn(day: string, answer: any): void {
  const story = storyCredits(day);
  const shown = answer.credits.nodes.map((c: any) => ({ provider: c.provider, nativeId: c.aws?.creditId ?? c.azure?.name, status: c.status }));
  expect(shown.map((c: any) => `${c.provider} ${c.nativeId}`).sort()).to.deep.equal(story.map((c) => `${c.provider} ${c.nativeId}`).sort());
  for (const credit of story) {
    const status = shown.find((c: any) => c.provider === credit.provider && c.nativeId === credit.nativeId).status;
    expect(status, `${credit.provider} ${credit.nativeId} on ${day}`).to.equal(credit.status);
  }
  for (const days of [30, 60, 90]) {
    const counted = answer.creditSummary.expiring.filter((e: any) => e.withinDays === days).reduce((s: number, e: any) => s + e.creditCount, 0);
    const meant = story.filter((c) => c.expiresWithinDays !== null && c.expiresWithinDays <= days).length;
    expect(meant, `the story has credits expiring within ${days} days`).to.be.above(0);
    expect(counted, `credits expiring within ${days} days of ${day}`).to.be.at.least(meant);
  }
  const open = { month: day.slice(0, 7), estimated: true, dataThrough: dataThrough(day) };
  expect(answer.awsAccount.monthToDate, `AWS monthToDate on ${day}`).to.deep.equal([open]);
  expect(answer.azureBillingProfile.monthToDate, `Azure monthToDate on ${day}`).to.deep.equal([open]);
}


/** Shared fixtures and builders for the Azure subgraph tests. */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { expect } from 'chai';
import { ingestFiles } from '../../lib/store/ingest';
import { amountColumns, amountWithRateColumns, AzureAmount, AzureAmountWithExchangeRate } from '../../subgraphs/azure/entities/amount';
import { AzureCreditLot } from '../../subgraphs/azure/entities/credit-lot';
import { lotDerivedColumns } from '../../subgraphs/azure/domain/normalize-lot';
import { azureIngest } from '../../subgraphs/azure/ingest';
import { principal, TestClaims } from '../support/auth';

/** The moment every test evaluates statuses at. */
export const NOW = '2026-12-01T00:00:00.000Z';

export const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'azure');
export const ACCOUNT =
  '/providers/Microsoft.Billing/billingAccounts/11111111-aaaa-4bbb-8ccc-222222222222:33333333-dddd-4eee-8fff-444444444444_2020-01-31';
export const RESEARCH = `${ACCOUNT}/billingProfiles/RSCH-1111-AAA-111`;
export const EUROPE = `${ACCOUNT}/billingProfiles/EURO-2222-BBB-222`;
export const GENOMICS = `${RESEARCH}/invoiceSections/SEC1-AAAA-PJA-TGB`;
export const IMAGING = `${RESEARCH}/invoiceSections/SEC2-BBBB-PJA-TGB`;
export const BERLIN = `${EUROPE}/invoiceSections/SEC3-CCCC-PJA-TGB`;

/** Claims of a caller holding these Azure billing roles. */
export function roleClaims(...assignments: [scope: string, role: string][]): TestClaims {
  return { azure: { roleAssignments: assignments.map(([scope, role]) => ({ scope, role })) } };
}

/** The owner of the fixtures' billing account: sees and changes everything the fixtures hold. */
export const OWNER_CLAIMS = roleClaims([ACCOUNT, 'billing_account_owner']);
export const OWNER = principal(OWNER_CLAIMS);

export function lotId(profileId: string, name: string): string {
  return `${profileId}/providers/Microsoft.Consumption/lots/${name}`;
}

export const FIXTURE_FILES = [
  'billing-accounts.json',
  'lots-research-page-1.json',
  'lots-research-page-2.json',
  'lots-europe.json',
  'lots-empty-page.json',
  'events-research.json',
].map((f) => path.join(FIXTURES, f));

/** A second billing account (Fabrikam Retail, one profile, two lots, one event) for the access tests. */
export const FABRIKAM = '/providers/Microsoft.Billing/billingAccounts/99999999-aaaa-4bbb-8ccc-999999999999:88888888-dddd-4eee-8fff-888888888888_2021-06-30';
export const FABRIKAM_MAIN = `${FABRIKAM}/billingProfiles/FABR-9999-ZZZ-999`;
export const SECOND_ACCOUNT_FILES = ['billing-accounts-fabrikam.json', 'lots-fabrikam.json', 'events-fabrikam.json'].map((f) =>
  path.join(FIXTURES, 'access', f),
);

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'azure-test-'));
}

/** A temp data dir with every fixture loaded. */
export async function loadedDataDir(): Promise<string> {
  const dir = tempDir();
  const result = await ingestFiles(FIXTURE_FILES, dir, [azureIngest]);
  expect(result, JSON.stringify(result)).to.deep.include({ ok: true });
  return dir;
}

/** A temp data dir with every fixture and the second billing account loaded. */
export async function loadedDataDirWithSecondAccount(): Promise<string> {
  const dir = await loadedDataDir();
  const result = await ingestFiles(SECOND_ACCOUNT_FILES, dir, [azureIngest]);
  expect(result, JSON.stringify(result)).to.deep.include({ ok: true });
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A lot entity for unit tests: an active USD promotional credit unless overridden. */
export function makeLot(
  overrides: Partial<Omit<AzureCreditLot, 'originalAmount' | 'closedBalance'>> & {
    closedBalance?: AzureAmount;
    closedBalanceInBillingCurrency?: AzureAmountWithExchangeRate | null;
  } = {},
): AzureCreditLot {
  const { closedBalance = { currency: 'USD', value: '100.00' }, closedBalanceInBillingCurrency = null, ...rest } = overrides;
  const name = rest.name ?? 'L1';
  const source = rest.source ?? 'PromotionalCredit';
  const expirationDate = rest.expirationDate === undefined ? '2027-01-01T00:00:00.000Z' : rest.expirationDate;
  const id = rest.id ?? lotId(rest.billingProfileId ?? RESEARCH, name);
  return Object.assign(new AzureCreditLot(), {
    id,
    name,
    type: 'Microsoft.Consumption/lots',
    eTag: null,
    billingAccountId: ACCOUNT,
    billingProfileId: RESEARCH,
    originalAmountColumns: amountColumns({ currency: closedBalance.currency, value: '500.00' }),
    originalAmountInBillingCurrencyColumns: amountWithRateColumns(null),
    closedBalanceColumns: amountColumns(closedBalance),
    closedBalanceInBillingCurrencyColumns: amountWithRateColumns(closedBalanceInBillingCurrency),
    source,
    startDate: '2026-01-01T00:00:00.000Z',
    expirationDate,
    purchasedDate: null,
    poNumber: null,
    resellerId: null,
    resellerDescription: null,
    status: 'Active',
    creditCurrency: closedBalance.currency,
    billingCurrency: closedBalance.currency,
    isEstimatedBalance: false,
    usedAmountColumns: amountColumns(null),
    organizationType: null,
    paused: false,
    sharedInvoiceSectionIds: null,
    ...lotDerivedColumns({ id, source, name, expirationDate, closedBalanceValue: closedBalance.value }),
    ...rest,
  });
}

/**
 * A GraphQL answer with every connection's page (`{ nodes: [...] }`, nothing else asked) replaced
 * by its nodes, for tests about what a caller sees rather than how it is paged.
 */
export function pagesAsLists(value: any): any {
  if (Array.isArray(value)) return value.map(pagesAsLists);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'nodes' && Array.isArray(value.nodes)) return value.nodes.map(pagesAsLists);
  return Object.fromEntries(keys.map((k) => [k, pagesAsLists(value[k])]));
}

/** Counts the SELECT statements the subgraph runs while `run` runs. */
export async function countStatements<T>(db: DataSource, run: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const logQuery = db.logger.logQuery.bind(db.logger);
  let statements = 0;
  db.logger.logQuery = (query, parameters, runner) => {
    if (/^\s*SELECT/i.test(query)) statements++;
    return logQuery(query, parameters, runner);
  };
  try {
    return { result: await run(), statements };
  } finally {
    db.logger.logQuery = logQuery;
  }
}

/**
 * AWS Organizations ListAccounts output (`aws organizations list-accounts`):
 * `{ "Accounts": [{ Id, Arn, Email, Name, Status, JoinedMethod, JoinedTimestamp }] }`.
 * The management account and the organization come from each account's ARN.
 */
import type { EntityManager } from 'typeorm';
import { EntryReader, hasList, IngestFormat, IngestProblem, IngestTouches, LoadEntries } from '../../../lib/store/ingest';
import { AwsAccount } from '../entities/account';
import { accountId, documentReader, loadable, reportDuplicates, timestamp, withoutProblems } from './fields';
import { upsertByKey } from '../../../lib/store/bulk-sql';

const ACCOUNT_ARN = /^arn:aws[a-z-]*:organizations::(\d{12}):account\/(o-[a-z0-9]{10,32})\/(\d{12})$/;

function readAccount(reader: EntryReader): AwsAccount | null {
  const id = accountId(reader, 'Id');
  const arn = reader.string('Arn');
  const name = reader.string('Name');
  const email = reader.string('Email', false);
  // `State` replaces the deprecated `Status` in newer ListAccounts output; either is kept as written.
  const status = reader.string('Status', false) ?? reader.string('State', false);
  const joinedMethod = reader.string('JoinedMethod', false);
  const joinedTimestamp = timestamp(reader, 'JoinedTimestamp', false);
  let parsed: RegExpExecArray | null = null;
  if (arn !== null) {
    parsed = ACCOUNT_ARN.exec(arn);
    if (!parsed) reader.problem('Arn', `must be arn:aws:organizations::<management account>:account/<o-organization>/<account>, got "${arn}"`);
    else if (id !== null && parsed[3] !== id) reader.problem('Arn', `names account ${parsed[3]}, not the entry's Id ${id}`);
  }
  if (id === null || name === null || !parsed || parsed[3] !== id) return null;
  return {
    accountId: id,
    arn: arn as string,
    name,
    email,
    status,
    joinedMethod,
    joinedTimestamp,
    payerAccountId: parsed[1],
    organizationId: parsed[2],
    isPayer: parsed[1] === id,
  };
}

export const listAccountsFormat: IngestFormat<AwsAccount[]> = {
  name: 'AWS Organizations ListAccounts output',
  provider: 'AWS',
  order: 1,
  detect: (document) => hasList(document, 'Accounts'),
  validate(document: unknown, file: string, problems: IngestProblem[], entries?: LoadEntries): AwsAccount[] {
    const accounts = documentReader(document, file, problems).list('Accounts', (entry) => withoutProblems(problems, () => readAccount(entry)));
    reportDuplicates(accounts ?? [], (a) => a.accountId, (a) => `account ${a.accountId}`, file, 'Accounts', problems);
    accounts?.forEach((a, i) => a && entries?.add('AWS account', a.accountId, ['Accounts', i], a));
    return loadable(accounts);
  },
  // Who belongs to which organization decides whose charges credits pay: every organization is recomputed.
  load: (rows: AwsAccount[], manager: EntityManager, touched: IngestTouches) => (touched.all(), upsertByKey(manager, AwsAccount, rows, ['accountId'])),
};

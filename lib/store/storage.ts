/**
 * Where a provider subgraph keeps what the charges engine needs and what it computed. Every
 * provider database holds these tables beside its native ones (each provider registers
 * CHARGE_ENTITIES), so one piece of code stores periods, controls and results for every cloud.
 *
 * - billing_period / billing_period_charges: each (billing group, month) and its charges as the
 *   last loaded billing file gave them (one document a month); loading the month again replaces them.
 * - credit_control: pause and sharing of a credit by month, from the first change made through
 *   this API on (closed months keep the controls they had).
 * - credit_balance, credit_applications, consumer_month: the engine's last results per credit (its
 *   applications as one document a credit) and per consumer month.
 *
 * Amounts are decimal strings, never REAL columns.
 */
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { MoneyColumn } from '../platform/money-column';

@Entity('billing_period')
export class BillingPeriodRow {
  /** The AWS payer (management) account, the Azure billing profile ARM id. */
  @PrimaryColumn('varchar')
  billingGroup: string;

  @PrimaryColumn('varchar')
  month: string;

  /** true = invoiced (final), false = estimated. */
  @Column('boolean')
  final: boolean;

  /** The invoice ids the month's rows carry (empty while estimated). */
  @Column('simple-json')
  invoiceIds: string[];

  /** The last usage day the file holds (YYYY-MM-DD), for run-rate forecasts. */
  @Column('varchar', { nullable: true })
  dataThrough: string | null;

  /** The file the period was last loaded from. */
  @Column('varchar')
  sourceFile: string;

  @Column('varchar')
  loadedAt: string;
}

/**
 * The charges of a (billing group, month) as the last loaded billing file gave them, as one
 * document (lib/store/row-documents.ts): they are always written and read together.
 */
@Entity('billing_period_charges')
export class PeriodChargesRow {
  @PrimaryColumn('varchar')
  billingGroup: string;

  @PrimaryColumn('varchar')
  month: string;

  /** CHARGES_DOCUMENT's document: each distinct text once, each charge a row of numbers and its amount. */
  @Column('text')
  charges: string;
}

@Entity('credit_control')
export class CreditControlRow {
  @PrimaryColumn('varchar')
  creditId: string;

  /** In effect from this month (YYYY-MM) until the next entry's month. */
  @PrimaryColumn('varchar')
  fromMonth: string;

  @Column('boolean')
  paused: boolean;

  /** The provider's own sharing settings in effect (AWS sharing type and lists, Azure invoice sections). */
  @Column('simple-json', { nullable: true })
  sharing: unknown;

  /** When the change was made (the request's now); null for the state before the first change. */
  @Column('varchar', { nullable: true })
  changedAt: string | null;
}

@Entity('credit_balance')
@Index(['billingGroup'])
export class CreditBalanceRow {
  @PrimaryColumn('varchar')
  creditId: string;

  @Column('varchar')
  billingGroup: string;

  @Column('varchar')
  currency: string;

  /** First month the engine applied charges to (earlier months are the provider's snapshot). */
  @Column('varchar')
  openingMonth: string;

  @MoneyColumn()
  openingBalance: string;

  @MoneyColumn()
  remaining: string;

  @MoneyColumn()
  estimated: string;

  @MoneyColumn()
  appliedFinal: string;

  @MoneyColumn()
  appliedEstimated: string;

  @MoneyColumn()
  expired: string;

  /** Whether any billing period of the credit's group falls in or after its opening month. */
  @Column('boolean')
  computed: boolean;
}

/**
 * The engine's applications of one credit (what it paid per month, consumer, service and product
 * code, lib/domain/charges/types.ts CreditApplication) as one document (lib/store/row-documents.ts
 * APPLICATIONS_DOCUMENT), in the engine's order: a recompute replaces a group's together, and a
 * credit's are read together.
 */
@Entity('credit_applications')
@Index(['billingGroup'])
export class CreditApplicationsRow {
  @PrimaryColumn('varchar')
  creditId: string;

  @Column('varchar')
  billingGroup: string;

  /** APPLICATIONS_DOCUMENT's document: each distinct text once; amounts positive. */
  @Column('text')
  applications: string;
}

@Entity('consumer_month')
@Index(['consumerId'])
export class ConsumerMonthRow {
  @PrimaryColumn('varchar')
  billingGroup: string;

  @PrimaryColumn('varchar')
  month: string;

  @PrimaryColumn('varchar')
  consumerKind: string;

  @PrimaryColumn('varchar')
  consumerId: string;

  @PrimaryColumn('varchar')
  currency: string;

  @Column('boolean')
  estimated: boolean;

  /** Every charge of the month, credit-eligible or not. */
  @MoneyColumn()
  charges: string;

  /** The charges credits may pay for. */
  @MoneyColumn()
  eligibleCharges: string;

  @MoneyColumn()
  creditsApplied: string;

  /** charges - creditsApplied. */
  @MoneyColumn()
  net: string;

  /** The last usage day of the group's period (YYYY-MM-DD). */
  @Column('varchar', { nullable: true })
  dataThrough: string | null;
}

/** Register these in every provider database. */
export const CHARGE_ENTITIES = [BillingPeriodRow, PeriodChargesRow, CreditControlRow, CreditBalanceRow, CreditApplicationsRow, ConsumerMonthRow];

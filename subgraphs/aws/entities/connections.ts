/** Relay connections of the AWS lists that grow with the data (lib/platform/connection.ts): one page of them at a time. */
import { ObjectType } from 'type-graphql';
import { connectionType } from '../../../lib/platform/connection';
import { AwsAccount } from './account';
import { AwsCostCategory, AwsCostCategoryValue } from './cost-category';
import { AwsCredit } from './credit';
import { AwsCreditAllocation } from './credit-allocation';

@ObjectType({ description: 'A page of AWS accounts, by account id (Relay cursor connection).' })
export class AwsAccountConnection extends connectionType(AwsAccount, 'AwsAccount', 'the AWS accounts') {}

@ObjectType({ description: 'A page of AWS credits, by credit id (Relay cursor connection).' })
export class AwsCreditConnection extends connectionType(AwsCredit, 'AwsCredit', 'the AWS credits') {}

@ObjectType({ description: 'A page of credit allocation history entries, newest billing month first (Relay cursor connection).' })
export class AwsCreditAllocationConnection extends connectionType(AwsCreditAllocation, 'AwsCreditAllocation', 'the credit allocation history entries') {}

@ObjectType({ description: 'A page of AWS cost categories, by name then ARN (Relay cursor connection).' })
export class AwsCostCategoryConnection extends connectionType(AwsCostCategory, 'AwsCostCategory', 'the AWS cost categories') {}

@ObjectType({ description: 'A page of the values of a cost category, in rule order, the default value last (Relay cursor connection).' })
export class AwsCostCategoryValueConnection extends connectionType(AwsCostCategoryValue, 'AwsCostCategoryValue', 'the values of a cost category') {}

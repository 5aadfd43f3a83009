/**
 * Scalars every subgraph shares. Composition merges scalars by name, so each subgraph
 * declares the same `Decimal` and `DateTime` from here.
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { canonicalDecimal, decimalProblem } from '../domain/money';

function parseDecimalInput(value: unknown): string {
  if (typeof value !== 'string') {
    throw new GraphQLError('Decimal values are written as strings, e.g. "12.50", so no precision is lost', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const problem = decimalProblem(value);
  if (problem) throw new GraphQLError(`Invalid Decimal: ${problem}`, { extensions: { code: 'BAD_USER_INPUT' } });
  return canonicalDecimal(value);
}

/** An exact decimal amount written as a string, e.g. "6250.4012345678"; never a float. */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description:
    'An exact decimal number written as a string, e.g. "6250.4012345678". Money is never a binary float: ' +
    'every decimal place the provider reported is kept.',
  serialize(value) {
    if (typeof value !== 'string') throw new GraphQLError('Decimal values must be decimal strings internally');
    return value;
  },
  parseValue: parseDecimalInput,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) return parseDecimalInput(undefined);
    return parseDecimalInput(ast.value);
  },
});

const dateTimeConfig = DateTimeResolver.toConfig();

/** Runs a scalar's parser, turning its complaint into a typed BAD_USER_INPUT error. */
function asUserInput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new GraphQLError((error as Error).message, { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

/** RFC 3339 date-time, e.g. "2026-11-22T00:00:00.000Z". */
export const DateTimeScalar = new GraphQLScalarType({
  ...dateTimeConfig,
  description: 'A date and time in UTC, written as an RFC 3339 string such as "2026-11-22T00:00:00.000Z".',
  serialize(value) {
    const date = typeof value === 'string' ? new Date(value) : value;
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime values must be valid dates');
    return date.toISOString();
  },
  parseValue: (value) => asUserInput(() => dateTimeConfig.parseValue!(value)),
  parseLiteral: (ast, variables) => asUserInput(() => dateTimeConfig.parseLiteral!(ast, variables)),
});

/** What every single-item lookup answers for an id it has nothing for (lib/platform/not-found.ts), as tests check it. */
import { expect } from 'chai';
import type { GraphQLResponse } from './stack';

/**
 * The response answers `field` (its response key: the alias, or the field's name) with null and
 * one NOT_FOUND error at that path, naming `argument` (and the id, when it is short enough to be
 * repeated whole).
 */
export function expectNotFound(result: GraphQLResponse, field: string, argument: string, id: string): void {
  expect(result.data?.[field], `${field} is null`).to.equal(null);
  const errors = (result.errors ?? []).filter((e) => e.path?.length === 1 && e.path[0] === field);
  expect(errors, `one error at ${field}: ${JSON.stringify(result.errors)}`).to.have.length(1);
  const [error] = errors;
  expect(error.extensions?.code).to.equal('NOT_FOUND');
  expect(error.extensions?.argument).to.equal(argument);
  expect(error.message).to.contain(` ${argument} `);
  if (id.length <= 512) expect(error.message).to.contain(JSON.stringify(id));
  expect(error.message).to.not.match(/stack|sqlite|select /i);
}

/** Every error of the response is a NOT_FOUND of one of `fields`, and each of those fields has one. */
export function expectOnlyNotFound(result: GraphQLResponse, fields: Record<string, { argument: string; id: string }>): void {
  for (const [field, { argument, id }] of Object.entries(fields)) expectNotFound(result, field, argument, id);
  expect(result.errors ?? [], JSON.stringify(result.errors)).to.have.length(Object.keys(fields).length);
}

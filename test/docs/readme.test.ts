/**
 * Every GraphQL example of the README runs as printed against the demo data, through the gateway,
 * as the FinOps persona: no error, and something comes back (every list it asks for has items).
 * Each selects the identity of every object it gets (`id`, or the entity's key field), so a
 * normalized client cache (Apollo Client) keeps it up to date.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import {
  buildClientSchema,
  DocumentNode,
  getIntrospectionQuery,
  getNamedType,
  GraphQLSchema,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  parse,
  print,
  SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { readSupergraph } from '../../gateway/supergraph';
import { EXAMPLE_QUERY } from '../../scripts/example-query';
import { query, REPO_ROOT, Stack, startStack } from '../support/stack';

const DEVELOPMENT =
  '/providers/Microsoft.Billing/billingAccounts/5e98e158-2f31-4a2e-9e1f-0c1d2e3f4a5b:6b7c8d9e-0f1a-2b3c-4d5e-6f7a8b9c0d1e_2019-05-31/billingProfiles/PBFV-AB12-CD3-EF4';

/** What the README's examples leave for the reader to fill in. */
const PLACEHOLDERS: Record<string, string> = { '<billing profile ARM id>': DEVELOPMENT };

/** The README's ```graphql blocks, each operation apart (a block may show several), and the query `npm start` prints (last). */
function readmeOperations(): { block: number; text: string; document: DocumentNode }[] {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...[...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]), EXAMPLE_QUERY];
  return blocks.flatMap((block, i) => {
    let text = block;
    for (const [placeholder, value] of Object.entries(PLACEHOLDERS)) text = text.split(placeholder).join(value);
    return parse(text).definitions.map((definition) => {
      const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [definition] };
      return { block: i + 1, text: print(document), document };
    });
  });
}

/** The key fields of each entity type of the supergraph (`@join__type(..., key: "...")`). */
function entityKeys(): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const match of readSupergraph().matchAll(/^type (\w+)[^{]*?@join__type\(graph: \w+, key: "([^"]+)"/gm)) {
    keys.set(match[1], match[2].split(/\s+/));
  }
  return keys;
}

/** The objects an operation gets without their identity: `Type at path` for each. */
function missingIdentities(schema: GraphQLSchema, document: DocumentNode, keys: Map<string, string[]>): string[] {
  const missing: string[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const type = getNamedType(typeInfo.getType());
        if (!node.selectionSet || !isObjectType(type)) return;
        const identity = keys.get(type.name) ?? ('id' in type.getFields() ? ['id'] : []);
        const selected = new Set((node.selectionSet as SelectionSetNode).selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : [])));
        const absent = identity.filter((f) => !selected.has(f));
        if (absent.length) missing.push(`${type.name} at ${node.name.value} (select ${absent.join(', ')})`);
      },
    }),
  );
  return missing;
}

/** The lists of an answer that are not inside another list: each must have items. */
function emptyLists(value: unknown, at: string, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) found.push(at);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) if (key !== 'userErrors') emptyLists(child, `${at}.${key}`, found);
  }
  return found;
}

describe('README examples and the query npm start prints', function () {
  this.timeout(60_000);
  let stack: Stack;
  let schema: GraphQLSchema;
  let awsCreditId: string;

  before(async () => {
    stack = await startStack();
    schema = buildClientSchema(await query(stack.gatewayUrl, getIntrospectionQuery()));
    const aws = await query(stack.gatewayUrl, `{ credits(first: 1, filter: { providers: [AWS], statuses: [ACTIVE] }) { nodes { id } } }`);
    awsCreditId = aws.credits.nodes[0].id;
  });
  after(() => stack.stop());

  const operations = readmeOperations();

  it('shows at least the queries and mutations it promises', () => {
    const kinds = operations.map((o) => (o.document.definitions[0] as OperationDefinitionNode).operation);
    expect(kinds.filter((k) => k === 'query').length).to.be.at.least(5);
    expect(kinds.filter((k) => k === 'mutation').length).to.be.at.least(2);
  });

  it('select the identity of every object they get', () => {
    const keys = entityKeys();
    expect(keys.get('AwsCredit')).to.deep.equal(['creditId']);
    const problems = operations.flatMap((o) => missingIdentities(schema, o.document, keys).map((m) => `block ${o.block}: ${m}`));
    expect(problems).to.deep.equal([]);
  });

  it('run as printed against the demo data, without errors, and every list they ask for has items', async () => {
    for (const operation of operations) {
      const definition = operation.document.definitions[0] as OperationDefinitionNode;
      const variables = Object.fromEntries((definition.variableDefinitions ?? []).map((v) => [v.variable.name.value, awsCreditId]));
      const data = await query(stack.gatewayUrl, operation.text, variables);
      for (const [field, value] of Object.entries(data)) {
        expect(value, `block ${operation.block}: ${field}`).to.not.equal(null);
        expect((value as { userErrors?: unknown[] }).userErrors ?? [], `block ${operation.block}: ${field} user errors`).to.deep.equal([]);
      }
      expect(emptyLists(data, `block ${operation.block}`)).to.deep.equal([]);
    }
  });
});

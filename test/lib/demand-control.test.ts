/** The worst-case cost of operations, from @cost and @listSize, computed by hand for small schemas. */
import { expect } from 'chai';
import { buildSchema, parse } from 'graphql';
import { costModelOf, estimateCost } from '../../lib/platform/demand-control';

const SDL = `
  directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION

  type Query {
    accounts(first: Int = 50, after: String): AccountConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"])
    account(id: ID!): Account
    rules: [Rule!]! @listSize(assumedSize: 500)
    unannotated: [Account!]!
    expensive: Int @cost(weight: 7)
    heavy: Heavy
    node(id: ID!): Node
    _entities(representations: [JSON!]!): [Node]!
  }
  type Mutation { pause(id: ID!): Account }
  scalar JSON
  interface Node { id: ID! }
  type AccountConnection { edges: [AccountEdge!]! nodes: [Account!]! total: Int! }
  type AccountEdge { cursor: String! node: Account! }
  type Account implements Node {
    id: ID!
    name: String!
    credits(first: Int = 10): CreditConnection! @listSize(slicingArguments: ["first"], sizedFields: ["nodes"])
    months: [Month!]! @listSize(assumedSize: 5)
  }
  type CreditConnection { nodes: [Credit!]! }
  type Credit implements Node { id: ID! account: Account! tags: [String!]! }
  type Month { month: String! }
  type Rule { value: String! }
  type Heavy @cost(weight: 3) { id: ID! }
`;

const schema = buildSchema(SDL);
const model = costModelOf(SDL);
const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  estimateCost(schema, model, parse(query), operationName, variables, { defaultListSize: 100 });

describe('demand control: worst-case cost from @cost and @listSize', () => {
  it('counts 1 per object, 0 per scalar, and weights from @cost on fields and types', () => {
    expect(cost('{ account(id: "1") { id name } }')).to.equal(1);
    expect(cost('{ expensive }')).to.equal(7);
    expect(cost('{ heavy { id } }')).to.equal(3);
    expect(cost('{ __typename account(id: "1") { __typename } }')).to.equal(1);
  });

  it('multiplies a connection by first (literal, variable, variable default, argument default) through its sized fields', () => {
    // accounts: the connection 1 + 20 edges x (edge 1 + node 1) + 20 nodes x 1
    expect(cost('{ accounts(first: 20) { edges { node { id } } nodes { id } } }')).to.equal(1 + 20 * 2 + 20);
    expect(cost('query($n: Int) { accounts(first: $n) { nodes { id } } }', { n: 7 })).to.equal(1 + 7);
    expect(cost('query($n: Int = 3) { accounts(first: $n) { nodes { id } } }')).to.equal(1 + 3);
    expect(cost('{ accounts { nodes { id } } }')).to.equal(1 + 50);
    // A field that is not sized (total) is counted once.
    expect(cost('{ accounts(first: 2) { total } }')).to.equal(1);
  });

  it('multiplies nested lists, so a path of lists that lead back to each other grows as their product', () => {
    // 1 + 10 x (account 1 + credits 1 + 10 x (credit 1 + account 1 + credits 1 + 10 x 1))
    const nested = '{ accounts(first: 10) { nodes { credits { nodes { account { credits { nodes { id } } } } } } } }';
    expect(cost(nested)).to.equal(1 + 10 * (1 + 1 + 10 * (1 + 1 + 1 + 10)));
    expect(cost('{ accounts(first: 100) { nodes { credits(first: 100) { nodes { account { credits(first: 100) { nodes { id } } } } } } } }')).to.be.above(1_000_000);
  });

  it('uses assumedSize, and the default size for a list without @listSize', () => {
    expect(cost('{ rules { value } }')).to.equal(500);
    expect(cost('{ account(id: "1") { months { month } } }')).to.equal(1 + 5);
    expect(cost('{ unannotated { id } }')).to.equal(100);
    // A list of scalars costs nothing.
    expect(cost('{ account(id: "1") { credits { nodes { tags } } } }')).to.equal(1 + 1 + 10);
  });

  it('counts every fragment, named or inline, and aliases as separate fields', () => {
    expect(cost('{ a: account(id: "1") { id } b: account(id: "2") { id } }')).to.equal(2);
    expect(cost('{ node(id: "1") { ... on Account { months { month } } ... on Credit { account { id } } } }')).to.equal(1 + 5 + 1);
    expect(cost('query { accounts(first: 4) { nodes { ...A } } } fragment A on Account { credits(first: 2) { nodes { id } } }')).to.equal(1 + 4 * (1 + 1 + 2));
  });

  it('sizes _entities by the representations it is given', () => {
    const reps = Array.from({ length: 30 }, (_, i) => ({ __typename: 'Account', id: String(i) }));
    expect(cost('query($r: [JSON!]!) { _entities(representations: $r) { ... on Account { months { month } } } }', { r: reps })).to.equal(30 * (1 + 5));
  });

  it('adds 10 for a mutation, nothing for introspection, and picks the named operation', () => {
    expect(cost('mutation { pause(id: "1") { id } }')).to.equal(11);
    expect(cost('{ __schema { types { name fields { name type { name ofType { name } } } } } }')).to.equal(0);
    const two = 'query A { account(id: "1") { id } } query B { rules { value } }';
    expect(cost(two, {}, 'A')).to.equal(1);
    expect(cost(two, {}, 'B')).to.equal(500);
    expect(() => cost(two)).to.throw(/name the one to run/).with.nested.property('extensions.code', 'OPERATION_RESOLUTION_FAILURE');
    expect(() => cost(two, {}, 'C')).to.throw(/Unknown operation named "C"/).with.nested.property('extensions.http.status', 400);
  });

  it('reads the annotations the way the composed supergraph writes them', () => {
    const supergraphLike = `
      type Query {
        credits(first: Int! = 20, after: String): CreditConnection! @join__field(graph: CREDITS) @listSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false)
      }
      type CreditConnection { nodes: [Credit!]! }
      type Credit @federation__cost(weight: 2) { id: ID! }
    `;
    const read = costModelOf(supergraphLike);
    expect(read.listSizes.get('Query.credits')).to.deep.equal({ assumedSize: null, slicingArguments: ['first'], sizedFields: ['edges', 'nodes'] });
    expect(read.typeWeights.get('Credit')).to.equal(2);
  });

  it('costs a fragment once per context, so spreading one fragment many times at every level takes no time', () => {
    // ...F1 a hundred times in F0, ...F2 a hundred times in F1, and so on: walked spread by spread
    // this is 100^5 walks, hours (the test would time out); once per fragment, 500 or so.
    const spreads = (n: number) => Array.from({ length: 100 }, () => `...F${n}`).join(' ');
    const bomb = `query Q { ...F0 } ${[0, 1, 2, 3, 4].map((n) => `fragment F${n} on Query { ${spreads(n + 1)} }`).join(' ')} fragment F5 on Query { rules { value } }`;
    expect(cost(bomb)).to.equal(100 ** 5 * 500);
  });

  it('reads only Int values of a slicing argument; others are left to variable coercion', () => {
    expect(cost('query($n: Int) { accounts(first: $n) { nodes { id } } }', { n: 1e300 })).to.equal(1 + 50);
    expect(cost('query($n: Int) { accounts(first: $n) { nodes { id } } }', { n: 2.5 })).to.equal(1 + 50);
    expect(cost('query($n: Int) { accounts(first: $n) { nodes { id } } }', { n: -3 })).to.equal(1);
  });
});

/** The composed supergraph: committed and fresh, documented everywhere. */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { buildClientSchema, getIntrospectionQuery, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { staleSchemaFiles } from '../../gateway/compose';
import { schemaDir } from '../../gateway/supergraph';
import { query, Stack, startStack, tempDir } from '../support/stack';

describe('supergraph', () => {
  it('the committed schema/ matches a fresh composition (run `npm run compose` when this fails)', async () => {
    expect(await staleSchemaFiles()).to.deep.equal([]);
  });

  it('the staleness check notices an edited or missing file', async () => {
    const dir = tempDir('schema');
    for (const name of fs.readdirSync(schemaDir())) fs.copyFileSync(path.join(schemaDir(), name), path.join(dir, name));
    fs.appendFileSync(path.join(dir, 'supergraph.graphql'), '\n# edited\n');
    fs.rmSync(path.join(dir, 'aws.graphql'));
    expect((await staleSchemaFiles(dir)).sort()).to.deep.equal(['aws.graphql', 'supergraph.graphql']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('through the gateway', () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack({ loadDemo: false });
    });
    after(() => stack.stop());

    it('describes every type, field, argument and enum value of the public API', async () => {
      const schema = buildClientSchema(await query(stack.gatewayUrl, getIntrospectionQuery()));
      const missing: string[] = [];
      for (const type of Object.values(schema.getTypeMap())) {
        if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
        if (!type.description) missing.push(type.name);
        if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
          for (const field of Object.values(type.getFields())) {
            if (!field.description) missing.push(`${type.name}.${field.name}`);
            for (const arg of 'args' in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
        if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
      expect(missing).to.deep.equal([]);
    });

    it('hides the federation internals from the public API', async () => {
      const schema = buildClientSchema(await query(stack.gatewayUrl, getIntrospectionQuery()));
      expect(schema.getQueryType()!.getFields()).to.not.have.property('_entities');
      expect(schema.getQueryType()!.getFields()).to.have.property('credits');
      expect(schema.getMutationType()!.getFields()).to.have.keys('pauseCredit', 'activateCredit', 'shareCredit');
    });
  });
});

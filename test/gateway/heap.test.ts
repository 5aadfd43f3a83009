/** Every way of starting the gateway gives it the heap size of gateway/heap.ts. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { GATEWAY_HEAP_MB, GATEWAY_NODE_ARGS } from '../../gateway/heap';
import { REPO_ROOT } from '../support/stack';

describe('gateway heap size', () => {
  it('is passed by npm run start:gateway', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts['start:gateway']).to.equal(`npm run build --silent && node ${GATEWAY_NODE_ARGS.join(' ')} dist/gateway/index.js`);
  });

  it('takes effect: a node started with the flags gets that heap limit', () => {
    const run = spawnSync(process.execPath, [...GATEWAY_NODE_ARGS, '-e', "console.log(require('v8').getHeapStatistics().heap_size_limit)"], { encoding: 'utf8' });
    const limitMb = Number(run.stdout.trim()) / (1024 * 1024);
    // V8 adds its young generation to the old-space limit it is given.
    expect(limitMb).to.be.at.least(GATEWAY_HEAP_MB);
    expect(limitMb).to.be.below(GATEWAY_HEAP_MB + 128);
  });

});

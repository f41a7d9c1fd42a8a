import assert from 'node:assert/strict';
import { defineSimulator } from '@customs-hub/sdk';
import { optionKey, parseSimulatorOptions } from '../../src/plugins/simulator-options.js';

const def = defineSimulator({
  name: 'gate',
  description: 'test gate',
  options: [
    { flags: '--port <n>', description: 'port', type: 'integer' },
    { flags: '--rate <r>', description: 'rate', default: 0.5 },
    { flags: '--count <n>', description: 'count', default: 3 },
    { flags: '--lane <name>', description: 'lane', default: 'L1' },
    { flags: '--secure', description: 'TLS' },
    { flags: '--no-images', description: 'no images' },
  ],
  start: () => Promise.reject(new Error('not started in this test')),
});

describe('simulator options', () => {
  it('keys flags as commander does', () => {
    assert.equal(optionKey('--http-port <n>'), 'httpPort');
    assert.equal(optionKey('--no-windows'), 'windows');
  });

  it('gives the same typed options from command-line strings and from YAML values', () => {
    const fromCli = parseSimulatorOptions(def, { port: '4000', rate: '0.25', count: '7', lane: 'L2', secure: true, images: false });
    const fromYaml = parseSimulatorOptions(def, { port: 4000, rate: 0.25, count: 7, lane: 'L2', secure: true, images: false });
    assert.deepEqual(fromCli, { port: 4000, rate: 0.25, count: 7, lane: 'L2', secure: true, images: false });
    assert.deepEqual(fromYaml, fromCli);
  });

  it('fills defaults, including a --no- flag as true', () => {
    assert.deepEqual(parseSimulatorOptions(def, {}), { rate: 0.5, count: 3, lane: 'L1', images: true });
  });

  it('refuses a wrong type or an unknown option by name', () => {
    assert.throws(() => parseSimulatorOptions(def, { port: 'abc' }), /simulator gate: option port must be a number, got 'abc'/);
    assert.throws(() => parseSimulatorOptions(def, { count: 2.5 }), /option count must be an integer/);
    assert.throws(() => parseSimulatorOptions(def, { secure: 'maybe' }), /option secure must be true or false/);
    assert.throws(() => parseSimulatorOptions(def, { prot: 1 }), /unknown option 'prot' \(known: port, rate, count, lane, secure, images\)/);
  });
});

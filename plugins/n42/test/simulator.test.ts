import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulators } from '../src/index.js';
import { countedZeroes, passageDocument } from '../src/simulator/passage.js';
import { seededRandom } from '@customs-hub/sdk';
import { simulatorOptions, startN42Simulator } from '../src/simulator/simulator.js';
import { channelData } from '../src/n42/values.js';
import { quietLogger, tempDir } from './helpers.js';

describe('n42 simulator', () => {
  it('is exported as "n42" with its documented options', () => {
    assert.deepEqual(
      simulators.map((s) => s.name),
      ['n42'],
    );
    assert.deepEqual(
      simulators[0]!.options.map((o) => o.flags.split(' ')[0]),
      ['--dir', '--host', '--port', '--interval-s', '--seed', '--traffic'],
    );
  });

  it('validates its options', () => {
    assert.throws(() => simulatorOptions({}), /give --dir, --port or both/);
    assert.throws(() => simulatorOptions({ dir: '/tmp/x', intervalS: 'soon' }), /--interval-s must be a number, got 'soon'/);
    assert.deepEqual(simulatorOptions({ port: '4242', intervalS: '2', seed: '9' }), {
      host: '127.0.0.1',
      port: 4242,
      intervalS: 2,
      seed: 9,
      traffic: 'random',
    });
  });

  it('writes complete files only (dot-file renamed into place), the same passages for the same seed', async () => {
    const dir = tempDir('sim');
    const sim = await startN42Simulator({ dir, intervalS: 0.02, seed: 4 }, quietLogger);
    while (sim.sent() < 3) await new Promise((r) => setTimeout(r, 10));
    await sim.stop();
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.n42'))
      .sort();
    assert.ok(files.length >= 3);
    assert.ok(
      readdirSync(dir).every((f) => !f.startsWith('.')),
      'no temporary file left',
    );
    assert.equal(files[0], 'passage-4-000000.n42');
    const rand = seededRandom(4);
    const { truth } = passageDocument(rand, 0, new Date());
    assert.match(readFileSync(join(dir, files[0]!), 'utf8'), new RegExp(`n42DocUUID="${truth.uuid}"`));
  });

  it('encodes CountedZeroes as N42 defines it', () => {
    const channels = [0, 0, 0, 5, 0, 7, 7, 0, 0];
    assert.equal(countedZeroes(channels), '0 3 5 0 1 7 7 0 2');
    const el = { ns: '', local: 'ChannelData', prefix: '', attrs: {}, children: [], text: countedZeroes(channels), line: 1 };
    assert.deepEqual(channelData(el, 'CountedZeroes', 100), channels);
  });
});

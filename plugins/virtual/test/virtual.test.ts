import assert from 'node:assert/strict';
import { describeConformance, TestHarness } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import { VIRTUAL_KINDS } from '../src/config.js';

describe('virtual plugin', () => {
  describeConformance(plugin, { config: { kind: 'telemetry', rate: 50 }, minObservations: 3 });

  for (const kind of VIRTUAL_KINDS) {
    it(`emits valid ${kind} readings`, async () => {
      const h = new TestHarness(plugin, { config: { kind, rate: 100, seed: 7 } });
      await h.start();
      await h.waitFor(() => h.observations.length >= 5);
      await h.stop();
      assert.deepEqual(h.rejected, []);
      assert.ok(h.observations.every((o) => o.kind === kind));
    });
  }

  it('is deterministic by seed', async () => {
    const run = async () => {
      const h = new TestHarness(plugin, { config: { kind: 'weight', rate: 200, seed: 42 } });
      await h.start();
      await h.waitFor(() => h.observations.length >= 5);
      await h.stop();
      return h.observations.slice(0, 5).map((o) => o.payload);
    };
    assert.deepEqual(await run(), await run());
  });

  it('normalizes and checks container numbers it reads', async () => {
    const h = new TestHarness(plugin, { config: { kind: 'identification', rate: 100, containers: ['csqu 305438-3', 'CSQU3054384'] } });
    await h.start();
    await h.waitFor(() => h.observations.length >= 2);
    await h.stop();
    assert.deepEqual(h.observations[0]!.conveyance.containers[0], { number: 'CSQU3054383', valid: true, raw: 'csqu 305438-3' });
    assert.equal(h.observations[1]!.conveyance.containers[0]!.valid, false);
  });

  it('rejects a config outside its schema', () => {
    const h = new TestHarness(plugin, { config: { kind: 'laser', rate: 1 } as never });
    assert.throws(() => h.checkManifest(), /config invalid: \/kind: must be equal to one of the allowed values/);
  });
});

import assert from 'node:assert/strict';
import { TestHarness } from '@customs-hub/sdk/testing';
import { plugin, type XraySimulator } from '../src/index.js';
import { configFor, startSimulator } from './helpers.js';

const scanIds = (h: TestHarness<unknown>) => h.observations.filter((o) => o.kind === 'xray.scan').map((o) => o.sourceId);

describe('xray-opcua: scan ids reused after a scanner reboot', function () {
  this.timeout(40000);
  let sim: XraySimulator;
  let h: TestHarness<unknown> | null = null;

  afterEach(async () => {
    await h?.stop();
    h = null;
    await sim.stop();
  });

  it('takes the scans after an id counter reset as new ones (keyed on id and scan time), says so, and repeats nothing after a hub restart', async () => {
    sim = await startSimulator({ vendor: { resetIdsOnRestart: true } });
    h = new TestHarness(plugin, { config: configFor(sim) });
    const first = h;
    await first.start();
    const before = [await sim.scan(), await sim.scan()];
    await first.waitFor(() => scanIds(first).length === 2, 10000, 'two scans');

    await sim.restartServer();
    const again = [await sim.scan(), await sim.scan()];
    assert.deepEqual(
      again.map((s) => s.scanId),
      before.map((s) => s.scanId),
      'the simulator reuses the ids',
    );
    await first.waitFor(() => scanIds(first).length === 4, 15000, 'the two scans after the reboot');
    assert.deepEqual(scanIds(first), [...before.map((s) => s.scanId), ...again.map((s) => `${s.scanId}@${s.startedAt.toISOString()}`)]);
    const warnings = first.logs.filter((l) => l.level === 'warn' && /^scan id reused by the scanner/.test(l.msg));
    assert.deepEqual(
      warnings.map((l) => l.bindings.scanId),
      again.map((s) => s.scanId),
    );
    await first.stop();

    // A hub restart: the reused ids are known with both times; nothing is offered again.
    h = new TestHarness(plugin, { config: configFor(sim), dataDir: first.dataDir });
    const second = h;
    await second.start();
    const next = await sim.scan();
    await second.waitFor(() => scanIds(second).length >= 1, 10000, 'the next scan');
    assert.deepEqual(scanIds(second), [next.scanId]);
  });
});

import assert from 'node:assert/strict';
import { TestHarness } from '@customs-hub/sdk/testing';
import { plugin, XRAY_NAMESPACE_URI, type XraySimulator } from '../src/index.js';
import { configFor, startSimulator } from './helpers.js';

const scanIds = (h: TestHarness<unknown>) => h.observations.filter((o) => o.kind === 'xray.scan').map((o) => o.sourceId);

describe('xray-opcua: recovery', function () {
  this.timeout(30000);
  let sim: XraySimulator;
  let h: TestHarness<unknown> | null = null;

  afterEach(async () => {
    await h?.stop();
    h = null;
    await sim.stop();
  });

  it('reconnects after a server restart and takes the scans made meanwhile from the history, none twice', async () => {
    sim = await startSimulator();
    h = new TestHarness(plugin, { config: configFor(sim) });
    const harness = h;
    await harness.start();
    const before = await sim.scan();
    await harness.waitFor(() => scanIds(harness).includes(before.scanId), 10000, 'the first scan');

    await sim.stopServer();
    await harness.waitFor(() => harness.statuses.some((s) => s.type === 'failure'), 5000, 'the lost connection reported');
    const during = [await sim.scan({ findings: true }), await sim.scan()];
    await sim.startServer();
    await harness.waitFor(() => during.every((s) => scanIds(harness).includes(s.scanId)), 10000, 'the scans made while the server was down');
    const after = await sim.scan();
    await harness.waitFor(() => scanIds(harness).includes(after.scanId), 10000, 'a scan after the restart');

    assert.deepEqual(
      scanIds(harness),
      [before, ...during, after].map((s) => s.scanId),
    );
    // Nothing was offered to the hub twice, not even as a duplicate it would have absorbed.
    assert.equal(harness.logs.filter((l) => l.bindings.duplicate === true).length, 0);
    assert.ok(
      harness.logs.some((l) => l.msg === 'scans taken from the history' && JSON.stringify(l.bindings.scans) === JSON.stringify(during.map((s) => s.scanId))),
    );
  });

  it('recreates a subscription that went silent, and scans flow again through the new one', async () => {
    sim = await startSimulator();
    // The simulator's Heartbeat moves every 500 ms; the watchdog waits 1.5 s for any data change.
    const heartbeat = `nsu=${XRAY_NAMESPACE_URI};s=XrayScanner.Heartbeat`;
    h = new TestHarness(plugin, { config: configFor(sim, { watchdogS: 1.5, nodes: { heartbeat } }) });
    const harness = h;
    await harness.start();
    const first = await sim.scan();
    await harness.waitFor(() => scanIds(harness).includes(first.scanId), 10000, 'the first scan');
    assert.equal(sim.subscriptionsCreated, 1);
    assert.ok(!harness.statuses.some((s) => /silent/.test(s.detail)), 'no watchdog alarm while data flows');

    assert.ok(sim.silenceSubscriptions() >= 4, 'monitored items removed on the server');
    await harness.waitFor(() => sim.subscriptionsCreated === 2, 6000, 'a new subscription');
    assert.ok(harness.statuses.some((s) => s.type === 'degraded' && /^subscription silent for \d+ s; recreating it$/.test(s.detail)));
    const second = await sim.scan();
    await harness.waitFor(() => scanIds(harness).includes(second.scanId), 5000, 'a scan through the new subscription');
    assert.deepEqual(scanIds(harness), [first.scanId, second.scanId]);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation } from '@customs-hub/sdk';
import { rawFilePath, type TestHarness } from '@customs-hub/sdk/testing';
import type { RpmConfig } from '../src/config.js';
import { events, lastTelemetry, passages, portalTests, sleep } from './helpers.js';

// Simulated time runs 10× faster; vehicles every 6 simulated seconds, the first after 3 s.
const SIM = { timeScale: 10, vehicleInterval: 6, seed: 11 };

function hubConfig(port: number): RpmConfig {
  return { host: '127.0.0.1', port, statsIntervalS: 1, reconnect: { initialMs: 50, maxMs: 200 } };
}

/** Recomputes the largest 1-s sigma from the stored sample CSV, independently of the plugin's code. */
function sigmaFromCsv(h: TestHarness<RpmConfig>, p: Observation<'radiation.passage'>): number {
  const ref = p.raw![0]!;
  const rows = readFileSync(rawFilePath(join(h.dataDir, 'raw'), ref.sha256), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .filter((r) => r[1] === 'G')
    .map((r) => r.slice(3).map(Number));
  const bg = p.payload.gamma.background.map((b) => b * 5); // per 200-ms sample → per second
  let best = -Infinity;
  for (let i = 0; i + 5 <= rows.length; i++) {
    const fg = [0, 1, 2, 3].map((k) => rows.slice(i, i + 5).reduce((a, r) => a + r[k]!, 0));
    const total = (fg.reduce((a, b) => a + b) - bg.reduce((a, b) => a + b)) / Math.sqrt(bg.reduce((a, b) => a + b));
    best = Math.max(best, total, ...fg.map((f, k) => (f - bg[k]!) / Math.sqrt(bg[k]!)));
  }
  return best;
}

describe('rpm plugin over the Rapiscan-style ASCII stream', function () {
  this.timeout(30000);
  const portal = portalTests({ sim: SIM, hubConfig, passageTimeoutMs: 15000, disrupt: (sim) => sim.dropClients() });
  const { startSim, firstPassage } = portal;
  const startHub = (config: Partial<RpmConfig> = {}) => portal.startHub({ ...hubConfig(portal.port()), ...config });

  const cases = [
    { load: 'clean', hub: { gamma: false, neutron: false, norm: false }, device: { gamma: false, neutron: false }, disagreement: false },
    { load: 'norm', hub: { gamma: true, neutron: false, norm: true }, device: { gamma: true, neutron: false }, disagreement: false },
    // Leaks toward one panel: the device's sum-of-panels rule misses it, the hub's per-panel rule does not.
    { load: 'shielded-source', hub: { gamma: true, neutron: false, norm: false }, device: { gamma: false, neutron: false }, disagreement: true },
    { load: 'neutron-source', hub: { gamma: false, neutron: true, norm: false }, device: { gamma: false, neutron: true }, disagreement: false },
  ] as const;
  for (const c of cases) {
    it(`evaluates a ${c.load} load: hub ${JSON.stringify(c.hub)}, device ${JSON.stringify(c.device)}`, async () => {
      await startSim({ scenario: c.load });
      const hub = await startHub();
      const p = await firstPassage(hub);
      assert.deepEqual(p.payload.hubAlarm, c.hub);
      assert.deepEqual(p.payload.deviceAlarm, c.device);
      assert.equal(p.payload.disagreement, c.disagreement);
      assert.equal(p.quality.status, 'good');
      assert.equal(p.payload.gamma.threshold, 8, 'N-sigma from the device setup (SG1)');
      assert.ok(Math.abs(p.payload.gamma.maxSigma - sigmaFromCsv(hub, p)) < 0.05, `maxSigma ${p.payload.gamma.maxSigma} vs ${sigmaFromCsv(hub, p)}`);
      assert.equal(Math.round(p.payload.gamma.panels[0]!.samples * 0.2 * 1000) / 1000, p.payload.durationS);
      assert.ok(p.payload.speedKmh! > 5 && p.payload.speedKmh! < 12, `speed ${p.payload.speedKmh}`);
      assert.deepEqual({ contentType: p.raw![0]!.contentType, role: p.raw![0]!.role }, { contentType: 'text/csv', role: 'samples' });
      if (c.disagreement) assert.ok(p.alarms.some((a) => a.source === 'hub' && a.message?.includes('disagree on the gamma alarm')));
      assert.deepEqual(hub.rejected, []);
    });
  }

  it('takes N-sigma from the device setup over config, and keeps config when told to', async () => {
    await startSim({ scenario: 'clean', nSigma: 6.5 });
    const fromDevice = await startHub({ gamma: { nSigma: 9 } });
    assert.equal((await firstPassage(fromDevice)).payload.gamma.threshold, 6.5);
    await fromDevice.stop();
    const fromConfig = await startHub({ gamma: { nSigma: 9, useDeviceSetup: false } });
    assert.equal((await firstPassage(fromConfig)).payload.gamma.threshold, 9);
  });

  it('reports a high-background fault and its clearing as device events and a degraded status', async () => {
    await startSim({ scenario: 'high-background' });
    const hub = await startHub();
    await hub.waitFor(() => events(hub, 'GAMMA_HIGH_BACKGROUND').length >= 2, 15000, 'fault and fault-cleared');
    const [fault, cleared] = events(hub, 'GAMMA_HIGH_BACKGROUND');
    assert.equal(fault!.payload.event, 'fault');
    assert.equal(fault!.alarms[0]!.category, 'fault');
    assert.equal(cleared!.payload.event, 'fault-cleared');
    assert.ok(hub.statuses.some((s) => s.type === 'degraded' && s.detail.includes('high limit')));
    assert.ok(
      events(hub, 'BACKGROUND').some((e) => e.payload.message === 'background changed'),
      'the background shift is reported',
    );
  });

  it('reports tamper and its clearing', async () => {
    await startSim({ scenario: 'tamper' });
    const hub = await startHub();
    await hub.waitFor(() => events(hub, 'TAMPER').length >= 2, 15000, 'tamper and tamper-cleared');
    const [tamper, cleared] = events(hub, 'TAMPER');
    assert.equal(tamper!.payload.event, 'tamper');
    assert.deepEqual(
      tamper!.alarms.map((a) => [a.category, a.source]),
      [['tamper', 'device']],
    );
    assert.equal(cleared!.payload.event, 'tamper-cleared');
  });

  it('counts malformed lines, reports them as failures, and keeps going', async () => {
    await startSim({ scenario: 'clean' });
    const hub = await startHub();
    await hub.waitFor(() => events(hub, 'GAMMA_SETUP').length === 1, 5000, 'setup');
    portal.sim().inject('GS,12,34\r\n\u0001\u0002junk\r\nGB,000001,000002,000003,0000x4\r\n');
    await hub.waitFor(() => hub.statuses.filter((s) => s.type === 'failure').length >= 3, 5000, 'three failures');
    assert.deepEqual(
      hub.statuses.filter((s) => s.type === 'failure').map((s) => s.detail),
      [
        'malformed message: GS: expected 4 panel counts, got 2',
        "malformed message: no message tag in '\u0001\u0002junk'",
        "malformed message: GB: count '0000x4' is not a whole number",
      ],
    );
    await firstPassage(hub);
    await hub.stop();
    assert.equal(lastTelemetry(hub).linesMalformed, 3);
    assert.equal(hub.statuses.at(-1)!.type, 'ok', 'healthy again after good lines');
  });

  it('reports an occupancy cut by a lost connection as incomplete, reconnects and goes on', async () => {
    await startSim({ scenario: 'clean' });
    const hub = await startHub();
    await hub.waitFor(() => portal.sim().stats().portals[0]!.occupied, 10000, 'an occupancy');
    await sleep(150); // let some of its samples arrive
    await portal.sim().stop();
    await hub.waitFor(() => passages(hub).length === 1, 5000, 'the cut passage');
    const cut = passages(hub)[0]!;
    assert.equal(cut.payload.endReason, 'connection-lost');
    assert.equal(cut.quality.status, 'uncertain');
    assert.match(cut.quality.reasons!.join(';'), /connection dropped before the occupancy ended/);
    assert.ok(cut.payload.gamma.panels[0]!.samples > 0);
    assert.ok(hub.statuses.some((s) => s.type === 'failure'));
    await startSim({ scenario: 'clean', seed: 12 });
    await firstPassage(hub);
    await hub.stop();
    const t = lastTelemetry(hub);
    assert.ok((t.reconnects ?? 0) >= 1, `reconnects ${t.reconnects}`);
    assert.equal(t.passages, passages(hub).length);
  });

  it('receives every sample the portal sent', async () => {
    await startSim({ scenario: 'mixed' });
    const hub = await startHub();
    await sleep(1500);
    await portal.sim().stop(); // ends the connection after the last line
    await hub.waitFor(() => hub.statuses.at(-1)?.type === 'failure', 5000, 'the end of the link');
    await hub.stop();
    const sent = portal.sim().stats().samplesSent;
    assert.ok(sent > 50, `sent ${sent}`);
    assert.equal(lastTelemetry(hub).samplesReceived, sent);
  });
});

import assert from 'node:assert/strict';
import type { RpmConfig } from '../src/config.js';
import { events, lastTelemetry, passages, portalTests, sleep } from './helpers.js';

// ×5 time: a sample every 40 ms, the 8-slot ring spans 320 ms, polled every 100 ms.
const SIM = { transport: 'modbus', timeScale: 5, vehicleInterval: 6, seed: 21 };

function hubConfig(port: number, modbus: RpmConfig['modbus'] = {}): RpmConfig {
  return {
    transport: 'modbus',
    host: '127.0.0.1',
    port,
    statsIntervalS: 1,
    reconnect: { initialMs: 50, maxMs: 200 },
    modbus: { pollIntervalMs: 100, timeoutMs: 500, ...modbus },
  };
}

describe('rpm plugin over Modbus', function () {
  this.timeout(30000);
  const portal = portalTests({ sim: SIM, hubConfig: (port) => hubConfig(port), passageTimeoutMs: 20000, disrupt: (sim) => sim.stop() });
  const { startSim, startHub, firstPassage } = portal;

  const cases = [
    { load: 'norm', hub: { gamma: true, neutron: false, norm: true }, device: { gamma: true, neutron: false } },
    { load: 'shielded-source', hub: { gamma: true, neutron: false, norm: false }, device: { gamma: false, neutron: false } },
    { load: 'neutron-source', hub: { gamma: false, neutron: true, norm: false }, device: { gamma: false, neutron: true } },
  ] as const;
  for (const c of cases) {
    it(`reads a ${c.load} passage from the sample ring without losing samples`, async () => {
      await startSim({ scenario: c.load });
      const hub = await startHub(hubConfig(portal.port()));
      const p = await firstPassage(hub);
      assert.deepEqual(p.payload.hubAlarm, c.hub);
      assert.deepEqual(p.payload.deviceAlarm, c.device);
      assert.equal(p.payload.disagreement, c.hub.gamma !== c.device.gamma || c.hub.neutron !== c.device.neutron);
      assert.equal(p.payload.sampleIntervalS, 0.2);
      assert.equal(p.payload.occupancyCount, 1);
      assert.ok(p.payload.speedKmh! > 5 && p.payload.speedKmh! < 12, `speed ${p.payload.speedKmh}`);
      await hub.stop();
      assert.equal(lastTelemetry(hub).samplesLost, 0);
      assert.deepEqual(hub.rejected, []);
    });
  }

  it('reports an occupancy in progress when stopped as stopped, not as a lost link', async () => {
    await startSim({ scenario: 'clean' });
    const hub = await startHub(hubConfig(portal.port()));
    await hub.waitFor(() => portal.sim().stats().portals[0]!.occupied, 10000, 'an occupancy');
    await sleep(300); // a few polls into it
    const failuresBefore = hub.statuses.filter((s) => s.type === 'failure').length;
    await hub.stop();
    const p = passages(hub).at(-1)!;
    assert.equal(p.payload.endReason, 'stopped');
    assert.match(p.quality.reasons!.join(';'), /driver stopped during the occupancy/);
    assert.equal(hub.statuses.filter((s) => s.type === 'failure').length, failuresBefore);
  });

  it('speaks RTU framed over TCP, as through an RS-485 gateway', async () => {
    await startSim({ scenario: 'norm', framing: 'rtu-over-tcp' });
    const hub = await startHub(hubConfig(portal.port(), { framing: 'rtu-over-tcp' }));
    const p = await firstPassage(hub);
    assert.deepEqual(p.payload.hubAlarm, { gamma: true, neutron: false, norm: true });
  });

  it('decodes 32-bit registers in the word order the config gives', async () => {
    await startSim({ scenario: 'clean', wordOrder: 'little' });
    const little = { wordOrder: 'little' as const };
    const remapped = await startHub(hubConfig(portal.port(), { map: { gammaHighBackground: little, gammaLowBackground: little, neutronBackground: little } }));
    await remapped.waitFor(() => events(remapped, 'GAMMA_SETUP').length > 0, 5000, 'setup');
    // The simulator's high background limit is 1.6 × its 1250 cps background.
    assert.equal(events(remapped, 'GAMMA_SETUP')[0]!.payload.values!.highBackground, 2000);
    await remapped.stop();
    const asIs = await startHub(hubConfig(portal.port()));
    await asIs.waitFor(() => events(asIs, 'GAMMA_SETUP').length > 0, 5000, 'setup');
    assert.equal(events(asIs, 'GAMMA_SETUP')[0]!.payload.values!.highBackground, 2000 * 65536, 'words swapped without the override');
  });

  it('reports Modbus exceptions as counted failures, never a crash', async () => {
    await startSim({ scenario: 'clean' });
    const hub = await startHub(hubConfig(portal.port(), { map: { ring: { address: 0x2000 } } }));
    await hub.waitFor(() => hub.statuses.filter((s) => s.type === 'failure').length >= 3, 5000, 'failures');
    assert.match(hub.statuses.find((s) => s.type === 'failure')!.detail, /Modbus exception 2 \(illegal data address\)/);
    await hub.stop();
    assert.ok((lastTelemetry(hub).linkErrors ?? 0) >= 3);
    assert.equal(passages(hub).length, 0);
  });
});

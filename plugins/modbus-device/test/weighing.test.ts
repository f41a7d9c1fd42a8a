import assert from 'node:assert/strict';
import type { ObservationDraft } from '@customs-hub/sdk';
import { TestHarness } from '@customs-hub/sdk/testing';
import type { ModbusDeviceConfig } from '../src/config.js';
import { plugin } from '../src/index.js';
import { loadProfile } from '../src/profile-loader.js';
import { ProfileSimulator } from '../src/simulator/profile-simulator.js';
import { WeighingDetector } from '../src/weighing.js';
import { freePort, profileVariant } from './helpers.js';

const poll = (s: number, grossKg: number, stable: boolean): ObservationDraft<'weight'> => ({
  kind: 'weight',
  deviceTime: new Date(Date.UTC(2026, 2, 1, 8, 0, s)).toISOString(),
  payload: { grossKg, tareKg: 0, stable },
  extensions: { 'modbus-device': { profile: 'weighbridge' } },
});

function feed(d: WeighingDetector, polls: Array<[number, boolean]>): Array<ObservationDraft<'weight'>> {
  return polls.flatMap(([kg, stable], i) => d.poll(poll(i, kg, stable)) ?? []);
}

const rule = { emptyBelowKg: 500, stablePolls: 2, settleKg: 20 };

describe('modbus-device weighings', () => {
  it('reports one weighing per vehicle: the settled gross mass, not every poll, and nothing for an empty deck', () => {
    const out = feed(new WeighingDetector(rule), [
      [0, true],
      [10, true],
      [0, true], // empty deck, a division of noise
      [8000, false],
      [21000, false],
      [24300, false],
      [24010, true],
      [24020, true],
      [24020, true],
      [24020, true], // drive on, settle
      [15000, false],
      [3000, false],
      [0, true],
      [0, true], // drive off
      [30500, false],
      [31200, true],
      [31200, true],
      [31210, true],
      [0, true], // the next truck
    ]);
    assert.deepEqual(
      out.map((o) => [o.payload.grossKg, o.payload.stable]),
      [
        [24020, true],
        [31200, true],
      ],
    );
    assert.equal(out[0]!.sourceId, `weighing-${poll(3, 0, false).deviceTime}`, 'named by the moment the vehicle drove on');
    assert.deepEqual((out[0]!.extensions!['modbus-device'] as { weighing: unknown }).weighing, {
      onDeckSince: poll(3, 0, false).deviceTime,
      polls: 5,
      settled: true,
    });
  });

  it('needs the mass to hold still: a reading that keeps moving is not yet the weighing', () => {
    const out = feed(new WeighingDetector(rule), [
      [20000, true],
      [20400, true],
      [20800, true],
      [20810, true],
      [0, true],
    ]);
    assert.deepEqual(
      out.map((o) => o.payload.grossKg),
      [20810],
    );
  });

  it('reports a vehicle that left without settling once, at its highest mass and not stable', () => {
    const out = feed(new WeighingDetector(rule), [
      [9000, false],
      [26000, false],
      [25000, true],
      [18000, false],
      [0, true],
      [0, true],
    ]);
    assert.deepEqual(
      out.map((o) => [o.payload.grossKg, o.payload.stable]),
      [[26000, false]],
    );
    assert.equal((out[0]!.extensions!['modbus-device'] as { weighing: { settled: boolean } }).weighing.settled, false);
  });

  it('refuses a weighing section on a profile that is not a weight profile, naming the key', async () => {
    const file = profileVariant('bdkg-05', [], '\nweighing: { emptyBelowKg: 100 }\n');
    await assert.rejects(loadProfile(file), /weighing: only a weight profile reports weighings \(this one is radiation\.dose-rate\)/);
  });

  it('over Modbus: the vehicles the lane puts on a driven simulator come out as one weighing each', async () => {
    const port = await freePort();
    const sim = new ProfileSimulator(await loadProfile('weighbridge'), { host: '127.0.0.1', port, seed: 5, tickMs: 20, timeScale: 10, traffic: 'driven' });
    await sim.start();
    const config: ModbusDeviceConfig = { profile: 'weighbridge', host: '127.0.0.1', port, pollIntervalMs: 50 };
    const h = new TestHarness(plugin, { config });
    try {
      await h.start();
      for (const grossKg of [20_004, 31_250, 15_500]) sim.vehicle({ grossKg, stableS: 4 });
      await h.waitFor(() => h.observations.length >= 3, 15_000, 'three weighings');
      await new Promise((r) => setTimeout(r, 600)); // and no more than that
    } finally {
      await h.stop();
      await sim.stop();
    }
    assert.deepEqual(h.rejected, []);
    assert.deepEqual(
      h.observations.map((o) => [(o.payload as { grossKg: number }).grossKg, (o.payload as { stable: boolean }).stable]),
      [
        [20_000, true],
        [31_250, true],
        [15_500, true],
      ],
    );
  });
});

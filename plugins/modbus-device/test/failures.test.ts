import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TestHarness } from '@customs-hub/sdk/testing';
import type { ModbusDeviceConfig } from '../src/config.js';
import { plugin } from '../src/index.js';
import { loadProfile } from '../src/profile-loader.js';
import { ProfileSimulator } from '../src/simulator/profile-simulator.js';
import { freePort, profileVariant, SilentServer } from './helpers.js';

const failures = (h: TestHarness<ModbusDeviceConfig>) => h.statuses.filter((s) => s.type === 'failure');

describe('modbus-device failures', () => {
  let port: number;
  beforeEach(async () => {
    port = await freePort();
  });

  it('reports a Modbus exception from the device as a failure naming it, and emits nothing for that poll', async () => {
    // The driver's profile asks for a register that the device (serving the stock map) does not have.
    const file = profileVariant('bdkg-05', [['\nalarms:', '\n  - name: extra\n    address: 0x0020\n    type: u16\n    field: extensions.extra\nalarms:']]);
    const sim = new ProfileSimulator(await loadProfile('bdkg-05'), { host: '127.0.0.1', port, seed: 1 });
    await sim.start();
    const h = new TestHarness(plugin, { config: { profile: file, host: '127.0.0.1', port, pollIntervalMs: 50 } });
    try {
      await h.start();
      await h.waitFor(() => failures(h).length >= 2, 5000, 'failures');
    } finally {
      await h.stop();
      await sim.stop();
    }
    assert.equal(h.observations.length, 0);
    assert.match(failures(h)[0]!.detail, /^Modbus exception 2 \(illegal data address\) for unit 1 fc 4 address 32 count 1$/);
  });

  it('times out on a device that accepts the connection but never answers, and rebuilds the connection', async () => {
    const silent = new SilentServer();
    await silent.listen(port);
    const h = new TestHarness(plugin, { config: { profile: 'weighbridge', host: '127.0.0.1', port, pollIntervalMs: 50, timeoutMs: 100 } });
    try {
      await h.start();
      await h.waitFor(() => silent.connections >= 2, 5000, 'a rebuilt connection');
    } finally {
      await h.stop();
      await silent.close();
    }
    assert.equal(h.observations.length, 0);
    assert.ok(failures(h).length >= 3);
    assert.match(failures(h)[0]!.detail, /^no answer within 100 ms for unit 1 fc 3 address 0 count 5$/);
  });

  it('reconnects after the device restarts and reports it healthy again', async () => {
    const profile = await loadProfile('weighbridge');
    let sim = new ProfileSimulator(profile, { host: '127.0.0.1', port, seed: 3, tickMs: 50, timeScale: 20 });
    await sim.start();
    const h = new TestHarness(plugin, { config: { profile: 'weighbridge', host: '127.0.0.1', port, pollIntervalMs: 50, timeoutMs: 200 } });
    try {
      await h.start();
      await h.waitFor(() => h.observations.length >= 2, 5000, 'observations');
      await sim.stop();
      await h.waitFor(() => failures(h).length >= 1, 5000, 'a failure');
      const before = h.observations.length;
      sim = new ProfileSimulator(profile, { host: '127.0.0.1', port, seed: 3, tickMs: 50, timeScale: 20 });
      await sim.start();
      await h.waitFor(() => h.observations.length >= before + 2, 10_000, 'observations after the restart');
    } finally {
      await h.stop();
      await sim.stop();
    }
    assert.deepEqual(
      h.statuses.map((s) => s.type).filter((t, i, a) => t !== a[i - 1]),
      ['ok', 'failure', 'ok'],
    );
    assert.match(failures(h)[0]!.detail, /connection|not connected/);
  });

  it('faults at start on an invalid profile, naming file, line and key', async () => {
    const file = profileVariant('weighbridge', [['type: s32\n    unit: kg\n    field: payload.tareKg', 'type: s64\n    unit: kg\n    field: payload.tareKg']]);
    const h = new TestHarness(plugin, { config: { profile: file, host: '127.0.0.1', port } });
    await assert.rejects(h.start(), { name: 'ProfileError' });
    await h.stop();
    assert.equal(h.statuses.length, 1);
    assert.equal(h.statuses[0]!.type, 'fault');
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('type: s64')) + 1;
    assert.equal(h.statuses[0]!.detail, `device profile ${file}:${line}: registers[1].type: must be one of u16, s16, u32, s32, f32, got "s64"`);
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createHub } from '../src/bootstrap.js';
import type { Hub } from '../src/hub.js';
import { FIXTURES, VIRTUAL_PLUGIN, memoryLogger, testConfig, waitFor } from './helpers/hub-config.js';
import { storages } from './helpers/storage.js';

const SUPERVISOR = `supervisor: { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 3000, restartInitialDelayMs: 100, restartMaxDelayMs: 400, memoryLimitMb: 48, stopTimeoutMs: 1000 }\n`;
const DEVICES = `checkpoint: { id: ISO-1 }
${SUPERVISOR}lanes:
  - id: L1
    devices:
      - { id: GOOD, plugin: virtual, config: { kind: telemetry, rate: 40 } }
      - { id: THROWS, plugin: misbehaving, config: { mode: throw-later, afterMs: 150 } }
      - { id: HANGS, plugin: misbehaving, config: { mode: hang, afterMs: 150 } }
      - { id: LEAKS, plugin: misbehaving, config: { mode: leak } }
      - { id: INVALID, plugin: misbehaving, config: { mode: invalid } }
      - { id: NO-START, plugin: misbehaving, config: { mode: start-rejects } }
      - { id: FUTURE, plugin: from-the-future }
      - { id: SHARED-A, plugin: virtual, group: pool, config: { kind: weight, rate: 20 } }
      - { id: SHARED-B, plugin: virtual, group: pool, config: { kind: weight, rate: 20, seed: 9 } }
`;

for (const storage of storages()) {
  describe(`hub isolation on ${storage.name}`, function () {
    this.timeout(60000);
    let hub: Hub;
    const count = async (device: string) => Number((await hub.db.knex('observations').where({ device_id: device }).count({ n: '*' }).first())!.n);

    before(async () => {
      const config = testConfig(DEVICES, await storage.url());
      ({ hub } = await createHub(config, {
        logger: memoryLogger().logger,
        workspaceDir: null,
        pluginPaths: [VIRTUAL_PLUGIN, join(FIXTURES, 'misbehaving.js'), join(FIXTURES, 'incompatible.js')],
      }));
      await hub.start({ listen: false });
    });
    after(async () => {
      await hub.stop();
      await storage.cleanup();
    });

    it('keeps good devices flowing while others throw, hang, leak and fail to start', async () => {
      await waitFor(
        () => (hub.devices.status('HANGS')?.restarts ?? 0) >= 1 && (hub.devices.status('LEAKS')?.restarts ?? 0) >= 1,
        20000,
        'restarts of the hanging and leaking devices',
      );
      const before = await count('GOOD');
      await waitFor(async () => (await count('GOOD')) > before + 5, 10000, 'the good device to keep emitting');
      assert.ok((await count('SHARED-A')) > 0 && (await count('SHARED-B')) > 0, 'both devices of a shared worker emit');
    });

    it('shows each failure in the device status', async () => {
      await waitFor(() => (hub.devices.status('THROWS')?.restarts ?? 0) >= 1, 10000, 'THROWS restart');
      const events = await hub.db.knex('events').where({ type: 'customs.device.status.v1' }).orderBy('seq');
      const reasons = (id: string) =>
        events
          .map((e) => JSON.parse(e.data))
          .filter((s) => s.deviceId === id)
          .map((s) => `${s.state}: ${s.reason}`)
          .join('\n');
      assert.match(reasons('THROWS'), /faulted: crashed: driver bug: undefined is not a function; restarting in \d+ ms/);
      assert.match(reasons('HANGS'), /faulted: event loop blocked: no heartbeat for \d+ ms/);
      assert.match(reasons('LEAKS'), /faulted: out of memory \(limit 48 MB\)/);
      assert.match(reasons('NO-START'), /faulted: start failed \(attempt 1\): cannot open serial port \/dev\/ttyS9/);
      assert.match(reasons('FUTURE'), /faulted: plugin 'from-the-future' was refused: plugin from-the-future requires SDK \^2\.0\.0/);
      const stored = await hub.db.knex('device_status').where({ device_id: 'THROWS' }).first();
      assert.ok(JSON.parse(stored.body).restarts >= 1, 'status persisted with its restart count');
    });

    it('dead-letters invalid observations with the reason, and counts them', async () => {
      await waitFor(
        async () => Number((await hub.db.knex('dead_letters').where({ device_id: 'INVALID' }).count({ n: '*' }).first())!.n) >= 3,
        5000,
        'dead letters',
      );
      const letter = await hub.db.knex('dead_letters').where({ device_id: 'INVALID' }).first();
      assert.match(letter.reason, /\/payload\/values\/t\/unit: must NOT have more than 20 characters/);
      assert.equal(await count('INVALID'), 0);
      assert.ok((hub.devices.status('INVALID')?.counters?.rejected ?? 0) >= 3);
    });
  });
}

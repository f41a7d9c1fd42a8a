import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ObservationRejectedError, RawHashMismatchError, RejectedInputError } from '@customs-hub/sdk';
import { fromWireError, toWireError } from '@customs-hub/sdk/runtime';
import { createHub } from '../src/bootstrap.js';
import type { Hub } from '../src/hub.js';
import { FIXTURES, memoryLogger, testConfig, waitFor } from './helpers/hub-config.js';

describe('errors across the worker boundary', function () {
  this.timeout(30000);

  it('rebuilds the SDK error classes with their fields, and keeps name and code of others', () => {
    const rejected = fromWireError(toWireError(new ObservationRejectedError('too long', 'dl-7')));
    assert.ok(rejected instanceof ObservationRejectedError);
    assert.equal(rejected.reason, 'too long');
    assert.equal(rejected.deadLetterId, 'dl-7');
    assert.equal(rejected.message, 'observation rejected: too long');
    const input = fromWireError(toWireError(new RejectedInputError('not N42')));
    assert.ok(input instanceof RejectedInputError && input.reason === 'not N42');
    const hash = fromWireError(toWireError(new RawHashMismatchError('aa', 'bb', 'k1')));
    assert.ok(hash instanceof RawHashMismatchError && hash.expected === 'aa' && hash.actual === 'bb' && hash.key === 'k1');
    const full = Object.assign(new Error('queue full'), { name: 'QueueFullError', code: 'QUEUE_FULL' });
    const other = fromWireError(toWireError(full)) as Error & { code?: string };
    assert.equal(other.name, 'QueueFullError');
    assert.equal(other.code, 'QUEUE_FULL');
    assert.ok(!(other instanceof ObservationRejectedError));
  });

  describe('a driver in a worker whose observation the hub refuses', () => {
    let hub: Hub;
    before(async () => {
      const config = testConfig(`checkpoint: { id: WE-1 }\nlanes:\n  - id: L1\n    devices:\n      - { id: AWARE, plugin: refusal-aware }\n`);
      ({ hub } = await createHub(config, { logger: memoryLogger().logger, workspaceDir: null, pluginPaths: [join(FIXTURES, 'refusal-aware.js')] }));
      await hub.start({ listen: false });
    });
    after(async () => {
      await hub.stop();
    });

    it('sees ObservationRejectedError, so the refused draft is dead-lettered once and not retried', async () => {
      await waitFor(async () => (await hub.db.knex('observations').where({ device_id: 'AWARE' })).length === 1, 10000, 'the valid observation');
      await new Promise((r) => setTimeout(r, 300));
      const letters = await hub.db.knex('dead_letters').where({ device_id: 'AWARE' });
      assert.equal(letters.length, 1, 'dead letters of the refused draft');
      const events = await hub.db.knex('events').where({ type: 'customs.device.status.v1' }).orderBy('seq');
      const reasons = events
        .map((e) => JSON.parse(e.data))
        .filter((s) => s.deviceId === 'AWARE')
        .map((s) => String(s.reason))
        .join('\n');
      assert.match(reasons, /refused for good \(OBSERVATION_REJECTED\): \/payload\/values\/t\/unit/);
    });
  });
});

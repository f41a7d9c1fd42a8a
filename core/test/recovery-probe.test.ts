import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createHub } from '../src/bootstrap.js';
import { FIXTURES, memoryLogger, testConfig, waitFor } from './helpers/hub-config.js';

describe('recovery probes', () => {
  it('take an offline device back online when its driver says it answers again', async () => {
    const config = testConfig(`checkpoint: { id: PROBE-1 }
supervisor: { offlineAfterFailures: 3, probeIntervalMs: 150 }
lanes:
  - id: L1
    devices:
      - { id: SCALE, plugin: flaky }
`);
    const { hub } = await createHub(config, { logger: memoryLogger().logger, workspaceDir: null, pluginPaths: [join(FIXTURES, 'flaky.js')] });
    await hub.start({ listen: false });
    try {
      await waitFor(() => hub.devices.status('SCALE')?.state === 'online', 10000, 'SCALE online again');
      // The status event is on the feed once the writer has committed it, a moment after the state changed.
      const read = async () => (await hub.db.knex('events').where({ subject: 'SCALE' }).orderBy('seq')).map((e) => JSON.parse(e.data));
      await waitFor(async () => (await read()).at(-1)?.state === 'online', 10000, 'the online status event stored');
      const history = await read();
      const states = history.map((s) => s.state);
      assert.ok(states.indexOf('offline') >= 0 && states.indexOf('offline') < states.lastIndexOf('online'), `went offline, then online: ${states.join(' → ')}`);
      const offline = history.find((s) => s.state === 'offline');
      assert.equal(offline.consecutiveFailures, 3);
      assert.equal(offline.lastError.message, 'no answer from 10.1.2.3:502');
      assert.equal(history.at(-1).reason, 'recovery probe passed: answering again after 2 probes');
      assert.equal(history.at(-1).consecutiveFailures, 0);
    } finally {
      await hub.stop();
    }
  });
});

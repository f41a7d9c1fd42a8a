import assert from 'node:assert/strict';
import { createHub } from '../../src/bootstrap.js';
import { memoryLogger, testConfig, waitFor } from '../helpers/hub-config.js';

describe('demo traffic', function () {
  this.timeout(30000);

  it('drives synthetic trucks with declarations through the pipeline into complete, scored cases', async () => {
    const config = testConfig(`checkpoint: { id: DEMO-T }
lanes:
  - { id: CARGO-2, devices: [] }
demoTraffic: { lanes: [CARGO-2], intervalS: 20, seed: 5 }
scoring:
  correlation:
    lanes:
      CARGO-2: { expectedDevices: [ocr-CARGO-2, rpm-CARGO-2, scale-CARGO-2, xray-CARGO-2] }
`);
    const { hub } = await createHub(config, { logger: memoryLogger().logger, workspaceDir: null });
    await hub.start({ listen: false });
    try {
      const scored = async () => (await hub.db.knex('events').where({ type: 'customs.case.scored.v1' })).map((e) => JSON.parse(e.data));
      await waitFor(async () => (await scored()).length >= 2, 20000, 'two scored cases');
      const declarations = Number((await hub.db.knex('events').where({ type: 'customs.declaration.received.v1' }).count({ n: '*' }).first())!.n);
      assert.ok(declarations >= 2, 'declarations arrive before their trucks');
      const complete = (await scored()).filter((c) => c.closeReason === 'complete');
      assert.ok(complete.length >= 1, 'a truck reported by all four devices closes its case as complete');
      const c = complete[0];
      assert.ok(c.declarationNumber, 'the case matched its declaration');
      const devices = (await hub.db.knex('observations').whereIn('id', c.observationIds).select('device_id')).map((r) => r.device_id).sort();
      assert.deepEqual(devices, ['ocr-CARGO-2', 'rpm-CARGO-2', 'scale-CARGO-2', 'xray-CARGO-2']);
      assert.ok(['green', 'yellow', 'red'].includes(c.risk.channel));
    } finally {
      await hub.stop();
    }
  });
});

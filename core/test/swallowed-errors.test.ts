import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createHub } from '../src/bootstrap.js';
import { HubMetrics } from '../src/metrics/hub-metrics.js';
import { openDatabase, type Database } from '../src/storage/database.js';
import { GroupCommitWriter } from '../src/storage/group-commit-writer.js';
import { SwallowedErrors } from '../src/util/swallowed-errors.js';
import { FIXTURES, memoryLogger, testConfig } from './helpers/hub-config.js';

const event = (id: string) => ({ type: 'event' as const, event: { id, type: 'test.event', subject: id, time: new Date().toISOString(), data: {} } });

describe('errors dropped on purpose are logged and counted', () => {
  let db: Database;
  afterEach(() => db?.close());

  it('a commit listener that throws is logged with its records and counted, and the writes and later listeners go on', async () => {
    db = await openDatabase('sqlite::memory:');
    const log = memoryLogger();
    const errors = new SwallowedErrors(log.logger);
    const writer = new GroupCommitWriter(db, 'CP', { maxRows: 100, maxDelayMs: 0, queueLimit: 100, errors });
    await writer.init();
    writer.onCommitted(function brokenConsumer() {
      throw new Error('consumer bug');
    });
    const seen: number[] = [];
    writer.onCommitted((committed) => seen.push(...committed.map((c) => c.result.seq)));
    const results = await Promise.all([writer.write(event('e-1')), writer.write(event('e-2'))]);
    assert.deepEqual(
      results.map((r) => r.seq),
      [1, 2],
    );
    assert.deepEqual(seen, [1, 2]);
    assert.equal(Number((await db.knex('events').count({ n: '*' }).first())!.n), 2);
    const line = log.lines.find((l) => l.msg === 'commit listener failed');
    assert.ok(line, 'logged');
    assert.deepEqual(
      [line.swallowed, line.listener, line.records, line.firstSeq, line.lastSeq, line.err.message],
      ['writer.commit-listener', 'brokenConsumer', 2, 1, 2, 'consumer bug'],
    );
    assert.equal(errors.counts.get('writer.commit-listener'), 1);
    const metrics = new HubMetrics(
      'CP',
      { devices: () => [], writer: () => ({ sequence: 2, pending: 0, transactions: 1, rows: 2, failures: 0 }), swallowed: () => errors.counts },
      { processMetrics: false },
    );
    assert.match(await metrics.metrics(), /^customs_hub_errors_swallowed_total\{site="writer\.commit-listener",checkpoint="CP"\} 1$/m);
    await writer.close();
  });

  for (const isolation of ['worker', 'in-process'] as const) {
    it(`a driver whose stop() fails (${isolation}) is logged with its device and counted under its plugin`, async function () {
      this.timeout(30000);
      const log = memoryLogger();
      const config = testConfig(`checkpoint: { id: SW-1 }
supervisor: { stopTimeoutMs: 2000 }
lanes:
  - id: L1
    devices:
      - { id: STUCK, plugin: misbehaving, isolation: ${isolation}, config: { mode: stop-rejects } }
`);
      const { hub } = await createHub(config, { logger: log.logger, workspaceDir: null, pluginPaths: [join(FIXTURES, 'misbehaving.js')] });
      await hub.start({ listen: false });
      await hub.stop();
      const line = log.lines.find((l) => l.msg === 'driver stop failed');
      assert.ok(line, 'logged');
      assert.deepEqual([line.device, line.plugin, line.swallowed], ['STUCK', 'misbehaving', 'driver.stop']);
      assert.match(JSON.stringify(line.err), /cannot close serial port/);
      assert.match(await hub.metrics.metrics(), /^customs_hub_errors_swallowed_total\{site="misbehaving\/driver\.stop",checkpoint="SW-1"\} 1$/m);
    });
  }
});

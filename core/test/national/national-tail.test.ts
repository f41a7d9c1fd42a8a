import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, type NatsConnection } from 'nats';
import { EdgeFeed } from '../../src/national/edge-feed.js';
import { ensureCheckpointMirror } from '../../src/national/national-stream.js';
import { NatsTopology } from '../../src/national/topology.js';
import { until } from './until.js';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const CLUSTER = process.env.HUB_TEST_NATS_CLUSTER === '1';

describe('national network: customs-hub tail reads every national stream', function () {
  this.timeout(120_000);
  if (!CLUSTER) {
    it('runs with HUB_TEST_NATS_CLUSTER=1 (skipped: it starts its own nats-server cluster and leaf nodes)');
    return;
  }
  let dir: string;
  let topo: NatsTopology;
  let central: NatsConnection;
  const edges: EdgeFeed[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-national-tail-'));
    topo = await NatsTopology.start({ dir, checkpoints: ['CP-T1', 'CP-T2'] });
    central = await connect({ servers: topo.centralUrls });
    for (const cp of ['CP-T1', 'CP-T2']) {
      const e = await new EdgeFeed(cp, dir, topo.leafUrl(cp)).open();
      edges.push(e);
      await ensureCheckpointMirror(await central.jetstreamManager(), { checkpoint: cp });
      await e.startDelivery();
    }
  });
  after(async () => {
    await central?.close().catch(() => undefined);
    for (const e of edges) await e.close().catch(() => undefined);
    await topo?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints each checkpoint's events once and in its order with --national, and refuses --after across streams", async () => {
    await Promise.all(edges.map((e, i) => e.produce(40 + i * 10)));
    const jsm = await central.jetstreamManager();
    await until(
      'both national streams caught up',
      60_000,
      async () => (await jsm.streams.info('NATIONAL_CP-T1')).state.messages === 40 && (await jsm.streams.info('NATIONAL_CP-T2')).state.messages === 50,
    );
    const { stdout } = await run(process.execPath, [CLI, 'tail', '--nats', topo.centralUrls.join(','), '--national', '--no-follow']);
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: { checkpoint: string; payload: { metrics: { n: number } } } });
    assert.equal(events.length, 90);
    for (const [cp, n] of [
      ['CP-T1', 40],
      ['CP-T2', 50],
    ] as const) {
      const mine = events.filter((e) => e.data.checkpoint === cp).map((e) => e.data.payload.metrics.n);
      assert.deepEqual(
        mine,
        Array.from({ length: n }, (_, i) => i + 1),
        `${cp} once, in order`,
      );
    }
    await assert.rejects(
      run(process.execPath, [CLI, 'tail', '--nats', topo.centralUrls[0]!, '--national', '--after', '5', '--no-follow']),
      (err: { stderr: string }) => /use --since across streams/.test(err.stderr),
    );
    await assert.rejects(run(process.execPath, [CLI, 'tail', '--nats', topo.centralUrls[0]!, '--stream', 'NOPE_*', '--no-follow']), (err: { stderr: string }) =>
      /no stream matches 'NOPE_\*'/.test(err.stderr),
    );
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { EdgeFeed } from '../../src/national/edge-feed.js';
import { compareFeed, readFeedSeqs } from '../../src/national/national-audit.js';
import { ensureCheckpointMirror } from '../../src/national/national-stream.js';
import { nationalMirrorName } from '../../src/national/nats-names.js';
import { NatsTopology } from '../../src/national/topology.js';
import { sleep, until } from './until.js';

const CLUSTER = process.env.HUB_TEST_NATS_CLUSTER === '1';

describe('national network: checkpoint leaf nodes sourced into the central cluster (one replicated mirror per checkpoint)', function () {
  this.timeout(180_000);
  if (!CLUSTER) {
    it('runs with HUB_TEST_NATS_CLUSTER=1 (skipped: it starts its own nats-server cluster and leaf nodes)');
    return;
  }
  let dir: string;
  let topo: NatsTopology;
  let central: NatsConnection;
  const edges: EdgeFeed[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-national-'));
    topo = await NatsTopology.start({ dir, checkpoints: ['CP-A', 'CP-B'] });
    for (const cp of ['CP-A', 'CP-B']) {
      // The edge streams' dedupe window is 1 s: the outage below outlasts it.
      const e = await new EdgeFeed(cp, dir, topo.leafUrl(cp), { duplicateWindowMs: 1000 }).open();
      await e.startDelivery();
      edges.push(e);
    }
    central = await connect({ servers: topo.centralUrls, maxReconnectAttempts: -1 });
    for (const e of edges) await ensureCheckpointMirror(await central.jetstreamManager(), { checkpoint: e.checkpoint });
  });

  after(async () => {
    await central?.close().catch(() => undefined);
    for (const e of edges) await e.close().catch(() => undefined);
    await topo?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds every event of every checkpoint once, in order, across a leaf outage, a central node killed and a hub restart', async () => {
    const [a, b] = edges as [EdgeFeed, EdgeFeed];
    const jsm = await central.jetstreamManager({ checkAPI: false });
    await Promise.all([a.produce(300), b.produce(300)]);

    await topo.cutLeaf('CP-A');
    await Promise.all([a.produce(300), b.produce(300)]);
    await sleep(2000);
    await topo.killCentral(0);
    await b.stopDelivery();
    await Promise.all([a.produce(300), b.produce(300)]);
    await b.startDelivery();
    await topo.restoreLeaf('CP-A');
    await Promise.all([a.produce(100), b.produce(100)]);
    await topo.restartCentral(0);

    for (const e of edges) {
      await until(`${nationalMirrorName(e.checkpoint)} to hold ${e.lastSeq} events`, 90_000, async () => {
        const info = await jsm.streams.info(nationalMirrorName(e.checkpoint)).catch(() => null);
        return (info?.state.messages ?? 0) >= e.lastSeq;
      });
    }
    await sleep(1500); // anything copied twice would arrive now
    for (const e of edges) {
      await topo.waitForCentralJetStream(30_000);
      const seqs = await readFeedSeqs(central.jetstream(), jsm, nationalMirrorName(e.checkpoint));
      const c = compareFeed(e.checkpoint, e.lastSeq, [...seqs.values()].flat());
      assert.deepEqual(
        { lost: c.lost, duplicates: c.duplicates, outOfOrder: c.outOfOrder },
        { lost: 0, duplicates: 0, outOfOrder: 0 },
        `${e.checkpoint}: ${JSON.stringify(c)}`,
      );
      assert.equal(c.expected, 1000);
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { connect } from 'nats';
import { EdgeFeed } from '../../src/national/edge-feed.js';
import { NationalConsumer } from '../../src/national/national-consumer.js';
import { ensureCheckpointMirror } from '../../src/national/national-stream.js';
import { NatsTopology } from '../../src/national/topology.js';
import { sleep } from './until.js';

const CLUSTER = process.env.HUB_TEST_NATS_CLUSTER === '1';
const PG = process.env.HUB_TEST_PG_URL;

describe('national network: the reference consumer writes the national picture into PostgreSQL', function () {
  this.timeout(120_000);
  if (!CLUSTER || !PG) {
    it('runs with HUB_TEST_NATS_CLUSTER=1 and HUB_TEST_PG_URL (skipped: one of them is not set)');
    return;
  }

  it('keeps each event of each checkpoint once, by checkpoint and sequence, across a consumer killed mid-stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-national-pg-'));
    const db = `national_${process.pid}_${Date.now()}`;
    const admin = knexFactory({ client: 'pg', connection: PG });
    await admin.raw(`CREATE DATABASE ${db}`);
    const pgUrl = PG.replace(/\/[^/]*$/, `/${db}`);
    const topo = await NatsTopology.start({ dir, checkpoints: ['CP-P', 'CP-Q'] });
    const edges = [await new EdgeFeed('CP-P', dir, topo.leafUrl('CP-P')).open(), await new EdgeFeed('CP-Q', dir, topo.leafUrl('CP-Q')).open()];
    const nc = await connect({ servers: topo.centralUrls });
    try {
      for (const e of edges) {
        await ensureCheckpointMirror(await nc.jetstreamManager(), { checkpoint: e.checkpoint });
        await e.startDelivery();
      }
      await Promise.all(edges.map((e) => e.produce(1500)));
      let consumer = new NationalConsumer(nc, pgUrl);
      assert.deepEqual(await consumer.start(), ['NATIONAL_CP-P', 'NATIONAL_CP-Q']);
      while (consumer.written < 300) await sleep(20);
      await consumer.stop(); // mid-stream: acknowledged what it committed, no more
      await Promise.all(edges.map((e) => e.produce(500)));
      consumer = new NationalConsumer(nc, pgUrl);
      await consumer.start();
      const check = knexFactory({ client: 'pg', connection: pgUrl });
      try {
        // Messages the stopped consumer held come back after the consumer's ack wait (10 s).
        const deadline = Date.now() + 90_000;
        let rows: Array<{ checkpoint: string; n: string; min: string; max: string }> = [];
        while (Date.now() < deadline) {
          rows = (await check('national_events')
            .select('checkpoint')
            .count({ n: '*' })
            .min({ min: 'seq' })
            .max({ max: 'seq' })
            .groupBy('checkpoint')
            .orderBy('checkpoint')) as never;
          if (rows.length === 2 && rows.every((r) => Number(r.n) === 2000)) break;
          await sleep(250);
        }
        assert.deepEqual(
          rows.map((r) => [r.checkpoint, Number(r.n), Number(r.min), Number(r.max)]),
          [
            ['CP-P', 2000, 1, 2000],
            ['CP-Q', 2000, 1, 2000],
          ],
        );
        const one = await check('national_events').where({ checkpoint: 'CP-Q', seq: 7 }).first();
        assert.equal(one.type, 'customs.observation.v1');
        assert.equal(one.event.data.payload.metrics.n, 7);
      } finally {
        await check.destroy();
        await consumer.stop();
      }
    } finally {
      await nc.close();
      for (const e of edges) await e.close();
      await topo.stop();
      await admin.raw(`DROP DATABASE IF EXISTS ${db}`).catch(() => undefined);
      await admin.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { connect } from 'nats';
import type { Observation } from '@customs-hub/sdk';
import {
  createLogger,
  FEED_SEQ_HEADER,
  feedSource,
  FeedReader,
  GroupCommitWriter,
  NatsJetStreamTarget,
  observationRow,
  openDatabase,
  Outbox,
  OutboxStateStore,
  parseConfig,
  startProgress,
} from '@customs-hub/core';

/**
 * `npm run bench:replay`: BENCH_EVENTS (default 1,000,000) feed events queue up while the broker is
 * unreachable; then delivery starts and replays them to NATS JetStream (HUB_TEST_NATS_URL or
 * nats://127.0.0.1:4222). A consumer then reads the whole stream and counts lost and duplicated events.
 * Last line: `replay: <n> events in <s> s (<rate>/s), lost <l>, duplicates <d>`.
 */
const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const URL = process.env.HUB_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const quiet = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));

function observation(i: number, t: number): Observation {
  return {
    schema: 'observation/v1',
    id: `00000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`,
    seq: i,
    checkpoint: 'BENCH',
    lane: 'L1',
    deviceId: 'rpm-1',
    plugin: { name: 'rpm', version: '1.0.0' },
    kind: 'radiation.passage',
    deviceTime: new Date(t).toISOString(),
    receivedAt: new Date(t).toISOString(),
    conveyance: { containers: [{ number: 'CSQU3054383', valid: true }], plates: [{ number: 'A123BC77', country: 'RU' }] },
    alarms: [],
    quality: { status: 'good' },
    payload: {
      gamma: { counts: [261, 270, 249, 255], background: [256, 256, 256, 256], sigma: 0.4 },
      neutron: { counts: [1, 0], background: [1, 1] },
      occupancyMs: 8200,
    },
  } as unknown as Observation;
}

async function queueEvents(dbUrl: string): Promise<void> {
  const db = await openDatabase(dbUrl);
  const t = Date.now();
  const bar = startProgress({ format: 'queueing [{bar}] {percentage}% | {value}/{total} events', total: N });
  await db.knex
    .transaction(async (trx) => {
      const rows: Record<string, unknown>[] = [];
      for (let i = 1; i <= N; i++) {
        rows.push(observationRow(observation(i, t)));
        if (rows.length === 400 || i === N) {
          await trx('observations').insert(rows);
          rows.length = 0;
          bar.update(i);
        }
      }
    })
    .finally(() => bar.stop());
  await db.close();
}

async function consume(stream: string): Promise<{ total: number; unique: number; inOrder: boolean }> {
  const nc = await connect({ servers: URL });
  try {
    const info = await (await nc.jetstreamManager()).streams.info(stream);
    const consumer = await nc.jetstream().consumers.get(stream);
    const seen = new Uint8Array(N + 1);
    let total = 0;
    let unique = 0;
    let last = 0;
    let inOrder = true;
    const bar = startProgress({ format: 'consuming [{bar}] {percentage}% | {value}/{total} messages', total: info.state.messages });
    try {
      while (total < info.state.messages) {
        const batch = await consumer.fetch({ max_messages: 10_000, expires: 5000 });
        let got = 0;
        for await (const m of batch) {
          got++;
          total++;
          const seq = Number(m.headers?.get(FEED_SEQ_HEADER));
          if (seq <= last) inOrder = false;
          last = seq;
          if (seq >= 1 && seq <= N && seen[seq] === 0) {
            seen[seq] = 1;
            unique++;
          }
        }
        if (got === 0) break;
        bar.update(total);
      }
    } finally {
      bar.stop();
    }
    return { total, unique, inOrder };
  } finally {
    await nc.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-replay-'));
  const stream = `BENCH_REPLAY_${process.pid}`;
  const config = parseConfig(
    `checkpoint: { id: BENCH }\ndataDir: ${dir}\noutbox:\n  nats: { servers: "${URL}", stream: ${stream}, subjectPrefix: bench${process.pid} }\n  maxInFlight: 2048\n  batchSize: 5000\n  backoff: { initialMs: 100, maxMs: 1000 }\n`,
    join(dir, 'bench.yaml'),
    {},
  ).config;
  const dbUrl = `sqlite:${join(dir, 'hub.db')}`;
  try {
    const q0 = Date.now();
    await queueEvents(dbUrl);
    process.stdout.write(`queued ${N} feed events (observations) in ${((Date.now() - q0) / 1000).toFixed(1)} s with no broker delivery running (the outage)\n`);
    const db = await openDatabase(dbUrl);
    const writer = new GroupCommitWriter(db, 'BENCH', { maxRows: 500, maxDelayMs: 0, queueLimit: 1000 });
    await writer.init();
    const oc = config.outbox;
    const target = new NatsJetStreamTarget(oc.nats!, 'BENCH', oc.ackTimeoutMs, quiet);
    const outbox = new Outbox(feedSource(new FeedReader(db, 'BENCH'), writer), target, new OutboxStateStore(db, 'BENCH', 'nats'), oc, 'BENCH', quiet);
    const t0 = process.hrtime.bigint();
    const bar = startProgress({ format: 'replaying [{bar}] {percentage}% | {value}/{total} acknowledged', total: N });
    await outbox.start();
    let lastReport = Date.now();
    try {
      while (outbox.backlog() > 0) {
        await new Promise((r) => setTimeout(r, 50));
        bar.update(outbox.status().ackedSeq);
        if (Date.now() - lastReport > 5000) {
          lastReport = Date.now();
          bar.print(`  acked ${outbox.status().ackedSeq} of ${N}`);
        }
      }
    } finally {
      bar.stop();
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await outbox.stop();
    await db.close();
    const c = await consume(stream);
    if (!c.inOrder) process.stdout.write('consumer saw events out of feed order\n');
    process.stdout.write(`consumer read ${c.total} messages, ${c.unique} distinct events\n`);
    process.stdout.write(
      `replay: ${N} events in ${seconds.toFixed(1)} s (${Math.round(N / seconds)}/s), lost ${N - c.unique}, duplicates ${c.total - c.unique}\n`,
    );
  } finally {
    const nc = await connect({ servers: URL }).catch(() => null);
    if (nc) {
      await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
      await nc.close();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench:replay failed: ${(err as Error).stack}\n`);
  process.exit(1);
});

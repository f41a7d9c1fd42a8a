import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { connect, type ConsumerMessages } from 'nats';
import { compareFeed, ensureCheckpointMirror, FEED_SEQ_HEADER, NatsTopology, nationalNames, pullBatch } from '@customs-hub/core';

/**
 * `npm run bench:national`: BENCH_CHECKPOINTS (20) checkpoints, each a hub's feed and outbox in a worker thread
 * delivering to its own leaf node, mirrored into the central three-node cluster. Two phases:
 * 1. throughput: each checkpoint holds a backlog (BENCH_BACKLOG events, default 25,000) and all deliver at once;
 *    throughput is the whole backlog over the time until the centre has read all of it.
 * 2. lag: each produces at BENCH_RATE events/s (50) for BENCH_SECONDS (60); one checkpoint's uplink is cut for
 *    15 s, and a central node is killed and restarted. Lag is from stored on the edge to read at the centre, of
 *    the live events outside the outages (the cut checkpoint's until its mirror caught up; the centre's from the
 *    kill until fresh events are read again after the restart); the lag during them is printed above.
 * At the end every national stream is compared with its checkpoint's feed.
 * Last line: `national: N checkpoints, E events, lost L, duplicates D, central lag p99 X s, throughput T events/s`
 */
const N = Number(process.env.BENCH_CHECKPOINTS ?? 20);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 25_000);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => {
  const v = [...xs].sort((x, y) => x - y);
  return v.length ? v[Math.floor(v.length / 2)]! / 1000 : NaN;
};

interface Tally {
  seqs: number[];
  lags: number[];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-national-bench-'));
  const checkpoints = Array.from({ length: N }, (_, i) => `CP-${String(i + 1).padStart(2, '0')}`);
  const cut = checkpoints[Math.min(1, N - 1)]!;
  const t0 = Date.now();
  // Only the checkpoint whose uplink is cut goes through a relay (in this process); the others connect directly.
  const topo = await NatsTopology.start({ dir, checkpoints, cuttable: [cut] });
  say(`topology up in ${((Date.now() - t0) / 1000).toFixed(1)} s: 3 central nodes, ${N} leaf nodes`);
  const nc = await connect({ servers: topo.centralUrls, maxReconnectAttempts: -1 });
  const workers: Worker[] = [];
  const subs: ConsumerMessages[] = [];
  try {
    const jsm = await nc.jetstreamManager();
    for (const cp of checkpoints) await ensureCheckpointMirror(jsm, { checkpoint: cp });

    const ready: Array<Promise<number>> = [];
    for (const cp of checkpoints) {
      const w = new Worker(join(__dirname, 'national-worker.js'), {
        workerData: { checkpoint: cp, dir, natsUrl: topo.leafUrl(cp), backlog: BACKLOG, ratePerS: RATE, seconds: SECONDS },
      });
      w.on('message', (m: { type: string; message?: string }) => {
        if (m.type === 'error') {
          say(`worker ${cp} failed: ${m.message}`);
          process.exit(1);
        }
      });
      ready.push(
        new Promise((resolve) =>
          w.on('message', (m: { type: string; backlogSeq?: number }) => {
            if (m.type === 'ready') resolve(m.backlogSeq!);
          }),
        ),
      );
      workers.push(w);
    }
    const backlogSeqs = await Promise.all(ready);
    const backlogTotal = N * BACKLOG;
    say(`${N} checkpoints hold a backlog of ${BACKLOG} events each, undelivered`);

    const tally = new Map<string, Tally>(checkpoints.map((cp) => [nationalNames.token(cp), { seqs: [], lags: [] }]));
    const outageLags: number[] = [];
    let arrived = 0;
    let backlogArrived = 0;
    // Outages: the cut checkpoint's from the cut until its mirror has caught up; the centre's from the kill of a
    // node until a consumer reads fresh events again after its restart. Lag is judged outside them.
    const outage = { from: Infinity, to: -Infinity, recoveredAt: Infinity };
    const central = { from: Infinity, to: -Infinity, recoveredAt: Infinity };
    const inOutage = (cp: string, stored: number, now: number) =>
      (cp === cut && stored >= outage.from && now < outage.recoveredAt) || (now >= central.from && stored < central.recoveredAt);
    const js = nc.jetstream();
    for (const [i, cp] of checkpoints.entries()) {
      const backlogSeq = backlogSeqs[i]!;
      const consumer = await js.consumers.get(nationalNames.nationalMirrorName(cp));
      // A short pull expiry: after a central node is killed, a pull it held is replaced in seconds, not 30 s.
      // Bounded by the number of streams on this one connection: past the server's max_pending it is closed as a slow consumer.
      const messages = await consumer.consume({ max_messages: pullBatch(N), expires: 5000 });
      subs.push(messages);
      const t = tally.get(nationalNames.token(cp))!;
      void (async () => {
        for await (const m of messages) {
          const now = Date.now();
          const seq = Number(m.headers?.get(FEED_SEQ_HEADER));
          t.seqs.push(seq);
          arrived++;
          if (seq <= backlogSeq) {
            backlogArrived++;
            continue;
          }
          const stored = Number(m.info.timestampNanos / 1_000_000);
          if (cp === cut && Number.isFinite(outage.to) && now > outage.to && outage.recoveredAt === Infinity && now - stored < 1000) outage.recoveredAt = now;
          if (Number.isFinite(central.to) && now > central.to && central.recoveredAt === Infinity && now - stored < 1000) central.recoveredAt = now;
          (inOutage(cp, stored, now) ? outageLags : t.lags).push(now - stored);
        }
      })();
    }

    // Phase 1, throughput: every checkpoint delivers its backlog at once (as after a national outage).
    const start = Date.now();
    for (const w of workers) w.postMessage('go');
    const progress = setInterval(() => say(`  ${arrived} events at the centre after ${((Date.now() - start) / 1000).toFixed(0)} s`), 10_000);
    const drainDeadline = Date.now() + Number(process.env.BENCH_DRAIN_S ?? 600) * 1000;
    let lastCount = -1;
    let lastChange = Date.now();
    while (backlogArrived < backlogTotal && Date.now() < drainDeadline) {
      await sleep(50);
      if (backlogArrived !== lastCount) {
        lastCount = backlogArrived;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > 10_000) {
        lastChange = Date.now();
        for (const [i, cp] of checkpoints.entries()) {
          const t = tally.get(nationalNames.token(cp))!;
          const got = t.seqs.filter((q) => q <= backlogSeqs[i]!).length;
          if (got < BACKLOG) {
            const info = await jsm.streams.info(nationalNames.nationalMirrorName(cp));
            say(`  stalled: ${cp} read ${got} of ${BACKLOG}, last seq read ${t.seqs[t.seqs.length - 1]}; mirror holds ${info.state.messages} (last ${info.state.last_seq})`);
          }
        }
      }
    }
    const backlogSeconds = (Date.now() - start) / 1000;
    const throughput = backlogArrived === backlogTotal ? backlogTotal / backlogSeconds : NaN;
    say(`backlog of ${backlogTotal} events at the centre after ${backlogSeconds.toFixed(1)} s`);

    // Phase 2, lag: each checkpoint at its live rate, through a cut uplink and a killed central node.
    const produced: Array<Promise<number>> = workers.map(
      (w) =>
        new Promise((resolve) =>
          w.on('message', (m: { type: string; lastSeq?: number }) => {
            if (m.type === 'produced') resolve(m.lastSeq!);
          }),
        ),
    );
    for (const w of workers) w.postMessage('live');
    await sleep(SECONDS * 300);
    outage.from = Date.now();
    await topo.cutLeaf(cut);
    say(`cut the uplink of ${cut}`);
    await sleep(Math.min(15_000, SECONDS * 250));
    central.from = Date.now();
    await topo.killCentral(1);
    say('killed central-2');
    await topo.restoreLeaf(cut);
    outage.to = Date.now();
    say(`restored the uplink of ${cut}`);
    await sleep(Math.min(10_000, SECONDS * 150));
    await topo.restartCentral(1);
    central.to = Date.now();
    say('restarted central-2');

    const last = await Promise.all(produced);
    const events = last.reduce((x, y) => x + y, 0);
    const deadline = Date.now() + Number(process.env.BENCH_DRAIN_S ?? 600) * 1000;
    while (arrived < events && Date.now() < deadline) await sleep(200);
    await sleep(2000); // copies, if any, would arrive now
    clearInterval(progress);

    let lost = 0;
    let duplicates = 0;
    const lags: number[] = [];
    checkpoints.forEach((cp, i) => {
      const t = tally.get(nationalNames.token(cp))!;
      const c = compareFeed(cp, last[i]!, t.seqs);
      lost += c.lost;
      duplicates += c.duplicates;
      if (c.lost || c.duplicates || c.outOfOrder) say(`  ${cp}: ${JSON.stringify(c)}`);
      lags.push(...t.lags);
    });
    const p99 = (xs: number[]) => {
      const v = [...xs].sort((x, y) => x - y);
      return v.length ? v[Math.min(v.length - 1, Math.floor(v.length * 0.99))]! / 1000 : NaN;
    };
    if (outage.recoveredAt !== Infinity) say(`${cut} caught up ${((outage.recoveredAt - outage.to) / 1000).toFixed(1)} s after its uplink came back`);
    if (central.recoveredAt !== Infinity)
      say(`fresh events at the centre ${((central.recoveredAt - central.to) / 1000).toFixed(1)} s after central-2 was restarted`);
    say(
      `live events: ${lags.length} outside the outages (p50 ${median(lags).toFixed(3)} s), ${outageLags.length} during them (p99 ${p99(outageLags).toFixed(2)} s); ${arrived} messages read`,
    );
    say(
      `national: ${N} checkpoints, ${events} events, lost ${lost}, duplicates ${duplicates}, central lag p99 ${p99(lags).toFixed(2)} s, throughput ${Math.round(throughput)} events/s`,
    );
  } finally {
    for (const s of subs) s.stop();
    await Promise.all(
      workers.map(async (w) => {
        const closed = new Promise((r) =>
          w.on('message', (m: { type: string }) => {
            if (m.type === 'closed') r(null);
          }),
        );
        w.postMessage('stop');
        await Promise.race([closed, sleep(10_000)]);
        await w.terminate();
      }),
    );
    await nc.close().catch(() => undefined);
    await topo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench:national failed: ${(err as Error).stack}\n`);
  process.exit(1);
});

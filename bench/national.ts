import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { connect, type ConsumerMessages } from 'nats';
import { compareFeed, ensureCheckpointMirror, FEED_SEQ_HEADER, NatsTopology, nationalNames } from '@customs-hub/core';

/**
 * `npm run bench:national`: BENCH_CHECKPOINTS (20) checkpoints, each a hub's feed and outbox in a worker thread
 * delivering to its own leaf node, mirrored into the central three-node cluster. Each starts with a backlog
 * (BENCH_BACKLOG events, default 25,000) and then produces at BENCH_RATE events/s (50) for BENCH_SECONDS (60).
 * During the run one checkpoint's uplink is cut for 15 s and a central node is killed and restarted. At the end
 * every national stream is compared with its checkpoint's feed.
 * Last line: `national: N checkpoints, E events, lost L, duplicates D, central lag p99 X s, throughput T events/s`
 * (lag: of the live events, from stored on the edge to arrival at a central consumer, outside the cut link's outage;
 * throughput: the backlog, all checkpoints together, delivered to the centre per second).
 */
const N = Number(process.env.BENCH_CHECKPOINTS ?? 20);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 25_000);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (s: string) => process.stdout.write(`${s}\n`);

interface Tally { seqs: number[]; lags: number[] }

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
      const w = new Worker(join(__dirname, 'national-worker.js'), { workerData: { checkpoint: cp, dir, natsUrl: topo.leafUrl(cp), backlog: BACKLOG, ratePerS: RATE, seconds: SECONDS } });
      w.on('message', (m: { type: string; message?: string }) => { if (m.type === 'error') { say(`worker ${cp} failed: ${m.message}`); process.exit(1); } });
      ready.push(new Promise((resolve) => w.on('message', (m: { type: string; backlogSeq?: number }) => { if (m.type === 'ready') resolve(m.backlogSeq!); })));
      workers.push(w);
    }
    const backlogSeqs = await Promise.all(ready);
    const backlogTotal = N * BACKLOG;
    say(`${N} checkpoints hold a backlog of ${BACKLOG} events each, undelivered`);

    const tally = new Map<string, Tally>(checkpoints.map((cp) => [nationalNames.token(cp), { seqs: [], lags: [] }]));
    let arrived = 0;
    let backlogDoneAt = 0;
    // The cut checkpoint's outage lasts from the cut until its mirror has caught up again.
    const outage = { from: Infinity, to: -Infinity, recoveredAt: Infinity };
    const js = nc.jetstream();
    for (const [i, cp] of checkpoints.entries()) {
      const backlogSeq = backlogSeqs[i]!;
      const consumer = await js.consumers.get(nationalNames.nationalMirrorName(cp));
      const messages = await consumer.consume({ max_messages: 5000 });
      subs.push(messages);
      const t = tally.get(nationalNames.token(cp))!;
      void (async () => {
        for await (const m of messages) {
          const now = Date.now();
          const seq = Number(m.headers?.get(FEED_SEQ_HEADER));
          t.seqs.push(seq);
          const stored = Number(m.info.timestampNanos / 1_000_000);
          if (cp === cut && Number.isFinite(outage.to) && now > outage.to && outage.recoveredAt === Infinity && now - stored < 1000) outage.recoveredAt = now;
          // Lag of the live events; the backlog's delivery time is the throughput figure.
          if (seq > backlogSeq && !(cp === cut && stored >= outage.from && now < outage.recoveredAt)) t.lags.push(now - stored);
          if (++arrived === backlogTotal) backlogDoneAt = now;
        }
      })();
    }

    const start = Date.now();
    for (const w of workers) w.postMessage('go');
    const produced: Array<Promise<number>> = workers.map((w) => new Promise((resolve) => w.on('message', (m: { type: string; lastSeq?: number }) => { if (m.type === 'produced') resolve(m.lastSeq!); })));
    const progress = setInterval(() => say(`  ${arrived} events at the centre after ${((Date.now() - start) / 1000).toFixed(0)} s`), 10_000);

    await sleep(SECONDS * 300);
    outage.from = Date.now();
    await topo.cutLeaf(cut);
    say(`cut the uplink of ${cut}`);
    await sleep(Math.min(15_000, SECONDS * 250));
    await topo.killCentral(1);
    say('killed central-2');
    await topo.restoreLeaf(cut);
    outage.to = Date.now();
    say(`restored the uplink of ${cut}`);
    await sleep(Math.min(10_000, SECONDS * 150));
    await topo.restartCentral(1);
    say('restarted central-2');

    const last = await Promise.all(produced);
    const events = last.reduce((a, b) => a + b, 0);
    const deadline = Date.now() + Number(process.env.BENCH_DRAIN_S ?? 600) * 1000;
    while (arrived < events && Date.now() < deadline) await sleep(200);
    await sleep(2000); // copies, if any, would arrive now
    clearInterval(progress);

    let lost = 0; let duplicates = 0;
    const lags: number[] = [];
    checkpoints.forEach((cp, i) => {
      const t = tally.get(nationalNames.token(cp))!;
      const c = compareFeed(cp, last[i]!, t.seqs);
      lost += c.lost; duplicates += c.duplicates;
      if (c.lost || c.duplicates || c.outOfOrder) say(`  ${cp}: ${JSON.stringify(c)}`);
      lags.push(...t.lags);
    });
    lags.sort((a, b) => a - b);
    const p99 = lags.length ? lags[Math.min(lags.length - 1, Math.floor(lags.length * 0.99))]! / 1000 : NaN;
    const throughput = backlogDoneAt ? backlogTotal / ((backlogDoneAt - start) / 1000) : NaN;
    if (outage.recoveredAt !== Infinity) say(`${cut} caught up ${((outage.recoveredAt - outage.to) / 1000).toFixed(1)} s after its uplink came back`);
    say(`backlog of ${backlogTotal} events at the centre after ${backlogDoneAt ? ((backlogDoneAt - start) / 1000).toFixed(1) : '—'} s; ${arrived} messages read`);
    say(`national: ${N} checkpoints, ${events} events, lost ${lost}, duplicates ${duplicates}, central lag p99 ${p99.toFixed(2)} s, throughput ${Math.round(throughput)} events/s`);
  } finally {
    for (const s of subs) s.stop();
    await Promise.all(workers.map(async (w) => {
      const closed = new Promise((r) => w.on('message', (m: { type: string }) => { if (m.type === 'closed') r(null); }));
      w.postMessage('stop');
      await Promise.race([closed, sleep(10_000)]);
      await w.terminate();
    }));
    await nc.close().catch(() => undefined);
    await topo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => { process.stderr.write(`bench:national failed: ${(err as Error).stack}\n`); process.exit(1); });

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
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

/** CPU seconds a thread or process has used (Linux /proc; 0 where it cannot be read). */
function cpuSeconds(statPath: string): number {
  try {
    const fields = readFileSync(statPath, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** Where the machine's CPU went: this process's main thread (the centre's reader), its other threads (the hubs), the NATS servers. */
function cpuSplit(topo: NatsTopology): { reader: number; hubs: number; central: number; leaves: number } {
  const reader = cpuSeconds(`/proc/self/task/${process.pid}/stat`);
  let all = 0;
  try {
    for (const tid of readdirSync('/proc/self/task')) all += cpuSeconds(`/proc/self/task/${tid}/stat`);
  } catch {
    /* not Linux */
  }
  const sum = (pids: Array<number | undefined>) => pids.reduce<number>((a, p) => a + (p ? cpuSeconds(`/proc/${p}/stat`) : 0), 0);
  return {
    reader,
    hubs: all - reader,
    central: sum(topo.central.map((c) => c.proc?.pid)),
    leaves: sum([...topo.leaves.values()].map((l) => l.proc?.pid)),
  };
}

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
    const debug = Boolean(process.env.BENCH_DEBUG);
    /** BENCH_DEBUG: backlog events per 2-s slot of the throughput phase, by when the edge stored them and when the centre read them. */
    const storedPer: number[] = [];
    const readPer: number[] = [];
    let start = Infinity;
    for (const cp of checkpoints) {
      const w = new Worker(join(__dirname, 'national-worker.js'), {
        workerData: { checkpoint: cp, dir, natsUrl: topo.leafUrl(cp), backlog: BACKLOG, ratePerS: RATE, seconds: SECONDS },
      });
      w.on('message', (m: { type: string; message?: string }) => {
        if (m.type === 'log') say(`  ${m.message?.trim()}`);
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
    // Edge streams exist now; a mirror created before its stream retries on a back-off: wait until each has attached,
    // as a checkpoint's mirror long in service would be, so the throughput phase measures delivery, not that back-off.
    const attachStart = Date.now();
    for (const cp of checkpoints) {
      for (;;) {
        const m = (await jsm.streams.info(nationalNames.nationalMirrorName(cp))).mirror;
        if (m && m.active >= 0 && m.active < 5e9) break;
        await sleep(250);
      }
    }
    say(`mirrors attached in ${((Date.now() - attachStart) / 1000).toFixed(1)} s`);

    const tally = new Map<string, Tally>(checkpoints.map((cp) => [nationalNames.token(cp), { seqs: [], lags: [] }]));
    const outageLags: number[] = [];
    /** Live events outside the outages that took longer than 5 s: when and where, to say what delayed them. */
    const late: Array<{ cp: string; at: number }> = [];
    const marks: Array<[string, number]> = [];
    let liveStart = Infinity;
    let arrived = 0;
    let backlogArrived = 0;
    // Outages: the cut checkpoint's from the cut until its mirror has caught up; the centre's from the kill of a
    // node until that checkpoint's reader reads fresh events again after the restart. Lag is judged outside them.
    const outage = { from: Infinity, to: -Infinity, recoveredAt: Infinity };
    // Per checkpoint: its reader may have been on the killed node, and resumes on its own.
    const central = { from: Infinity, to: -Infinity, recoveredAt: new Map<string, number>() };
    const inOutage = (cp: string, stored: number, now: number) =>
      (cp === cut && stored >= outage.from && now < outage.recoveredAt) || (now >= central.from && stored < (central.recoveredAt.get(cp) ?? Infinity));
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
            if (debug) {
              const slot = (t: number) => Math.max(0, Math.floor((t - start) / 2000));
              const s = slot(Number(m.info.timestampNanos / 1_000_000));
              storedPer[s] = (storedPer[s] ?? 0) + 1;
              readPer[slot(now)] = (readPer[slot(now)] ?? 0) + 1;
            }
            continue;
          }
          const stored = Number(m.info.timestampNanos / 1_000_000);
          if (cp === cut && Number.isFinite(outage.to) && now > outage.to && outage.recoveredAt === Infinity && now - stored < 1000) outage.recoveredAt = now;
          if (Number.isFinite(central.to) && now > central.to && !central.recoveredAt.has(cp) && now - stored < 1000) central.recoveredAt.set(cp, now);
          if (inOutage(cp, stored, now)) outageLags.push(now - stored);
          else {
            t.lags.push(now - stored);
            if (now - stored > 5000) late.push({ cp, at: now });
          }
        }
      })();
    }

    // Phase 1, throughput: every checkpoint delivers its backlog at once (as after a national outage).
    start = Date.now();
    const cpu0 = cpuSplit(topo);
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
            say(
              `  stalled: ${cp} read ${got} of ${BACKLOG}, last seq read ${t.seqs[t.seqs.length - 1]}; mirror holds ${info.state.messages} (last ${info.state.last_seq})`,
            );
          }
        }
      }
    }
    const backlogSeconds = (Date.now() - start) / 1000;
    const throughput = backlogArrived === backlogTotal ? backlogTotal / backlogSeconds : NaN;
    say(`backlog of ${backlogTotal} events at the centre after ${backlogSeconds.toFixed(1)} s`);
    const cpu1 = cpuSplit(topo);
    if (debug)
      say(
        `  per 2 s: stored on the edge [${Array.from(storedPer, (x) => x ?? 0).join(' ')}], read at the centre [${Array.from(readPer, (x) => x ?? 0).join(' ')}]`,
      );
    const used = { reader: cpu1.reader - cpu0.reader, hubs: cpu1.hubs - cpu0.hubs, central: cpu1.central - cpu0.central, leaves: cpu1.leaves - cpu0.leaves };
    const us = (sec: number) => ((sec / backlogTotal) * 1e6).toFixed(1);
    const nats = used.central + used.leaves;
    const cores = availableParallelism();
    say(
      `cpu during the backlog (${cores} cores, ${(cores * backlogSeconds).toFixed(1)} s available): hubs ${used.hubs.toFixed(1)} s (${us(used.hubs)} µs/event), ` +
        `centre's reader ${used.reader.toFixed(1)} s (${us(used.reader)} µs/event), NATS ${nats.toFixed(1)} s (${us(nats)} µs/event: central nodes ${used.central.toFixed(1)} s, leaf nodes ${used.leaves.toFixed(1)} s)`,
    );
    if (nats > 0)
      say(
        `bound: NATS alone, with every core of this machine, would carry at most ${Math.round((backlogTotal * cores) / nats)} events/s through this topology; the hubs took ${((100 * used.hubs) / (used.hubs + used.reader + nats)).toFixed(0)} % of the CPU used`,
      );

    // Phase 2, lag: each checkpoint at its live rate, through a cut uplink and a killed central node.
    const produced: Array<Promise<number>> = workers.map(
      (w) =>
        new Promise((resolve) =>
          w.on('message', (m: { type: string; lastSeq?: number }) => {
            if (m.type === 'produced') resolve(m.lastSeq!);
          }),
        ),
    );
    liveStart = Date.now();
    for (const w of workers) w.postMessage('live');
    await sleep(SECONDS * 300);
    outage.from = Date.now();
    marks.push(['cut', Date.now()]);
    await topo.cutLeaf(cut);
    say(`cut the uplink of ${cut}`);
    await sleep(Math.min(15_000, SECONDS * 250));
    central.from = Date.now();
    marks.push(['kill', Date.now()]);
    await topo.killCentral(1);
    say('killed central-2');
    await topo.restoreLeaf(cut);
    outage.to = Date.now();
    marks.push(['restored', Date.now()]);
    say(`restored the uplink of ${cut}`);
    await sleep(Math.min(10_000, SECONDS * 150));
    await topo.restartCentral(1);
    central.to = Date.now();
    marks.push(['restarted', Date.now()]);
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
    if (central.recoveredAt.size > 0) {
      const after = [...central.recoveredAt.values()].map((t) => (t - central.to) / 1000);
      say(
        `fresh events at the centre again ${Math.min(...after).toFixed(1)}–${Math.max(...after).toFixed(1)} s after central-2 was restarted (${central.recoveredAt.size} of ${N} checkpoints' readers)`,
      );
    }
    if (late.length > 0) {
      const rel = (t: number) => ((t - liveStart) / 1000).toFixed(1);
      const byCp = new Map<string, number>();
      for (const l of late) byCp.set(l.cp, (byCp.get(l.cp) ?? 0) + 1);
      say(
        `live events over 5 s outside the outages: ${late.length}, read from ${rel(late[0]!.at)} s to ${rel(late[late.length - 1]!.at)} s of the live phase ` +
          `(${marks.map(([m, t]) => `${m} at ${rel(t)} s`).join(', ')}); by checkpoint: ${[...byCp].map(([c, n]) => `${c} ${n}`).join(', ')}`,
      );
    }
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

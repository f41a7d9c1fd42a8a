// A simulated week of a busy checkpoint at high speed: X-ray images at their real size and the lanes'
// observations, a central consumer that acknowledges the feed (with a link outage on one day), the retention
// pruner running every simulated hour beside ingest, and a disk budget.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { type Observation, type RawRef } from '@customs-hub/sdk';
import { directoryRawStore, rawFilePath } from '@customs-hub/sdk/runtime';
import { GroupCommitWriter, Pruner, createLogger, openDatabase, parseConfig, rawStoreUsage, startProgress } from '@customs-hub/core';

const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const SCANS_PER_DAY = Number(process.env.BENCH_SCANS_PER_DAY ?? 144);
const IMAGE_MB = Number(process.env.BENCH_IMAGE_MB ?? 20);
const BUDGET_MB = Number(process.env.BENCH_BUDGET_MB ?? Math.ceil(SCANS_PER_DAY * IMAGE_MB * (1 + 30 / 24 + 0.25) + 300));
/** The central link is down from this simulated hour for this long: longer than the raw-file period. */
const OUTAGE = { startH: 3 * 24 + 6, hours: 30 };
const HOUR = 3600_000;
const T0 = Date.UTC(2026, 5, 1);

const dir = mkdtempSync(join(tmpdir(), 'bench-retention-'));
const rawDir = join(dir, 'raw');
const silent = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
const config = parseConfig(
  `checkpoint: { id: BUSY-1 }\ndataDir: ${dir}
retention:
  consumers: [central]
  observations: 3d
  feedEvents: 3d
  rawFiles:
    default: 1d
    rules:
      - { kind: radiation.spectrum, keep: 2d }
  batchRows: 500
  batchPauseMs: 5
`,
  join(dir, 'bench.yaml'),
  {},
).config;

let simNow = T0;
const iso = () => new Date(simNow).toISOString();
const image = randomBytes(IMAGE_MB * 1048576);

/** What a lane's devices report for one truck: OCR, portal passage with its sample series, weight, X-ray scan. */
function truck(n: number, lane: string): Array<Partial<Observation>> {
  const container = { number: 'CSQU3054383', valid: true };
  const samples = Array.from({ length: 120 }, (_, i) => 250 + ((n * 7 + i * 13) % 40));
  return [
    { deviceId: `ocr-${lane}`, kind: 'identification' as never, payload: { method: 'ocr', position: 'rear', confidence: 0.97 } as never },
    {
      deviceId: `rpm-${lane}`,
      kind: 'radiation.passage' as never,
      payload: {
        occupancyStart: iso(),
        occupancyEnd: iso(),
        gamma: {
          panels: [
            { id: 'A', counts: samples },
            { id: 'B', counts: samples },
          ],
          background: [250, 251],
          maxSigma: 1.2,
        },
        neutron: { panels: [{ id: 'A', counts: samples.map((s) => s % 5) }] },
        deviceAlarm: { gamma: false, neutron: false },
        hubAlarm: { gamma: false, neutron: false },
      } as never,
    },
    { deviceId: `scale-${lane}`, kind: 'weight' as never, payload: { grossKg: 18000 + (n % 9000), stable: true } as never },
    { deviceId: `xray-${lane}`, kind: 'xray.scan' as never, payload: { scanId: `S${n}`, energyMeV: 6, views: 2 } as never },
  ].map((o) => ({ ...o, conveyance: { containers: [container], plates: [] } }));
}

async function main(): Promise<void> {
  const db = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
  const writer = new GroupCommitWriter(db, 'BUSY-1', { maxRows: 500, maxDelayMs: 2, queueLimit: 20000 });
  await writer.init();
  const store = directoryRawStore(rawDir);
  const pruner = new Pruner({ db, writer, config: () => config, rawDir, logger: silent, now: () => simNow });
  let cursor = 0;
  const ack = async (seq: number) => {
    cursor = seq;
    await db
      .knex('feed_cursors')
      .insert({ checkpoint: 'BUSY-1', consumer: 'central', acked_seq: seq, updated_at: iso() })
      .onConflict(['checkpoint', 'consumer'])
      .merge();
  };
  /** Every observation written, by seq, with the raw files it names — to find any deleted before it was delivered. */
  const written = new Map<number, { id: string; shas: string[] }>();
  let deletedUndelivered = 0;
  let peakBytes = 0;
  let prunedRows = 0;
  let prunedFiles = 0;
  // Typed by assertion: closures set it, so it must not narrow to null here (the final drain awaits it).
  let pass = null as Promise<void> | null;
  const timing = { base: { items: 0, ms: 0 }, pruning: { items: 0, ms: 0 } };
  const diskBytes = async () => {
    const files = ['hub.db', 'hub.db-wal']
      .map((f) => join(dir, f))
      .filter(existsSync)
      .reduce((s, f) => s + statSync(f).size, 0);
    return files + (await rawStoreUsage(rawDir)).bytes;
  };

  /** Undelivered (after the consumer's cursor, which stands still during a pass) but gone from the database or the disk. */
  const checkUndelivered = async (after: number) => {
    const seqs = [...written.keys()].filter((s) => s > after);
    for (let i = 0; i < seqs.length; i += 500) {
      const chunk = seqs.slice(i, i + 500);
      const present = new Set((await db.knex('observations').whereIn('seq', chunk).select('seq')).map((r) => Number(r.seq)));
      for (const s of chunk) {
        const w = written.get(s)!;
        if (!present.has(s) || w.shas.some((sha) => !existsSync(rawFilePath(rawDir, sha)))) deletedUndelivered++;
      }
    }
    for (const s of [...written.keys()]) if (s <= after) written.delete(s);
  };

  const startPass = () => {
    if (pass) return;
    const heldAt = cursor;
    pass = pruner.runOnce('bench').then(async (r) => {
      prunedRows += r.deleted.observations + r.deleted.feedEvents;
      prunedFiles += r.deleted.rawFiles;
      await checkUndelivered(heldAt);
      pass = null;
    });
  };

  const perHour = SCANS_PER_DAY / 24;
  let n = 0;
  let carry = 0;
  const started = Date.now();
  const bar = startProgress({ format: 'simulating [{bar}] {percentage}% | hour {value}/{total} | ETA {eta_formatted}', total: DAYS * 24 });
  for (let h = 0; h < DAYS * 24; h++) {
    bar.update(h);
    const day = Math.floor(h / 24);
    const inOutage = h >= OUTAGE.startH && h < OUTAGE.startH + OUTAGE.hours;
    carry += perHour;
    const trucks = Math.floor(carry);
    carry -= trucks;
    for (let t = 0; t < trucks; t++) {
      simNow = T0 + h * HOUR + Math.floor((t / Math.max(trucks, 1)) * HOUR);
      const during = pass !== null;
      const t0 = performance.now();
      const lane = `CARGO-${(n % 2) + 1}`;
      const drafts = truck(n++, lane);
      const ref: RawRef = await store(Readable.from([Buffer.from(`scan ${n}\n`), image]), { role: 'image', contentType: 'image/tiff' });
      const results = await Promise.all(
        drafts.map((d, i) => {
          const o = {
            schema: 'observation/v1',
            id: crypto.randomUUID(),
            seq: 0,
            checkpoint: 'BUSY-1',
            lane,
            plugin: { name: 'bench', version: '1.0.0' },
            deviceTime: iso(),
            receivedAt: iso(),
            alarms: [],
            quality: { status: 'good' },
            ...d,
            ...(i === 3 ? { raw: [ref] } : {}),
          } as Observation;
          return writer.write({ type: 'observation', observation: o }).then((r) => written.set(r.seq, { id: o.id, shas: o.raw?.map((x) => x.sha256) ?? [] }));
        }),
      );
      // Portal background telemetry: a sample a second, stored as one observation a minute per portal.
      await Promise.all(
        Array.from({ length: 2 }, (_, p) =>
          writer
            .write({
              type: 'observation',
              observation: {
                schema: 'observation/v1',
                id: crypto.randomUUID(),
                seq: 0,
                checkpoint: 'BUSY-1',
                lane: `CARGO-${p + 1}`,
                deviceId: `rpm-CARGO-${p + 1}`,
                plugin: { name: 'bench', version: '1.0.0' },
                kind: 'telemetry',
                deviceTime: iso(),
                receivedAt: iso(),
                conveyance: { containers: [], plates: [] },
                alarms: [],
                quality: { status: 'good' },
                payload: { values: Object.fromEntries(Array.from({ length: 60 }, (_, s) => [`gamma${s}`, { value: 250 + s }])) },
              } as unknown as Observation,
            })
            .then((r) => written.set(r.seq, { id: '', shas: [] })),
        ),
      );
      // The baseline is the steady state (retention already deleting, the database reusing freed pages), not
      // the first day of a fresh file.
      const slot = during ? timing.pruning : prunedFiles > 0 ? timing.base : null;
      if (slot) {
        slot.items += results.length + 2;
        slot.ms += performance.now() - t0;
      }
      // The central system acknowledges what it stored every few trucks, except during the outage; never mid-pass.
      if (!inOutage && !pass && t % 3 === 2) await ack(writer.sequence);
    }
    // And at the end of every hour outside the outage: at a low scan rate an hour may hold fewer than three trucks.
    if (!inOutage && !pass) await ack(writer.sequence);
    simNow = T0 + (h + 1) * HOUR;
    startPass();
    peakBytes = Math.max(peakBytes, await diskBytes());
    if (h % 24 === 23)
      bar.print(
        `day ${day + 1}: ${n} trucks, disk ${(peakBytes / 1048576).toFixed(0)} MB peak so far, pruned ${prunedRows} rows and ${prunedFiles} files, ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
  }
  bar.stop();
  while (pass) await pass;
  await checkUndelivered(cursor);
  peakBytes = Math.max(peakBytes, await diskBytes());
  await writer.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });

  const rate = (s: { items: number; ms: number }) => (s.ms > 0 ? s.items / s.ms : NaN);
  const ratio = rate(timing.pruning) / rate(timing.base);
  process.stdout.write(
    `ingest: ${(rate(timing.base) * 1000).toFixed(0)} obs/s without pruning (${timing.base.items}), ${(rate(timing.pruning) * 1000).toFixed(0)} obs/s while a pass ran (${timing.pruning.items}); X-ray images ${IMAGE_MB} MB, ${SCANS_PER_DAY} scans a day; central link down ${OUTAGE.hours} h from hour ${OUTAGE.startH}; budget = 1 day of images (their period) + the outage + 6 h + 300 MB\n`,
  );
  const peakMb = Math.round(peakBytes / 1048576);
  if (peakMb > BUDGET_MB) process.stdout.write(`peak ${peakMb} MB is over the budget of ${BUDGET_MB} MB\n`);
  process.stdout.write(
    `retention: ${DAYS} days simulated, peak disk ${peakMb} MB of budget ${BUDGET_MB} MB, deleted undelivered ${deletedUndelivered}, ingest during pruning ${ratio.toFixed(2)} of baseline\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});

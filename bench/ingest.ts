// Pipeline throughput (accept → validate → store → feed) against the raw batched-insert rate of the same rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ObservationDraft, Observation } from '@customs-hub/sdk';
import { DeadLetterStore, GroupCommitWriter, ObservationPipeline, createLogger, observationRow, openDatabase, startProgress } from '@customs-hub/core';

const N = Number(process.env.BENCH_OBS ?? 100_000);
const IN_FLIGHT = 2000;
const BATCH = 500;
const CHUNK = 400;

function draft(i: number): ObservationDraft {
  const t = new Date(Date.UTC(2026, 10, 25, 8, 0, 0) + i * 10).toISOString();
  switch (i % 3) {
    case 0:
      return { kind: 'weight', deviceTime: t, payload: { grossKg: 20000 + (i % 5000), stable: true } };
    case 1:
      return {
        kind: 'identification',
        deviceTime: t,
        conveyance: { containers: ['CSQU3054383'], plates: ['A123BC77'] },
        payload: { method: 'ocr', position: 'rear' },
      };
    default:
      return { kind: 'radiation.dose-rate', deviceTime: t, payload: { doseRateUSvH: 0.11 + (i % 7) / 1000, durationS: 1 } };
  }
}

const silent = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));

async function pipelineRun(dir: string): Promise<{ rate: number; stored: Observation[] }> {
  const db = await openDatabase(`sqlite:${join(dir, 'pipeline.db')}`);
  const writer = new GroupCommitWriter(db, 'BENCH', { maxRows: BATCH, maxDelayMs: 0, queueLimit: IN_FLIGHT * 2 });
  await writer.init();
  const stored: Observation[] = [];
  // On a terminal only (stderr), redrawn a few times a second: no cost to the figures of a piped run.
  const bar = startProgress({ format: 'pipeline [{bar}] {percentage}% | {value}/{total} observations', total: N });
  writer.onCommitted((records) => {
    for (const r of records) if (r.item.type === 'observation') stored.push(r.item.observation);
    bar.update(stored.length);
  });
  const pipeline = new ObservationPipeline('BENCH', writer, new DeadLetterStore(db, 'BENCH'), silent);
  const sources = Array.from({ length: 20 }, (_, d) => ({
    deviceId: `DEV-${d}`,
    lane: `L${d % 4}`,
    plugin: { name: 'bench', version: '1.0.0' },
    kinds: ['weight', 'identification', 'radiation.dose-rate'] as const,
  }));
  const drafts = Array.from({ length: N }, (_, i) => draft(i));
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      await pipeline.emit({ ...sources[i % sources.length]!, kinds: [...sources[0]!.kinds] }, drafts[i]!);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker)).finally(() => bar.stop());
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await writer.close();
  await db.close();
  if (stored.length !== N) throw new Error(`pipeline stored ${stored.length} of ${N}`);
  return { rate: N / seconds, stored };
}

async function rawRun(dir: string, observations: Observation[]): Promise<number> {
  const db = await openDatabase(`sqlite:${join(dir, 'raw.db')}`);
  const rows = observations.map(observationRow);
  const bar = startProgress({ format: 'raw insert [{bar}] {percentage}% | {value}/{total} rows', total: rows.length });
  const start = process.hrtime.bigint();
  // The same transaction size and statement size as the hub's writer, with nothing else around it.
  try {
    for (let i = 0; i < rows.length; i += BATCH) {
      await db.knex.transaction(async (trx) => {
        for (let j = i; j < Math.min(i + BATCH, rows.length); j += CHUNK) await trx('observations').insert(rows.slice(j, Math.min(j + CHUNK, i + BATCH)));
      });
      bar.update(Math.min(i + BATCH, rows.length));
    }
  } finally {
    bar.stop();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await db.close();
  return rows.length / seconds;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
  try {
    process.stdout.write(`bench:ingest — ${N} observations, ${IN_FLIGHT} emits in flight, SQLite WAL synchronous=FULL, group commit up to ${BATCH} rows\n`);
    const p = await pipelineRun(dir);
    process.stdout.write(`pipeline: ${N} observations in ${(N / p.rate).toFixed(2)} s\n`);
    const raw = await rawRun(dir, p.stored);
    process.stdout.write(`raw batched insert: ${N} rows in ${(N / raw).toFixed(2)} s\n`);
    process.stdout.write(`ingest: ${Math.round(p.rate)} obs/s; sqlite batched insert limit: ${Math.round(raw)} rows/s; ratio ${(p.rate / raw).toFixed(2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench:ingest failed: ${(err as Error).stack}\n`);
  process.exit(1);
});

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { freeBytes } from '@customs-hub/sdk/runtime';
import type { HubConfig } from '../config/types.js';
import type { Database } from '../storage/database.js';
import { PRUNED_THROUGH_SEQ } from '../storage/records.js';
import { ackHorizon, type AckHorizon } from './ack-horizon.js';
import { cutoffIso } from './duration.js';
import {
  AUDIT_TABLE,
  dueAudit,
  dueCases,
  dueDeadLetters,
  dueFeedEvents,
  dueObservations,
  dueRawRefs,
  type PruneContext,
  type PruneKind,
} from './prune-rules.js';

export interface KindReport {
  kind: PruneKind;
  count: number;
  bytes: number | null;
  oldest: string | null;
  newest: string | null;
  due: number;
  dueBytes: number | null;
  /** Why what is due is due (the rule, in words). */
  rule: string;
}

export interface StorageReport {
  checkpoint: string;
  at: string;
  dialect: string;
  database: { bytes: number | null; autoVacuum: string | null; freePages: number | null };
  raw: { dir: string; files: number; bytes: number; unreferencedFiles: number };
  disk: { free: number; total: number; lowFreeBytes: number; criticalFreeBytes: number } | null;
  horizon: AckHorizon;
  prunedThroughSeq: number;
  kinds: KindReport[];
}

const TIME_COLUMNS: Record<string, string> = {
  observations: 'received_at',
  events: 'time',
  dead_letters: 'received_at',
  cases: 'updated_at',
  raw_refs: 'received_at',
};

/** What is stored, by kind, and what retention would delete now and why; read-only, safe while the hub runs. */
export async function storageReport(db: Database, config: HubConfig, now = Date.now()): Promise<StorageReport> {
  const k = db.knex;
  const cp = config.checkpoint.id;
  const head = await feedHead(db, cp);
  const horizon = await ackHorizon(db, config, head);
  const ctx: PruneContext = { k, checkpoint: cp, now, horizon: horizon.seq, policy: config.retention };
  const p = config.retention;
  const ack = p.requireAcknowledgement ? `, acknowledged (seq <= ${horizon.seq})` : '';
  const before = (period: string) => {
    const c = cutoffIso(period, now);
    return c ? `older than ${period} (before ${c})` : 'never (kept forever)';
  };
  const kinds: KindReport[] = [];

  const rowKind = async (
    kind: PruneKind,
    table: string,
    due: Knex.QueryBuilder | null,
    rule: string,
    where: Record<string, string> = { checkpoint: cp },
    time = TIME_COLUMNS[table]!,
  ) => {
    if (!(await k.schema.hasTable(table))) return;
    const all = await k(table).where(where).count({ n: '*' }).min({ oldest: time }).max({ newest: time }).first();
    const d = due ? await due.clone().count({ n: '*' }).first() : null;
    kinds.push({
      kind,
      count: Number(all?.n ?? 0),
      bytes: null,
      oldest: (all?.oldest as string) ?? null,
      newest: (all?.newest as string) ?? null,
      due: Number(d?.n ?? 0),
      dueBytes: null,
      rule,
    });
  };

  // Raw files: by distinct content; due per rule, a file named by several observations counted once per rule.
  const refs = await k('raw_refs')
    .where({ checkpoint: cp })
    .whereNull('pruned_at')
    .countDistinct({ n: 'sha256' })
    .min({ oldest: 'received_at' })
    .max({ newest: 'received_at' })
    .first();
  const refBytes = await k
    .from(k('raw_refs').where({ checkpoint: cp }).whereNull('pruned_at').distinct('sha256', 'size').as('f'))
    .sum({ b: 'size' })
    .first();
  let due = 0;
  let dueBytes = 0;
  for (const q of dueRawRefs(ctx)) {
    const r = await k.from(q.clone().distinct('raw_refs.sha256', 'raw_refs.size').as('d')).count({ n: '*' }).sum({ b: 'size' }).first();
    due += Number(r?.n ?? 0);
    dueBytes += Number(r?.b ?? 0);
  }
  const rules = [
    ...p.rawFiles.rules.map((r) => `${[r.kind && `kind ${r.kind}`, r.role && `role ${r.role}`].filter(Boolean).join(' ')}: ${r.keep}`),
    `others: ${p.rawFiles.default}`,
  ];
  kinds.push({
    kind: 'rawFiles',
    count: Number(refs?.n ?? 0),
    bytes: Number(refBytes?.b ?? 0),
    oldest: (refs?.oldest as string) ?? null,
    newest: (refs?.newest as string) ?? null,
    due,
    dueBytes,
    rule: `files older than their rule (${rules.join('; ')})${ack}, of no ${p.protectCaseStates.join('/')} case; unreferenced files after ${p.rawFiles.orphans}`,
  });
  await rowKind('observations', 'observations', dueObservations(ctx), `${before(p.observations)}${ack}, of no ${p.protectCaseStates.join('/')} case`);
  await rowKind('feedEvents', 'events', dueFeedEvents(ctx), `${before(p.feedEvents)}${ack}`);
  await rowKind('deadLetters', 'dead_letters', dueDeadLetters(ctx), before(p.deadLetters));
  await rowKind(
    'cases',
    'cases',
    dueCases(ctx),
    `cases in a final state (not ${p.protectCaseStates.join('/')}) last changed ${before(p.legalPeriod)} — the legal period`,
  );
  await rowKind('audit', AUDIT_TABLE.name, (await dueAudit(ctx))?.query ?? null, `entries ${before(p.legalPeriod)} — the legal period`, {}, AUDIT_TABLE.time);

  const pruned = await k('hub_state').where({ checkpoint: cp, key: PRUNED_THROUGH_SEQ }).first();
  const rawDir = join(config.dataDir, 'raw');
  const onDisk = await rawStoreUsage(rawDir);
  const referenced = new Set((await k('raw_refs').whereNull('pruned_at').distinct('sha256')).map((r) => r.sha256 as string));
  const disk = await freeBytes(config.dataDir).catch(() => null);
  return {
    checkpoint: cp,
    at: new Date(now).toISOString(),
    dialect: db.dialect,
    database: await databaseSize(db),
    raw: { dir: rawDir, files: onDisk.files.length, bytes: onDisk.bytes, unreferencedFiles: onDisk.files.filter((f) => !referenced.has(f)).length },
    disk: disk ? { ...disk, lowFreeBytes: p.disk.lowFreeBytes, criticalFreeBytes: p.disk.criticalFreeBytes } : null,
    horizon,
    prunedThroughSeq: Number(pruned?.value ?? 0),
    kinds,
  };
}

async function feedHead(db: Database, cp: string): Promise<number> {
  const [o, e] = await Promise.all([
    db.knex('observations').where({ checkpoint: cp }).max({ m: 'seq' }).first(),
    db.knex('events').where({ checkpoint: cp }).max({ m: 'seq' }).first(),
  ]);
  return Math.max(Number(o?.m ?? 0), Number(e?.m ?? 0));
}

async function databaseSize(db: Database): Promise<StorageReport['database']> {
  if (db.dialect === 'postgres') {
    const r = await db.knex.raw('select pg_database_size(current_database()) as b');
    return { bytes: Number(r.rows[0].b), autoVacuum: 'autovacuum (PostgreSQL)', freePages: null };
  }
  const pragma = async (name: string) => Number((await db.knex.raw(`PRAGMA ${name}`))[0]?.[name]);
  const [pages, size, free, mode] = await Promise.all([pragma('page_count'), pragma('page_size'), pragma('freelist_count'), pragma('auto_vacuum')]);
  return { bytes: pages * size, autoVacuum: ['none', 'full', 'incremental'][mode] ?? String(mode), freePages: free };
}

/** Every file in the raw store (sharded directories), with the total size. */
export async function rawStoreUsage(dir: string): Promise<{ files: string[]; bytes: number }> {
  const files: string[] = [];
  let bytes = 0;
  for (const shard of await readdir(dir).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const name of await readdir(join(dir, shard)).catch(() => [] as string[])) {
      const info = await stat(join(dir, shard, name)).catch(() => null);
      if (!info?.isFile()) continue;
      files.push(name);
      bytes += info.size;
    }
  }
  return { files, bytes };
}

const mb = (b: number | null) => (b === null ? '-' : `${(b / 1048576).toFixed(1)} MB`);

/** The report for a person. */
export function formatStorageReport(r: StorageReport, dryRun = false): string {
  const lines = [
    `storage of checkpoint ${r.checkpoint} at ${r.at} (${r.dialect})`,
    `database: ${mb(r.database.bytes)}${r.database.autoVacuum ? `, auto_vacuum ${r.database.autoVacuum}` : ''}${r.database.freePages !== null ? `, ${r.database.freePages} free pages` : ''}`,
    `raw store: ${r.raw.files} files, ${mb(r.raw.bytes)} in ${r.raw.dir}${r.raw.unreferencedFiles > 0 ? ` (${r.raw.unreferencedFiles} referenced by no observation)` : ''}`,
    r.disk
      ? `disk: ${mb(r.disk.free)} free of ${mb(r.disk.total)} (low below ${mb(r.disk.lowFreeBytes)}, critical below ${mb(r.disk.criticalFreeBytes)})`
      : 'disk: unknown',
    `feed: ${r.horizon.note}${r.prunedThroughSeq > 0 ? `; pruned through seq ${r.prunedThroughSeq}` : ''}`,
    ...r.horizon.acknowledgers.map((a) => `  ${a.kind} ${a.name}: acknowledged seq ${a.ackedSeq}`),
    '',
    `${'kind'.padEnd(14)}${'count'.padStart(10)}${'size'.padStart(12)}  ${'oldest'.padEnd(25)}${'newest'.padEnd(25)}${(dryRun ? 'would go' : 'due').padStart(10)}${'due size'.padStart(12)}`,
  ];
  for (const k of r.kinds) {
    lines.push(
      `${k.kind.padEnd(14)}${String(k.count).padStart(10)}${mb(k.bytes).padStart(12)}  ${(k.oldest ?? '-').padEnd(25)}${(k.newest ?? '-').padEnd(25)}${String(k.due).padStart(10)}${mb(k.dueBytes).padStart(12)}`,
    );
  }
  lines.push('');
  for (const k of r.kinds) lines.push(`${k.kind}: ${dryRun ? 'would delete' : 'due'} ${k.due} — ${k.rule}`);
  return lines.join('\n');
}

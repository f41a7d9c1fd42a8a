import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { rawFilePath } from '@customs-hub/sdk/runtime';
import type { HubConfig } from '../config/types.js';
import type { Database } from '../storage/database.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import { PRUNED_THROUGH_SEQ } from '../storage/records.js';
import type { Logger } from '../util/logger.js';
import { ackHorizon, type AckHorizon } from './ack-horizon.js';
import { periodMs } from './duration.js';
import {
  AUDIT_TABLE,
  dueAudit,
  dueCases,
  dueDeadLetters,
  dueFeedEvents,
  dueObservations,
  dueRawRefs,
  PRUNE_KINDS,
  type PruneContext,
  type PruneKind,
} from './prune-rules.js';
import type { RetentionMetrics } from './retention-metrics.js';

export interface PruneResult {
  deleted: Record<PruneKind, number>;
  /** Bytes of raw files deleted (rows' space is reclaimed by the database: vacuumedPages). */
  freedBytes: number;
  horizon: AckHorizon;
  vacuumedPages: number;
  ms: number;
  reason: string;
}

export interface PrunerDeps {
  db: Database;
  writer: GroupCommitWriter;
  config: () => HubConfig;
  rawDir: string;
  logger: Logger;
  metrics?: RetentionMetrics;
  /** The hub clock in epoch ms (the benchmark simulates a week). */
  now?: () => number;
}

const zero = (): Record<PruneKind, number> => Object.fromEntries(PRUNE_KINDS.map((k) => [k, 0])) as Record<PruneKind, number>;
/** Writes waiting in the writer above which a batch waits: ingest goes first. */
const BUSY_PENDING = 200;
const VACUUM_PAGES = 2000;

/**
 * Deletes what the retention policy says is due, in small batches, each one a write of the group-commit
 * writer (so it stays the only writer and a batch never holds a long transaction), with pauses between
 * batches. Files go before the rows that name them. On SQLite with incremental auto-vacuum the freed pages
 * are returned to the file system afterwards, also in small steps.
 */
export class Pruner {
  readonly name = 'retention';
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<PruneResult> | null = null;
  private again: string | null = null;
  private stopped = false;
  private shard = 0;
  last: PruneResult | null = null;

  constructor(private readonly deps: PrunerDeps) {}

  private get policy() {
    return this.deps.config().retention;
  }
  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  start(): void {
    this.stopped = false;
    if (!this.policy.enabled) return;
    this.schedule(Math.min(this.policy.intervalMs, 30_000));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Runs a pass now (disk running low), or right after the one running. */
  runSoon(reason: string): void {
    if (this.stopped || !this.policy.enabled) return;
    if (this.running) {
      this.again = reason;
      return;
    }
    this.schedule(0, reason);
  }

  /** One pass over every kind; concurrent calls share the pass. */
  runOnce(reason = 'manual'): Promise<PruneResult> {
    this.running ??= this.pass(reason).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private schedule(ms: number, reason = 'interval'): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runOnce(reason)
        .catch((err) => this.deps.logger.error({ err }, 'retention pass failed'))
        .finally(() => {
          if (this.stopped) return;
          const next = this.again;
          this.again = null;
          this.schedule(next ? 0 : this.policy.intervalMs, next ?? 'interval');
        });
    }, ms);
    this.timer.unref?.();
  }

  private async pass(reason: string): Promise<PruneResult> {
    const started = Date.now();
    const config = this.deps.config();
    const k = this.deps.db.knex;
    const horizon = await ackHorizon(this.deps.db, config, this.deps.writer.sequence);
    const ctx: PruneContext = { k, checkpoint: config.checkpoint.id, now: this.now(), horizon: horizon.seq, policy: config.retention };
    const deleted = zero();
    let freedBytes = 0;
    const raw = await this.pruneRawFiles(ctx);
    deleted.rawFiles = raw.files;
    freedBytes += raw.bytes;
    const uncorrelated = await k.schema.hasTable('uncorrelated_observations');
    deleted.observations = await this.pruneRows('observations', 'observations', 'id', dueObservations(ctx), true, async (trx, ids) => {
      await trx('raw_refs').whereIn('observation_id', ids).del();
      if (uncorrelated) await trx('uncorrelated_observations').whereIn('observation_id', ids).del();
    });
    deleted.feedEvents = await this.pruneRows('feedEvents', 'events', 'id', dueFeedEvents(ctx), true);
    deleted.deadLetters = await this.pruneRows('deadLetters', 'dead_letters', 'id', dueDeadLetters(ctx), false);
    deleted.cases = await this.pruneRows('cases', 'cases', 'id', dueCases(ctx), false, async (trx, ids) => {
      await trx('case_observations').whereIn('case_id', ids).del();
    });
    deleted.audit = await this.pruneRows('audit', AUDIT_TABLE.name, AUDIT_TABLE.key, (await dueAudit(ctx))?.query ?? null, false);
    const vacuumedPages = await this.vacuum(Object.values(deleted).some((n) => n > 0));
    const result: PruneResult = { deleted, freedBytes, horizon, vacuumedPages, ms: Date.now() - started, reason };
    this.last = result;
    this.deps.metrics?.pass(result, this.now());
    const any = Object.values(deleted).some((n) => n > 0);
    this.deps.logger[any ? 'info' : 'debug'](
      { reason, deleted, freedBytes, vacuumedPages, horizon: horizon.seq, ms: result.ms },
      any ? 'retention pass deleted due data' : 'retention pass: nothing due',
    );
    return result;
  }

  /** Deletes due rows of one table, a batch per writer transaction; feed rows also raise the pruned-through sequence. */
  private async pruneRows(
    kind: PruneKind,
    table: string,
    key: string,
    due: Knex.QueryBuilder | null,
    feed: boolean,
    alsoDelete?: (trx: Knex.Transaction, ids: string[]) => Promise<void>,
  ): Promise<number> {
    if (!due) return 0;
    let total = 0;
    while (!this.stopped) {
      await this.yieldToIngest();
      const rows: Array<Record<string, unknown>> = await due
        .clone()
        .select(`${table}.${key} as key`, ...(feed ? [`${table}.seq as seq`] : []))
        .orderBy(`${table}.${key}`)
        .limit(this.policy.batchRows);
      const cp = this.deps.config().checkpoint.id;
      if (rows.length === 0) break;
      const ids = rows.map((r) => String(r.key));
      const maxSeq = feed ? Math.max(...rows.map((r) => Number(r.seq))) : 0;
      await this.deps.writer.write({
        type: 'maintenance',
        what: `retention:${kind}`,
        apply: async (trx) => {
          await alsoDelete?.(trx, ids);
          await trx(table).where('checkpoint', cp).whereIn(key, ids).del();
          if (feed) await raisePrunedThrough(trx, cp, maxSeq);
        },
      });
      total += ids.length;
      this.deps.metrics?.deleted(kind, ids.length, 0);
      if (rows.length < this.policy.batchRows) break;
    }
    return total;
  }

  /** Due raw files: a file goes only when every reference to it is due; then its references are marked pruned. */
  private async pruneRawFiles(ctx: PruneContext): Promise<{ files: number; bytes: number }> {
    let files = 0;
    let bytes = 0;
    for (const q of dueRawRefs(ctx)) {
      let cursor = { seq: -1, sha: '' };
      while (!this.stopped) {
        await this.yieldToIngest();
        const refs: Array<{ sha256: string; seq: unknown }> = await q
          .clone()
          .select('raw_refs.sha256', 'raw_refs.seq')
          // eslint-disable-next-line @typescript-eslint/no-misused-promises -- knex grouping callbacks: the builders they return are not awaited
          .andWhere((w) =>
            // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the same: a knex grouping callback
            w.where('raw_refs.seq', '>', cursor.seq).orWhere((x) => x.where('raw_refs.seq', cursor.seq).andWhere('raw_refs.sha256', '>', cursor.sha)),
          )
          .orderBy([{ column: 'raw_refs.seq' }, { column: 'raw_refs.sha256' }])
          .limit(this.policy.batchRows);
        if (refs.length === 0) break;
        const lastRef = refs[refs.length - 1]!;
        cursor = { seq: Number(lastRef.seq), sha: lastRef.sha256 };
        const decidedAt = Date.now();
        const shas = [...new Set(refs.map((r) => r.sha256))];
        const deletable = await this.allReferencesDue(ctx, shas);
        const gone: string[] = [];
        for (const sha of deletable) {
          const path = rawFilePath(this.deps.rawDir, sha);
          const info = await stat(path).catch(() => null);
          // Rewritten since the decision (the same content uploaded again): keep it for the new reference.
          if (info && info.mtimeMs >= decidedAt) continue;
          await rm(path, { force: true });
          gone.push(sha);
          if (info) {
            bytes += info.size;
            files++;
            this.deps.metrics?.deleted('rawFiles', 1, info.size);
          }
        }
        if (gone.length > 0) {
          const at = new Date(ctx.now).toISOString();
          await this.deps.writer.write({
            type: 'maintenance',
            what: 'retention:rawFiles',
            apply: async (trx) => {
              await trx('raw_refs').whereIn('sha256', gone).whereNull('pruned_at').update({ pruned_at: at });
            },
          });
        }
        if (refs.length < this.policy.batchRows) break;
      }
    }
    const orphans = await this.pruneOrphans(ctx);
    return { files: files + orphans.files, bytes: bytes + orphans.bytes };
  }

  /** The files among `shas` whose every unpruned reference is due (a file can be named by several observations). */
  private async allReferencesDue(ctx: PruneContext, shas: string[]): Promise<string[]> {
    const all = await ctx.k('raw_refs').whereIn('sha256', shas).whereNull('pruned_at').select('observation_id', 'sha256');
    const due = new Set<string>();
    for (const q of dueRawRefs(ctx)) {
      for (const r of await q.clone().whereIn('raw_refs.sha256', shas).select('raw_refs.observation_id', 'raw_refs.sha256'))
        due.add(`${r.observation_id}/${r.sha256}`);
    }
    const blocked = new Set(all.filter((r) => !due.has(`${r.observation_id}/${r.sha256}`)).map((r) => r.sha256 as string));
    return shas.filter((s) => !blocked.has(s));
  }

  /**
   * Files no observation names (an upload the driver refused, or whose observations retention deleted) and
   * abandoned temp files, once older than `rawFiles.orphans` by their modification time. A few shard
   * directories per pass, so a pass stays short on a large store.
   */
  private async pruneOrphans(ctx: PruneContext): Promise<{ files: number; bytes: number }> {
    const grace = periodMs(ctx.policy.rawFiles.orphans);
    if (!Number.isFinite(grace)) return { files: 0, bytes: 0 };
    const before = Date.now() - grace;
    let files = 0;
    let bytes = 0;
    const tmps = await readdir(this.deps.rawDir).catch(() => [] as string[]);
    for (const name of tmps.filter((n) => n.startsWith('.tmp-'))) {
      const info = await stat(join(this.deps.rawDir, name)).catch(() => null);
      if (info && info.mtimeMs < before) {
        await rm(join(this.deps.rawDir, name), { force: true });
        files++;
        bytes += info.size;
      }
    }
    for (let n = 0; n < 16 && !this.stopped; n++) {
      const shard = (this.shard++ % 256).toString(16).padStart(2, '0');
      const names = (await readdir(join(this.deps.rawDir, shard)).catch(() => [] as string[])).filter((x) => /^[0-9a-f]{64}$/.test(x));
      const old: Array<{ sha: string; size: number }> = [];
      for (const sha of names) {
        const info = await stat(join(this.deps.rawDir, shard, sha)).catch(() => null);
        if (info && info.mtimeMs < before) old.push({ sha, size: info.size });
      }
      for (let i = 0; i < old.length; i += 500) {
        const chunk = old.slice(i, i + 500);
        const named = new Set(
          (
            await ctx
              .k('raw_refs')
              .whereIn(
                'sha256',
                chunk.map((c) => c.sha),
              )
              .whereNull('pruned_at')
              .distinct('sha256')
          ).map((r) => r.sha256 as string),
        );
        for (const c of chunk) {
          if (named.has(c.sha)) continue;
          await rm(rawFilePath(this.deps.rawDir, c.sha), { force: true });
          files++;
          bytes += c.size;
          this.deps.metrics?.deleted('rawFiles', 1, c.size);
        }
      }
    }
    return { files, bytes };
  }

  /** SQLite with auto_vacuum = INCREMENTAL: hands the freed pages back to the file system, a slice per write. */
  private async vacuum(deletedSomething: boolean): Promise<number> {
    const { db } = this.deps;
    if (db.dialect !== 'sqlite' || !deletedSomething) return 0;
    const mode = await db.knex.raw('PRAGMA auto_vacuum');
    if (Number(mode[0]?.auto_vacuum) !== 2) return 0;
    let pages = 0;
    while (!this.stopped) {
      const free = Number((await db.knex.raw('PRAGMA freelist_count'))[0]?.freelist_count ?? 0);
      if (free === 0) break;
      await this.yieldToIngest();
      const n = Math.min(free, VACUUM_PAGES);
      await this.deps.writer.write({
        type: 'maintenance',
        what: 'retention:vacuum',
        apply: async (trx) => {
          await trx.raw(`PRAGMA incremental_vacuum(${n})`);
        },
      });
      pages += n;
    }
    return pages;
  }

  /** A pause between batches, longer while ingest has writes queued. */
  private async yieldToIngest(): Promise<void> {
    const pause = this.policy.batchPauseMs;
    if (pause > 0) await new Promise((r) => setTimeout(r, pause));
    for (let i = 0; i < 50 && this.deps.writer.pending > BUSY_PENDING; i++) await new Promise((r) => setTimeout(r, 10));
  }
}

/** Keeps the highest deleted feed sequence, so the writer never restarts the sequence below it. */
export async function raisePrunedThrough(trx: Knex.Transaction | Knex, checkpoint: string, seq: number): Promise<void> {
  const row = await trx('hub_state').where({ checkpoint, key: PRUNED_THROUGH_SEQ }).first();
  if (row && Number(row.value) >= seq) return;
  await trx('hub_state')
    .insert({ checkpoint, key: PRUNED_THROUGH_SEQ, value: String(seq) })
    .onConflict(['checkpoint', 'key'])
    .merge();
}

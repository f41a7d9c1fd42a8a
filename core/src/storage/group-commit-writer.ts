import type { Knex } from 'knex';
import { type Observation } from '@customs-hub/sdk';
import { sequenced } from '@customs-hub/sdk/runtime';
import type { Database } from './database.js';
import { PRUNED_THROUGH_SEQ, type CommittedItem, type FeedEventInput, type WriteItem, type WriteResult } from './records.js';
import { rawRefRows } from './raw-refs.js';
import type { DeviceStatus } from '@customs-hub/sdk';
import { describeStorageError, isBusy } from './storage-error.js';
import { takeWriteLock } from './write-transaction.js';
import { appendAudit } from '../audit/audit-chain.js';
import type { AuditInput } from '../audit/audit-entry.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';

export interface WriterOptions {
  maxRows: number;
  maxDelayMs: number;
  queueLimit: number;
  /** How long a batch keeps being retried while the database is busy (another process writing), default 60 s. */
  busyRetryMs?: number;
  /** Where a commit listener's failure is logged and counted (it never fails the writes). */
  errors?: SwallowedErrors;
}

interface Pending {
  item: WriteItem;
  resolve(r: WriteResult): void;
  reject(e: Error): void;
}

export class WriterClosedError extends Error {
  readonly code = 'WRITER_CLOSED';
  constructor() {
    super('storage writer is closed (hub shutting down)');
  }
}

export class QueueFullError extends Error {
  readonly code = 'QUEUE_FULL';
  constructor(limit: number) {
    super(`storage queue full (${limit} pending writes); try again`);
  }
}

/** Committed records, in seq order, for stages after storage (feed, correlation). */
export type CommitListener = (committed: Array<{ item: CommittedItem; result: WriteResult }>) => void;

/** A batch as written: each item's result, and what it put on the feed (null: a duplicate, or not on the feed). */
interface BatchWritten {
  results: WriteResult[];
  onFeed: Array<CommittedItem | null>;
}

const CHUNK = 400;

/**
 * The single writer of the hub's database. Writes queue up while a transaction runs and go in the next
 * one together (group commit); each write resolves only after its transaction committed. It assigns the
 * feed sequence numbers, so they are gap-free and in commit order per checkpoint.
 */
export class GroupCommitWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private lastSeq = 0;
  private closed = false;
  private readonly listeners: CommitListener[] = [];
  private readonly admission: Array<(item: WriteItem) => Error | null> = [];
  /** Committed transactions and rows, for metrics. */
  readonly stats = { transactions: 0, rows: 0, failures: 0, busyRetries: 0, listenerFailures: 0 };

  constructor(
    private readonly db: Database,
    private readonly checkpoint: string,
    private readonly options: WriterOptions,
  ) {}

  async init(): Promise<void> {
    const k = this.db.knex;
    const [o, e, pruned] = await Promise.all([
      k('observations').where({ checkpoint: this.checkpoint }).max({ m: 'seq' }).first(),
      k('events').where({ checkpoint: this.checkpoint }).max({ m: 'seq' }).first(),
      k('hub_state').where({ checkpoint: this.checkpoint, key: PRUNED_THROUGH_SEQ }).first(),
    ]);
    this.lastSeq = Math.max(Number(o?.m ?? 0), Number(e?.m ?? 0), Number(pruned?.value ?? 0));
  }

  get sequence(): number {
    return this.lastSeq;
  }
  get pending(): number {
    return this.queue.length;
  }

  onCommitted(listener: CommitListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** A check every write passes before it is queued (e.g. the outbox refusing observations while its buffer is full). */
  addAdmissionCheck(check: (item: WriteItem) => Error | null): () => void {
    this.admission.push(check);
    return () => {
      const i = this.admission.indexOf(check);
      if (i >= 0) this.admission.splice(i, 1);
    };
  }

  write(item: WriteItem): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new WriterClosedError());
    if (item.type === 'maintenance') return this.enqueue(item);
    for (const check of this.admission) {
      const refused = check(item);
      if (refused) return Promise.reject(refused);
    }
    if (this.queue.length >= this.options.queueLimit) return Promise.reject(new QueueFullError(this.options.queueLimit));
    return this.enqueue(item);
  }

  private enqueue(item: WriteItem): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  /** Commits everything queued, then refuses new writes. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
  }

  private async flushLoop(): Promise<void> {
    await (this.options.maxDelayMs > 0 ? new Promise((r) => setTimeout(r, this.options.maxDelayMs)) : new Promise((r) => setImmediate(r)));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxRows);
      await this.commit(batch);
    }
    this.flushing = null;
  }

  private async commit(batch: Pending[]): Promise<void> {
    const startSeq = this.lastSeq;
    let written: BatchWritten;
    const giveUpAt = Date.now() + (this.options.busyRetryMs ?? 60_000);
    for (let attempt = 1; ; attempt++) {
      try {
        written = await this.db.knex.transaction((trx) =>
          this.writeBatch(
            trx,
            batch.map((p) => p.item),
          ),
        );
        break;
      } catch (err) {
        this.lastSeq = startSeq;
        // Another process (a CLI command) holds the write lock: the batch waits, nothing is refused.
        if (isBusy(err) && Date.now() < giveUpAt) {
          this.stats.busyRetries++;
          await new Promise((r) => setTimeout(r, Math.min(20 * attempt, 250)));
          continue;
        }
        this.stats.failures++;
        // The driver's message holds the SQL and the rows' bodies; what reaches status events and the feed must not.
        const error = Object.assign(new Error(`storage write failed: ${describeStorageError(err)}`, { cause: err }), { code: 'STORAGE_WRITE_FAILED' });
        for (const p of batch) p.reject(error);
        return;
      }
    }
    this.stats.transactions++;
    this.stats.rows += batch.length;
    const { results, onFeed } = written;
    batch.forEach((p, i) => p.resolve(results[i]!));
    const committed = onFeed.flatMap((item, i) => (item ? [{ item, result: results[i]! }] : []));
    for (const l of this.listeners) {
      try {
        l(committed);
      } catch (err) {
        // The writes are committed and resolved: a listener's failure must not fail them, nor stay silent.
        this.stats.listenerFailures++;
        const seqs = committed.map((c) => c.result.seq);
        this.options.errors?.record(
          'writer.commit-listener',
          err,
          { listener: l.name || 'anonymous', records: committed.length, firstSeq: seqs[0], lastSeq: seqs[seqs.length - 1] },
          'commit listener failed',
        );
      }
    }
  }

  private async writeBatch(trx: Knex.Transaction, items: WriteItem[]): Promise<BatchWritten> {
    // SQLite: take the write lock before reading, as BEGIN IMMEDIATE would (knex only issues BEGIN). A read
    // transaction that later upgrades to a write fails at once with SQLITE_BUSY when another process wrote
    // meanwhile; a write as the first statement waits under busy_timeout instead.
    if (this.db.dialect === 'sqlite') await takeWriteLock(trx);
    const known = await this.findDuplicates(trx, items);
    const results: WriteResult[] = [];
    const onFeed: Array<CommittedItem | null> = [];
    const observations: Record<string, unknown>[] = [];
    const events: Record<string, unknown>[] = [];
    const rawRefs: Record<string, unknown>[] = [];
    const statuses = new Map<string, DeviceStatus>();
    const applies: Array<(trx: Knex.Transaction) => Promise<void>> = [];
    const audits: Array<{ result: WriteResult; inputs: AuditInput[] }> = [];
    for (const item of items) {
      if (item.type === 'maintenance') {
        applies.push(item.apply);
        results.push({ id: item.what, seq: 0, duplicate: false });
        onFeed.push(null);
        continue;
      }
      if (item.type === 'audit') {
        if (item.apply) applies.push(item.apply);
        const result: WriteResult = { id: '', seq: 0, duplicate: false };
        audits.push({ result, inputs: item.audit });
        results.push(result);
        onFeed.push(item);
        continue;
      }
      if (item.type === 'observation') {
        const key = item.observation.sourceId === undefined ? null : `${item.observation.deviceId}\u0000${item.observation.sourceId}`;
        const earlier = key ? known.get(key) : undefined;
        if (earlier) {
          results.push({ ...earlier, duplicate: true });
          onFeed.push(null);
          continue;
        }
        const o = sequenced(item.observation, ++this.lastSeq);
        observations.push(observationRow(o));
        if (o.raw) rawRefs.push(...rawRefRows(o, o));
        const result = { id: o.id, seq: o.seq, duplicate: false };
        if (key) known.set(key, result);
        results.push(result);
        onFeed.push({ type: 'observation', observation: o });
      } else if (item.type === 'state') {
        applies.push(item.apply);
        results.push({ id: '', seq: 0, duplicate: false });
        onFeed.push(null);
      } else {
        const seq = ++this.lastSeq;
        events.push(eventRow(this.checkpoint, seq, item.event));
        if (item.deviceStatus) statuses.set(item.deviceStatus.deviceId, item.deviceStatus);
        if (item.apply) applies.push(item.apply);
        const result: WriteResult = { id: item.event.id, seq, duplicate: false };
        if (item.audit?.length) audits.push({ result, inputs: item.audit });
        results.push(result);
        onFeed.push(item);
      }
    }
    for (let i = 0; i < observations.length; i += CHUNK) await trx('observations').insert(observations.slice(i, i + CHUNK));
    for (let i = 0; i < events.length; i += CHUNK) await trx('events').insert(events.slice(i, i + CHUNK));
    for (let i = 0; i < rawRefs.length; i += CHUNK) await trx('raw_refs').insert(rawRefs.slice(i, i + CHUNK));
    for (const s of statuses.values()) {
      await trx('device_status')
        .insert({ device_id: s.deviceId, checkpoint: s.checkpoint, updated_at: s.updatedAt, body: JSON.stringify(s) })
        .onConflict('device_id')
        .merge();
    }
    for (const apply of applies) await apply(trx);
    // Last, so the chain head is read after every other write of the transaction took the write lock.
    if (audits.length > 0) {
      const appended = await appendAudit(
        trx,
        this.db.dialect,
        this.checkpoint,
        audits.flatMap((a) => a.inputs),
      );
      let i = 0;
      for (const a of audits) {
        const mine = appended.slice(i, i + a.inputs.length);
        i += a.inputs.length;
        a.result.auditSeqs = mine.map((m) => m.seq);
        if (!a.result.id) a.result.id = mine[0]?.id ?? '';
      }
    }
    return { results, onFeed };
  }

  /** (device, sourceId) pairs of this batch already stored. */
  private async findDuplicates(trx: Knex.Transaction, items: WriteItem[]): Promise<Map<string, WriteResult>> {
    const known = new Map<string, WriteResult>();
    const keyed = items.flatMap((i) => (i.type === 'observation' && i.observation.sourceId !== undefined ? [i.observation] : []));
    for (let i = 0; i < keyed.length; i += CHUNK) {
      const chunk = keyed.slice(i, i + CHUNK);
      const rows = await trx('observations')
        .select('id', 'seq', 'device_id', 'source_id')
        .whereIn('source_id', [...new Set(chunk.map((o) => o.sourceId!))])
        .whereIn('device_id', [...new Set(chunk.map((o) => o.deviceId))]);
      for (const r of rows) known.set(`${r.device_id}\u0000${r.source_id}`, { id: r.id, seq: Number(r.seq), duplicate: true });
    }
    return known;
  }
}

/** The row an observation is stored as; bench and tests use it for the raw-insert baseline. */
export function observationRow(o: Observation): Record<string, unknown> {
  const ids = [...o.conveyance.containers.map((c) => c.number), ...o.conveyance.plates.map((p) => p.number)];
  return {
    id: o.id,
    checkpoint: o.checkpoint,
    seq: o.seq,
    device_id: o.deviceId,
    lane: o.lane,
    kind: o.kind,
    source_id: o.sourceId ?? null,
    device_time: o.deviceTime,
    received_at: o.receivedAt,
    alarm: o.alarms.some((a) => a.level !== 'info'),
    identifiers: ids.length > 0 ? ` ${ids.join(' ')} `.slice(0, 500) : '',
    body: JSON.stringify(o),
  };
}

function eventRow(checkpoint: string, seq: number, e: FeedEventInput): Record<string, unknown> {
  return { id: e.id, checkpoint, seq, type: e.type, subject: e.subject, time: e.time, data: JSON.stringify(e.data) };
}

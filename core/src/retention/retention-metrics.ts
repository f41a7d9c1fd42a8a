import { Counter, Gauge, type Registry } from 'prom-client';
import type { PruneResult } from './pruner.js';
import type { DiskState } from './disk-watcher.js';

/** Retention and disk metrics, in the hub's registry. */
export class RetentionMetrics {
  private readonly deletedTotal: Counter<'kind'>;
  private readonly freedTotal: Counter<'kind'>;
  private readonly lastPass: Gauge;
  private readonly horizon: Gauge;
  private readonly free: Gauge;
  private readonly state: Gauge<'state'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.deletedTotal = new Counter({
      name: 'customs_hub_retention_deleted_total',
      help: 'Records and raw files retention deleted, by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.freedTotal = new Counter({
      name: 'customs_hub_retention_freed_bytes_total',
      help: 'Bytes of raw files retention deleted.',
      labelNames: ['kind'],
      registers,
    });
    this.lastPass = new Gauge({ name: 'customs_hub_retention_last_pass_timestamp_seconds', help: 'When the last retention pass ended.', registers });
    this.horizon = new Gauge({
      name: 'customs_hub_retention_acknowledged_seq',
      help: 'Feed sequence every acknowledger has; nothing after it is deleted.',
      registers,
    });
    this.free = new Gauge({ name: 'customs_hub_disk_free_bytes', help: 'Free bytes on the file system of the data directory.', registers });
    this.state = new Gauge({
      name: 'customs_hub_disk_state',
      help: 'Disk watermark state: 1 for the current one (ok, low, critical).',
      labelNames: ['state'],
      registers,
    });
  }

  deleted(kind: string, n: number, bytes: number): void {
    this.deletedTotal.inc({ kind }, n);
    if (bytes > 0) this.freedTotal.inc({ kind }, bytes);
  }

  pass(result: PruneResult, now: number): void {
    this.lastPass.set(now / 1000);
    this.horizon.set(result.horizon.seq);
  }

  disk(freeBytes: number, state: DiskState): void {
    this.free.set(freeBytes);
    for (const s of ['ok', 'low', 'critical'] as const) this.state.set({ state: s }, s === state ? 1 : 0);
  }
}

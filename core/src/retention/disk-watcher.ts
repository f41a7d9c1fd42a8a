import { freeBytes } from '@customs-hub/sdk/runtime';
import type { HubConfig } from '../config/types.js';
import { newId } from '../pipeline/ids.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { Logger } from '../util/logger.js';
import type { RetentionMetrics } from './retention-metrics.js';

export type DiskState = 'ok' | 'low' | 'critical';

/** The feed event of a watermark crossing. */
export const DISK_EVENT_TYPE = 'customs.hub.disk.v1';

export interface DiskWatcherDeps {
  dir: string;
  config: () => HubConfig;
  writer: GroupCommitWriter;
  logger: Logger;
  metrics?: RetentionMetrics;
  /** Called when the disk goes low or critical: the pruner runs early. */
  onLow(reason: string): void;
  /** The file system's free space (tests replace it). */
  statfs?: (dir: string) => Promise<{ free: number; total: number }>;
}

const MB = 1048576;

/**
 * Watches the data directory's free space against the two watermarks. Below the first, health is degraded
 * with the reason, a feed event says so and the pruner runs early; below the second, raw files are refused
 * (the raw store checks the same watermark itself, in every worker). Going back up needs a small margin above
 * a watermark, so the state does not flap around it.
 */
export class DiskWatcher {
  readonly name = 'disk-watcher';
  state: DiskState = 'ok';
  free = Number.NaN;
  total = Number.NaN;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<DiskState> | null = null;

  constructor(private readonly deps: DiskWatcherDeps) {}

  private get marks() {
    return this.deps.config().retention.disk;
  }

  async start(): Promise<void> {
    await this.check();
    const tick = () => {
      this.timer = setTimeout(() => {
        this.check()
          .catch((err) => this.deps.logger.error({ err }, 'disk check failed'))
          .finally(() => {
            if (this.timer) tick();
          });
      }, this.marks.checkIntervalMs);
      this.timer.unref?.();
    };
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.checking?.catch(() => undefined);
  }

  /** Why health is degraded, or null while the disk is fine. */
  reason(): string | null {
    if (this.state === 'ok') return null;
    const { lowFreeBytes, criticalFreeBytes } = this.marks;
    return this.state === 'critical'
      ? `disk critical: ${mb(this.free)} MB free, below ${mb(criticalFreeBytes)} MB; raw files are refused, observations still accepted`
      : `disk low: ${mb(this.free)} MB free, below ${mb(lowFreeBytes)} MB; retention runs early`;
  }

  check(): Promise<DiskState> {
    this.checking ??= this.doCheck().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async doCheck(): Promise<DiskState> {
    const { free, total } = await (this.deps.statfs ?? freeBytes)(this.deps.dir);
    this.free = free;
    this.total = total;
    const next = this.classify(free);
    this.deps.metrics?.disk(free, next);
    if (next !== this.state) {
      const previous = this.state;
      this.state = next;
      const reason = this.reason() ?? `disk ok again: ${mb(free)} MB free`;
      this.deps.logger[next === 'critical' ? 'error' : next === 'low' ? 'warn' : 'info']({ from: previous, to: next, freeBytes: free }, reason);
      this.publish(previous, reason);
      if (next !== 'ok') this.deps.onLow(reason);
    } else if (next !== 'ok') {
      this.deps.onLow(this.reason()!);
    }
    return next;
  }

  private classify(free: number): DiskState {
    const { lowFreeBytes, criticalFreeBytes } = this.marks;
    const margin = (mark: number) => Math.min(mark * 0.05, 256 * MB);
    if (free < criticalFreeBytes || (this.state === 'critical' && free < criticalFreeBytes + margin(criticalFreeBytes))) return 'critical';
    if (free < lowFreeBytes || (this.state !== 'ok' && free < lowFreeBytes + margin(lowFreeBytes))) return 'low';
    return 'ok';
  }

  /** A feed event, so the central system sees the checkpoint's disk trouble; a small write, accepted at any level. */
  private publish(previous: DiskState, reason: string): void {
    const cp = this.deps.config().checkpoint.id;
    const { lowFreeBytes, criticalFreeBytes } = this.marks;
    this.deps.writer
      .write({
        type: 'event',
        event: {
          id: newId(),
          type: DISK_EVENT_TYPE,
          subject: cp,
          time: new Date().toISOString(),
          data: { checkpoint: cp, state: this.state, previous, reason, freeBytes: this.free, totalBytes: this.total, lowFreeBytes, criticalFreeBytes },
        },
      })
      .catch((err) => this.deps.logger.error({ err: (err as Error).message }, 'disk event not written'));
  }
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

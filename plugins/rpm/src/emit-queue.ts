import { Readable } from 'node:stream';
import { ObservationRejectedError, type DriverContext, type ObservationDraft } from '@customs-hub/sdk';
import type { LinkStats } from './link-stats.js';
import type { BuiltPassage } from './passage/passage-builder.js';

const HIGH_WATER = 256;
const LOW_WATER = 32;
const RETRIES = 2;

/**
 * Emits one observation at a time, in order, awaiting each (the hub's backpressure). When too much
 * is waiting, onPressure(true) asks the transport to stop reading until the queue drains.
 * A refused emit is retried briefly unless the hub rejected the observation itself; then it is
 * counted and reported as a failure, never thrown.
 */
export class EmitQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly ctx: DriverContext<unknown>,
    private readonly stats: LinkStats,
    private readonly onPressure: (high: boolean) => void,
  ) {}

  draft(draft: ObservationDraft): void {
    this.push(async () => {
      await this.emit(draft);
    });
  }

  /** Stores the passage's sample series raw, then emits the passage referring to it. */
  passage(p: BuiltPassage): void {
    this.push(async () => {
      const draft = p.draft;
      try {
        const ref = await this.ctx.storeRaw(Readable.from([Buffer.from(p.samplesCsv)]), {
          contentType: 'text/csv',
          role: 'samples',
          name: `passage-${draft.payload.occupancyStart.replace(/[:.]/g, '')}.csv`,
        });
        draft.raw = [ref];
      } catch (err) {
        this.ctx.logger.error({ err: (err as Error).message }, 'could not store passage samples');
        const q = draft.quality ?? { status: 'good' };
        draft.quality = { status: q.status === 'bad' ? 'bad' : 'uncertain', reasons: [...(q.reasons ?? []), `samples not stored: ${(err as Error).message}`] };
      }
      if (await this.emit(draft)) this.stats.passages++;
    });
  }

  /** Resolves when everything queued so far has been emitted (or given up on). */
  drain(): Promise<void> {
    return this.tail;
  }

  private push(job: () => Promise<void>): void {
    if (++this.pending === HIGH_WATER) this.onPressure(true);
    this.tail = this.tail.then(job).finally(() => {
      if (--this.pending === LOW_WATER) this.onPressure(false);
    });
  }

  private async emit(draft: ObservationDraft): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ctx.emit(draft);
        return true;
      } catch (err) {
        const rejected = err instanceof ObservationRejectedError;
        if (rejected || attempt >= RETRIES || this.ctx.signal.aborted) {
          this.stats.emitFailures++;
          this.ctx.status.failure(err as Error);
          this.ctx.logger.error({ kind: draft.kind, err: (err as Error).message }, rejected ? 'observation rejected' : 'emit failed');
          return false;
        }
        try {
          await this.ctx.clock.sleep(100 * (attempt + 1), this.ctx.signal);
        } catch {
          // stopping: one last try right away
        }
      }
    }
  }
}

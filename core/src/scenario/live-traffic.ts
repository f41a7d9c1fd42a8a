import type { ObservationPipeline } from '../pipeline/observation-pipeline.js';
import type { DeclarationStore } from '../declarations/declaration-store.js';
import type { Logger } from '../util/logger.js';
import { draftsFor, type TimedDraft } from './drafts.js';
import { Random } from './random.js';
import { generateTraffic, type Delivery } from './traffic.js';

export interface LiveTrafficOptions {
  /** Lanes the synthetic trucks pass; their devices are `ocr-<lane>`, `rpm-<lane>`, `scale-<lane>`, `xray-<lane>`. */
  lanes: string[];
  /** Mean seconds between trucks on a lane. */
  intervalS: number;
  seed: number;
}

/** How far ahead of a truck's arrival its declaration is sent, as a pre-arrival manifest would be. */
const PRE_ARRIVAL_MS = 60_000;
/** Traffic starts this far in the past, so the demo opens on lanes already busy (the backlog arrives at once). */
const WARM_UP_MS = 150_000;

/**
 * The scenario's traffic in real time, for the demo checkpoint: seeded trucks with their declarations
 * pass a lane's devices, whose readings go through the same pipeline as a driver's, at the time a
 * device would send them. Clean and risky deliveries mix as in the scenario benchmark.
 */
export class LiveTraffic {
  private timer: NodeJS.Timeout | null = null;
  private deliveries: Delivery[] = [];
  private next = 0;
  private queue: TimedDraft[] = [];
  private busy = false;
  private readonly random: Random;

  constructor(
    private readonly options: LiveTrafficOptions,
    private readonly pipeline: ObservationPipeline,
    private readonly declarations: DeclarationStore,
    private readonly logger: Logger,
  ) {
    this.random = new Random(options.seed);
  }

  start(now = Date.now()): void {
    this.deliveries = this.day(now - WARM_UP_MS, 1);
    this.timer = setInterval(() => void this.tick(), 250);
    this.logger.info(
      { lanes: this.options.lanes, intervalS: this.options.intervalS, seed: this.options.seed },
      'demo traffic: synthetic trucks with declarations',
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A day of trucks from `start`; ids continue from the previous day so declarations and readings stay unique. */
  private day(start: number, firstId: number): Delivery[] {
    const perLane = Math.max(1, Math.round(86_400 / this.options.intervalS));
    return generateTraffic(this.random, { start, lanes: this.options.lanes, perLane, firstId });
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = Date.now();
      if (this.next === this.deliveries.length) {
        const nextId = Math.max(...this.deliveries.map((d) => d.id)) + 1;
        this.deliveries = this.day(this.deliveries.at(-1)!.arrival, nextId);
        this.next = 0;
      }
      while (this.next < this.deliveries.length && this.deliveries[this.next]!.arrival <= now + PRE_ARRIVAL_MS) {
        const d = this.deliveries[this.next++]!;
        await this.declarations.submit(d.declaration).catch((err: Error) => this.logger.warn({ err: err.message }, 'demo traffic: declaration refused'));
        this.queue.push(...draftsFor(this.random, d));
        this.queue.sort((a, b) => a.emitAt - b.emitAt);
      }
      while (this.queue.length > 0 && this.queue[0]!.emitAt <= now) {
        const t = this.queue.shift()!;
        const source = { deviceId: t.deviceId, lane: t.lane, plugin: { name: 'demo-traffic', version: '1.0.0' }, kinds: [t.kind] };
        await this.pipeline
          .emit(source, t.draft)
          .catch((err: Error) => this.logger.warn({ device: t.deviceId, err: err.message }, 'demo traffic: reading refused'));
      }
    } finally {
      this.busy = false;
    }
  }
}

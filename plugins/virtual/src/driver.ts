import type { Driver, DriverContext } from '@customs-hub/sdk';
import type { VirtualConfig } from './config.js';
import { seededRandom } from '@customs-hub/sdk';
import { makeReading } from './readings.js';

/** Emits readings at the configured rate, waiting for each emit: the hub's backpressure paces it. */
export class VirtualDriver implements Driver<VirtualConfig> {
  private loop: Promise<void> | null = null;
  private readonly controller = new AbortController();

  private config!: VirtualConfig;

  async start(ctx: DriverContext<VirtualConfig>): Promise<void> {
    this.config = ctx.config;
    const signal = AbortSignal.any([ctx.signal, this.controller.signal]);
    this.loop = this.run(ctx, signal);
    ctx.status.ok('virtual device started');
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.loop;
  }

  private async run(ctx: DriverContext<VirtualConfig>, signal: AbortSignal): Promise<void> {
    const rand = seededRandom(this.config.seed ?? 1);
    const period = 1000 / this.config.rate;
    for (let n = 0; !signal.aborted; n++) {
      try {
        await ctx.emit(makeReading(this.config, rand, n, ctx.clock.now()));
      } catch (err) {
        if (signal.aborted) break;
        ctx.status.failure(err as Error);
      }
      try {
        await ctx.clock.sleep(period, signal);
      } catch {
        break;
      }
    }
  }
}

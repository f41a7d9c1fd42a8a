import type { Driver, DriverContext, HealthReport } from '@customs-hub/sdk';
import { AsciiTransport } from './ascii/ascii-transport.js';
import { resolveConfig, type ResolvedConfig, type RpmConfig } from './config.js';
import { EmitQueue } from './emit-queue.js';
import type { EventSink, RpmEvent, Transport } from './events.js';
import { LinkStats } from './link-stats.js';
import { ModbusTransport } from './modbus/modbus-transport.js';
import { resolveMap } from './modbus/register-map.js';
import { PassageBuilder, type Output } from './passage/passage-builder.js';

/**
 * One portal monitor: a transport feeds decoded messages to the passage builder, whose passages
 * and device events go out through one ordered emit queue; link statistics go out as telemetry.
 */
export class RpmDriver implements Driver<RpmConfig> {
  private config!: ResolvedConfig;
  private readonly stats = new LinkStats();
  private ctx: DriverContext<RpmConfig> | null = null;
  private transport: Transport | null = null;
  private queue: EmitQueue | null = null;
  private builder: PassageBuilder | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastStats = 0;
  private healthy = false;
  private linkUp = false;
  private stopped = false;

  async start(ctx: DriverContext<RpmConfig>): Promise<void> {
    this.config = resolveConfig(ctx.config);
    if (this.config.transport === 'modbus') resolveMap(this.config.modbus.map, this.config.panels); // throws on a bad map
    this.ctx = ctx;
    const c = this.config;
    this.queue = new EmitQueue(ctx, this.stats, (high) => (high ? this.transport?.pause() : this.transport?.resume()));
    this.builder = new PassageBuilder({
      panels: c.panels,
      thresholds: { nSigma: c.gamma.nSigma, neutronThreshold: c.neutron.threshold, normRatioDrop: c.norm.ratioDrop },
      useDeviceSetup: c.gamma.useDeviceSetup,
      backgroundSpan: c.background.samples,
      backgroundChangeFraction: c.background.changeFraction,
      occupancyTimeoutS: c.occupancyTimeoutS,
      gammaIntervalS: c.transport === 'ascii' ? c.ascii.scanIntervalS : 0.2,
      neutronIntervalS: c.transport === 'ascii' ? c.ascii.neutronIntervalS : 0.2,
    });
    const logger = ctx.logger.child({ transport: c.transport, endpoint: `${c.host}:${c.port}` });
    this.transport = c.transport === 'ascii' ? new AsciiTransport(c, this.sink(), ctx.clock, logger) : new ModbusTransport(c, this.sink(), ctx.clock, logger);
    this.lastStats = ctx.clock.now().getTime();
    this.timer = setInterval(() => this.tick(), Math.min(1000, c.statsIntervalS * 1000));
    this.transport.start();
  }

  async stop(): Promise<void> {
    if (this.stopped || !this.ctx) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.transport?.stop();
    const now = this.ctx.clock.now();
    this.dispatch(this.builder!.flush(now));
    this.queue!.draft(this.stats.telemetry(now));
    await this.queue!.drain();
  }

  async health(): Promise<HealthReport> {
    return this.linkUp ? { ok: true, detail: 'connected' } : { ok: false, detail: `not connected to ${this.config.host}:${this.config.port}` };
  }

  private tick(): void {
    const ctx = this.ctx!;
    const now = ctx.clock.now();
    this.dispatch(this.builder!.tick(now));
    if (now.getTime() - this.lastStats >= this.config.statsIntervalS * 1000) {
      this.lastStats = now.getTime();
      this.queue!.draft(this.stats.telemetry(now));
    }
  }

  private dispatch(outputs: Output[]): void {
    for (const o of outputs) {
      if (o.kind === 'passage') {
        this.queue!.passage(o.passage);
        continue;
      }
      this.queue!.draft(o.draft);
      // A background fault leaves the portal working but its results uncertain.
      const { event, message } = o.draft.payload;
      if (event === 'fault') this.ctx!.status.degraded(message ?? 'device fault');
      if (event === 'fault-cleared' && this.builder!.activeFaults.length === 0) this.ok('faults cleared');
    }
  }

  private sink(): EventSink {
    const ctx = this.ctx!;
    const stats = this.stats;
    return {
      event: (e: RpmEvent, at: Date) => {
        if (e.type === 'gamma') stats.samplesReceived++;
        if (!this.healthy) this.ok('receiving data');
        this.dispatch(this.builder!.handle(e, at));
      },
      malformed: (reason, input) => {
        stats.linesMalformed++;
        this.healthy = false;
        ctx.status.failure(new Error(`malformed message: ${reason}`));
        ctx.logger.warn({ input: input.slice(0, 80) }, `malformed message: ${reason}`);
      },
      unknown: (input) => {
        stats.linesUnknown++;
        ctx.logger.debug({ input: input.slice(0, 80) }, 'message kind not used');
      },
      linkUp: (reconnected) => {
        this.linkUp = true;
        if (reconnected) stats.reconnects++;
        this.builder!.linkUp();
        this.ok(reconnected ? 'reconnected' : 'connected');
      },
      linkDown: (reason) => {
        this.linkUp = false;
        this.healthy = false;
        stats.linkErrors++;
        ctx.status.failure(reason);
        ctx.logger.warn({ err: reason.message }, 'link down');
        this.dispatch(this.builder!.linkDown(ctx.clock.now()));
      },
      failure: (err) => {
        stats.linkErrors++;
        this.healthy = false;
        ctx.status.failure(err);
        ctx.logger.debug({ err: err.message }, 'attempt failed');
      },
      lost: (samples) => {
        stats.samplesLost += samples;
        ctx.logger.warn({ samples }, 'samples lost');
      },
    };
  }

  private ok(detail: string): void {
    this.healthy = true;
    const faults = this.builder?.activeFaults ?? [];
    if (faults.length > 0) this.ctx!.status.degraded(`device fault active: ${faults.join(', ')}`);
    else this.ctx!.status.ok(detail);
  }
}

import { ModbusLink, PollScheduler } from '@customs-hub/modbus-link';
import type { Driver, DriverContext, HealthReport } from '@customs-hub/sdk';
import { planBlocks, type ReadBlock } from './blocks.js';
import type { ModbusDeviceConfig } from './config.js';
import type { Profile } from './profile.js';
import { ProfileError } from './profile-error.js';
import { loadProfile } from './profile-loader.js';
import { decodeBlocks, toDraft, type BlockData } from './reading.js';
import { WeighingDetector } from './weighing.js';

/**
 * Polls one Modbus device as its profile describes and emits one observation per poll — or, for a
 * weighbridge profile with `weighing:`, one weighing per vehicle.
 */
export class ModbusDeviceDriver implements Driver<ModbusDeviceConfig> {
  private readonly controller = new AbortController();
  private link: ModbusLink | null = null;
  private scheduler: PollScheduler | null = null;
  private healthy = false;
  private weighing: WeighingDetector | null = null;

  async start(ctx: DriverContext<ModbusDeviceConfig>): Promise<void> {
    const config = ctx.config;
    let profile: Profile;
    try {
      profile = await loadProfile(config.profile);
    } catch (err) {
      if (err instanceof ProfileError) ctx.status.fault(err);
      throw err;
    }
    const unitId = config.unitId ?? profile.unitId;
    const framing = config.framing ?? profile.framing;
    const logger = ctx.logger.child({ profile: profile.name, endpoint: `${config.host}:${config.port}`, unitId });
    const signal = AbortSignal.any([ctx.signal, this.controller.signal]);
    const link = new ModbusLink({ host: config.host, port: config.port, framing, timeoutMs: config.timeoutMs, signal });
    link.on('connected', () => logger.info('connected'));
    link.on('disconnected', (err) => logger.warn({ err: err.message }, 'connection lost'));
    link.on('error', (err) => logger.debug({ err: err.message }, 'link error'));
    this.link = link;
    this.weighing = profile.weighing ? new WeighingDetector(profile.weighing) : null;
    const blocks = planBlocks(profile.registers);
    const scheduler = new PollScheduler({
      clock: { now: () => ctx.clock.now().getTime(), sleep: (ms, s) => ctx.clock.sleep(ms, s) },
      onError: (_task, err) => this.report(ctx, err),
    });
    scheduler.add({
      name: profile.name,
      intervalMs: config.pollIntervalMs ?? profile.pollIntervalMs,
      run: (s) => this.poll(ctx, profile, link, unitId, blocks, s),
    });
    this.scheduler = scheduler;
    logger.info({ blocks: blocks.length, framing }, 'polling');
    scheduler.start();
  }

  async stop(): Promise<void> {
    this.controller.abort(new Error('driver stopped'));
    await this.scheduler?.stop();
    await this.link?.close();
  }

  async health(): Promise<HealthReport> {
    return { ok: this.healthy, detail: this.link?.connected ? 'connected' : 'not connected' };
  }

  private async poll(
    ctx: DriverContext<ModbusDeviceConfig>,
    profile: Profile,
    link: ModbusLink,
    unitId: number,
    blocks: ReadBlock[],
    signal: AbortSignal,
  ): Promise<void> {
    const data: BlockData[] = [];
    try {
      for (const b of blocks) data.push(await read(link, unitId, b, signal));
    } catch (err) {
      if (!signal.aborted) this.report(ctx, err);
      return;
    }
    try {
      const values = decodeBlocks(blocks, data);
      const draft = toDraft(profile, blocks, data, values, ctx.clock.now());
      const out = this.weighing ? this.weighing.poll(draft as never) : draft;
      if (out) await ctx.emit(out);
    } catch (err) {
      if (!signal.aborted) this.report(ctx, err);
      return;
    }
    if (!this.healthy) ctx.status.ok(`${profile.name} answering`);
    this.healthy = true;
  }

  private report(ctx: DriverContext<ModbusDeviceConfig>, err: unknown): void {
    this.healthy = false;
    const error = err instanceof Error ? err : new Error(String(err));
    ctx.logger.warn({ err: error.message, code: (error as { code?: unknown }).code }, 'poll failed');
    ctx.status.failure(error);
  }
}

function read(link: ModbusLink, unitId: number, b: ReadBlock, signal: AbortSignal): Promise<BlockData> {
  switch (b.functionCode) {
    case 1:
      return link.readCoils(unitId, b.address, b.count, { signal });
    case 2:
      return link.readDiscreteInputs(unitId, b.address, b.count, { signal });
    case 3:
      return link.readHoldingRegisters(unitId, b.address, b.count, { signal });
    case 4:
      return link.readInputRegisters(unitId, b.address, b.count, { signal });
  }
}

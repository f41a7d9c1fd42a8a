import type { FileResult, HealthReport, ReceivedFile } from '@customs-hub/sdk';
import type { DeviceSpec } from './device-spec.js';
import { applyReport, logFrom, sourceOf, type DeviceGroup, type GroupDeps } from './device-group.js';
import { SWALLOWED } from '../util/swallowed-errors.js';
import { DriverRunner } from './driver-runner.js';
import type { HubPort } from './hub-port.js';

/**
 * Runs drivers on the hub's own thread: for debugging a plugin (breakpoints, profiles).
 * A driver that throws in a callback or blocks the loop takes the hub with it, hence not the default.
 */
export class InProcessGroup implements DeviceGroup {
  private runners = new Map<string, DriverRunner>();

  constructor(
    readonly id: string,
    readonly devices: DeviceSpec[],
    private readonly deps: GroupDeps,
  ) {}

  async start(): Promise<void> {
    const s = this.deps.supervisor;
    const port: HubPort = {
      emit: (deviceId, draft) => this.deps.emit(sourceOf(this.spec(deviceId)), draft),
      status: (deviceId, report, detail, code) => applyReport(this.deps.tracker(deviceId), report, detail, code),
      log: (deviceId, level, bindings, msg) => logFrom(this.deps, this.spec(deviceId), level, bindings, msg),
    };
    for (const d of this.devices) {
      try {
        this.runners.set(d.id, new DriverRunner(d, port, this.deps.rawDir, s));
      } catch (err) {
        this.deps.tracker(d.id).fault(`cannot load plugin module: ${(err as Error).message}`, 'LOAD_FAILED');
      }
    }
    await Promise.all([...this.runners.values()].map((r) => r.start()));
  }

  async stop(): Promise<void> {
    await Promise.allSettled(
      [...this.runners.entries()].map(async ([id, r]) => {
        try {
          await r.stop();
        } catch (err) {
          logFrom(this.deps, this.spec(id), 'warn', { [SWALLOWED]: 'driver.stop', err }, 'driver stop failed');
        }
        this.deps.tracker(id).stopped();
      }),
    );
    this.runners.clear();
  }

  acceptFile(deviceId: string, file: ReceivedFile): Promise<FileResult> {
    const r = this.runners.get(deviceId);
    return r ? r.acceptFile(file) : Promise.reject(new Error(`device ${deviceId} is not running`));
  }

  health(deviceId: string): Promise<HealthReport | null> {
    const r = this.runners.get(deviceId);
    return r ? r.health() : Promise.reject(new Error(`device ${deviceId} is not running`));
  }

  private spec(deviceId: string): DeviceSpec {
    return this.devices.find((d) => d.id === deviceId)!;
  }
}

import type { EmitReceipt, FileResult, HealthReport, ObservationDraft, ReceivedFile } from '@customs-hub/sdk';
import type { SupervisorConfig } from '../config/types.js';
import type { DeviceStatusTracker } from '../devices/status-tracker.js';
import type { EmitSource } from '../pipeline/observation-pipeline.js';
import { LogThrottle } from '../devices/log-throttle.js';
import type { Logger } from '../util/logger.js';
import { SWALLOWED, type SwallowedErrors } from '../util/swallowed-errors.js';
import type { DeviceSpec } from './device-spec.js';
import type { LogLevel, StatusReport } from './hub-port.js';

/** Devices that run together (one worker thread, or in-process) and are started, stopped and restarted together. */
export interface DeviceGroup {
  readonly id: string;
  readonly devices: DeviceSpec[];
  start(): Promise<void>;
  stop(): Promise<void>;
  acceptFile(deviceId: string, file: ReceivedFile): Promise<FileResult>;
  health(deviceId: string): Promise<HealthReport | null>;
}

export interface GroupDeps {
  emit(source: EmitSource, draft: ObservationDraft): Promise<EmitReceipt>;
  tracker(deviceId: string): DeviceStatusTracker;
  logger: Logger;
  /** Counts the driver log lines marked `swallowed` (errors a driver or its runner dropped on purpose). */
  errors?: SwallowedErrors;
  supervisor: SupervisorConfig;
  rawDir: string;
}

export function sourceOf(spec: DeviceSpec): EmitSource {
  return { deviceId: spec.id, lane: spec.lane, plugin: { name: spec.plugin.name, version: spec.plugin.version }, kinds: spec.plugin.kinds };
}

/** Applies a driver's status report to the device's state machine. */
export function applyReport(tracker: DeviceStatusTracker, report: StatusReport, detail: string, code?: string): void {
  switch (report) {
    case 'ok':
      tracker.ok(detail);
      break;
    case 'degraded':
      tracker.degraded(detail);
      break;
    case 'failure':
      tracker.failure(detail, code);
      break;
    case 'fault':
      tracker.fault(detail, code);
      break;
  }
}

const throttles = new WeakMap<Logger, Map<string, LogThrottle>>();

/**
 * A driver's log line, through its device's throttle (one per hub logger and device). A line marked
 * `swallowed: site` is counted first, as `<plugin>/<site>`, even when the throttle holds it back.
 */
export function logFrom(deps: Pick<GroupDeps, 'logger' | 'errors'>, spec: DeviceSpec, level: LogLevel, bindings: Record<string, unknown>, msg: string): void {
  const site = bindings[SWALLOWED];
  if (typeof site === 'string') deps.errors?.count(`${spec.plugin.name}/${site.slice(0, 60)}`);
  const logger = deps.logger;
  let byDevice = throttles.get(logger);
  if (!byDevice) throttles.set(logger, (byDevice = new Map()));
  let t = byDevice.get(spec.id);
  if (!t) byDevice.set(spec.id, (t = new LogThrottle(logger.child({ plugin: spec.plugin.name, device: spec.id }))));
  t.write(level, bindings, msg);
}

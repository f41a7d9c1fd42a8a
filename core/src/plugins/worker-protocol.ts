import type { EmitReceipt, ObservationDraft } from '@customs-hub/sdk';
import type { DeviceSpec, RunnerTimeouts, WireError } from './device-spec.js';
import type { LogLevel, StatusReport } from './hub-port.js';

export interface WorkerInit {
  devices: DeviceSpec[];
  rawDir: string;
  timeouts: RunnerTimeouts;
}

/** Worker → hub. */
export type FromWorker =
  | { t: 'started' }
  | { t: 'emit'; rid: number; deviceId: string; draft: ObservationDraft }
  | { t: 'status'; deviceId: string; report: StatusReport; detail: string; code?: string }
  | { t: 'log'; deviceId: string; level: LogLevel; bindings: Record<string, unknown>; msg: string }
  | { t: 'pong'; n: number }
  | { t: 'result'; rid: number; ok: true; value: unknown }
  | { t: 'result'; rid: number; ok: false; error: WireError }
  | { t: 'stopped' };

/** Hub → worker. */
export type ToWorker =
  | { t: 'ping'; n: number }
  | { t: 'ack'; rid: number; receipt: EmitReceipt }
  | { t: 'nack'; rid: number; error: WireError }
  | { t: 'call'; rid: number; deviceId: string; method: 'acceptFile' | 'health'; arg?: unknown }
  | { t: 'stop' };

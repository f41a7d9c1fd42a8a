import type { DeviceInfo } from '../context.js';
import type { EmitReceipt, ObservationDraft } from '../model/observation.js';
import type { WireError } from '../wire-error.js';
import type { StatusRecord } from './harness.js';

export interface HarnessWorkerData {
  modulePath: string;
  config: unknown;
  device: DeviceInfo;
  dataDir: string;
}

/** What the driver's side of the boundary saw when an emit was refused. */
export interface RefusalSeen {
  name: string;
  message: string;
  code?: string;
  isObservationRejected: boolean;
  isError: boolean;
}

export type FromHarnessWorker =
  | { t: 'started' }
  | { t: 'start-failed'; error: WireError }
  | { t: 'emit'; rid: number; draft: ObservationDraft }
  | { t: 'status'; type: StatusRecord['type']; detail: string }
  | { t: 'log'; level: string; msg: string; bindings: Record<string, unknown> }
  | { t: 'refusal-seen'; seen: RefusalSeen }
  | { t: 'stopped'; leftovers: string[]; error?: WireError };

export type ToHarnessWorker = { t: 'ack'; rid: number; receipt: EmitReceipt } | { t: 'nack'; rid: number; error: WireError } | { t: 'stop' };

import type { ObservationKind } from '@customs-hub/sdk';

/** Everything needed to run one device's driver, in a worker or in-process; structured-clone safe. */
export interface DeviceSpec {
  id: string;
  checkpoint: string;
  lane: string | null;
  plugin: { name: string; version: string; kinds: ObservationKind[] };
  modulePath: string;
  config: Record<string, unknown>;
  dataDir: string;
  /** The critical disk watermark: the raw store refuses files below this much free space. */
  rawMinFreeBytes: number;
}

export interface RunnerTimeouts {
  startTimeoutMs: number;
  stopTimeoutMs: number;
  restartInitialDelayMs: number;
  restartMaxDelayMs: number;
}

/** Errors cross the worker boundary with the SDK's codec, so SDK error classes survive it. */
export { fromWireError, toWireError, type WireError } from '@customs-hub/sdk/runtime';

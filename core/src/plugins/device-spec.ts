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

/** A serialized error that crosses a worker boundary. */
export interface WireError { name: string; message: string; code?: string; reason?: string }

export function toWireError(err: unknown): WireError {
  const e = err instanceof Error ? err : new Error(String(err));
  const out: WireError = { name: e.name, message: e.message };
  const extra = e as Error & { code?: unknown; reason?: unknown };
  if (typeof extra.code === 'string') out.code = extra.code;
  if (typeof extra.reason === 'string') out.reason = extra.reason;
  return out;
}

export function fromWireError(w: WireError): Error {
  const e = new Error(w.message) as Error & { code?: string; reason?: string };
  e.name = w.name;
  if (w.code) e.code = w.code;
  if (w.reason) e.reason = w.reason;
  return e;
}

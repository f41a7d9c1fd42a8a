import type { Readable } from 'node:stream';
import type { EmitReceipt, ObservationDraft, RawRef } from './model/observation.js';

/** A pino-compatible structured logger, already scoped to the plugin and device. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Time as the hub sees it; tests replace it. */
export interface Clock {
  now(): Date;
  /** Resolves after ms, or rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Where a device sits: checkpoint, lane and its configured id. */
export interface DeviceInfo {
  id: string;
  checkpoint: string;
  lane: string | null;
}

/**
 * How a driver tells the hub how its device is doing. The hub turns these into the device's
 * status (state machine): failures are counted, and a device goes offline after the configured count.
 */
export interface StatusReporter {
  /** The device answered and works. */
  ok(detail?: string): void;
  /** It works, but not fully (a panel missing, high background): the device stays degraded until `ok()`. */
  degraded(reason: string): void;
  /**
   * One failed attempt (timeout, refused connection, malformed frame). An online device goes degraded, and back
   * online by itself with its next accepted reading; offline after the configured count of failures in a row.
   */
  failure(error: Error | string): void;
  /** The device cannot work until someone acts (bad credentials, wrong firmware). */
  fault(error: Error | string): void;
}

export interface StoreRawOptions {
  contentType?: string;
  name?: string;
  role?: string;
  /** A sha256 the source claims; a mismatch rejects the store with RawHashMismatchError. */
  expectedSha256?: string;
}

/** Streams a file into the hub's raw store, hashing as it goes; never buffered whole. */
export type StoreRaw = (source: Readable | AsyncIterable<Uint8Array>, options?: StoreRawOptions) => Promise<RawRef>;

/** Everything a driver gets from the hub. A driver reaches for nothing else. */
export interface DriverContext<C = unknown> {
  device: DeviceInfo;
  /** The device's config, validated against the plugin's configSchema. */
  config: C;
  logger: Logger;
  /** Aborted when the hub stops the driver. */
  signal: AbortSignal;
  clock: Clock;
  /** A directory private to this device, kept across restarts (cursors, spools). */
  dataDir: string;
  /** Resolves when the hub has durably stored the observation; rejects if it was refused. */
  emit<K extends ObservationDraft['kind']>(draft: ObservationDraft<K>): Promise<EmitReceipt>;
  status: StatusReporter;
  storeRaw: StoreRaw;
}

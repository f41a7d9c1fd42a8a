import type { DriverContext, Logger, StoreRaw } from './context.js';
import type { ObservationDraft, ObservationKind } from './model/observation.js';

/** A JSON Schema (draft-07) object. */
export type JsonSchema = Record<string, unknown>;

/** What a device plugin declares about itself. Checked by the hub at load. */
export interface PluginManifest {
  /** Unique plugin name used in checkpoint configs, e.g. "rpm". */
  name: string;
  /** The plugin's own semver version. */
  version: string;
  /** The SDK versions this plugin works with, as a semver range, e.g. "^1.0.0". */
  sdk: string;
  description?: string;
  /** Observation kinds the plugin emits; anything else it emits is rejected. */
  kinds: ObservationKind[];
  /** JSON Schema of one device's `config` block. */
  configSchema: JsonSchema;
}

export interface HealthReport {
  ok: boolean;
  detail?: string;
}

/** A file handed to a driver (HTTP upload or hot folder), already in the hub's raw store. */
export interface ReceivedFile {
  path: string;
  name: string;
  sha256: string;
  size: number;
}

/** What a driver did with a received file. */
export interface FileResult {
  observations: number;
  duplicates?: number;
  /** What was read only in part (a cut-off last document), for the sender; the rest was ingested. */
  warnings?: string[];
}

/**
 * One running device. Created per device by the plugin's createDriver; its config arrives once, typed, as
 * `ctx.config` at start (validated against the manifest's configSchema).
 */
export interface Driver<C = unknown> {
  /** Start talking to the device. Resolve once started; long-running work continues in the background. */
  start(ctx: DriverContext<C>): Promise<void>;
  /** Stop all work (timers, sockets, watchers). The hub waits for it, with a timeout. */
  stop(): Promise<void>;
  /** Optional: probed by the hub while the device is offline. */
  health?(): Promise<HealthReport>;
  /** Optional: accept a file uploaded to this device through the hub's API. Throw RejectedInputError to refuse it. */
  acceptFile?(file: ReceivedFile): Promise<FileResult>;
}

/** What a file reader gets: a place to store referenced raw files, and a logger. */
export interface FileReadContext {
  storeRaw: StoreRaw;
  logger: Logger;
}

/**
 * Optional: turn a file into observation drafts without a running device
 * (used by `customs-hub inspect` and by drivers that ingest files).
 */
export interface FileReader {
  /** Does this plugin read this file? `head` is the first 4 KiB. */
  accepts(file: { name: string; head: Buffer }): boolean;
  /** Read the file. Throw RejectedInputError with a precise reason for a bad file. */
  read(file: { path: string; name: string }, ctx: FileReadContext): Promise<ObservationDraft[]>;
}

/** A device plugin as the hub loads it. Make one with definePlugin. */
export interface DevicePlugin<C = unknown> {
  readonly type: 'customs-hub/device-plugin';
  readonly manifest: PluginManifest;
  /**
   * A driver for one device; it gets the device's config in its context at start (`ctx.config`). The hub also
   * passes the config here, for plugins written before SDK 1.1 that read it from this argument.
   */
  createDriver(config?: C): Driver<C>;
  readonly files?: FileReader;
}

/**
 * Declares a device plugin. Export the result as `plugin` from the package's main module.
 * Declaring does no I/O; the hub starts drivers later.
 */
export function definePlugin<C = unknown>(definition: { manifest: PluginManifest; createDriver(config?: C): Driver<C>; files?: FileReader }): DevicePlugin<C> {
  const { manifest } = definition;
  if (!manifest || typeof manifest.name !== 'string' || manifest.name.length === 0) {
    throw new TypeError('definePlugin: manifest.name is required');
  }
  for (const key of ['version', 'sdk'] as const) {
    if (typeof manifest[key] !== 'string') throw new TypeError(`definePlugin(${manifest.name}): manifest.${key} is required`);
  }
  if (!Array.isArray(manifest.kinds) || manifest.kinds.length === 0) {
    throw new TypeError(`definePlugin(${manifest.name}): manifest.kinds must list the observation kinds it emits`);
  }
  if (typeof definition.createDriver !== 'function') throw new TypeError(`definePlugin(${manifest.name}): createDriver is required`);
  return Object.freeze({ type: 'customs-hub/device-plugin' as const, manifest, createDriver: definition.createDriver, files: definition.files });
}

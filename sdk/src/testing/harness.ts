import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import type { Clock, DeviceInfo, DriverContext, Logger } from '../context.js';
import { ObservationRejectedError } from '../errors.js';
import type { EmitReceipt, Observation, ObservationDraft } from '../model/observation.js';
import { completeObservation, sequenced } from '../normalize.js';
import type { DevicePlugin, Driver, HealthReport } from '../plugin.js';
import { compileModel, createAjv, describeErrors } from '../model-validator.js';
import { SCHEMA_IDS } from '../schemas.js';
import { SDK_VERSION } from '../version.js';
import { directoryRawStore } from '../raw-store.js';

export interface StatusRecord {
  type: 'ok' | 'degraded' | 'failure' | 'fault';
  detail: string;
  at: number;
}
export interface LogRecord {
  level: string;
  msg: string;
  bindings: Record<string, unknown>;
}

export interface HarnessOptions<C> {
  config: C;
  device?: Partial<DeviceInfo>;
  dataDir?: string;
  clock?: Clock;
}

const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * Runs one driver the way the hub would, in-process, and records what it does:
 * accepted observations (validated against the data model), rejections, status reports and logs.
 */
export class TestHarness<C = unknown> {
  readonly observations: Observation[] = [];
  readonly rejected: Array<{ draft: unknown; reason: string }> = [];
  readonly statuses: StatusRecord[] = [];
  readonly logs: LogRecord[] = [];
  readonly dataDir: string;
  readonly device: DeviceInfo;
  protected readonly validate = compileModel<Observation>(createAjv(), SCHEMA_IDS.observation);
  protected readonly controller = new AbortController();
  private driver: Driver<C> | null = null;
  protected stopped = false;
  private failNext = 0;
  private refuseNext = 0;
  /** Drafts refused on purpose by refuseEmits(), as the hub refuses an invalid observation. */
  readonly refused: ObservationDraft[] = [];
  private seq = 0;
  private readonly bySource = new Map<string, EmitReceipt>();
  /** Emits after stop() resolved: a conforming driver has none. */
  emitsAfterStop = 0;

  constructor(
    readonly plugin: DevicePlugin<C>,
    protected readonly options: HarnessOptions<C>,
  ) {
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `hub-${plugin.manifest.name}-`));
    this.device = { id: 'dev-1', checkpoint: 'TEST', lane: 'L1', ...options.device };
  }

  /** Checks the manifest against this SDK and the config against the plugin's schema; throws with the reason. */
  checkManifest(): void {
    const m = this.plugin.manifest;
    if (!semver.valid(m.version)) throw new Error(`manifest.version '${m.version}' is not semver`);
    if (!semver.validRange(m.sdk)) throw new Error(`manifest.sdk '${m.sdk}' is not a semver range`);
    if (!semver.satisfies(SDK_VERSION, m.sdk)) throw new Error(`plugin ${m.name} requires SDK ${m.sdk} but this is ${SDK_VERSION}`);
    const ajv = createAjv();
    const validateConfig = ajv.compile(m.configSchema);
    if (!validateConfig(this.options.config)) throw new Error(`config invalid: ${describeErrors(validateConfig.errors)}`);
  }

  /** Makes the next n emits reject, as when storage is unavailable. */
  failEmits(n: number): void {
    this.failNext = n;
  }

  /** Makes the next n emits reject with ObservationRejectedError, as the hub refuses an observation for good. */
  refuseEmits(n: number): void {
    this.refuseNext = n;
  }

  async start(): Promise<void> {
    this.checkManifest();
    this.driver = this.plugin.createDriver(this.options.config);
    await this.driver.start(this.context());
  }

  async stop(): Promise<void> {
    this.controller.abort(new Error('stopped'));
    await this.driver?.stop();
    this.stopped = true;
  }

  /** The driver's health() as the hub probes it (null when the driver has none or is not started). */
  async health(): Promise<HealthReport | null> {
    return (await this.driver?.health?.()) ?? null;
  }

  /** Waits until predicate holds, polling every 20 ms; rejects after timeoutMs. */
  async waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private context(): DriverContext<C> {
    return {
      device: this.device,
      config: this.options.config,
      logger: this.logger({ plugin: this.plugin.manifest.name, device: this.device.id }),
      signal: this.controller.signal,
      clock: this.options.clock ?? systemClock,
      dataDir: this.dataDir,
      emit: (draft) => this.emit(draft),
      status: {
        ok: (detail = '') => this.statuses.push({ type: 'ok', detail, at: Date.now() }),
        degraded: (reason) => this.statuses.push({ type: 'degraded', detail: reason, at: Date.now() }),
        failure: (e) => this.statuses.push({ type: 'failure', detail: String(e instanceof Error ? e.message : e), at: Date.now() }),
        fault: (e) => this.statuses.push({ type: 'fault', detail: String(e instanceof Error ? e.message : e), at: Date.now() }),
      },
      storeRaw: directoryRawStore(join(this.dataDir, 'raw')),
    };
  }

  /** What the hub does with an emitted draft: refuse, de-duplicate, or validate and keep it. */
  protected async emit(draft: ObservationDraft): Promise<EmitReceipt> {
    if (this.stopped) this.emitsAfterStop++;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('storage unavailable (injected by the test harness)');
    }
    if (this.refuseNext > 0) {
      this.refuseNext--;
      this.refused.push(draft);
      throw new ObservationRejectedError('refused on purpose by the test harness');
    }
    if (!this.plugin.manifest.kinds.includes(draft.kind)) {
      const reason = `kind '${draft.kind}' is not in the manifest's kinds`;
      this.rejected.push({ draft, reason });
      throw new ObservationRejectedError(reason);
    }
    const key = draft.sourceId === undefined ? null : draft.sourceId;
    if (key !== null && this.bySource.has(key)) return { ...this.bySource.get(key)!, duplicate: true };
    let obs: Observation;
    try {
      obs = sequenced(
        completeObservation(draft, {
          id: randomUUID(),
          checkpoint: this.device.checkpoint,
          lane: this.device.lane,
          deviceId: this.device.id,
          plugin: { name: this.plugin.manifest.name, version: this.plugin.manifest.version },
          receivedAt: new Date(),
        }),
        this.seq + 1,
      );
    } catch (err) {
      const reason = `malformed draft: ${(err as Error).message}`;
      this.rejected.push({ draft, reason });
      throw new ObservationRejectedError(reason);
    }
    if (!this.validate(obs)) {
      const reason = describeErrors(this.validate.errors);
      this.rejected.push({ draft, reason });
      throw new ObservationRejectedError(reason);
    }
    this.seq++;
    this.observations.push(obs);
    const receipt = { id: obs.id, seq: obs.seq, duplicate: false };
    if (key !== null) this.bySource.set(key, receipt);
    return receipt;
  }

  private logger(bindings: Record<string, unknown>): Logger {
    const log = (level: string) => (obj: object | string, msg?: string) => {
      this.logs.push({ level, msg: typeof obj === 'string' ? obj : (msg ?? ''), bindings: typeof obj === 'string' ? bindings : { ...bindings, ...obj } });
    };
    return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (b) => this.logger({ ...bindings, ...b }) };
  }
}

import { mkdirSync } from 'node:fs';
import { type DevicePlugin, type Driver, type DriverContext, type FileResult, type HealthReport, type Logger, type ReceivedFile } from '@customs-hub/sdk';
import { directoryRawStore } from '@customs-hub/sdk/runtime';
import { backoffDelay } from '../util/backoff.js';
import { systemClock } from '../util/clock.js';
import type { DeviceSpec, RunnerTimeouts } from './device-spec.js';
import type { HubPort, LogLevel } from './hub-port.js';
import { SWALLOWED } from '../util/swallowed-errors.js';

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    }),
  ]);
}

/**
 * Runs one device's driver: builds its context, starts it (retrying with backoff while it fails to start),
 * stops it with a timeout. The same code runs inside a worker thread and in-process.
 */
export class DriverRunner {
  private driver: Driver | null = null;
  private controller = new AbortController();
  private stopping = false;
  private loop: Promise<void> | null = null;
  private readonly plugin: DevicePlugin;

  constructor(
    private readonly spec: DeviceSpec,
    private readonly port: HubPort,
    private readonly rawDir: string,
    private readonly timeouts: RunnerTimeouts,
  ) {
    this.plugin = (require(spec.modulePath) as { plugin: DevicePlugin }).plugin;
    mkdirSync(spec.dataDir, { recursive: true });
  }

  /** Resolves after the first start attempt; failed attempts are retried in the background. */
  start(): Promise<void> {
    let first!: () => void;
    const firstAttempt = new Promise<void>((r) => (first = r));
    this.loop = this.startLoop(first);
    return firstAttempt;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.controller.abort(new Error('device stopped by the hub'));
    await this.loop;
    const driver = this.driver;
    this.driver = null;
    if (driver) await withTimeout(driver.stop(), this.timeouts.stopTimeoutMs, `${this.spec.id}: driver stop()`);
  }

  async acceptFile(file: ReceivedFile): Promise<FileResult> {
    if (!this.driver?.acceptFile) {
      throw Object.assign(new Error(`device ${this.spec.id} (plugin ${this.spec.plugin.name}) does not accept files`), { code: 'FILES_NOT_ACCEPTED' });
    }
    return this.driver.acceptFile(file);
  }

  async health(): Promise<HealthReport | null> {
    if (!this.driver?.health) return null;
    return withTimeout(this.driver.health(), this.timeouts.startTimeoutMs, `${this.spec.id}: health()`);
  }

  private async startLoop(first: () => void): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        const driver = this.plugin.createDriver(this.spec.config);
        this.driver = driver;
        await withTimeout(driver.start(this.context()), this.timeouts.startTimeoutMs, `${this.spec.id}: driver start()`);
        first();
        return;
      } catch (err) {
        const message = `start failed (attempt ${attempt}): ${(err as Error).message}`;
        this.port.status(this.spec.id, 'fault', message, 'START_FAILED');
        first();
        const failed = this.driver;
        this.driver = null;
        // Cleanup of a driver that did not start: the retry goes on, the failure is logged and counted.
        await failed?.stop().catch((err) => this.logger({}).warn({ [SWALLOWED]: 'driver.stop', err, attempt }, 'driver stop after a failed start failed'));
        const delay = backoffDelay(attempt, this.timeouts.restartInitialDelayMs, this.timeouts.restartMaxDelayMs);
        await systemClock.sleep(delay, this.controller.signal).catch(() => undefined);
      }
    }
  }

  private context(): DriverContext<Record<string, unknown>> {
    const id = this.spec.id;
    return {
      device: { id, checkpoint: this.spec.checkpoint, lane: this.spec.lane },
      config: this.spec.config,
      logger: this.logger({}),
      signal: this.controller.signal,
      clock: systemClock,
      dataDir: this.spec.dataDir,
      emit: (draft) => this.port.emit(id, draft),
      status: {
        ok: (detail) => this.port.status(id, 'ok', detail ?? ''),
        degraded: (reason) => this.port.status(id, 'degraded', String(reason)),
        failure: (e) => this.port.status(id, 'failure', e instanceof Error ? e.message : String(e), codeOf(e)),
        fault: (e) => this.port.status(id, 'fault', e instanceof Error ? e.message : String(e), codeOf(e)),
      },
      storeRaw: directoryRawStore(this.rawDir, { minFreeBytes: this.spec.rawMinFreeBytes }),
    };
  }

  private logger(bindings: Record<string, unknown>): Logger {
    const at = (level: LogLevel) => (obj: object | string, msg?: string) => {
      if (typeof obj === 'string') this.port.log(this.spec.id, level, bindings, obj);
      else this.port.log(this.spec.id, level, { ...bindings, ...serializable(obj) }, msg ?? '');
    };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (b) => this.logger({ ...bindings, ...b }) };
  }
}

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Errors do not survive structured cloning well; log them as plain objects. */
function serializable(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = v instanceof Error ? { type: v.name, message: v.message, stack: v.stack } : v;
  return out;
}

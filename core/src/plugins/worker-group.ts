import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { EmitReceipt, FileResult, HealthReport, ReceivedFile } from '@customs-hub/sdk';
import { backoffDelay } from '../util/backoff.js';
import { fromWireError, toWireError, type DeviceSpec } from './device-spec.js';
import { applyReport, logFrom, sourceOf, type DeviceGroup, type GroupDeps } from './device-group.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

const WORKER_FILE = join(__dirname, 'device-worker.js');
/** A worker that stayed up this long has recovered: the next crash starts the backoff over. */
const STABLE_AFTER_MS = 60_000;

/**
 * Runs a group of devices in one worker thread with a memory limit, watches it with heartbeats,
 * and restarts it with exponential backoff when it crashes, runs out of memory or hangs.
 */
export class WorkerGroup implements DeviceGroup {
  private worker: Worker | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private lastPong = 0;
  /** Until the worker reports its drivers started, module loading may keep it silent for up to startTimeoutMs. */
  private booting = true;
  private ping = 0;
  private stopping = false;
  private crashes = 0;
  private startedAt = 0;
  private exitReason: string | null = null;
  private readonly calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextRid = 1;
  private stopped: (() => void) | null = null;

  constructor(
    readonly id: string,
    readonly devices: DeviceSpec[],
    private readonly deps: GroupDeps,
  ) {}

  async start(): Promise<void> {
    this.stopping = false;
    await this.spawn();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const worker = this.worker;
    if (!worker) return this.markStopped();
    const done = new Promise<void>((resolve) => {
      this.stopped = resolve;
      worker.once('exit', () => resolve());
    });
    this.post({ t: 'stop' });
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), this.deps.supervisor.stopTimeoutMs + 500).unref());
    if ((await Promise.race([done, timeout])) === 'timeout') {
      this.deps.logger.warn({ group: this.id }, 'drivers did not stop in time; terminating their worker');
    }
    this.clearHeartbeat();
    await worker.terminate();
    this.worker = null;
    this.markStopped();
  }

  acceptFile(deviceId: string, file: ReceivedFile): Promise<FileResult> {
    return this.call(deviceId, 'acceptFile', file) as Promise<FileResult>;
  }

  health(deviceId: string): Promise<HealthReport | null> {
    return this.call(deviceId, 'health') as Promise<HealthReport | null>;
  }

  private async spawn(): Promise<void> {
    const s = this.deps.supervisor;
    const init: WorkerInit = {
      devices: this.devices,
      rawDir: this.deps.rawDir,
      timeouts: {
        startTimeoutMs: s.startTimeoutMs,
        stopTimeoutMs: s.stopTimeoutMs,
        restartInitialDelayMs: s.restartInitialDelayMs,
        restartMaxDelayMs: s.restartMaxDelayMs,
      },
    };
    const worker = new Worker(WORKER_FILE, {
      workerData: init,
      resourceLimits: { maxOldGenerationSizeMb: s.memoryLimitMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, s.memoryLimitMb / 8)) },
      name: `devices:${this.id}`,
      stdout: false,
      stderr: false,
    });
    this.worker = worker;
    this.exitReason = null;
    this.startedAt = Date.now();
    const started = new Promise<void>((resolve) => {
      worker.on('message', (m: FromWorker) => {
        this.lastPong = Date.now();
        if (m.t === 'started') {
          this.booting = false;
          resolve();
        } else this.onMessage(m);
      });
      worker.once('exit', () => resolve());
    });
    worker.on('error', (err) => {
      this.exitReason =
        (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? `out of memory (limit ${s.memoryLimitMb} MB)` : `crashed: ${err.message}`;
    });
    worker.on('exit', (code) => this.onExit(worker, code));
    this.startHeartbeat();
    await started;
  }

  private onMessage(m: FromWorker): void {
    switch (m.t) {
      case 'emit': {
        const spec = this.devices.find((d) => d.id === m.deviceId);
        if (!spec) return this.post({ t: 'nack', rid: m.rid, error: { name: 'Error', message: `unknown device ${m.deviceId}` } });
        this.deps.emit(sourceOf(spec), m.draft).then(
          (receipt: EmitReceipt) => this.post({ t: 'ack', rid: m.rid, receipt }),
          (err: unknown) => this.post({ t: 'nack', rid: m.rid, error: toWireError(err) }),
        );
        break;
      }
      case 'status':
        applyReport(this.deps.tracker(m.deviceId), m.report, m.detail, m.code);
        break;
      case 'log': {
        const spec = this.devices.find((d) => d.id === m.deviceId);
        if (spec) logFrom(this.deps, spec, m.level, m.bindings, m.msg);
        break;
      }
      case 'pong':
        this.lastPong = Date.now();
        break;
      case 'result': {
        const c = this.calls.get(m.rid);
        this.calls.delete(m.rid);
        if (!c) break;
        if (m.ok) c.resolve(m.value);
        else c.reject(fromWireError(m.error));
        break;
      }
      case 'stopped':
        this.stopped?.();
        break;
      case 'started':
        break;
    }
  }

  private onExit(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    this.worker = null;
    this.clearHeartbeat();
    for (const c of this.calls.values()) c.reject(new Error(`device worker ${this.id} exited`));
    this.calls.clear();
    if (this.stopping) return;
    const reason = this.exitReason ?? `worker exited with code ${code}`;
    if (Date.now() - this.startedAt > STABLE_AFTER_MS) this.crashes = 0;
    this.crashes++;
    const delay = backoffDelay(this.crashes, this.deps.supervisor.restartInitialDelayMs, this.deps.supervisor.restartMaxDelayMs);
    for (const d of this.devices) this.deps.tracker(d.id).fault(`${reason}; restarting in ${delay} ms`, 'WORKER_EXIT');
    this.deps.logger.error({ group: this.id, reason, restartInMs: delay }, 'device worker stopped unexpectedly');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      for (const d of this.devices) this.deps.tracker(d.id).restarting();
      this.spawn().catch((err) => this.deps.logger.error({ group: this.id, err }, 'restart failed'));
    }, delay);
  }

  private startHeartbeat(): void {
    this.lastPong = Date.now();
    this.booting = true;
    const { heartbeatIntervalMs, heartbeatTimeoutMs, startTimeoutMs } = this.deps.supervisor;
    this.heartbeat = setInterval(() => {
      if (!this.worker) return;
      if (Date.now() - this.lastPong > (this.booting ? startTimeoutMs : heartbeatTimeoutMs)) {
        this.exitReason = `event loop blocked: no heartbeat for ${Date.now() - this.lastPong} ms`;
        void this.worker.terminate();
        return;
      }
      this.post({ t: 'ping', n: ++this.ping });
    }, heartbeatIntervalMs);
  }

  private clearHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private call(deviceId: string, method: 'acceptFile' | 'health', arg?: unknown): Promise<unknown> {
    if (!this.worker) return Promise.reject(new Error(`device ${deviceId} is not running`));
    const rid = this.nextRid++;
    return new Promise((resolve, reject) => {
      this.calls.set(rid, { resolve, reject });
      this.post({ t: 'call', rid, deviceId, method, arg });
    });
  }

  private post(m: ToWorker): void {
    try {
      this.worker?.postMessage(m);
    } catch {
      /* worker already gone; exit handler cleans up */
    }
  }

  private markStopped(): void {
    for (const d of this.devices) this.deps.tracker(d.id).stopped();
  }
}

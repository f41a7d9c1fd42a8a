import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DevicePlugin } from '../plugin.js';
import { fromWireError, toWireError } from '../wire-error.js';
import { TestHarness, type HarnessOptions } from './harness.js';
import type { FromHarnessWorker, HarnessWorkerData, RefusalSeen, ToHarnessWorker } from './worker-messages.js';

export interface WorkerHarnessOptions<C> extends HarnessOptions<C> {
  /** The module that exports `plugin`; found among the loaded modules when omitted. */
  modulePath?: string;
}

/** The file of the loaded module whose `plugin` export is this plugin (CommonJS require cache). */
export function pluginModulePath(plugin: DevicePlugin<never> | DevicePlugin<unknown>): string | undefined {
  for (const m of Object.values(require.cache)) {
    if (m && (m.exports as { plugin?: unknown } | undefined)?.plugin === plugin) return m.filename;
  }
  return undefined;
}

/**
 * Runs the driver in a worker thread, as the hub does by default: emits, refusals, statuses and logs cross
 * the thread boundary as messages, errors with the SDK's wire codec. Records what the driver's side saw of
 * each refusal, and what it left running after stop (timers, sockets) inside its thread.
 * The clock option cannot cross threads: the driver gets the system clock.
 */
export class WorkerHarness<C = unknown> extends TestHarness<C> {
  /** How each refused emit looked to the driver: class, code, `instanceof` the plugin's SDK classes. */
  readonly refusalsSeen: RefusalSeen[] = [];
  /** Resources still active in the driver's thread 300 ms after its stop() resolved. */
  leftovers: string[] = [];
  private worker: Worker | null = null;
  private readonly modulePath: string;
  private stoppedReply: Promise<void> | null = null;

  constructor(plugin: DevicePlugin<C>, options: WorkerHarnessOptions<C>) {
    super(plugin, options);
    const path = options.modulePath ?? pluginModulePath(plugin as DevicePlugin<unknown>);
    if (!path) throw new Error(`cannot find the module that exports plugin ${plugin.manifest.name}: pass modulePath`);
    this.modulePath = path;
  }

  override async start(): Promise<void> {
    this.checkManifest();
    const data: HarnessWorkerData = { modulePath: this.modulePath, config: this.options.config, device: this.device, dataDir: this.dataDir };
    const worker = new Worker(join(__dirname, 'harness-worker.js'), { workerData: data, name: `conformance:${this.plugin.manifest.name}` });
    this.worker = worker;
    let stopped!: () => void;
    this.stoppedReply = new Promise<void>((r) => {
      stopped = r;
      worker.once('exit', () => r());
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`driver worker exited with code ${code} before it started`)));
      worker.on('message', (m: FromHarnessWorker) => {
        switch (m.t) {
          case 'started':
            resolve();
            break;
          case 'start-failed':
            reject(fromWireError(m.error));
            break;
          case 'emit':
            this.emit(m.draft).then(
              (receipt) => this.post({ t: 'ack', rid: m.rid, receipt }),
              (err: unknown) => this.post({ t: 'nack', rid: m.rid, error: toWireError(err) }),
            );
            break;
          case 'status':
            this.statuses.push({ type: m.type, detail: m.detail, at: Date.now() });
            break;
          case 'log':
            this.logs.push({ level: m.level, msg: m.msg, bindings: m.bindings });
            break;
          case 'refusal-seen':
            this.refusalsSeen.push(m.seen);
            break;
          case 'stopped':
            this.leftovers = m.leftovers;
            stopped();
            break;
        }
      });
    });
  }

  override async stop(): Promise<void> {
    this.controller.abort(new Error('stopped'));
    const worker = this.worker;
    if (worker) {
      this.post({ t: 'stop' });
      // A driver whose stop() never resolves fails the checks by its leftovers; the worker is terminated anyway.
      let timer!: NodeJS.Timeout;
      const late = new Promise<void>((r) => {
        timer = setTimeout(() => {
          this.leftovers.push('driver stop() did not resolve within 10 s');
          r();
        }, 10_000);
      });
      await Promise.race([this.stoppedReply, late]);
      clearTimeout(timer);
      this.worker = null;
      await worker.terminate();
    }
    this.stopped = true;
  }

  private post(m: ToHarnessWorker): void {
    try {
      this.worker?.postMessage(m);
    } catch {
      /* the worker is gone */
    }
  }
}

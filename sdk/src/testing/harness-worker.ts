import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Clock, DriverContext, Logger } from '../context.js';
import type { EmitReceipt } from '../model/observation.js';
import type { DevicePlugin, Driver } from '../plugin.js';
import { directoryRawStore } from '../raw-store.js';
import { fromWireError, toWireError } from '../wire-error.js';
import type { FromHarnessWorker, HarnessWorkerData, ToHarnessWorker } from './worker-messages.js';

// The driver's side of WorkerHarness: runs one driver in a worker thread, as the hub runs it, and
// tells the harness what crossed the boundary.
const port = parentPort!;
const data = workerData as HarnessWorkerData;
const send = (m: FromHarnessWorker) => port.postMessage(m);

// The SDK the plugin itself imports: `instanceof` must hold against the driver's copy of the classes.
const pluginSdk = createRequire(data.modulePath)('@customs-hub/sdk') as typeof import('../index.js');
const plugin = (require(data.modulePath) as { plugin: DevicePlugin }).plugin;

const pending = new Map<number, { resolve(r: EmitReceipt): void; reject(e: Error): void }>();
let nextRid = 1;
const controller = new AbortController();
let driver: Driver | null = null;

const clock: Clock = {
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

function logger(bindings: Record<string, unknown>): Logger {
  const at = (level: string) => (obj: object | string, msg?: string) => {
    const b = typeof obj === 'string' ? bindings : { ...bindings, ...plain(obj) };
    send({ t: 'log', level, msg: typeof obj === 'string' ? obj : (msg ?? ''), bindings: b });
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (b) => logger({ ...bindings, ...b }) };
}

function plain(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj))
    out[k] = v instanceof Error ? { type: v.name, message: v.message } : typeof v === 'object' && v !== null ? JSON.parse(JSON.stringify(v)) : v;
  return out;
}

function emit(draft: Parameters<DriverContext['emit']>[0]): Promise<EmitReceipt> {
  const rid = nextRid++;
  return new Promise<EmitReceipt>((resolve, reject) => {
    pending.set(rid, { resolve, reject });
    send({ t: 'emit', rid, draft });
  });
}

function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const context: DriverContext = {
  device: data.device,
  config: data.config,
  logger: logger({ plugin: plugin.manifest.name, device: data.device.id }),
  signal: controller.signal,
  clock,
  dataDir: data.dataDir,
  emit,
  status: {
    ok: (detail = '') => send({ t: 'status', type: 'ok', detail }),
    degraded: (reason) => send({ t: 'status', type: 'degraded', detail: String(reason) }),
    failure: (e) => send({ t: 'status', type: 'failure', detail: message(e) }),
    fault: (e) => send({ t: 'status', type: 'fault', detail: message(e) }),
  },
  storeRaw: directoryRawStore(join(data.dataDir, 'raw')),
};

port.on('message', (m: ToHarnessWorker) => {
  switch (m.t) {
    case 'ack':
      pending.get(m.rid)?.resolve(m.receipt);
      pending.delete(m.rid);
      break;
    case 'nack': {
      const err = fromWireError(m.error);
      const code = (err as { code?: unknown }).code;
      send({
        t: 'refusal-seen',
        seen: {
          name: err.name,
          message: err.message,
          ...(typeof code === 'string' ? { code } : {}),
          isObservationRejected: err instanceof pluginSdk.ObservationRejectedError,
          isError: err instanceof Error,
        },
      });
      pending.get(m.rid)?.reject(err);
      pending.delete(m.rid);
      break;
    }
    case 'stop':
      void stop();
      break;
  }
});

// Taken once the message port is listening: what the driver starts after this is its own.
const baseline = resources();

async function stop(): Promise<void> {
  controller.abort(new Error('stopped'));
  let error;
  try {
    await driver?.stop();
  } catch (err) {
    error = toWireError(err);
  }
  await new Promise((r) => setTimeout(r, 300));
  const after = resources();
  const leftovers: string[] = [];
  for (const [k, n] of after) if (n > (baseline.get(k) ?? 0)) leftovers.push(`${k} ×${n - (baseline.get(k) ?? 0)}`);
  send({ t: 'stopped', leftovers, ...(error ? { error } : {}) });
}

// Fire and forget: the worker's whole life; a failed start is reported to the parent, not thrown.
void (async () => {
  try {
    driver = plugin.createDriver(data.config);
    await driver.start(context);
    send({ t: 'started' });
  } catch (err) {
    send({ t: 'start-failed', error: toWireError(err) });
  }
})();

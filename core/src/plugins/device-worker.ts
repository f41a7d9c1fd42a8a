import { parentPort, workerData } from 'node:worker_threads';
import type { EmitReceipt, ReceivedFile } from '@customs-hub/sdk';
import { fromWireError, toWireError } from './device-spec.js';
import { DriverRunner } from './driver-runner.js';
import type { HubPort } from './hub-port.js';
import { SWALLOWED } from '../util/swallowed-errors.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

// Entry point of a device worker thread: runs the drivers of one device group.
const port = parentPort!;
const init = workerData as WorkerInit;
const send = (m: FromWorker) => port.postMessage(m);

const pending = new Map<number, { resolve(r: EmitReceipt): void; reject(e: Error): void }>();
let nextRid = 1;

const hub: HubPort = {
  emit(deviceId, draft) {
    const rid = nextRid++;
    return new Promise<EmitReceipt>((resolve, reject) => {
      pending.set(rid, { resolve, reject });
      try {
        send({ t: 'emit', rid, deviceId, draft });
      } catch (err) {
        pending.delete(rid);
        reject(new Error(`draft cannot be sent to the hub: ${(err as Error).message}`));
      }
    });
  },
  status: (deviceId, report, detail, code) => send({ t: 'status', deviceId, report, detail, ...(code ? { code } : {}) }),
  log: (deviceId, level, bindings, msg) => {
    try {
      send({ t: 'log', deviceId, level, bindings, msg });
    } catch {
      send({ t: 'log', deviceId, level, bindings: {}, msg });
    }
  },
};

const runners = new Map(init.devices.map((d) => [d.id, new DriverRunner(d, hub, init.rawDir, init.timeouts)]));

async function call(m: Extract<ToWorker, { t: 'call' }>): Promise<void> {
  const runner = runners.get(m.deviceId);
  try {
    if (!runner) throw new Error(`no device ${m.deviceId} in this worker`);
    const value = m.method === 'acceptFile' ? await runner.acceptFile(m.arg as ReceivedFile) : await runner.health();
    send({ t: 'result', rid: m.rid, ok: true, value });
  } catch (err) {
    send({ t: 'result', rid: m.rid, ok: false, error: toWireError(err) });
  }
}

async function stopAll(): Promise<void> {
  // The device stops anyway; a driver whose stop() failed is logged and counted through the hub's device log.
  await Promise.all(
    [...runners.entries()].map(([id, r]) =>
      r.stop().catch((err: Error) => {
        hub.log(id, 'warn', { [SWALLOWED]: 'driver.stop', err: { type: err?.name, message: err?.message } }, 'driver stop failed');
      }),
    ),
  );
  send({ t: 'stopped' });
}

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'ping':
      send({ t: 'pong', n: m.n });
      break;
    case 'ack':
      pending.get(m.rid)?.resolve(m.receipt);
      pending.delete(m.rid);
      break;
    case 'nack':
      pending.get(m.rid)?.reject(fromWireError(m.error));
      pending.delete(m.rid);
      break;
    case 'call':
      void call(m);
      break;
    case 'stop':
      void stopAll();
      break;
  }
});

void Promise.all([...runners.values()].map((r) => r.start())).then(() => send({ t: 'started' }));

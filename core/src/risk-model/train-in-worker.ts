import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GbdtModel, GbdtParams, Matrix } from './gbdt.js';

/** Trains one model per job in a worker thread; resolves with them in order. */
export function trainInWorker(jobs: Array<{ x: Matrix; y: Uint8Array; params: Partial<GbdtParams> }>): Promise<GbdtModel[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'train-worker.js'), {
      workerData: { jobs: jobs.map((j) => ({ rows: j.x.rows, cols: j.x.cols, values: j.x.values, y: j.y, params: j.params })) },
    });
    let done = false;
    worker.once('message', (m: GbdtModel[]) => { done = true; resolve(m); void worker.terminate(); });
    worker.once('error', (err) => { done = true; reject(err); });
    worker.once('exit', (code) => { if (!done) reject(new Error(`training worker exited with code ${code}`)); });
  });
}

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GbdtModel, GbdtParams, Matrix } from './gbdt.js';

type Job = { x: Matrix; y: Uint8Array; params: Partial<GbdtParams> };

/** Trains one model in a worker thread. */
function trainOne(j: Job): Promise<GbdtModel> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'train-worker.js'), {
      workerData: { job: { rows: j.x.rows, cols: j.x.cols, values: j.x.values, y: j.y, params: j.params } },
    });
    let done = false;
    worker.once('message', (m: GbdtModel) => {
      done = true;
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', (err) => {
      done = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`training worker exited with code ${code}`));
    });
  });
}

/**
 * Trains one model per job, each in its own worker thread, all at once (the holdout fit and the full fit
 * are independent: on two cores they take the time of the larger); resolves with them in order.
 */
export function trainInWorker(jobs: Job[]): Promise<GbdtModel[]> {
  return Promise.all(jobs.map(trainOne));
}

import { parentPort, workerData } from 'node:worker_threads';
import { trainGbdt, type GbdtParams } from './gbdt.js';

/** Trains off the main thread: the hub keeps ingesting while the trees grow. */
const { job } = workerData as { job: { rows: number; cols: number; values: Float64Array; y: Uint8Array; params: Partial<GbdtParams> } };
parentPort!.postMessage(trainGbdt({ rows: job.rows, cols: job.cols, values: job.values }, job.y, job.params));

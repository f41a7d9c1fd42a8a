import { parentPort, workerData } from 'node:worker_threads';
import { trainGbdt, type GbdtParams } from './gbdt.js';

/** Trains off the main thread: the hub keeps ingesting while the trees grow. */
const { jobs } = workerData as { jobs: Array<{ rows: number; cols: number; values: Float64Array; y: Uint8Array; params: Partial<GbdtParams> }> };
const models = jobs.map((j) => trainGbdt({ rows: j.rows, cols: j.cols, values: j.values }, j.y, j.params));
parentPort!.postMessage(models);

import { parentPort, workerData } from 'node:worker_threads';
import { Writable } from 'node:stream';
import { createLogger, EdgeFeed } from '@customs-hub/core';

/** One checkpoint of bench:national: its hub's feed (SQLite, group-commit writer) and outbox to its leaf node. */
interface Job {
  checkpoint: string;
  dir: string;
  natsUrl: string;
  backlog: number;
  ratePerS: number;
  seconds: number;
}
const job = workerData as Job;
const port = parentPort!;

async function main(): Promise<void> {
  // BENCH_DEBUG: the outbox's warnings (interrupted delivery and why) go to the main thread's output.
  const logger = process.env.BENCH_DEBUG
    ? createLogger(
        'warn',
        new Writable({
          write: (chunk, _e, cb) => {
            port.postMessage({ type: 'log', message: `${job.checkpoint}: ${String(chunk).slice(0, 300)}` });
            cb();
          },
        }),
      )
    : undefined;
  const feed = await new EdgeFeed(job.checkpoint, job.dir, job.natsUrl, logger ? { logger } : {}).open();
  // The backlog: events the hub committed while it could not deliver (it starts with them queued).
  for (let done = 0; done < job.backlog; done += 5000) await feed.produce(Math.min(5000, job.backlog - done));
  await feed.createStream();
  port.postMessage({ type: 'ready', backlogSeq: feed.lastSeq });
  await new Promise<void>((resolve) => port.once('message', () => resolve()));
  await feed.startDelivery();
  // Told again when the centre has the backlog: then a checkpoint's realistic rate, in 100 ms steps.
  await new Promise<void>((resolve) => port.once('message', () => resolve()));
  const perStep = job.ratePerS / 10;
  let due = 0;
  const end = Date.now() + job.seconds * 1000;
  while (Date.now() < end) {
    due += perStep;
    const n = Math.floor(due);
    due -= n;
    if (n > 0) await feed.produce(n);
    await new Promise((r) => setTimeout(r, 100));
  }
  port.postMessage({ type: 'produced', lastSeq: feed.lastSeq });
  // Keep delivering until the main thread has seen everything at the centre.
  await new Promise<void>((resolve) => port.once('message', () => resolve()));
  await feed.close();
  port.postMessage({ type: 'closed' });
}

main().catch((err) => {
  port.postMessage({ type: 'error', message: (err as Error).stack });
});

import assert from 'node:assert/strict';
import { ObservationRejectedError, type DriverContext, type ObservationDraft } from '@customs-hub/sdk';
import { EmitQueue } from '../src/emit-queue.js';
import { LinkStats } from '../src/link-stats.js';
import { quietLogger } from './helpers.js';

function fakeContext(emit: (d: ObservationDraft) => Promise<void>) {
  const failures: string[] = [];
  const ctx = {
    emit: async (d: ObservationDraft) => {
      await emit(d);
      return { id: 'x', seq: 1, duplicate: false };
    },
    status: { ok() {}, degraded() {}, fault() {}, failure: (e: Error | string) => failures.push(String(e instanceof Error ? e.message : e)) },
    logger: quietLogger,
    signal: new AbortController().signal,
    clock: { now: () => new Date(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) },
  } as unknown as DriverContext<unknown>;
  return { ctx, failures };
}
const draft = (n: number): ObservationDraft => ({ kind: 'telemetry', payload: { values: { n: { value: n } } } });

describe('rpm emit queue', () => {
  it('emits in order, one at a time, and asks the transport to pause while the hub is slow', async () => {
    const released: Array<() => void> = [];
    const order: number[] = [];
    let inFlight = 0,
      maxInFlight = 0;
    const { ctx } = fakeContext(async (d) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((r) => released.push(r));
      order.push(Number((d.payload as { values: { n: { value: number } } }).values.n.value));
      inFlight--;
    });
    const pressure: boolean[] = [];
    const q = new EmitQueue(ctx, new LinkStats(), (high) => pressure.push(high));
    for (let i = 0; i < 300; i++) q.draft(draft(i));
    assert.deepEqual(pressure, [true], 'paused once the backlog passed the high-water mark');
    while (order.length < 300) {
      await new Promise((r) => setImmediate(r));
      released.shift()?.();
    }
    await q.drain();
    assert.deepEqual(pressure, [true, false], 'resumed once it drained');
    assert.deepEqual(
      order,
      Array.from({ length: 300 }, (_, i) => i),
    );
    assert.equal(maxInFlight, 1);
  });

  it('retries a failed emit until it goes through, and reports a rejected one without retrying', async () => {
    let calls = 0;
    const { ctx, failures } = fakeContext(async (d) => {
      calls++;
      if ((d.payload as { values: { n: { value: number } } }).values.n.value === 1) throw new ObservationRejectedError('payload: bad');
      if (calls <= 2) throw new Error('storage unavailable');
    });
    const stats = new LinkStats();
    const q = new EmitQueue(ctx, stats, () => undefined);
    q.draft(draft(0)); // fails twice, third try succeeds
    q.draft(draft(1)); // rejected: not retried
    await q.drain();
    assert.equal(calls, 4);
    assert.equal(stats.emitFailures, 1);
    assert.deepEqual(failures, ['observation rejected: payload: bad']);
  });
});

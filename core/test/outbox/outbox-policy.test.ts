import assert from 'node:assert/strict';
import { writeEvents, writeObservations, observation } from '../api/api-fixture.js';
import type { BrokerTarget } from '../../src/outbox/broker-target.js';
import { guardWriter } from '../../src/outbox/admission.js';
import type { FeedRecord } from '../../src/storage/records.js';
import { bufferState } from '../../src/outbox/buffer-policy.js';
import { HubStorage, outboxTestConfig } from './outbox-fixture.js';
import { waitFor } from './wait.js';

/** A broker stand-in: records what it got and the concurrency it saw; can be made to fail. */
class FakeTarget implements BrokerTarget {
  readonly name = 'fake';
  up = true;
  received: number[] = [];
  inflight = 0;
  maxInflight = 0;
  /** In-flight count at the moment of each send, in order. */
  concurrency: number[] = [];
  stored = 0;

  async resync() {
    if (!this.up) throw new Error('broker unreachable');
    return { lastFeedSeq: this.stored || null };
  }

  async publish(record: FeedRecord, _json: string, _confirm: boolean): Promise<void> {
    if (!this.up) throw new Error('broker unreachable');
    this.inflight++;
    this.concurrency.push(this.inflight);
    this.maxInflight = Math.max(this.maxInflight, this.inflight);
    await new Promise((r) => setTimeout(r, 1));
    this.inflight--;
    if (!this.up) throw new Error('broker unreachable');
    this.received.push(record.seq);
    this.stored = record.seq;
  }

  async close() {}
}

describe('outbox: pacing and the bounded buffer', () => {
  let storage: HubStorage;
  beforeEach(async () => {
    storage = await new HubStorage().open();
  });
  afterEach(async () => {
    await storage.close();
    storage.remove();
  });

  it('replays a backlog starting with one message, widening the window per ack, never past maxInFlight', async () => {
    await writeObservations(storage.writer, 600);
    const target = new FakeTarget();
    const outbox = storage.outbox(target, outboxTestConfig({ maxInFlight: 16 }));
    await outbox.start();
    await waitFor(() => outbox.backlog() === 0, 10_000, 'backlog drained');
    await outbox.stop();
    assert.deepEqual(
      target.received,
      Array.from({ length: 600 }, (_, i) => i + 1),
    );
    assert.equal(target.concurrency[0], 1, 'the first send goes alone');
    assert.ok(
      target.concurrency.slice(0, 3).every((c) => c <= 2),
      `slow start, got ${target.concurrency.slice(0, 3)}`,
    );
    assert.equal(target.maxInflight, 16);
  });

  it('backs off while the broker is down and restarts the window at one when it returns', async () => {
    const target = new FakeTarget();
    target.up = false;
    const outbox = storage.outbox(target, outboxTestConfig({ maxInFlight: 8 }));
    await outbox.start();
    await writeObservations(storage.writer, 200);
    await waitFor(() => outbox.status().lastError === 'broker unreachable', 5000, 'failure noticed');
    assert.equal(outbox.status().connected, false);
    assert.equal(outbox.backlog(), 200);
    target.up = true;
    await waitFor(() => outbox.backlog() === 0, 10_000, 'backlog drained');
    await outbox.stop();
    assert.equal(target.concurrency[0], 1);
    assert.deepEqual(
      target.received,
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    const row = await storage.db.knex('outbox_state').first();
    assert.equal(Number(row.acked_seq), 200);
  });

  it('does not skip new events when the broker holds more than this hub ever wrote (database replaced)', async () => {
    const target = new FakeTarget();
    target.stored = 500;
    await writeObservations(storage.writer, 10);
    const outbox = storage.outbox(target, outboxTestConfig());
    await outbox.start();
    await waitFor(() => outbox.backlog() === 0, 5000, 'delivered');
    await outbox.stop();
    assert.deepEqual(
      target.received,
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
  });

  it('classifies the backlog against size and age limits', () => {
    const policy = { maxEvents: 100, maxAgeMs: 1000, alarmAt: 0.8, whenFull: 'drop-oldest' as const };
    assert.equal(bufferState(79, 0, policy), 'ok');
    assert.equal(bufferState(80, 0, policy), 'alarm');
    assert.equal(bufferState(10, 850, policy), 'alarm');
    assert.equal(bufferState(100, 0, policy), 'full');
    assert.equal(bufferState(0, 1000, policy), 'full');
  });

  it('drop-oldest: a full buffer gives up the oldest undelivered events, counted, and delivers the rest', async () => {
    const target = new FakeTarget();
    target.up = false;
    const states: string[] = [];
    const outbox = storage.outbox(target, outboxTestConfig({ buffer: { maxEvents: 100, maxAgeMs: 3_600_000, alarmAt: 0.5, whenFull: 'drop-oldest' } }));
    outbox.onBufferState = (s) => states.push(s);
    await outbox.start();
    await writeObservations(storage.writer, 60);
    await waitFor(() => outbox.status().buffer === 'alarm', 5000, 'alarm');
    await writeObservations(storage.writer, 90);
    await waitFor(() => outbox.status().dropped > 0, 5000, 'oldest dropped');
    assert.equal(outbox.status().dropped, 150 - 90, 'drops down to 90% of maxEvents');
    assert.equal(outbox.backlog(), 90);
    target.up = true;
    await waitFor(() => outbox.backlog() === 0 && outbox.status().buffer === 'ok', 10_000, 'rest delivered');
    await outbox.stop();
    assert.deepEqual(
      target.received,
      Array.from({ length: 90 }, (_, i) => 61 + i),
    );
    assert.deepEqual(states, ['alarm', 'ok']);
    const row = await storage.db.knex('outbox_state').first();
    assert.equal(Number(row.dropped), 60);
  });

  it('drop-oldest by age: events older than the limit are given up', async () => {
    const target = new FakeTarget();
    target.up = false;
    let now = Date.now();
    const outbox = storage.outbox(
      target,
      outboxTestConfig({ buffer: { maxEvents: 1000, maxAgeMs: 60_000, alarmAt: 0.8, whenFull: 'drop-oldest' } }),
      undefined,
      () => now,
    );
    await writeObservations(storage.writer, 10);
    now += 120_000; // the first ten are now two minutes old
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        storage.writer.write({ type: 'observation', observation: observation(i, { receivedAt: new Date(now).toISOString() }) }),
      ),
    );
    await outbox.start();
    await waitFor(() => outbox.status().dropped === 10, 5000, 'old events dropped');
    target.up = true;
    await waitFor(() => outbox.backlog() === 0, 10_000, 'rest delivered');
    await outbox.stop();
    assert.deepEqual(target.received, [11, 12, 13, 14, 15]);
  });

  it('stop-accepting: a full buffer refuses new observations (OUTBOX_FULL) but keeps device events, until it drains', async () => {
    const target = new FakeTarget();
    target.up = false;
    const outbox = storage.outbox(target, outboxTestConfig({ buffer: { maxEvents: 50, maxAgeMs: 3_600_000, alarmAt: 0.8, whenFull: 'stop-accepting' } }));
    const unguard = guardWriter(storage.writer, () => outbox.accepting());
    await outbox.start();
    await writeObservations(storage.writer, 50);
    await waitFor(() => !outbox.accepting(), 5000, 'buffer full');
    await assert.rejects(
      storage.writer.write({ type: 'observation', observation: observation(99) }),
      (err: Error & { code?: string }) => err.code === 'OUTBOX_FULL' && /stop-accepting/.test(err.message),
    );
    await writeEvents(storage.writer, 2);
    assert.equal(storage.writer.sequence, 52, 'nothing accepted is lost, device events still pass');
    target.up = true;
    await waitFor(() => outbox.accepting(), 10_000, 'accepting again');
    await storage.writer.write({ type: 'observation', observation: observation(100) });
    await waitFor(() => outbox.backlog() === 0, 10_000, 'drained');
    await outbox.stop();
    unguard();
    assert.deepEqual(
      target.received,
      Array.from({ length: 53 }, (_, i) => i + 1),
    );
  });
});

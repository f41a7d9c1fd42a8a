import assert from 'node:assert/strict';
import { connect, type NatsConnection } from 'nats';
import { writeEvents, writeObservations } from '../api/api-fixture.js';
import { waitFor } from './wait.js';
import { deleteStream, natsUrl, readStream, uniqueStream, type StoredEvent } from './jetstream.js';
import { HubStorage, outboxTestConfig } from './outbox-fixture.js';
import { TcpProxy } from './tcp-proxy.js';

/** Each feed event once, in feed order, with Nats-Msg-Id = event id. */
async function assertExactlyOnceInOrder(storage: HubStorage, stored: StoredEvent[]): Promise<void> {
  const head = storage.writer.sequence;
  assert.equal(stored.length, head, `stream holds ${stored.length} messages for ${head} feed events`);
  assert.deepEqual(
    stored.map((s) => s.feedSeq),
    Array.from({ length: head }, (_, i) => i + 1),
  );
  const feed = await storage.reader.read(0, head);
  assert.deepEqual(
    stored.map((s) => s.id),
    feed.map((r) => r.id),
  );
  assert.ok(stored.every((s) => s.msgId === s.id));
}

describe('outbox: delivery to NATS JetStream', function () {
  this.timeout(60_000);
  let url: string;
  let proxy: TcpProxy;
  let nc: NatsConnection;
  const streams: string[] = [];

  before(async function () {
    url = natsUrl(this);
    proxy = TcpProxy.forUrl(url);
    await proxy.start();
    nc = await connect({ servers: url });
  });
  after(async () => {
    if (!url) return;
    for (const s of streams) await deleteStream(url, s);
    await nc.close();
    await proxy.stop();
  });

  function setup(over = {}) {
    const stream = uniqueStream('HUBTEST');
    streams.push(stream);
    return { stream, config: outboxTestConfig(over, proxy.url, stream) };
  }

  it('publishes every event once, in order, on subject customs.<checkpoint>.<type>, and saves the cursor', async () => {
    const { stream, config } = setup();
    const storage = await new HubStorage().open();
    await writeObservations(storage.writer, 300);
    await writeEvents(storage.writer, 50);
    const { outbox } = storage.natsOutbox(config);
    await outbox.start();
    await writeObservations(storage.writer, 150);
    await waitFor(() => outbox.backlog() === 0 && storage.writer.sequence === 500, 20_000, 'backlog drained');
    await outbox.stop();
    const stored = await readStream(nc, stream);
    await assertExactlyOnceInOrder(storage, stored);
    assert.equal(stored[0]!.subject, `${stream.toLowerCase()}.CP1.customs.observation.v1`);
    assert.equal(stored[300]!.subject, `${stream.toLowerCase()}.CP1.customs.device.status.v1`);
    const event = JSON.parse(stored[0]!.body);
    assert.equal(event.specversion, '1.0');
    assert.equal(event.source, '/checkpoints/CP1');
    assert.equal(event.seq, 1);
    const row = await storage.db.knex('outbox_state').where({ checkpoint: 'CP1', target: 'nats' }).first();
    assert.equal(Number(row.acked_seq), 500);
    await storage.close();
    storage.remove();
  });

  it('survives the broker going away mid-stream: after it is back, every event once, in order', async () => {
    const { stream, config } = setup();
    const storage = await new HubStorage().open();
    await writeObservations(storage.writer, 2000);
    const { outbox } = storage.natsOutbox(config);
    await outbox.start();
    await waitFor(() => outbox.status().ackedSeq > 200, 10_000, 'delivery under way');
    await proxy.cut();
    const writing = (async () => {
      for (let i = 0; i < 10; i++) {
        await writeObservations(storage.writer, 100);
        await writeEvents(storage.writer, 20);
      }
    })();
    await waitFor(() => !outbox.status().connected, 10_000, 'outbox notices the outage');
    await writing;
    assert.ok(outbox.backlog() > 0, 'events wait in the backlog during the outage');
    await proxy.restore();
    await waitFor(() => outbox.backlog() === 0, 30_000, 'backlog drained after the outage');
    await outbox.stop();
    await assertExactlyOnceInOrder(storage, await readStream(nc, stream));
    await storage.close();
    storage.remove();
  });

  it('resumes after a hub restart mid-stream, even when the saved cursor is behind the broker (crash)', async () => {
    const { stream, config } = setup();
    const storage = await new HubStorage().open();
    await writeObservations(storage.writer, 3000);
    let { outbox } = storage.natsOutbox(config);
    await outbox.start();
    await waitFor(() => outbox.status().ackedSeq > 500, 10_000, 'delivery under way');
    await outbox.stop();
    await storage.close();
    // A crash loses the last cursor saves: the broker holds more than the hub remembers.
    await storage.open();
    await storage.db.knex('outbox_state').update({ acked_seq: 10 });
    await writeEvents(storage.writer, 100);
    ({ outbox } = storage.natsOutbox(config));
    await outbox.start();
    await waitFor(() => outbox.backlog() === 0, 30_000, 'backlog drained after restart');
    await outbox.stop();
    await assertExactlyOnceInOrder(storage, await readStream(nc, stream));
    await storage.close();
    storage.remove();
  });

  it('delivers a backlog that built up while the broker was unreachable from the start', async () => {
    const { stream, config } = setup({ backoff: { initialMs: 50, maxMs: 200 } });
    await proxy.cut();
    const storage = await new HubStorage().open();
    const { outbox } = storage.natsOutbox(config);
    await outbox.start();
    await writeObservations(storage.writer, 1000);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(outbox.status().connected, false);
    assert.equal(outbox.backlog(), 1000);
    await proxy.restore();
    await waitFor(() => outbox.backlog() === 0, 30_000, 'backlog drained');
    await outbox.stop();
    await assertExactlyOnceInOrder(storage, await readStream(nc, stream));
    await storage.close();
    storage.remove();
  });
});

import assert from 'node:assert/strict';
import { apiFixture, writeEvents, writeObservations, type ApiFixture } from '../api/api-fixture.js';
import type { CloudEvent } from '../../src/feed/cloud-event.js';
import { readSse } from './sse-client.js';

describe('feed: pull and Server-Sent Events', () => {
  let f: ApiFixture;
  let headers: { authorization: string };
  before(async () => {
    f = await apiFixture('api: { feed: { keepAliveMs: 200 } }\n');
    headers = await f.auth('feed:read');
    await f.server.start();
  });
  after(() => f.close());

  it('maps observations and events to CloudEvents 1.0 with the stored data unchanged', async () => {
    const [seq] = await writeObservations(f.writer, 1);
    const [eventSeq] = await writeEvents(f.writer, 1);
    const res = await f.server.inject({ url: `/api/v1/feed?after=${seq! - 1}&limit=2`, headers });
    assert.equal(res.statusCode, 200);
    const body = JSON.parse(res.payload) as { next: number; head: number; events: CloudEvent[] };
    assert.equal(body.next, eventSeq);
    const [obs, status] = body.events;
    const row = await f.db.knex('observations').where({ seq }).first();
    assert.deepEqual(
      { ...obs, data: undefined },
      {
        specversion: '1.0',
        id: row.id,
        source: '/checkpoints/CP1',
        type: 'customs.observation.v1',
        subject: 'rpm-1',
        time: row.received_at,
        datacontenttype: 'application/json',
        sequence: String(seq).padStart(16, '0'),
        seq,
        data: undefined,
      },
    );
    assert.equal(JSON.stringify(obs!.data), row.body, 'data is the observation exactly as stored');
    assert.equal(status!.type, 'customs.device.status.v1');
    assert.equal(status!.seq, eventSeq);
    assert.deepEqual(status!.data, { n: 0 });
  });

  it('pages with after/next without gaps or repeats', async () => {
    await writeObservations(f.writer, 120);
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const body = JSON.parse((await f.server.inject({ url: `/api/v1/feed?after=${after}&limit=50`, headers })).payload);
      if (body.events.length === 0) break;
      seen.push(...body.events.map((e: CloudEvent) => e.seq));
      after = body.next;
    }
    assert.deepEqual(
      seen,
      Array.from({ length: f.writer.sequence }, (_, i) => i + 1),
    );
  });

  it('continues a pull with the stream from Last-Event-ID: no gap, no repeat, even while writing', async () => {
    const pulled = JSON.parse((await f.server.inject({ url: '/api/v1/feed?after=0&limit=100', headers })).payload);
    const last = pulled.next as number;
    const target = f.writer.sequence + 300;
    // Writes keep coming while the stream catches up and then follows live commits.
    const writing = (async () => {
      for (let i = 0; i < 10; i++) {
        await writeObservations(f.writer, 20);
        await writeEvents(f.writer, 10);
      }
    })();
    const { events, response } = await readSse(
      `${f.server.info.uri}/api/v1/feed/stream`,
      { ...headers, 'last-event-id': String(last) },
      (ev) => Number(ev.at(-1)?.id ?? 0) >= target,
    );
    await writing;
    assert.match(response.headers['content-type']!, /^text\/event-stream/);
    const seqs = events.map((e) => Number(e.id));
    assert.deepEqual(
      seqs,
      Array.from({ length: target - last }, (_, i) => last + 1 + i),
    );
    const first = JSON.parse(events[0]!.data) as CloudEvent;
    assert.equal(first.seq, last + 1);
    assert.equal(events[0]!.event, first.type);
  });

  it('accepts ?after= and the token as ?access_token= for EventSource clients', async () => {
    const token = headers.authorization.slice('Bearer '.length);
    const { events } = await readSse(`${f.server.info.uri}/api/v1/feed/stream?after=5&access_token=${token}`, {}, (ev) => ev.length >= 3);
    assert.deepEqual(
      events.slice(0, 3).map((e) => Number(e.id)),
      [6, 7, 8],
    );
  });

  it('refuses a Last-Event-ID that is not a sequence number', async () => {
    const res = await f.server.inject({ url: '/api/v1/feed/stream', headers: { ...headers, 'last-event-id': 'abc' } });
    assert.equal(res.statusCode, 400);
    assert.match(JSON.parse(res.payload).message, /Last-Event-ID/);
  });
});

import assert from 'node:assert/strict';
import { OutboxStateStore } from '../../src/outbox/outbox-state.js';
import { readSse } from '../feed/sse-client.js';
import { storages } from '../helpers/storage.js';
import { apiFixture, writeEvents, writeObservations, type ApiFixture } from './api-fixture.js';

// The same API over each storage: SQLite always, PostgreSQL when HUB_TEST_PG_URL is set.
for (const storage of storages()) {
  describe(`API on ${storage.name}`, () => {
    let f: ApiFixture;
    before(async () => {
      f = await apiFixture('', { storageUrl: await storage.url() });
      await f.server.start();
    });
    after(async () => {
      await f.close();
      await storage.cleanup();
    });

    it('verifies, scopes and revokes tokens', async () => {
      const { id, token } = await f.tokens.create('central', ['feed:read']);
      const headers = { authorization: `Bearer ${token}` };
      assert.equal((await f.server.inject({ url: '/api/v1/feed', headers })).statusCode, 200);
      assert.equal((await f.server.inject({ url: '/api/v1/config', headers })).statusCode, 403);
      assert.equal(await f.tokens.revoke(id), true);
      assert.equal((await f.server.inject({ url: '/api/v1/feed', headers })).statusCode, 401);
    });

    it('serves the feed by pull and stream in sequence, and filters observations by alarm', async () => {
      await writeObservations(f.writer, 20);
      await writeObservations(f.writer, 3, { alarms: [{ level: 'alarm', code: 'GAMMA', message: 'gamma alarm' }] } as any);
      await writeEvents(f.writer, 5);
      const headers = await f.auth('admin');
      const pulled = JSON.parse((await f.server.inject({ url: '/api/v1/feed?after=0&limit=10', headers })).payload);
      assert.deepEqual(
        pulled.events.map((e: any) => e.seq),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
      const { events } = await readSse(`${f.server.info.uri}/api/v1/feed/stream`, { ...headers, 'last-event-id': '10' }, (ev) => ev.length >= 18);
      assert.deepEqual(
        events.map((e) => Number(e.id)),
        Array.from({ length: 18 }, (_, i) => 11 + i),
      );
      const alarms = JSON.parse((await f.server.inject({ url: '/api/v1/observations?alarm=true', headers })).payload);
      assert.equal(alarms.observations.length, 3);
    });

    it('saves and loads the outbox cursor', async () => {
      const state = new OutboxStateStore(f.db, 'CP1', 'nats');
      assert.deepEqual(await state.load(), { ackedSeq: 0, dropped: 0 });
      await state.save({ ackedSeq: 17, dropped: 2 });
      await state.save({ ackedSeq: 25, dropped: 2 });
      assert.deepEqual(await state.load(), { ackedSeq: 25, dropped: 2 });
    });
  });
}

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TokenStore } from '../../src/auth/token-store.js';
import { apiFixture, writeObservations, type ApiFixture } from './api-fixture.js';

const madeUp = () => `chub_${randomBytes(32).toString('base64url')}`;

describe('unauthenticated load', function () {
  this.timeout(30000);
  let f: ApiFixture;
  before(async () => {
    f = await apiFixture('api: { failedAuthLimit: { perSecond: 0.5, burst: 5 } }\n');
    await writeObservations(f.writer, 3);
  });
  after(() => f.close());

  it('rate-limits failed authentication per client address, before any lookup', async () => {
    const before = f.tokens.lookups;
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await f.server.inject({ url: '/api/v1/feed', headers: { authorization: `Bearer ${madeUp()}` }, remoteAddress: '10.9.9.1' });
      codes.push(res.statusCode);
      if (res.statusCode === 429) assert.match(String(res.headers['retry-after']), /^\d+$/);
    }
    assert.deepEqual(codes, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    assert.equal(f.tokens.lookups - before, 5, 'blocked attempts cost no lookup');
    const other = await f.server.inject({ url: '/api/v1/feed', headers: { authorization: `Bearer ${madeUp()}` }, remoteAddress: '10.9.9.2' });
    assert.equal(other.statusCode, 401, 'another address is not affected');
  });

  it('still lets a token verified before pass from a blocked address', async () => {
    const good = await f.auth('feed:read');
    const first = await f.server.inject({ url: '/api/v1/feed', headers: good, remoteAddress: '10.9.9.3' });
    assert.equal(first.statusCode, 200);
    for (let i = 0; i < 8; i++) await f.server.inject({ url: '/api/v1/feed', headers: { authorization: `Bearer ${madeUp()}` }, remoteAddress: '10.9.9.3' });
    const blocked = await f.server.inject({ url: '/api/v1/feed', headers: { authorization: `Bearer ${madeUp()}` }, remoteAddress: '10.9.9.3' });
    assert.equal(blocked.statusCode, 429);
    const again = await f.server.inject({ url: '/api/v1/feed', headers: good, remoteAddress: '10.9.9.3' });
    assert.equal(again.statusCode, 200);
  });

  it('keeps verified and rejected token hashes in bounded caches; a flood does not push out real tokens', async () => {
    const store = new TokenStore(f.db, null, 60_000, Date.now, { verified: 10, rejected: 50 });
    const { token } = await store.create('real', ['feed:read']);
    assert.ok(await store.verify(token));
    const bad = Array.from({ length: 300 }, madeUp);
    for (const t of bad) assert.equal(await store.verify(t), null);
    assert.deepEqual(store.cacheSizes(), { verified: 1, rejected: 50 });
    const lookups = store.lookups;
    assert.ok(await store.verify(token));
    assert.equal(await store.verify(bad[299]!), null);
    assert.equal(store.lookups, lookups, 'the real token and the latest bad one are answered from memory');
  });

  it('answers API reads while the writer holds its connection in a transaction', async () => {
    const headers = await f.auth('feed:read', 'observations:read');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let committed = false;
    const trx = f.db.knex
      .transaction(async (t) => {
        await t('events').where({ seq: -1 }).del();
        await held;
      })
      .then(() => {
        committed = true;
      });
    await new Promise((r) => setTimeout(r, 50));
    try {
      const [feed, obs] = await Promise.all([f.server.inject({ url: '/api/v1/feed', headers }), f.server.inject({ url: '/api/v1/observations', headers })]);
      assert.equal(committed, false, 'answered while the writer transaction was still open');
      assert.equal(feed.statusCode, 200, feed.payload);
      assert.equal(obs.statusCode, 200, obs.payload);
      assert.ok(JSON.parse(obs.payload).observations.length >= 3);
    } finally {
      release();
      await trx;
    }
  });
});

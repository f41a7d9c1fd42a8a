import assert from 'node:assert/strict';
import { apiFixture, writeObservations, type ApiFixture } from './api-fixture.js';
import { hashToken } from '../../src/auth/token-store.js';
import { RateLimiter } from '../../src/auth/rate-limiter.js';

describe('API authentication and scopes', () => {
  let f: ApiFixture;
  before(async () => {
    f = await apiFixture();
    await writeObservations(f.writer, 3);
  });
  after(() => f.close());

  it('answers health without a token and nothing else', async () => {
    assert.equal((await f.server.inject('/health/live')).statusCode, 200);
    assert.equal((await f.server.inject('/health/ready')).statusCode, 200);
    for (const url of [
      '/api/v1/feed',
      '/api/v1/feed/stream',
      '/api/v1/observations',
      '/api/v1/devices',
      '/api/v1/config',
      '/api/v1/openapi.json',
      `/api/v1/raw/${'a'.repeat(64)}`,
    ]) {
      const res = await f.server.inject(url);
      assert.equal(res.statusCode, 401, url);
      assert.match(res.headers['www-authenticate'] as string, /^Bearer/);
    }
    assert.equal((await f.server.inject({ method: 'POST', url: '/api/v1/devices/rpm-1/files', payload: 'x' })).statusCode, 401);
  });

  it('refuses malformed, unknown and revoked tokens with 401', async () => {
    const bad = await f.server.inject({ url: '/api/v1/feed', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    assert.equal(bad.statusCode, 401);
    assert.match(JSON.parse(bad.payload).message, /Bearer <token>/);
    const unknown = await f.server.inject({ url: '/api/v1/feed', headers: { authorization: 'Bearer chub_notarealtoken' } });
    assert.equal(unknown.statusCode, 401);
    const created = await f.tokens.create('central', ['feed:read']);
    const headers = { authorization: `Bearer ${created.token}` };
    assert.equal((await f.server.inject({ url: '/api/v1/feed', headers })).statusCode, 200);
    assert.equal(await f.tokens.revoke(created.id), true);
    assert.equal(await f.tokens.revoke(created.id), false, 'a second revoke finds no active token');
    const after = await f.server.inject({ url: '/api/v1/feed', headers });
    assert.equal(after.statusCode, 401);
    assert.match(JSON.parse(after.payload).message, /invalid or revoked/);
  });

  it('takes a token from the URL only on the feed stream', async () => {
    const { token } = await f.tokens.create('in-url', ['feed:read']);
    const res = await f.server.inject(`/api/v1/feed?access_token=${token}`);
    assert.equal(res.statusCode, 401);
    assert.match(JSON.parse(res.payload).message, /\?access_token= is accepted only by the feed stream/);
  });

  it('stores only the hash of a token', async () => {
    const { id, token } = await f.tokens.create('stored', ['config:read']);
    const row = await f.db.knex('api_tokens').where({ id }).first();
    assert.equal(row.hash, hashToken(token));
    assert.ok(!JSON.stringify(row).includes(token.slice(5)));
    assert.match(token, /^chub_[A-Za-z0-9_-]{43}$/);
  });

  it('lets each scope see only its routes (403 otherwise), and admin everything', async () => {
    const matrix: Array<[string, string]> = [
      ['/api/v1/feed', 'feed:read'],
      ['/api/v1/observations', 'observations:read'],
      ['/api/v1/devices', 'devices:read'],
      ['/api/v1/config', 'config:read'],
    ];
    const admin = await f.auth('admin');
    for (const [url, scope] of matrix) {
      const allowed = await f.auth(scope as any);
      assert.equal((await f.server.inject({ url, headers: allowed })).statusCode, 200, `${scope} on ${url}`);
      assert.equal((await f.server.inject({ url, headers: admin })).statusCode, 200, `admin on ${url}`);
      for (const [otherUrl, otherScope] of matrix) {
        if (otherScope === scope) continue;
        const res = await f.server.inject({ url: otherUrl, headers: allowed });
        assert.equal(res.statusCode, 403, `${scope} must not read ${otherUrl}`);
        assert.match(JSON.parse(res.payload).message, /scope/i);
      }
    }
    const officer = await f.auth('cases:write', 'declarations:write');
    assert.equal((await f.server.inject({ method: 'POST', url: '/api/v1/devices/rpm-1/files', headers: officer, payload: 'x' })).statusCode, 403);
  });

  it('lists tokens without their secret', async () => {
    const list = await f.tokens.list();
    assert.ok(list.length > 3);
    assert.ok(list.every((t) => !('hash' in t) && !('token' in t)));
    assert.ok(list.some((t) => t.name === 'central' && t.revokedAt !== null));
  });

  it('limits the request rate per token with 429 and Retry-After', async () => {
    const f = await apiFixture('api: { rateLimit: { perSecond: 1, burst: 3 } }\n');
    try {
      const a = await f.auth('feed:read');
      const b = await f.auth('feed:read');
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await f.server.inject({ url: '/api/v1/feed', headers: a })).statusCode);
      assert.deepEqual(codes, [200, 200, 200]);
      const limited = await f.server.inject({ url: '/api/v1/feed', headers: a });
      assert.equal(limited.statusCode, 429);
      assert.match(JSON.parse(limited.payload).message, /rate limit of token/);
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      assert.equal((await f.server.inject({ url: '/api/v1/feed', headers: b })).statusCode, 200, 'another token has its own bucket');
    } finally {
      await f.close();
    }
  });
});

describe('RateLimiter', () => {
  it('refills at the configured rate', () => {
    let now = 0;
    const l = new RateLimiter({ perSecond: 2, burst: 2 }, () => now);
    assert.deepEqual([l.take('k'), l.take('k')], [0, 0]);
    assert.equal(l.take('k'), 1);
    now = 500;
    assert.equal(l.take('k'), 0, 'half a second refills one request at 2/s');
    assert.equal(l.take('k'), 1);
  });
});

import assert from 'node:assert/strict';
import { apiFixture, writeObservations, type ApiFixture } from './api-fixture.js';

describe('API input handling', () => {
  let f: ApiFixture;
  let headers: { authorization: string };
  before(async () => {
    f = await apiFixture('api: { maxUploadBytes: 2048 }\n');
    headers = await f.auth('admin');
    await writeObservations(f.writer, 5);
  });
  after(() => f.close());

  it('names the parameter in a 400 for malformed query values and unknown parameters', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/api/v1/feed?after=abc', /query parameter 'after' must be integer/],
      ['/api/v1/feed?limit=0', /query parameter 'limit' must be >= 1/],
      ['/api/v1/feed?limit=999999', /query parameter 'limit' must be <= 5000/],
      ['/api/v1/feed?colour=red', /unknown query parameter 'colour'/],
      ['/api/v1/observations?from=yesterday', /query parameter 'from' must match format "date-time"/],
      ['/api/v1/observations/not-a-uuid', /path parameter 'id'/],
    ];
    for (const [url, message] of cases) {
      const res = await f.server.inject({ url, headers });
      assert.equal(res.statusCode, 400, url);
      assert.match(JSON.parse(res.payload).message, message, url);
    }
  });

  it('treats SQL-looking strings as data: rejected by the validators or matching nothing', async () => {
    const before = await f.db.knex('observations').count({ n: '*' }).first();
    for (const url of [
      "/api/v1/observations?lane=L1'%20OR%201=1--",
      '/api/v1/observations?device=x;DROP%20TABLE%20observations',
      "/api/v1/observations?conveyance=%25'%20OR%20'1'='1",
      '/api/v1/devices/rpm-1%27%20OR%20%271',
    ]) {
      const res = await f.server.inject({ url, headers });
      assert.equal(res.statusCode, 400, url);
    }
    const like = await f.server.inject({ url: '/api/v1/observations?conveyance=CSQU', headers });
    assert.equal(JSON.parse(like.payload).observations.length, 0, 'a prefix is not a container number; whole identifiers only');
    const after = await f.db.knex('observations').count({ n: '*' }).first();
    assert.equal(Number(after!.n), Number(before!.n));
  });

  it('makes path traversal in raw file names impossible', async () => {
    for (const url of ['/api/v1/raw/..%2F..%2Fetc%2Fpasswd', '/api/v1/raw/../../hub.db', `/api/v1/raw/${'A'.repeat(64)}`, '/api/v1/raw/%2e%2e']) {
      const res = await f.server.inject({ url, headers });
      assert.ok([400, 404].includes(res.statusCode), `${url} → ${res.statusCode}`);
      assert.ok(!res.payload.includes('CREATE TABLE') && !res.payload.includes('root:'), url);
    }
  });

  it('answers oversized and malformed bodies with a 4xx that says why', async () => {
    const big = await f.server.inject({ method: 'POST', url: '/api/v1/devices/n42-1/files?name=big.n42', headers, payload: Buffer.alloc(4096, 1) });
    assert.equal(big.statusCode, 413);
    assert.match(JSON.parse(big.payload).message, /maximum/);
    const name = await f.server.inject({ method: 'POST', url: '/api/v1/devices/n42-1/files?name=..%2F..%2Fx', headers, payload: 'abc' });
    assert.equal(name.statusCode, 400);
    assert.match(JSON.parse(name.payload).message, /query parameter 'name'/);
    assert.equal(f.files.length, 0, 'nothing reached the driver');
  });
});

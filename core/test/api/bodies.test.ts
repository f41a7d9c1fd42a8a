import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub } from '../../src/bootstrap.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Hub } from '../../src/hub.js';

// JSON bodies go to routes of other modules (declarations, cases); the limits and parsing are the server's.
describe('API request bodies on a whole hub', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-bodies-'));
  let hub: Hub;
  let headers: Record<string, string>;
  before(async () => {
    const { config } = parseConfig(
      `checkpoint: { id: CP1 }\ndataDir: ${dir}\nhttp: { port: 0 }\nlogging: { level: silent }\napi: { maxPayloadBytes: 65536 }\n`,
      join(dir, 'test.yaml'),
      {},
    );
    hub = (await createHub(config, { workspaceDir: null })).hub;
    await hub.start({ listen: false });
    headers = { authorization: `Bearer ${(await new TokenStore(hub.db).create('central', ['declarations:write'])).token}`, 'content-type': 'application/json' };
  });
  after(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers malformed JSON with 400 and says so', async () => {
    const res = await hub.http.inject({ method: 'POST', url: '/api/v1/declarations', headers, payload: '{"number": "D1", "goods": [' });
    assert.equal(res.statusCode, 400);
    assert.match(JSON.parse(res.payload).message, /Invalid request payload JSON format/);
  });

  it('answers a body over api.maxPayloadBytes with 413 before reading it all', async () => {
    const res = await hub.http.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers,
      payload: JSON.stringify({ number: 'D1', pad: 'x'.repeat(70_000) }),
    });
    assert.equal(res.statusCode, 413);
    assert.match(JSON.parse(res.payload).message, /Payload content length greater than maximum allowed: 65536/);
  });

  it('answers every /api route of every module with 401 without a token', async () => {
    const routes = hub.http.table().filter((r) => r.path.startsWith('/api/'));
    assert.ok(routes.length >= 15, `expected the whole API, found ${routes.length} routes`);
    for (const r of routes) {
      const res = await hub.http.inject({ method: r.method, url: r.path.replace(/\{[^}]+\}/g, 'x'), payload: r.method === 'get' ? undefined : '{}' });
      assert.equal(res.statusCode, 401, `${r.method} ${r.path}`);
    }
  });

  it('answers a body without a token with 401, whatever it contains', async () => {
    const res = await hub.http.inject({ method: 'POST', url: '/api/v1/declarations', headers: { 'content-type': 'application/json' }, payload: '{}' });
    assert.equal(res.statusCode, 401);
  });
});

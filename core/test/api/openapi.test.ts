import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Hub } from '../../src/hub.js';
import { createHub } from '../../src/bootstrap.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { parseConfig } from '../../src/config/load-config.js';

/** docs/openapi.json is the served document, saved. `UPDATE_OPENAPI=1` rewrites it; otherwise a difference fails. */
const DOC = join(__dirname, '..', '..', '..', '..', 'docs', 'openapi.json');

describe('OpenAPI document', () => {
  let hub: Hub;
  let doc: any;
  const dir = mkdtempSync(join(tmpdir(), 'hub-openapi-'));
  // A whole hub, so the routes other modules register (cases, declarations) are in the document too.
  before(async () => {
    const { config } = parseConfig(`checkpoint: { id: CP1 }\ndataDir: ${dir}\nhttp: { port: 0 }\nlogging: { level: silent }\n`, join(dir, 'test.yaml'), {});
    hub = (await createHub(config, { workspaceDir: null })).hub;
    await hub.start({ listen: false });
    const { token } = await new TokenStore(hub.db).create('docs', ['feed:read']);
    const res = await hub.http.inject({ url: '/api/v1/openapi.json', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200);
    doc = JSON.parse(res.payload);
  });
  after(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('describes every route with its scopes and parameter schemas', () => {
    assert.equal(doc.openapi, '3.1.0');
    const feed = doc.paths['/api/v1/feed'].get;
    assert.deepEqual(feed.security, [{ bearer: ['feed:read'] }]);
    assert.deepEqual(
      feed.parameters.map((p: any) => p.name),
      ['after', 'limit'],
    );
    assert.equal(feed.parameters[1].schema.maximum, 5000);
    assert.deepEqual(doc.paths['/health/live'].get.security, []);
    assert.deepEqual(Object.keys(doc.paths['/api/v1/devices/{id}/files'].post.requestBody.content), ['application/octet-stream']);
    assert.ok(doc.paths['/api/v1/cases'], 'routes of other modules are included');
    assert.ok(doc.components.schemas.observation_v1, 'data-model schemas come from the SDK');
    assert.ok(!JSON.stringify(doc).includes('access_token'), 'the EventSource fallback is not advertised as a parameter');
  });

  it('is what docs/openapi.json holds', () => {
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(DOC, text);
    let saved = '';
    try {
      saved = readFileSync(DOC, 'utf8');
    } catch {
      /* missing: reported below */
    }
    assert.ok(saved === text, 'docs/openapi.json differs from the served document; run the API tests with UPDATE_OPENAPI=1 and commit it');
  });
});

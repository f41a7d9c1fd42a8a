import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createHub } from '../../src/bootstrap.js';
import type { Hub } from '../../src/hub.js';
import { FIXTURES, VIRTUAL_PLUGIN, memoryLogger, testConfig } from '../helpers/hub-config.js';

/** Sends raw bytes and collects the whole answer until the server closes (or gives up after ms). */
function raw(port: number, bytes: string, ms = 8000): Promise<{ text: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.write(bytes));
    let text = '';
    const done = () => {
      clearTimeout(t);
      resolve({ text, ms: Date.now() - t0 });
    };
    const t = setTimeout(() => {
      s.destroy();
    }, ms);
    s.on('data', (d) => (text += d));
    s.on('error', () => undefined);
    s.on('close', done);
  });
}
const bodyOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));

describe('client errors answered as client errors (not 500 or 503)', function () {
  this.timeout(60000);
  let hub: Hub;
  let auth: { authorization: string };
  let port: number;

  before(async () => {
    const config = testConfig(
      `checkpoint: { id: CE-1 }\napi: { bodyIdleTimeoutMs: 500 }\nlanes:\n  - id: L1\n    devices:\n      - { id: TAKER, plugin: file-taker }\n      - { id: VIRT, plugin: virtual, config: { kind: telemetry, rate: 1 } }\n`,
    );
    config.http.host = '127.0.0.1';
    ({ hub } = await createHub(config, { logger: memoryLogger().logger, workspaceDir: null, pluginPaths: [VIRTUAL_PLUGIN, join(FIXTURES, 'file-taker.js')] }));
    await hub.start();
    port = hub.http.info.port as number;
    const { TokenStore } = await import('../../src/auth/token-store.js');
    auth = { authorization: `Bearer ${(await new TokenStore(hub.db).create('t', ['admin'])).token}` };
  });
  after(async () => {
    await hub.stop();
  });

  it('takes a leap second in from/to', async () => {
    for (const q of ['from=2016-12-31T23:59:60Z', 'to=2016-12-31T23:59:60.5Z', 'from=2016-12-31T23:59:60Z&to=2030-01-01T00:00:00Z']) {
      const res = await hub.http.inject({ url: `/api/v1/observations?${q}`, headers: auth });
      assert.equal(res.statusCode, 200, `${q}: ${res.payload}`);
    }
  });

  it('answers 400 for an upload to a device whose plugin reads no files', async () => {
    const res = await hub.http.inject({
      method: 'POST',
      url: '/api/v1/devices/VIRT/files?name=a.bin',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      payload: 'x',
    });
    assert.equal(res.statusCode, 400, res.payload);
    assert.match(JSON.parse(res.payload).message, /device VIRT \(plugin virtual\) does not accept files/);
  });

  it('answers 422 with the dead letter when the file gives an observation the schema refuses', async () => {
    const res = await hub.http.inject({
      method: 'POST',
      url: '/api/v1/devices/TAKER/files?name=u.txt',
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: 'a unit much too long to pass the data model',
    });
    assert.equal(res.statusCode, 422, res.payload);
    const body = JSON.parse(res.payload);
    assert.match(body.message, /data model refuses: \/payload\/values\/t\/unit/);
    const letter = await hub.db.knex('dead_letters').where({ id: body.deadLetterId }).first();
    assert.equal(letter.device_id, 'TAKER');
    const ok = await hub.http.inject({
      method: 'POST',
      url: '/api/v1/devices/TAKER/files?name=ok.txt',
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: 'mSv',
    });
    assert.equal(ok.statusCode, 201, ok.payload);
  });

  it('answers 408 when a body stops short of its Content-Length, on JSON routes and uploads', async () => {
    for (const [path, type] of [
      ['/api/v1/declarations', 'application/json'],
      ['/api/v1/devices/TAKER/files?name=s.txt', 'text/plain'],
    ]) {
      const { text, ms } = await raw(
        port,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth.authorization}\r\nContent-Type: ${type}\r\nContent-Length: 100\r\n\r\n{"a":1`,
      );
      assert.match(text, /^HTTP\/1\.1 408 /, `${path}: ${text.slice(0, 80)}`);
      assert.match(bodyOf(text).message, /request body stopped arriving/);
      assert.ok(ms < 5000, `answered after ${ms} ms`);
    }
  });

  it('answers a 20 KB header and a 100 KB URL with 431 and a JSON reason', async () => {
    for (const req of [
      `GET /api/v1/feed HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      `GET /api/v1/feed?x=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    ]) {
      const { text } = await raw(port, req);
      assert.match(text, /^HTTP\/1\.1 431 /);
      assert.match(bodyOf(text).message, /exceed 16 KB: a URL or a header is too long/);
    }
    const bad = await raw(port, 'GARBAGE\r\n\r\n');
    assert.match(bad.text, /^HTTP\/1\.1 400 /);
    assert.match(bodyOf(bad.text).message, /malformed HTTP request \(HPE_/);
  });

  it('does not serve the console source map', async () => {
    const res = await hub.http.inject('/console/app.js.map');
    assert.equal(res.statusCode, 404);
    const js = await hub.http.inject('/console/app.js');
    assert.ok(js.statusCode === 503 || !/sourceMappingURL/.test(js.payload), 'the bundle does not point to a map');
  });
});

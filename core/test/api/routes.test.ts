import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { apiFixture, writeObservations, type ApiFixture } from './api-fixture.js';

describe('API routes', () => {
  let f: ApiFixture;
  before(async () => {
    f = await apiFixture();
    await writeObservations(f.writer, 3, { lane: 'L1', deviceId: 'rpm-1', kind: 'weight' } as any);
    await writeObservations(f.writer, 2, {
      lane: 'L2',
      deviceId: 'n42-1',
      kind: 'weight',
      conveyance: { containers: [], plates: [{ number: 'A123BC77' }] },
    } as any);
  });
  after(() => f.close());

  it('filters observations by lane, device, conveyance and time, paging by sequence', async () => {
    const h = await f.auth('observations:read');
    const get = async (q: string) => JSON.parse((await f.server.inject({ url: `/api/v1/observations?${q}`, headers: h })).payload);
    assert.deepEqual(
      (await get('lane=L2')).observations.map((o: any) => o.deviceId),
      ['n42-1', 'n42-1'],
    );
    assert.equal((await get('device=rpm-1')).observations.length, 3);
    assert.equal((await get('conveyance=a123bc77')).observations.length, 2, 'plates match case-insensitively');
    assert.equal((await get('conveyance=CSQU3054383')).observations.length, 3);
    assert.equal((await get('from=2026-01-01T00:00:01Z&to=2026-01-01T00:00:02Z')).observations.length, 2, 'device time in [from, to)');
    const page = await get('limit=2');
    assert.deepEqual(
      page.observations.map((o: any) => o.seq),
      [1, 2],
    );
    assert.deepEqual(
      (await get(`after=${page.next}&limit=2`)).observations.map((o: any) => o.seq),
      [3, 4],
    );
    const one = (await get('limit=1')).observations[0];
    const byId = await f.server.inject({ url: `/api/v1/observations/${one.id}`, headers: h });
    assert.deepEqual(JSON.parse(byId.payload), one);
    const missing = await f.server.inject({ url: '/api/v1/observations/00000000-0000-7000-8000-000000000000', headers: h });
    assert.equal(missing.statusCode, 404);
  });

  it('lists devices with their status; an unknown device is a 404 that names it', async () => {
    const h = await f.auth('devices:read');
    const list = JSON.parse((await f.server.inject({ url: '/api/v1/devices', headers: h })).payload);
    assert.deepEqual(
      list.devices.map((d: any) => d.deviceId),
      ['rpm-1', 'n42-1'],
    );
    assert.equal(JSON.parse((await f.server.inject({ url: '/api/v1/devices/rpm-1', headers: h })).payload).state, 'online');
    const res = await f.server.inject({ url: '/api/v1/devices/nope', headers: h });
    assert.equal(res.statusCode, 404);
    assert.match(JSON.parse(res.payload).message, /no device 'nope'/);
  });

  it('streams an uploaded file into the raw store, hands it to the driver, and serves it back by sha256', async () => {
    const w = await f.auth('devices:write');
    const content = Buffer.from('<RadInstrumentData/>');
    const sha = createHash('sha256').update(content).digest('hex');
    const res = await f.server.inject({
      method: 'POST',
      url: '/api/v1/devices/n42-1/files?name=passage.n42',
      headers: { ...w, 'content-type': 'application/xml' },
      payload: content,
    });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(JSON.parse(res.payload), { sha256: sha, size: content.length, observations: 1 });
    assert.equal(f.files.length, 1);
    assert.deepEqual({ ...f.files[0]!.file, path: undefined }, { path: undefined, name: 'passage.n42', sha256: sha, size: content.length });
    assert.equal(f.files[0]!.deviceId, 'n42-1');
    const raw = await f.server.inject({ url: `/api/v1/raw/${sha}`, headers: await f.auth('observations:read') });
    assert.equal(raw.statusCode, 200);
    assert.equal(raw.rawPayload.toString(), content.toString());
    assert.equal(raw.headers['content-type'], 'application/octet-stream');
    const unknown = await f.server.inject({ method: 'POST', url: '/api/v1/devices/ghost/files', headers: w, payload: 'x' });
    assert.equal(unknown.statusCode, 404);
    const none = await f.server.inject({ url: `/api/v1/raw/${'0'.repeat(64)}`, headers: await f.auth('feed:read') });
    assert.equal(none.statusCode, 404);
  });

  it('answers a file the driver rejects with 422 and the reason', async () => {
    const g = await apiFixture('', { rejectFiles: 'not an N42 document: root element is <html>' });
    try {
      const res = await g.server.inject({ method: 'POST', url: '/api/v1/devices/n42-1/files', headers: await g.auth('devices:write'), payload: '<html/>' });
      assert.equal(res.statusCode, 422);
      assert.match(JSON.parse(res.payload).message, /file rejected by device n42-1: not an N42 document: root element is <html>/);
    } finally {
      await g.close();
    }
  });

  it('shows the running configuration without secrets', async () => {
    const res = await f.server.inject({ url: '/api/v1/config', headers: await f.auth('config:read') });
    const body = JSON.parse(res.payload);
    assert.equal(body.checkpoint.id, 'CP1');
    assert.equal(body.devices[0].config.host, '10.0.0.5');
    assert.equal(body.devices[0].config.password, '[redacted]');
    assert.ok(!res.payload.includes('hunter2'));
    assert.ok(!res.payload.includes(f.dir), 'no file system paths');
  });
});

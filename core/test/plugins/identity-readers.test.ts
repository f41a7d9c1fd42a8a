import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@customs-hub/sdk/testing';
import { createHub } from '../../src/bootstrap.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Hub } from '../../src/hub.js';
import { memoryLogger, waitFor } from '../helpers/hub-config.js';

/**
 * The identity readers in a whole hub, with their simulators from the config: the OCR gate pushing over
 * TCP, the ANPR camera polled, and both taking HTTP pushes through the hub's one upload route.
 */
describe('identity readers in a hub (ocr-gate, plate-reader)', function () {
  this.timeout(60000);
  let hub: Hub;
  let write: Record<string, string>;
  let read: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'hub-identity-'));

  before(async () => {
    const [gatePort, cameraPort] = [await freePort(), await freePort()];
    const yaml = `checkpoint: { id: ID-1 }\ndataDir: ${dir}\nhttp: { port: 0 }\nlogging: { level: silent }
simulators:
  - { plugin: ocr-gate, simulator: ocr-gate, options: { transport: tcp, port: ${gatePort}, intervalS: 0.5, images: 1, imageWidth: 40, imageHeight: 20, seed: 3 } }
  - { plugin: plate-reader, simulator: plate-reader, options: { mode: isapi, port: ${cameraPort}, intervalS: 0.5, imageWidth: 40, imageHeight: 30, seed: 3 } }
lanes:
  - id: CARGO-9
    devices:
      - { id: OCR-9, plugin: ocr-gate, config: { tcp: { mode: listen, port: ${gatePort} } } }
      - { id: LPR-9, plugin: plate-reader, config: { poll: { url: "http://127.0.0.1:${cameraPort}", intervalMs: 200 } } }
`;
    const { config } = parseConfig(yaml, join(dir, 'test.yaml'), {});
    hub = (await createHub(config, { logger: memoryLogger().logger })).hub;
    await hub.start({ listen: false });
    const tokens = new TokenStore(hub.db);
    write = { authorization: `Bearer ${(await tokens.create('gate', ['devices:write'])).token}` };
    read = { authorization: `Bearer ${(await tokens.create('reader', ['observations:read', 'devices:read'])).token}` };
  });
  after(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const observations = async (device: string) =>
    JSON.parse((await hub.http.inject({ url: `/api/v1/observations?device=${device}`, headers: read })).payload).observations as any[];

  it("stores the simulated gate's and camera's readings as identification observations", async () => {
    await waitFor(async () => (await observations('OCR-9')).length >= 2 && (await observations('LPR-9')).length >= 2, 30000, 'readings of both readers');
    const ocr = (await observations('OCR-9'))[0];
    assert.equal(ocr.kind, 'identification');
    assert.equal(ocr.payload.method, 'ocr');
    assert.ok(ocr.conveyance.containers.length >= 1);
    assert.deepEqual(
      ocr.raw.map((r: any) => r.role),
      ['source', 'image'],
    );
    const lpr = (await observations('LPR-9'))[0];
    assert.equal(lpr.payload.method, 'lpr');
    assert.equal(lpr.conveyance.plates.length, 1);
    assert.deepEqual(
      lpr.raw.map((r: any) => r.role),
      ['source', 'plate-image'],
    );
  });

  it('takes an HTTP push through the upload route: 201 for a reading, 422 with the reason and a device status for a bad one', async () => {
    const reading = { type: 'NEW', id: 'HTTP-1', time: '2026-12-01T10:00:00Z', containers: [{ code: 'CSQU3054384', confidence: 0.6 }] };
    const ok = await hub.http.inject({
      method: 'POST',
      url: '/api/v1/devices/OCR-9/files?name=HTTP-1.json',
      headers: { ...write, 'content-type': 'application/json' },
      payload: JSON.stringify(reading),
    });
    assert.equal(ok.statusCode, 201, ok.payload);
    assert.equal(JSON.parse(ok.payload).observations, 1);
    const stored = (await observations('OCR-9')).find((o) => o.sourceId === 'HTTP-1');
    assert.deepEqual(stored.conveyance.containers, [{ number: 'CSQU3054384', valid: false, confidence: 0.6 }], 'a misread is kept as read');
    const bad = await hub.http.inject({
      method: 'POST',
      url: '/api/v1/devices/OCR-9/files?name=cut.xml',
      headers: { ...write, 'content-type': 'application/xml' },
      payload: '<GateReading type="NEW" id="C1"><Time>2026',
    });
    assert.equal(bad.statusCode, 422);
    assert.match(JSON.parse(bad.payload).message, /file rejected by device OCR-9: XML: .*unclosed tag: Time/);
    await waitFor(
      async () =>
        /cut\.xml rejected: XML: /.test(JSON.parse((await hub.http.inject({ url: '/api/v1/devices/OCR-9', headers: read })).payload).lastError?.message ?? ''),
      5000,
      'the reason in the device status',
    );
    const anon = await hub.http.inject({ method: 'POST', url: '/api/v1/devices/LPR-9/files', payload: '{}' });
    assert.equal(anon.statusCode, 401, 'no push without credentials');
    const event = { eventType: 'NEW', eventId: 'P-1', time: '2026-12-01T10:00:00Z', licensePlateInfo: { PlateNumber: { Value: 'AB123CD', Likelihood: 0.9 } } };
    const plate = await hub.http.inject({
      method: 'POST',
      url: '/api/v1/devices/LPR-9/files?name=P-1.json',
      headers: { ...write, 'content-type': 'application/json' },
      payload: JSON.stringify(event),
    });
    assert.equal(plate.statusCode, 201, plate.payload);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IdentificationPayload } from '@customs-hub/sdk';
import { digestAuthorization, digestValid, parseChallenge } from '../src/isapi/http-auth.js';
import { parseIsapiTime, toIsapiTime } from '../src/isapi/isapi-time.js';
import { parsePlateList } from '../src/isapi/plate-list.js';
import { startPlateCamera } from '../src/simulator/simulator.js';
import { freePort, harness, lastStatus, quietLogger } from './helpers.js';

describe('plate-reader: ISAPI-style polling', function () {
  this.timeout(15000);

  it('reads compact ISAPI times with and without a zone', () => {
    assert.equal(toIsapiTime(new Date('2026-12-01T10:15:12.345Z')), '20261201T101512Z');
    assert.deepEqual(parseIsapiTime('20261201T101512+0100'), { date: new Date('2026-12-01T09:15:12Z'), zoned: true });
    assert.deepEqual(parseIsapiTime('20261201T101512'), { date: new Date('2026-12-01T10:15:12Z'), zoned: false });
    assert.equal(parseIsapiTime('yesterday'), null);
  });

  it('parses a plate list, skipping a broken entry with its reason and naming unknown fields', () => {
    const xml =
      '<Plates xmlns="http://www.isapi.org/ver20/XMLSchema"><Plate><captureTime>20261201T101512Z</captureTime><plateNumber>AB123CD</plateNumber><picName>p1</picName><confidence>93</confidence><matchingResult>none</matchingResult></Plate>' +
      '<Plate><captureTime>20261201T101513Z</captureTime><picName>p2</picName></Plate>' +
      '<Plate><captureTime>20261201T101511Z</captureTime><plateNumber>XY1</plateNumber><picName>p0</picName></Plate></Plates>';
    const list = parsePlateList(xml);
    assert.deepEqual(
      list.plates.map((p) => p.picName),
      ['p0', 'p1'],
    );
    assert.deepEqual(list.problems, ["plate 2 (line 1) skipped: Plate (line 1): 'plateNumber' is required"]);
    assert.deepEqual(list.unknownFields, ['matchingResult']);
    assert.throws(() => parsePlateList('<Plates><Plate><captureTime>2026'), /unclosed tag/);
    assert.throws(() => parsePlateList('<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Plates>&x;</Plates>'), /DOCTYPE declarations are not accepted/);
  });

  it('answers a Digest challenge the way the camera checks it', () => {
    const challenge = parseChallenge('Digest realm="cam", qop="auth", nonce="abc123", opaque="o"');
    assert.deepEqual(challenge, { realm: 'cam', qop: 'auth', nonce: 'abc123', opaque: 'o' });
    const header = digestAuthorization(challenge, 'POST', '/ISAPI/x', 'admin', 's3cret', 1);
    assert.equal(digestValid(header, 'POST', 'admin', 's3cret', 'cam', 'abc123'), true);
    assert.equal(digestValid(header, 'POST', 'admin', 'wrong', 'cam', 'abc123'), false);
  });

  it('polls the simulated camera (Digest auth) with a last-seen cursor: each plate once, images stored, cursor kept across restarts', async () => {
    const port = await freePort();
    const camera = await startPlateCamera(
      { mode: 'isapi', port, username: 'admin', password: 's3cret', intervalS: 0, imageWidth: 40, imageHeight: 30, pageSize: 2, lane: '1' },
      quietLogger,
    );
    const config = {
      poll: {
        url: `http://127.0.0.1:${port}`,
        intervalMs: 50,
        username: 'admin',
        password: 's3cret',
        overviewImagePath: '/doc/ui/images/overview/{picName}.jpg',
        backfillS: 3600,
      },
    };
    const first = harness(config);
    try {
      const at = new Date(Date.now() - 60_000);
      for (let i = 0; i < 3; i++)
        await camera.see({ plate: `AB${100 + i}CD`, country: 'F', at: new Date(at.getTime() + i * 1500), vehicle: { type: 'truck' } });
      await camera.see({ plate: 'ZZ999ZZ', misread: 'ZZ999Z2', at: new Date(at.getTime() + 5000) });
      await first.h.start();
      await first.h.waitFor(() => first.h.observations.length === 4, 8000, 'four plates');
      await new Promise((r) => setTimeout(r, 300)); // more polls: nothing is emitted twice
      assert.equal(first.h.observations.length, 4);
      const o = first.h.observations[0]!;
      assert.deepEqual(o.conveyance.plates, [{ number: 'AB100CD', country: 'F', confidence: o.conveyance.plates[0]!.confidence! }]);
      assert.ok(o.conveyance.plates[0]!.confidence! >= 0.9);
      assert.equal((o.payload as IdentificationPayload).direction, 'in');
      assert.deepEqual((o.payload as IdentificationPayload).vehicle, { type: 'truck' });
      assert.deepEqual(
        o.raw!.map((r) => r.role),
        ['source', 'plate-image', 'overview-image'],
      );
      assert.deepEqual(o.extensions, { 'plate-reader': { lane: '1', laneNo: 1, isapiDirection: 'forward' } });
      const mis = first.h.observations[3]!;
      assert.equal(mis.conveyance.plates[0]!.number, 'ZZ999Z2');
      assert.equal(mis.quality.status, 'uncertain');
      await first.h.stop();
      const cursor = JSON.parse(readFileSync(join(first.h.dataDir, 'cursor.json'), 'utf8'));
      assert.equal(cursor.time, toIsapiTime(new Date(at.getTime() + 5000)));

      // A restart with the same data folder resumes from the cursor: only the new plate.
      await camera.see({ plate: 'NEW001', at: new Date(at.getTime() + 9000) });
      const second = harness(config);
      (second.h as unknown as { dataDir: string }).dataDir = first.h.dataDir;
      await second.h.start();
      await second.h.waitFor(() => second.h.observations.length >= 1, 8000, 'the new plate');
      await new Promise((r) => setTimeout(r, 200));
      await second.h.stop();
      assert.deepEqual(
        second.h.observations.map((x) => x.conveyance.plates[0]!.number),
        ['NEW001'],
      );
    } finally {
      await first.h.stop();
      await camera.stop();
    }
  });

  it('reports wrong credentials as a fault and an unreachable camera as failures', async () => {
    const port = await freePort();
    const camera = await startPlateCamera({ mode: 'isapi', port, username: 'admin', password: 'right', intervalS: 0 }, quietLogger);
    const bad = harness({ poll: { url: `http://127.0.0.1:${port}`, intervalMs: 50, username: 'admin', password: 'wrong' } });
    try {
      await bad.h.start();
      await bad.h.waitFor(() => bad.h.statuses.some((s) => s.type === 'fault'), 5000, 'a fault');
      assert.equal(lastStatus(bad.h, 'fault'), "camera refused the credentials of 'admin' (HTTP 401)");
    } finally {
      await bad.h.stop();
      await camera.stop();
    }
    const gone = harness({ poll: { url: `http://127.0.0.1:${port}`, intervalMs: 50, timeoutMs: 500 } });
    try {
      await gone.h.start();
      await gone.h.waitFor(() => gone.h.statuses.some((s) => s.type === 'failure'), 5000, 'a failure');
      assert.match(lastStatus(gone.h, 'failure'), /^poll \/ISAPI\/Traffic\/channels\/1\/vehicleDetect\/plates: /);
    } finally {
      await gone.h.stop();
    }
  });
});

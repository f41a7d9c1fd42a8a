import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { seededRandom } from '@customs-hub/sdk';
import { simulators } from '../src/index.js';
import { misreadPlate } from '../src/simulator/plate-misread.js';
import { startPlateCamera } from '../src/simulator/simulator.js';
import { harness, quietLogger, upload } from './helpers.js';

describe('plate-reader: simulator', function () {
  this.timeout(15000);

  it('is exported for `customs-hub simulate plate-reader`', () => {
    assert.deepEqual(
      simulators.map((s) => s.name),
      ['plate-reader'],
    );
  });

  it('misreads one character', () => {
    const r = seededRandom(2);
    for (const p of ['AB123CD', 'GH456JK', 'XXXXX']) {
      const m = misreadPlate(p, r);
      assert.notEqual(m, p);
    }
  });

  it('push mode: driven by see(), a misread NEW then the UPDATE and LOST through the hub upload route, with the camera clock offset', async () => {
    const { h, driver } = harness({});
    await h.start();
    const seen: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push(`${req.url} ${req.headers.authorization}`);
        upload(h, Buffer.concat(chunks), 'e.json')
          .then((f) => driver().acceptFile(f))
          .then(
            (r) => res.writeHead(201).end(JSON.stringify(r)),
            (e: Error) => res.writeHead(422).end(e.message),
          );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const camera = await startPlateCamera(
      {
        mode: 'push',
        hubUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        deviceId: 'LPR-9',
        token: 't0ken',
        intervalS: 0,
        clockOffsetMs: 1000,
        imageWidth: 40,
        imageHeight: 30,
      },
      quietLogger,
    );
    try {
      const r = await camera.see({ plate: 'AB123CD', country: 'F', misread: true, correctAfterMs: 30, at: new Date('2026-12-01T10:00:00Z') });
      await r.corrected;
      assert.deepEqual(seen, [
        '/api/v1/devices/LPR-9/files?name=LPR000001.json Bearer t0ken',
        '/api/v1/devices/LPR-9/files?name=LPR000001-u1.json Bearer t0ken',
        '/api/v1/devices/LPR-9/files?name=LPR000001-lost.json Bearer t0ken',
      ]);
      const [n, u] = h.observations;
      assert.equal(h.observations.length, 2);
      assert.equal(n!.deviceTime, '2026-12-01T10:00:01.000Z');
      assert.equal(n!.conveyance.plates[0]!.number, r.reported);
      assert.notEqual(r.reported, 'AB123CD');
      assert.deepEqual(
        n!.raw!.map((x) => x.role),
        ['source', 'plate-image', 'overview-image'],
      );
      assert.equal(u!.sourceId, 'LPR000001~r1');
      assert.equal(u!.replaces, 'LPR000001');
      assert.equal(u!.conveyance.plates[0]!.number, 'AB123CD');
      await assert.rejects(camera.postRaw('{"eventType":"NEW"', 'cut.json'), /hub answered 422/);
    } finally {
      await camera.stop();
      await h.stop();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

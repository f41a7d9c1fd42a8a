import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { isValidContainerNumber, seededRandom } from '@customs-hub/sdk';
import { simulators } from '../src/index.js';
import { misreadCode } from '../src/simulator/misread.js';
import { simulatedContainer, startOcrGate } from '../src/simulator/simulator.js';
import { freePort, harness, quietLogger, upload } from './helpers.js';

describe('ocr-gate: simulator', function () {
  this.timeout(15000);

  it('is exported for `customs-hub simulate ocr-gate`', () => {
    assert.deepEqual(
      simulators.map((s) => s.name),
      ['ocr-gate'],
    );
    assert.ok(simulators[0]!.options.some((o) => o.flags.startsWith('--transport')));
  });

  it('misreads one confusable character so that the check digit fails', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 200; i++) {
      const code = simulatedContainer('MSC', i);
      assert.ok(isValidContainerNumber(code), code);
      const bad = misreadCode(code, random);
      assert.equal(bad.length, code.length);
      assert.equal(isValidContainerNumber(bad), false, `${code} → ${bad}`);
    }
  });

  it('driven by read(): a twin-20-ft truck, a misread corrected by an UPDATE, the gate clock offset', async () => {
    const port = await freePort();
    const { h } = harness({ tcp: { mode: 'listen', port } });
    await h.start();
    const gate = await startOcrGate(
      { transport: 'tcp', port, intervalS: 0, images: 1, imageWidth: 32, imageHeight: 16, clockOffsetMs: -2500, idPrefix: 'L1' },
      quietLogger,
    );
    try {
      const at = new Date('2026-12-01T10:00:00.000Z');
      const result = await gate.read({
        at,
        correctAfterMs: 50,
        plate: { number: 'AB 123 CD', country: 'F' },
        containers: [
          { code: 'CSQU3054383', sizeType: '22G1' },
          { code: 'MSCU1234566', sizeType: '22G1', misread: 'MSCU1234S66' },
        ],
      });
      assert.equal(result.id, 'L1-000001');
      await result.corrected;
      await h.waitFor(() => h.observations.length === 2, 5000, 'NEW and UPDATE');
      const [n, u] = h.observations;
      assert.equal(n!.deviceTime, '2026-12-01T09:59:57.500Z');
      assert.deepEqual(
        n!.conveyance.containers.map((c) => [c.number, c.valid]),
        [
          ['CSQU3054383', true],
          ['MSCU1234S66', false],
        ],
      );
      assert.ok(n!.conveyance.containers[1]!.confidence! < 0.8, 'a misread comes with a low confidence');
      assert.deepEqual(
        (n!.payload as { containers: Array<{ position: string }> }).containers.map((c) => c.position),
        ['front', 'rear'],
      );
      assert.deepEqual(
        n!.conveyance.plates.map((p) => p.number),
        ['AB123CD'],
      );
      assert.equal(u!.replaces, 'L1-000001');
      assert.deepEqual(
        u!.conveyance.containers.map((c) => [c.number, c.valid]),
        [
          ['CSQU3054383', true],
          ['MSCU1234566', true],
        ],
      );
    } finally {
      await gate.stop();
      await h.stop();
    }
  });

  it('runs its own traffic at an interval and queues readings until the hub listens', async () => {
    const port = await freePort();
    const gate = await startOcrGate({ transport: 'tcp', port, intervalS: 0.2, images: 0, seed: 4, heartbeatS: 0.1 }, quietLogger);
    await new Promise((r) => setTimeout(r, 500)); // readings made while nobody listens
    const { h, driver } = harness({ tcp: { mode: 'listen', port } });
    await h.start();
    try {
      await h.waitFor(() => h.observations.length >= 3, 8000, 'three trucks');
      assert.ok(h.observations.every((o) => o.conveyance.containers.length >= 1));
      await h.waitFor(() => driver().counters.heartbeats >= 1, 5000, 'a heartbeat');
    } finally {
      await gate.stop();
      await h.stop();
    }
  });

  it("POSTs to the hub's upload route with its bearer token (http transport)", async () => {
    const { h, driver } = harness({});
    await h.start();
    const seen: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers.authorization} ${req.headers['content-type']}`);
        upload(h, Buffer.concat(chunks), 'posted.xml')
          .then((f) => driver().acceptFile(f))
          .then(
            (r) => {
              res.writeHead(201).end(JSON.stringify(r));
            },
            (e: Error) => {
              res.writeHead(422).end(e.message);
            },
          );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const gate = await startOcrGate(
      { transport: 'http', hubUrl: url, deviceId: 'OCR-7', token: 'secret-token', format: 'xml', intervalS: 0, images: 0 },
      quietLogger,
    );
    try {
      await gate.read({ containers: [{ code: 'CSQU3054383' }] });
      assert.deepEqual(seen, ['POST /api/v1/devices/OCR-7/files?name=GATE-000001 Bearer secret-token application/xml']);
      assert.equal(h.observations.length, 1);
      await assert.rejects(gate.sendText('<GateReading/>'), /hub answered 422: .*'type' is required/);
    } finally {
      await gate.stop();
      await h.stop();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

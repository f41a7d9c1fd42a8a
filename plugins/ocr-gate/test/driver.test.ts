import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RejectedInputError } from '@customs-hub/sdk';
import { rawFilePath } from '@customs-hub/sdk/testing';
import { frame, toJson, toXml } from '../src/simulator/encode.js';
import { syntheticPng } from '../src/simulator/png.js';
import { freePort, harness, lastStatus, reading, sendOnce, upload } from './helpers.js';

const png = syntheticPng(40, 20, () => 0.5).toString('base64');

describe('ocr-gate: driver over TCP', function () {
  this.timeout(15000);

  it("turns a reading into an identification observation with the gate's detail, the message and images as raw evidence", async () => {
    const port = await freePort();
    const { h } = harness({ tcp: { mode: 'listen', port } });
    await h.start();
    try {
      const r = reading({
        images: [{ data: png, camera: 'cam-left', side: 'left' }],
        seals: [{ present: true, position: 'right door' }],
        damage: { detected: false },
      });
      await sendOnce(port, frame(toJson(r)));
      await h.waitFor(() => h.observations.length === 1, 5000, 'the reading');
      const o = h.observations[0]!;
      assert.equal(o.kind, 'identification');
      assert.equal(o.sourceId, 'G1-000001');
      assert.equal(o.deviceTime, '2026-12-01T10:15:00.120Z');
      assert.deepEqual(o.conveyance.containers, [{ number: 'CSQU3054383', valid: true, confidence: 0.97 }]);
      assert.deepEqual(o.conveyance.plates, [{ number: 'BAB1234', country: 'D', confidence: 0.91 }]);
      assert.equal(o.quality.status, 'good');
      const p = o.payload as import('@customs-hub/sdk').IdentificationPayload;
      assert.equal(p.method, 'ocr');
      assert.equal(p.event, 'new');
      assert.equal(p.direction, 'in');
      assert.deepEqual(p.containers![0], {
        number: 'CSQU3054383',
        checkDigitValid: true,
        confidence: 0.97,
        characterConfidence: r.containers[0]!.charConfidence,
        sizeType: '22G1',
        side: 'left',
        camera: 'cam-left',
      });
      assert.deepEqual(p.seals, [{ present: true, position: 'right door' }]);
      const [source, image] = o.raw!;
      assert.equal(source!.role, 'source');
      assert.equal(source!.contentType, 'application/json');
      assert.equal(image!.role, 'image');
      assert.equal(image!.contentType, 'image/png');
      assert.equal(p.image, image!.sha256);
      assert.ok(existsSync(rawFilePath(join(h.dataDir, 'raw'), image!.sha256)), 'image in the raw store');
    } finally {
      await h.stop();
    }
  });

  it('keeps a misread as read: valid false, its confidence, quality uncertain with the reason — never corrected', async () => {
    const port = await freePort();
    const { h } = harness({ tcp: { mode: 'listen', port } });
    await h.start();
    try {
      const misread = reading({ containers: [{ code: 'csqu 3O5438-3', confidence: 0.61, checkDigitOk: true }] });
      await sendOnce(port, frame(toJson(misread)));
      await h.waitFor(() => h.observations.length === 1);
      const o = h.observations[0]!;
      assert.deepEqual(o.conveyance.containers, [{ number: 'CSQU3O54383', valid: false, raw: 'csqu 3O5438-3', confidence: 0.61 }]);
      assert.equal(o.quality.status, 'uncertain');
      assert.deepEqual(o.quality.reasons, [
        'container CSQU3O54383: ISO 6346 form or check digit does not hold (kept as read)',
        'container CSQU3O54383: the gate says its check digit is right, the hub finds it wrong',
        'container CSQU3O54383: confidence 0.61 below 0.8',
      ]);
      const p = o.payload as import('@customs-hub/sdk').IdentificationPayload;
      assert.equal(p.containers![0]!.checkDigitValid, false);
      assert.equal(p.containers![0]!.deviceCheckDigitValid, true);
    } finally {
      await h.stop();
    }
  });

  it('stores an UPDATE after NEW as a correction that replaces the reading by sourceId; a resend is a duplicate', async () => {
    const port = await freePort();
    const { h, driver } = harness({ tcp: { mode: 'listen', port, framing: { type: 'length', headerBytes: 2 } } });
    await h.start();
    try {
      const first = reading({ containers: [{ code: 'CSQU3054384', confidence: 0.6 }] });
      const fixed = reading({ type: 'UPDATE', revision: 1, containers: [{ code: 'CSQU3054383', confidence: 0.99 }] });
      const lf = { type: 'length', headerBytes: 2 } as const;
      await sendOnce(port, Buffer.concat([frame(toXml(first), lf), frame(toXml(fixed), lf), frame(toXml(fixed), lf)]));
      await h.waitFor(() => driver().counters.duplicates === 1, 5000, 'the resent update');
      assert.equal(h.observations.length, 2);
      const [n, u] = h.observations;
      assert.equal(n!.sourceId, 'G1-000001');
      assert.equal(n!.replaces, undefined);
      assert.equal(n!.conveyance.containers[0]!.valid, false);
      assert.equal(u!.sourceId, 'G1-000001~r1');
      assert.equal(u!.replaces, 'G1-000001');
      assert.equal((u!.payload as { event?: string }).event, 'update');
      assert.deepEqual(u!.conveyance.containers, [{ number: 'CSQU3054383', valid: true, confidence: 0.99 }]);
      assert.equal(u!.raw![0]!.contentType, 'application/xml');
    } finally {
      await h.stop();
    }
  });

  it('answers bad input with a clear reason in the status and keeps the rest flowing', async () => {
    const port = await freePort();
    const { h, driver } = harness({ tcp: { mode: 'listen', port }, maxImageBytes: 1024 });
    await h.start();
    try {
      const big = Buffer.alloc(4096, 7).toString('base64');
      await sendOnce(
        port,
        Buffer.concat([
          frame('<GateReading type="NEW" id="T1"><Time>2026-12-01T10:00:00Z</Time><Container><Code>CSQU30'),
          frame(toJson(reading({ id: 'OK-1' }))),
          frame(JSON.stringify({ ...reading({ id: 'UNK-1' }), vendorScore: 4 })),
          frame(toJson(reading({ id: 'IMG-1', images: [{ data: big, camera: 'cam-top' }, { data: png }] }))),
          frame('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><GateReading type="NEW" id="X"><Time>&e;</Time></GateReading>'),
          frame(toJson(reading({ id: 'OK-2' }))),
        ]),
      );
      await h.waitFor(() => h.observations.length === 4, 5000, 'the four good readings');
      await h.waitFor(() => driver().counters.rejected === 2 && driver().counters.readings === 4, 5000, 'every message handled');
      assert.deepEqual(
        h.observations.map((o) => o.sourceId),
        ['OK-1', 'UNK-1', 'IMG-1', 'OK-2'],
      );
      const details = h.statuses.map((s) => `${s.type}: ${s.detail}`);
      assert.ok(
        details.some((d) => /^failure: .*message 1 rejected: XML: /.test(d)),
        details.join('\n'),
      );
      assert.ok(
        details.some((d) => /^degraded: .*\(UNK-1\): unknown field\(s\) ignored: vendorScore/.test(d)),
        details.join('\n'),
      );
      assert.ok(
        details.some((d) => /^degraded: .*\(IMG-1\): image 1 \(cam-top\): 4096 bytes exceeds the 1024-byte image limit; not stored/.test(d)),
        details.join('\n'),
      );
      assert.ok(
        details.some((d) => /^failure: .*message 5 rejected: .*DOCTYPE declarations are not accepted/.test(d)),
        details.join('\n'),
      );
      const img = h.observations[2]!;
      assert.deepEqual(
        img.raw!.map((r) => r.role),
        ['source', 'image'],
      );
      assert.equal(img.quality.status, 'uncertain');
      assert.equal(h.observations[3]!.quality.status, 'good');
      assert.deepEqual([h.statuses.at(-1)!.type, lastStatus(h)], ['ok', 'receiving messages from the gate'], 'online again with the next good reading');
    } finally {
      await h.stop();
    }
  });

  it('reports wrong framing and a connection cut mid-message, and takes the next connection', async () => {
    const port = await freePort();
    const { h } = harness({ tcp: { mode: 'listen', port, framing: { type: 'length' } } });
    await h.start();
    try {
      await sendOnce(port, frame(toJson(reading({ id: 'NL-1' }))));
      await h.waitFor(() => h.statuses.some((s) => /wrong framing/.test(s.detail)), 5000, 'the framing report');
      assert.match(lastStatus(h, 'failure'), /wrong framing: expected a 4-byte length header, got "\{\\"ty" .*; connection closed$/);
      await sendOnce(port, frame(toJson(reading({ id: 'LEN-1' })), { type: 'length' }).subarray(0, 50));
      await h.waitFor(() => /connection ended in the middle of a message \(50 bytes unread\)/.test(lastStatus(h, 'failure')), 5000, 'the truncation report');
      await sendOnce(port, frame(toJson(reading({ id: 'LEN-2' })), { type: 'length' }));
      await h.waitFor(() => h.observations.length === 1);
      assert.equal(h.observations[0]!.sourceId, 'LEN-2');
    } finally {
      await h.stop();
    }
  });

  it('keeps heartbeats out of the data and the gate online', async () => {
    const port = await freePort();
    const { h, driver } = harness({ tcp: { mode: 'listen', port } });
    await h.start();
    try {
      await sendOnce(port, frame('{"type":"HEARTBEAT","time":"2026-12-01T10:00:00Z"}'));
      await h.waitFor(() => driver().counters.heartbeats === 1, 5000, 'the heartbeat');
      assert.equal(lastStatus(h, 'ok'), 'receiving messages from the gate');
      assert.equal(h.observations.length, 0);
    } finally {
      await h.stop();
    }
  });
});

describe("ocr-gate: HTTP push through the hub's upload route (acceptFile)", () => {
  it('ingests a POSTed JSON reading with the upload as its source evidence; the same POST again is a duplicate', async () => {
    const { h, driver } = harness({});
    await h.start();
    try {
      const file = await upload(h, toJson(reading({ images: [{ data: png }] })), 'G1-000001.json');
      assert.deepEqual(await driver().acceptFile(file), { observations: 1, duplicates: 0 });
      assert.deepEqual(await driver().acceptFile(file), { observations: 0, duplicates: 1 });
      const o = h.observations[0]!;
      assert.deepEqual(o.raw![0], {
        sha256: file.sha256,
        key: `sha256/${file.sha256}`,
        size: file.size,
        name: 'G1-000001.json',
        role: 'source',
        contentType: 'application/json',
      });
      assert.equal(o.raw![1]!.role, 'image');
    } finally {
      await h.stop();
    }
  });

  it('refuses a bad upload with RejectedInputError (the hub answers 422) and says why in the status', async () => {
    const { h, driver } = harness({ unknownFields: 'reject' });
    await h.start();
    try {
      const file = await upload(h, JSON.stringify({ ...reading(), extra: 1 }), 'bad.json');
      await assert.rejects(driver().acceptFile(file), (e: unknown) => e instanceof RejectedInputError && e.reason === 'unknown field(s): extra');
      assert.equal(lastStatus(h, 'failure'), 'upload bad.json rejected: unknown field(s): extra');
      const ok = await upload(h, toXml(reading({ id: 'X-2' })), 'ok.xml');
      assert.deepEqual(await driver().acceptFile(ok), { observations: 1, duplicates: 0 });
    } finally {
      await h.stop();
    }
  });

  it('refuses an upload larger than maxMessageBytes', async () => {
    const { h, driver } = harness({ maxMessageBytes: 2048 });
    await h.start();
    try {
      const file = await upload(h, toJson(reading({ images: [{ data: Buffer.alloc(4096).toString('base64') }] })), 'big.json');
      await assert.rejects(driver().acceptFile(file), /exceeds the 2048-byte limit/);
      assert.equal(h.observations.length, 0);
    } finally {
      await h.stop();
    }
  });
});

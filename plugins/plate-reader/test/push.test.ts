import assert from 'node:assert/strict';
import { RejectedInputError, type IdentificationPayload } from '@customs-hub/sdk';
import { parseEvent } from '../src/message/parse-event.js';
import { syntheticPng } from '../src/simulator/png.js';
import { event, harness, lastStatus, upload } from './helpers.js';

const png = syntheticPng(60, 20, () => 0.4).toString('base64');

describe('plate-reader: pushed JSON events', () => {
  it('turns a NEW event into an identification observation: plate, country, confidence, direction, plate and overview images', async () => {
    const { h, driver } = harness({});
    await h.start();
    try {
      const body = JSON.stringify(
        event({
          vehicle: { type: 'truck', color: 'white' },
          images: [
            { role: 'plate', data: png },
            { role: 'overview', data: png, contentType: 'image/png' },
          ],
        }),
      );
      assert.deepEqual(await driver().acceptFile(await upload(h, body, 'e1.json')), { observations: 1, duplicates: 0 });
      const o = h.observations[0]!;
      assert.equal(o.sourceId, 'cam1-000001');
      assert.equal(o.deviceTime, '2026-12-01T10:15:00.500Z');
      assert.deepEqual(o.conveyance.plates, [{ number: 'AB123CD', country: 'F', confidence: 0.94 }]);
      assert.deepEqual(o.conveyance.containers, []);
      const p = o.payload as IdentificationPayload;
      assert.equal(p.method, 'lpr');
      assert.equal(p.direction, 'in');
      assert.deepEqual(p.vehicle, { type: 'truck', color: 'white' });
      assert.equal(p.plates![0]!.characterConfidence!.length, 7);
      assert.deepEqual(
        o.raw!.map((r) => r.role),
        ['source', 'plate-image', 'overview-image'],
      );
      assert.equal(p.image, o.raw![1]!.sha256);
      assert.equal(o.quality.status, 'good');
    } finally {
      await h.stop();
    }
  });

  it('takes ONVIF-style licensePlateInfo where present, and refuses it when it contradicts the plate', () => {
    const onvif = parseEvent(
      JSON.stringify({
        ...event(),
        plate: undefined,
        licensePlateInfo: {
          PlateNumber: { Value: 'GH-456-JK', Likelihood: 0.88 },
          CountryCode: { Value: 'F' },
          IssuingEntity: { Value: 'IDF' },
          PlateType: { Value: 'normal' },
        },
      }),
      'unit',
    );
    assert.deepEqual(onvif.read.plate, { number: 'GH-456-JK', country: 'F', region: 'IDF', confidence: 0.88, plateType: 'normal' });
    assert.throws(
      () => parseEvent(JSON.stringify({ ...event(), licensePlateInfo: { PlateNumber: { Value: 'ZZ999ZZ' } } }), 'unit'),
      (e: unknown) => e instanceof RejectedInputError && /plate.text "AB 123 CD" and licensePlateInfo.PlateNumber "ZZ999ZZ" disagree/.test(e.reason),
    );
  });

  it('keeps a misread as read with its low confidence; the UPDATE replaces it by sourceId; LOST without a plate adds nothing', async () => {
    const { h, driver } = harness({});
    await h.start();
    try {
      await driver().acceptFile(await upload(h, JSON.stringify(event({ plate: { text: 'AB123C0', confidence: 0.55 } })), 'new.json'));
      await driver().acceptFile(await upload(h, JSON.stringify(event({ eventType: 'UPDATE', plate: { text: 'AB123CD', confidence: 0.97 } })), 'upd.json'));
      assert.deepEqual(
        await driver().acceptFile(await upload(h, JSON.stringify({ eventType: 'LOST', eventId: 'cam1-000001', time: '2026-12-01T10:15:03Z' }), 'lost.json')),
        { observations: 0 },
      );
      const [n, u] = h.observations;
      assert.equal(h.observations.length, 2);
      assert.deepEqual(n!.conveyance.plates, [{ number: 'AB123C0', confidence: 0.55 }]);
      assert.equal(n!.quality.status, 'uncertain');
      assert.deepEqual(n!.quality.reasons, ['plate AB123C0: confidence 0.55 below 0.8']);
      assert.match(u!.sourceId!, /^cam1-000001~h[0-9a-f]{16}$/);
      assert.equal(u!.replaces, 'cam1-000001');
      assert.equal((u!.payload as IdentificationPayload).event, 'update');
      assert.equal(u!.conveyance.plates[0]!.number, 'AB123CD');
      assert.deepEqual([h.statuses.at(-1)!.type, lastStatus(h)], ['ok', 'receiving plate events']);
    } finally {
      await h.stop();
    }
  });

  it('answers bad events with the reason in the status and keeps taking good ones', async () => {
    const { h, driver } = harness({ maxImageBytes: 1024 });
    await h.start();
    try {
      const bad = async (body: string, pattern: RegExp) => {
        await assert.rejects(driver().acceptFile(await upload(h, body, 'bad.json')), (e: unknown) => e instanceof RejectedInputError && pattern.test(e.reason));
        assert.match(lastStatus(h, 'failure'), new RegExp(`^upload bad.json rejected: ${pattern.source.replace(/^\^/, '')}`));
      };
      await bad('{"eventType":"NEW","eventId":"x","time":"2026-', /^JSON: /);
      await bad(JSON.stringify(event({ plate: undefined })), /^a NEW event needs plate.text or licensePlateInfo.PlateNumber/);
      await bad(JSON.stringify(event({ time: 'yesterday' })), /^time: "yesterday" is not an ISO 8601 date-time/);
      await bad(JSON.stringify(event({ plate: { text: 'AB123CD', confidence: 94 } })), /^plate.confidence: confidence 94 is above 1/);
      await driver().acceptFile(
        await upload(
          h,
          JSON.stringify(event({ eventId: 'big-1', colour: 'red', images: [{ role: 'overview', data: Buffer.alloc(5000).toString('base64') }] })),
          'big.json',
        ),
      );
      assert.match(
        lastStatus(h, 'degraded'),
        /^upload big.json \(big-1\): unknown field\(s\) ignored: colour; overview image: 5000 bytes exceeds the 1024-byte image limit; not stored$/,
      );
      assert.equal(h.observations.length, 1);
      assert.deepEqual(
        h.observations[0]!.raw!.map((r) => r.role),
        ['source'],
      );
      assert.equal(h.observations[0]!.quality.status, 'uncertain');
    } finally {
      await h.stop();
    }
  });

  it('takes percent confidences when configured', () => {
    const r = parseEvent(JSON.stringify(event({ plate: { text: 'AB123CD', confidence: 91, charConfidence: [90, 80] } })), 'percent');
    assert.equal(r.read.plate!.confidence, 0.91);
    assert.deepEqual(r.read.plate!.charConfidence, [0.9, 0.8]);
  });
});

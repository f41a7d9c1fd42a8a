import assert from 'node:assert/strict';
import { RejectedInputError } from '@customs-hub/sdk';
import { parseMessage } from '../src/message/parse-message.js';
import { toJson, toXml } from '../src/simulator/encode.js';
import { reading } from './helpers.js';

const unit = { format: 'auto', confidenceScale: 'unit' } as const;
const rejects = (text: string, pattern: RegExp, opts: Parameters<typeof parseMessage>[2] = unit) =>
  assert.throws(
    () => parseMessage(text, 'msg', opts),
    (e: unknown) => e instanceof RejectedInputError && pattern.test(e.reason),
  );

describe('ocr-gate: gate messages (JSON and XML)', () => {
  it('reads the same reading from JSON and from XML', () => {
    const r = reading({
      seals: [{ present: true, position: 'right door' }],
      damage: { detected: true, notes: 'dent' },
      images: [{ data: 'iVBORw0KGgo=', camera: 'cam-left', contentType: 'image/png' }],
    });
    const fromJson = parseMessage(toJson(r), 'm.json', unit);
    const fromXml = parseMessage(toXml(r), 'm.xml', unit);
    assert.equal(fromJson.format, 'json');
    assert.equal(fromXml.format, 'xml');
    assert.deepEqual(fromXml.message, fromJson.message);
    assert.deepEqual(fromJson.unknownFields, []);
    assert.deepEqual(fromXml.unknownFields, []);
    const m = fromXml.message as ReturnType<typeof reading>;
    assert.equal(m.containers[0]!.code, 'CSQU3054383');
    assert.equal(m.containers[0]!.charConfidence!.length, 11);
    assert.equal(m.images[0]!.data, 'iVBORw0KGgo=');
  });

  it('lists unknown fields with their paths instead of refusing the reading', () => {
    const json = JSON.stringify({ ...reading(), vendorScore: 3, containers: [{ code: 'CSQU3054383', colour: 'red' }] });
    assert.deepEqual(parseMessage(json, 'm', unit).unknownFields, ['containers[0].colour', 'vendorScore']);
    const xml =
      '<GateReading type="NEW" id="X1" speed="3"><Time>2026-12-01T10:00:00Z</Time><Container><Code>CSQU3054383</Code><Colour>red</Colour></Container></GateReading>';
    assert.deepEqual(parseMessage(xml, 'm', unit).unknownFields, ['containers[0].Colour', '@speed']);
  });

  it('refuses truncated XML, a DOCTYPE (no entities) and a foreign root with the reason', () => {
    rejects('<GateReading type="NEW" id="X1"><Time>2026-12-01T10:00:00Z</Time><Container><Code>CSQU30', /^XML: msg:1:88: unclosed tag: Code$/);
    rejects(
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "boom">]><GateReading type="NEW" id="X1"><Time>&x;</Time></GateReading>',
      /DOCTYPE declarations are not accepted/,
    );
    rejects('<Passage/>', /XML root <Passage> is not a gate message/);
  });

  it('refuses broken JSON, missing required fields, wrong types and times without a zone, naming the field', () => {
    rejects('{"type":"NEW","id":"X1","time":"2026-12-01T10:00:00Z","containers":[{"code":"CSQU', /^JSON: /);
    rejects(JSON.stringify({ type: 'NEW', time: '2026-12-01T10:00:00Z' }), /'id' is required/);
    rejects(
      JSON.stringify({ ...reading(), containers: [{ code: 'CSQU3054383', confidence: 'high' }] }),
      /^containers\[0\]\.confidence: must be a number, got "high"/,
    );
    rejects(JSON.stringify({ ...reading(), time: '2026-12-01 10:00:00' }), /^time: .* not an ISO 8601 date-time with a zone/);
    rejects(JSON.stringify({ ...reading(), containers: [{ code: 'CSQU3054383', sizeType: '22g1' }] }), /^containers\[0\]\.sizeType: "22g1" does not match/);
    rejects(JSON.stringify({ ...reading(), type: 'DELETE' }), /^type: must be one of NEW, UPDATE/);
  });

  it('hints at wrong framing when a message starts with binary bytes', () => {
    rejects('\u0000\u0000\u0001\u0010{"type":"NEW"}', /length header the config does not expect/);
  });

  it('takes confidences on the configured scale: percent becomes 0..1, a unit value above 1 is refused', () => {
    const pct = parseMessage(
      JSON.stringify({ ...reading(), confidence: 93, containers: [{ code: 'CSQU3054383', confidence: 88, charConfidence: [99, 50] }] }),
      'm',
      { format: 'auto', confidenceScale: 'percent' },
    );
    const m = pct.message as ReturnType<typeof reading>;
    assert.equal(m.confidence, 0.93);
    assert.deepEqual(m.containers[0]!.charConfidence, [0.99, 0.5]);
    rejects(JSON.stringify({ ...reading(), confidence: 93 }), /confidence 93 is above 1 \(the device's confidenceScale is 'unit'\)/);
  });

  it('reads heartbeats in both formats', () => {
    assert.equal(parseMessage('{"type":"HEARTBEAT","time":"2026-12-01T10:00:00Z"}', 'm', unit).message.type, 'HEARTBEAT');
    assert.equal(parseMessage('<Heartbeat time="2026-12-01T10:00:00Z"/>', 'm', unit).message.type, 'HEARTBEAT');
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel, createAjv, describeErrors } from '../src/model-validator.js';
import { SCHEMA_IDS } from '../src/schemas.js';
import { completeObservation as completeUnsequenced, sequenced } from '../src/normalize.js';
import { OBSERVATION_KINDS, type Observation, type ObservationDraft, type DeviceStatus } from '../src/index.js';
import { SDK_VERSION } from '../src/version.js';

const ajv = createAjv();
const validateObservation = compileModel<Observation>(ajv, SCHEMA_IDS.observation);
const env = {
  id: '01937a4e-8f1c-7cc4-9a1b-3f2d4c5e6f70',
  checkpoint: 'CP-1',
  lane: 'L1',
  deviceId: 'D1',
  plugin: { name: 'p', version: '1.0.0' },
  receivedAt: new Date('2026-11-25T10:00:00Z'),
};
/** As the hub stores it: completed, then given its sequence number. */
const completeObservation = (draft: ObservationDraft, e: typeof env): Observation => sequenced(completeUnsequenced(draft, e), 7);

describe('data model', () => {
  it('SDK_VERSION matches sdk/package.json', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    assert.equal(SDK_VERSION, pkg.version);
  });

  it('has a payload schema for every kind, and the kind enum lists exactly the typed kinds', () => {
    const common = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'common.v1.json'), 'utf8'));
    assert.deepEqual([...common.definitions.kind.enum].sort(), [...OBSERVATION_KINDS].sort());
    for (const k of OBSERVATION_KINDS) assert.ok(ajv.getSchema(`https://customs-hub.dev/schemas/payloads/${k}.v1.json`), `payload schema for ${k}`);
  });

  it('validates a typed observation and names the field of an invalid payload', () => {
    const obs = completeObservation({ kind: 'radiation.dose-rate', payload: { doseRateUSvH: 0.13 } }, env);
    assert.equal(validateObservation(obs), true, describeErrors(validateObservation.errors));
    const bad = completeObservation({ kind: 'radiation.dose-rate', payload: { doseRateUSvH: -1 } }, env);
    assert.equal(validateObservation(bad), false);
    assert.match(describeErrors(validateObservation.errors), /^\/payload\/doseRateUSvH: must be >= 0/);
  });

  it('checks the payload against the schema of its own kind', () => {
    const obs = completeObservation({ kind: 'weight', payload: { doseRateUSvH: 0.13 } as never }, env);
    assert.equal(validateObservation(obs), false);
    assert.match(describeErrors(validateObservation.errors), /\/payload: must have required property 'grossKg'/);
  });

  it('keeps invalid container reads, flagged, rather than dropping them', () => {
    const obs = completeObservation(
      { kind: 'identification', conveyance: { containers: ['MSCU 123456 5'], plates: ['a 123 bc'] }, payload: { method: 'ocr' } },
      env,
    );
    assert.deepEqual(obs.conveyance, { containers: [{ number: 'MSCU1234565', valid: false, raw: 'MSCU 123456 5' }], plates: [{ number: 'A123BC' }] });
    assert.equal(validateObservation(obs), true);
  });

  it('carries a reader detail in the identification payload, and the reading a correction replaces', () => {
    const obs = completeObservation(
      {
        kind: 'identification',
        sourceId: 'R7~u1',
        replaces: 'R7',
        conveyance: { containers: [{ number: 'CSQU3054384', valid: true, confidence: 0.62 }] },
        payload: {
          method: 'ocr',
          readingId: 'R7',
          event: 'update',
          revision: 1,
          confidence: 0.62,
          direction: 'in',
          containers: [
            {
              number: 'CSQU3054384',
              checkDigitValid: false,
              confidence: 0.62,
              characterConfidence: [0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.31],
              sizeType: '22G1',
              side: 'left',
              camera: 'cam-L',
            },
          ],
          damage: { detected: false },
          seals: [{ present: true, position: 'right door' }],
        },
      },
      env,
    );
    assert.equal(obs.replaces, 'R7');
    assert.equal(obs.conveyance.containers[0]!.valid, false);
    assert.equal(validateObservation(obs), true, describeErrors(validateObservation.errors));
    const bad = completeObservation(
      { kind: 'identification', payload: { method: 'ocr', containers: [{ number: 'CSQU3054383', checkDigitValid: true, sizeType: '22g1' }] } },
      env,
    );
    assert.equal(validateObservation(bad), false);
    assert.match(describeErrors(validateObservation.errors), /\/payload\/containers\/0\/sizeType: must match pattern/);
  });

  it('gives an observation its sequence number as a new object, seq after id, the unsequenced one unchanged', () => {
    const draft = completeUnsequenced({ kind: 'radiation.dose-rate', payload: { doseRateUSvH: 0.13 } }, env);
    const stored = sequenced(draft, 12);
    assert.equal('seq' in draft, false);
    assert.deepEqual(Object.keys(stored).slice(0, 4), ['schema', 'id', 'seq', 'checkpoint']);
    assert.equal(sequenced(stored, 13).seq, 13);
    assert.equal(stored.seq, 12);
    assert.equal(validateObservation(draft), false);
    assert.equal(validateObservation(stored), true, describeErrors(validateObservation.errors));
  });

  it('validates a device status', () => {
    const validate = compileModel<DeviceStatus>(ajv, SCHEMA_IDS.deviceStatus);
    const at = '2026-11-25T10:00:00.000Z';
    const s: DeviceStatus = {
      schema: 'device-status/v1',
      deviceId: 'D1',
      checkpoint: 'CP',
      lane: null,
      plugin: 'p',
      state: 'offline',
      adminState: 'maintenance',
      since: at,
      lastSeen: at,
      lastGoodReading: null,
      consecutiveFailures: 3,
      lastError: { message: 'timeout', code: 'ETIMEDOUT', at },
      restarts: 0,
      updatedAt: at,
    };
    assert.equal(validate(s), true, describeErrors(validate.errors));
    assert.equal(validate({ ...s, state: 'sleeping' }), false);
  });
});

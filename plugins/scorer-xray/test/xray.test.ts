import assert from 'node:assert/strict';
import { migrateDeclarationV1, type Declaration, type Observation, type ObservationKind, type ScoringInput, type XrayScanPayload } from '@customs-hub/sdk';
import { scorer } from '../src/index.js';

function observation(kind: ObservationKind, payload: unknown): Observation {
  return {
    schema: 'observation/v1',
    id: '00000000-0000-7000-8000-000000000001',
    seq: 1,
    checkpoint: 'CP',
    lane: 'L1',
    deviceId: 'xray-1',
    plugin: { name: 'xray', version: '1.0.0' },
    kind,
    deviceTime: '2026-03-01T08:00:00Z',
    receivedAt: '2026-03-01T08:00:01Z',
    conveyance: { containers: [], plates: [] },
    alarms: [],
    quality: { status: 'good' },
    payload: payload as never,
  };
}
const scan = (p: Partial<XrayScanPayload>) => observation('xray.scan', { scanId: 'S-1', imageStatus: 'stored', findings: [], ...p });
const declared = (hsCode: string, description: string): Declaration =>
  migrateDeclarationV1({ number: 'D1', containers: ['CSQU3054383'], goods: [{ hsCode, description }] });
function input(o: Observation[], d: Declaration | null): ScoringInput {
  return {
    case: { schema: 'inspection-case/v1', id: 'c', checkpoint: 'CP', lane: 'L1', state: 'closed', openedAt: '2026-03-01T08:00:00Z', observationIds: [] },
    observations: o,
    declaration: d,
  };
}
const run = async (i: ScoringInput, config = {}) => scorer.create(config).score(i, { config, logger: console as never, signal: new AbortController().signal });

describe('x-ray scorer', () => {
  it("scores findings by class and confidence; an operator's marking counts fully; weak automatic ones are ignored", async () => {
    const out = await run(
      input(
        [
          scan({
            findings: [
              { class: 'hidden-compartment', confidence: 0.9, source: 'automatic' },
              { class: 'organic-anomaly', source: 'operator', note: 'behind the cab' },
              { class: 'dense-object', confidence: 0.1 },
            ],
          }),
        ],
        null,
      ),
    );
    assert.deepEqual(
      out.map((c) => c.score),
      [82, 70],
    );
    assert.match(out[0]!.reason, /hidden-compartment marked automatically \(90 %\)/);
    assert.match(out[1]!.reason, /organic-anomaly marked by the operator — behind the cab/);
  });

  it('flags density inconsistent with the declared goods, and finds consistent density unremarkable', async () => {
    const [low] = await run(input([scan({ meanDensity: 6 })], declared('690721', 'ceramic tiles')));
    assert.equal(low!.code, 'xray.density-mismatch');
    assert.match(low!.reason, /6 g\/cm² is too low for declared ceramic tiles \(HS 690721\) \(expected 20–70\)/);
    assert.equal(low!.score, 80);
    const [ok] = await run(input([scan({ meanDensity: 8 })], declared('620342', 'cotton trousers')));
    assert.deepEqual([ok!.code, ok!.score], ['xray.density-consistent', 0]);
    const [high] = await run(input([scan({ meanDensity: 14 })], declared('620342', 'cotton trousers')));
    assert.equal(high!.score, 55, '14 is 1/6 above 12: 45 + 60/6');
  });

  it('reports a missing image and threat-report threats', async () => {
    const out = await run(
      input(
        [
          scan({ imageStatus: 'corrupt' }),
          observation('xray.threat-report', {
            objectOfInspectionId: 'BAG-7',
            threats: [
              { id: 't1', class: 'knife', assessment: 'HIGH_THREAT' },
              { id: 't2', assessment: 'NO_THREAT' },
            ],
          }),
        ],
        null,
      ),
    );
    assert.deepEqual(
      out.map((c) => [c.code, c.score]),
      [
        ['xray.image-missing', 30],
        ['xray.threat', 70],
      ],
    );
  });

  it('lets the config override finding scores and density bands', async () => {
    const out = await run(input([scan({ findings: [{ class: 'hidden-compartment' }], meanDensity: 50 })], declared('6907', 'tiles')), {
      findingScores: { 'hidden-compartment': 40 },
      densityByHsChapter: { 69: [60, 90] },
    });
    assert.deepEqual(
      out.map((c) => [c.code, c.score]),
      [
        ['xray.finding', 40],
        ['xray.density-mismatch', 55],
      ],
    );
  });
});

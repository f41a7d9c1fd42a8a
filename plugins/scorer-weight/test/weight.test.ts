import assert from 'node:assert/strict';
import { migrateDeclarationV1, type Declaration, type Observation, type ScoringInput } from '@customs-hub/sdk';
import { scorer } from '../src/index.js';

function weight(grossKg: number, tareKg: number | undefined, stable = true): Observation {
  return {
    schema: 'observation/v1',
    id: '00000000-0000-7000-8000-000000000001',
    seq: 1,
    checkpoint: 'CP',
    lane: 'L1',
    deviceId: 'scale-1',
    plugin: { name: 'scale', version: '1.0.0' },
    kind: 'weight',
    deviceTime: '2026-03-01T08:00:00Z',
    receivedAt: '2026-03-01T08:00:01Z',
    conveyance: { containers: [], plates: [] },
    alarms: [],
    quality: { status: 'good' },
    payload: { grossKg, stable, ...(tareKg === undefined ? {} : { tareKg }) },
  };
}
const declaration = (grossMassKg?: number, lines?: number[]): Declaration =>
  migrateDeclarationV1({
    number: 'D1',
    containers: ['CSQU3054383'],
    ...(grossMassKg === undefined ? {} : { grossMassKg }),
    goods: (lines ?? [0]).map((m) => ({ hsCode: '8471', description: 'laptops', ...(lines ? { grossMassKg: m } : {}) })),
  });
function input(o: Observation[], d: Declaration | null): ScoringInput {
  return {
    case: { schema: 'inspection-case/v1', id: 'c', checkpoint: 'CP', lane: 'L1', state: 'closed', openedAt: '2026-03-01T08:00:00Z', observationIds: [] },
    observations: o,
    declaration: d,
  };
}
const run = async (i: ScoringInput, config = {}) => scorer.create(config).score(i, { config, logger: console as never, signal: new AbortController().signal });

describe('weight scorer', () => {
  it('finds a weighing within tolerance consistent, with a zero score and the figures', async () => {
    const [c] = await run(input([weight(33_900, 15_000)], declaration(18_000)));
    assert.equal(c!.code, 'weight.consistent');
    assert.equal(c!.score, 0);
    assert.equal(c!.evidence.values!.measuredNetKg, 18_900);
    assert.equal(c!.evidence.values!.allowedKg, 1800);
  });

  it('scores mass beyond the tolerance higher the further it is, more than declared above less than declared', async () => {
    const [more] = await run(input([weight(15_000 + 21_600, 15_000)], declaration(18_000)));
    assert.equal(more!.code, 'weight.heavier-than-declared');
    assert.equal(more!.score, 70, '3,600 kg over is twice the 1,800 kg tolerance: 55 + 15');
    const [less] = await run(input([weight(15_000 + 14_400, 15_000)], declaration(18_000)));
    assert.equal(less!.code, 'weight.lighter-than-declared');
    assert.equal(less!.score, 50, '3,600 kg under: 40 + 10');
    assert.match(less!.reason, /3,600 kg \(20 %\) less than declared 18,000 kg/);
  });

  it('uses the sum of goods lines, a configured tare, and discounts an unstable reading', async () => {
    const [c] = await run(input([weight(40_000, undefined, false)], declaration(undefined, [10_000, 8_000])), { vehicleTareKg: 15_000, tolerancePct: 5 });
    assert.equal(c!.evidence.values!.declaredKg, 18_000);
    assert.equal(c!.evidence.values!.allowedKg, 900);
    // 7,000 kg over at 900 allowed: 55 + 15 × (7000/900 − 1) caps at 90, × 0.7 for instability.
    assert.equal(c!.score, 63);
    assert.match(c!.reason, /7,000 kg \(39 %\) more than declared 18,000 kg.*not stable/);
  });

  it('says nothing without a declaration, a declared mass or a tare', async () => {
    assert.deepEqual(await run(input([weight(30_000, 12_000)], null)), []);
    assert.deepEqual(await run(input([weight(30_000, 12_000)], declaration())), []);
    assert.deepEqual(await run(input([weight(30_000, undefined)], declaration(18_000))), []);
  });
});

import assert from 'node:assert/strict';
import { migrateDeclarationV1, type Declaration, type Observation, type ObservationKind, type ScoringInput } from '@customs-hub/sdk';
import { scorer } from '../src/index.js';

let n = 0;
function observation(kind: ObservationKind, payload: unknown): Observation {
  n++;
  return {
    schema: 'observation/v1',
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    seq: n,
    checkpoint: 'CP',
    lane: 'L1',
    deviceId: 'rpm-1',
    plugin: { name: 'rpm', version: '1.0.0' },
    kind,
    deviceTime: '2026-03-01T08:00:00Z',
    receivedAt: '2026-03-01T08:00:01Z',
    conveyance: { containers: [], plates: [] },
    alarms: [],
    quality: { status: 'good' },
    payload: payload as never,
  };
}
function passage(gamma: boolean, norm: boolean, neutron = false): Observation {
  return observation('radiation.passage', {
    occupancyStart: '2026-03-01T08:00:00Z',
    occupancyEnd: '2026-03-01T08:00:06Z',
    gamma: { panels: [], background: [250], maxSigma: gamma ? 14.2 : 1.1 },
    neutron: { panels: [], background: [2], maxSigma: neutron ? 9 : 0.5 },
    windowRatio: { value: norm ? 0.42 : 0.9, norm },
    deviceAlarm: { gamma, neutron },
    hubAlarm: { gamma, neutron, norm },
  });
}
const declared = (hsCode: string, description: string): Declaration =>
  migrateDeclarationV1({ number: 'D1', containers: ['CSQU3054383'], goods: [{ hsCode, description }] });
function input(observations: Observation[], declaration: Declaration | null): ScoringInput {
  return {
    case: {
      schema: 'inspection-case/v1',
      id: 'c',
      checkpoint: 'CP',
      lane: 'L1',
      state: 'closed',
      openedAt: '2026-03-01T08:00:00Z',
      observationIds: observations.map((o) => o.id),
    },
    observations,
    declaration,
  };
}
const run = async (i: ScoringInput, config = {}) => scorer.create(config).score(i, { config, logger: console as never, signal: new AbortController().signal });

describe('radiation scorer', () => {
  it('explains a NORM alarm by declared ceramic tiles (low score, the goods named)', async () => {
    const [c] = await run(input([passage(true, true)], declared('690721', 'glazed ceramic tiles')));
    assert.equal(c!.code, 'radiation.norm-declared');
    assert.ok(c!.score < 20);
    assert.match(c!.reason, /glazed ceramic tiles \(HS 690721\)/);
  });

  it('recognizes bananas and fertilizer by description when the HS heading is not in the list', async () => {
    const [c] = await run(input([passage(true, true)], declared('999999', 'Potash fertiliser in bags')));
    assert.equal(c!.code, 'radiation.norm-declared');
  });

  it('scores a NORM-like alarm on goods that do not explain it as a documentary check, an unexplained source as red', async () => {
    const [norm] = await run(input([passage(true, true)], declared('8471', 'laptops')));
    assert.equal(norm!.code, 'radiation.norm-undeclared');
    assert.equal(norm!.score, 50);
    const [src] = await run(input([passage(true, false)], declared('8471', 'laptops')));
    assert.equal(src!.code, 'radiation.unexplained-gamma');
    assert.equal(src!.score, 85);
    assert.match(src!.reason, /14\.2 σ/);
    const [hidden] = await run(input([passage(true, false)], declared('6907', 'tiles')));
    assert.equal(hidden!.score, 75, 'a man-made signature in NORM cargo is still suspicious');
  });

  it('without energy windows, takes declared NORM goods as a likely but unconfirmed explanation', async () => {
    const bare = passage(true, false);
    const p = bare.payload as { windowRatio?: unknown; hubAlarm: { norm?: boolean } };
    delete p.windowRatio;
    delete p.hubAlarm.norm;
    const [tiles] = await run(input([bare], declared('6907', 'tiles')));
    assert.deepEqual([tiles!.code, tiles!.score], ['radiation.gamma-norm-goods', 30]);
    const [laptops] = await run(input([bare], declared('8471', 'laptops')));
    assert.deepEqual([laptops!.code, laptops!.score], ['radiation.unexplained-gamma', 85]);
  });

  it('takes a neutron alarm as near certain, and says nothing about a quiet passage', async () => {
    const out = await run(input([passage(false, false, true)], null));
    assert.deepEqual(
      out.map((c) => [c.code, c.score]),
      [['radiation.neutron', 95]],
    );
    assert.deepEqual(await run(input([passage(false, false)], null)), []);
  });

  it('scores nuclide IDs: SNM and man-made high, K-40 in declared granite low, low confidence ignored', async () => {
    const ids = observation('radiation.nuclide-id', {
      nuclides: [
        { name: 'U-235', category: 'SNM', confidence: 0.9 },
        { name: 'Cs-137', category: 'Industrial', confidence: 0.8 },
        { name: 'K-40', confidence: 0.95 },
        { name: 'Co-60', confidence: 0.1 },
      ],
    });
    const out = await run(input([ids], declared('2516', 'granite slabs')));
    assert.deepEqual(
      out.map((c) => [c.code, c.score]),
      [
        ['radiation.snm', 100],
        ['radiation.man-made-nuclide', 88],
        ['radiation.norm-nuclide-declared', 4],
      ],
    );
    assert.deepEqual(out[1]!.evidence, { observationIds: [ids.id], values: { nuclide: 'Cs-137', category: 'Industrial', confidence: 0.8 } });
  });

  it('declares itself a scorer for SDK 1', () => {
    assert.equal(scorer.type, 'customs-hub/scorer');
    assert.equal(scorer.manifest.name, 'radiation');
  });
});

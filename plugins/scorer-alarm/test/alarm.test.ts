import assert from 'node:assert/strict';
import type { Alarm, Observation, ScoringInput } from '@customs-hub/sdk';
import { scorer } from '../src/index.js';

function obs(id: string, deviceId: string, alarms: Alarm[]): Observation {
  return {
    schema: 'observation/v1',
    id,
    seq: 1,
    checkpoint: 'CP',
    lane: 'L1',
    deviceId,
    plugin: { name: 'seal-reader', version: '1.0.0' },
    kind: 'device.event',
    deviceTime: '2026-03-01T08:00:00Z',
    receivedAt: '2026-03-01T08:00:00Z',
    conveyance: { containers: [], plates: [] },
    alarms,
    quality: { status: 'good' },
    payload: { event: 'seal' } as never,
  };
}
function input(observations: Observation[]): ScoringInput {
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
    declaration: null,
  };
}
const run = async (i: ScoringInput, config: object) =>
  scorer.create(config).score(i, { config, logger: console as never, signal: new AbortController().signal });

describe('alarm scorer', () => {
  it("turns a new device's tamper alarm into a reason in plain words, with its evidence", async () => {
    const out = await run(input([obs('o1', 'SEAL-1', [{ category: 'tamper', source: 'device', level: 'alarm', message: 'seal 4471 broken' }])]), {});
    assert.equal(out.length, 1);
    assert.deepEqual([out[0]!.code, out[0]!.score], ['alarm.tamper', 60]);
    assert.equal(out[0]!.reason, 'SEAL-1 raised a tamper alarm: seal 4471 broken');
    assert.deepEqual(out[0]!.evidence.observationIds, ['o1']);
  });

  it('weighs by device over category over default, and leaves categories the reference scorers judge at 0', async () => {
    const observations = [
      obs('o1', 'SEAL-1', [{ category: 'tamper', source: 'device', level: 'alarm' }]),
      obs('o2', 'GATE-1', [{ category: 'other', source: 'device', level: 'alarm', value: 7, threshold: 5 }]),
      obs('o3', 'RPM-1', [{ category: 'gamma', source: 'device', level: 'alarm' }]),
    ];
    const out = await run(input(observations), { devices: { 'SEAL-1': 90 }, defaultScore: 30 });
    assert.deepEqual(
      out.map((c) => [c.code, c.score]),
      [
        ['alarm.tamper', 90],
        ['alarm.other', 30],
      ],
    );
    assert.equal(out[1]!.reason, 'GATE-1 raised a other alarm (7 against 5)');
    const gamma = await run(input(observations), { categories: { gamma: 50 } });
    assert.ok(gamma.some((c) => c.code === 'alarm.gamma' && c.score === 50));
  });

  it('ignores warnings unless asked, then counts them at half; one reason per device and category', async () => {
    const observations = [
      obs('o1', 'SEAL-1', [{ category: 'tamper', source: 'device', level: 'warning' }]),
      obs('o2', 'SEAL-1', [{ category: 'tamper', source: 'device', level: 'warning' }]),
      obs('o3', 'SEAL-1', [{ category: 'tamper', source: 'device', level: 'info' }]),
    ];
    assert.deepEqual(await run(input(observations), {}), []);
    const out = await run(input(observations), { includeWarnings: true });
    assert.equal(out.length, 1);
    assert.equal(out[0]!.score, 30);
    assert.deepEqual(out[0]!.evidence.observationIds, ['o1', 'o2']);
  });
});

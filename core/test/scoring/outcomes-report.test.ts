import assert from 'node:assert/strict';
import type { Channel, InspectionCase } from '@customs-hub/sdk';
import { formatOutcomes, outcomesReport } from '../../src/scoring/outcomes-report.js';

function scored(id: string, channel: Channel, scores: Record<string, number>, violation?: boolean, shadow: Channel = 'green'): InspectionCase {
  return {
    schema: 'inspection-case/v1',
    id,
    checkpoint: 'CP',
    lane: 'L1',
    state: 'scored',
    openedAt: '2026-03-01T00:00:00Z',
    observationIds: [],
    channel,
    risk: {
      policy: 'live',
      score: 0,
      channel,
      random: false,
      scoredAt: '2026-03-01T00:01:00Z',
      skipped: [],
      contributions: Object.entries(scores).map(([scorer, score]) => ({ scorer, code: `${scorer}.x`, score, reason: 'r', evidence: { observationIds: [] } })),
      shadow: { contributions: [], policies: [{ policy: 'trial', score: 0, channel: shadow, random: false }], skipped: [] },
    },
    ...(violation === undefined ? {} : { outcome: { violation, recordedAt: '2026-03-01T01:00:00Z' } }),
  };
}

describe('outcomes report', () => {
  const cases = [
    scored('1', 'red', { radiation: 85 }, true, 'red'),
    scored('2', 'yellow', { weight: 45, radiation: 10 }, false, 'green'),
    scored('3', 'green', { weight: 20 }, true, 'yellow'),
    scored('4', 'green', {}, undefined, 'green'),
  ];

  it('computes referral rate, hit rate and the share of violations flagged for live and shadow policies', () => {
    const r = outcomesReport(cases, 40);
    assert.deepEqual([r.cases, r.withOutcome, r.violations], [4, 3, 2]);
    const live = r.policies.find((p) => p.name === 'live')!;
    assert.deepEqual([live.flagged, live.referralRate, live.flaggedInspected, live.hits, live.hitRate, live.violationsFlagged], [2, 0.5, 2, 1, 0.5, 0.5]);
    const trial = r.policies.find((p) => p.name === 'trial')!;
    assert.deepEqual([trial.mode, trial.flagged, trial.hits, trial.hitRate, trial.violationsFlagged], ['shadow', 2, 2, 1, 1]);
  });

  it('counts a scorer as flagging when one of its contributions reaches the flag score', () => {
    const r = outcomesReport(cases, 40);
    const radiation = r.scorers.find((s) => s.name === 'radiation')!;
    assert.deepEqual([radiation.flagged, radiation.hits, radiation.violationsFlagged], [1, 1, 0.5]);
    const weight = r.scorers.find((s) => s.name === 'weight')!;
    assert.deepEqual([weight.flagged, weight.hits, weight.hitRate], [1, 0, 0]);
    assert.match(formatOutcomes(r), /live \(live\)\s+4\s+50\.0%\s+2\s+50\.0%\s+50\.0%/);
  });
});

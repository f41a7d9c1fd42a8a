import assert from 'node:assert/strict';
import type { CaseContribution } from '@customs-hub/sdk';
import { applyPolicy, combinedScore, randomDraw } from '../../src/scoring/policy.js';
import { policyWithDefaults } from '../../src/scoring/scoring-config.js';
import { ScorerRegistry } from '../../src/scoring/scorer-registry.js';

const c = (scorer: string, score: number, code = `${scorer}.x`): CaseContribution => ({ scorer, code, score, reason: 'r', evidence: { observationIds: [] } });

describe('risk policy', () => {
  it('adds independent reasons (noisy-or) without passing 100, or lets the strongest decide (max)', () => {
    const p = policyWithDefaults({ randomRate: 0 });
    assert.equal(combinedScore(p, [c('a', 30), c('b', 30)]), 51);
    assert.equal(combinedScore(p, [c('a', 100), c('b', 50)]), 100);
    assert.equal(combinedScore({ ...p, combine: 'max' }, [c('a', 30), c('b', 60)]), 60);
    assert.equal(combinedScore(p, []), 0);
  });

  it('weights scorers and maps thresholds to channels, red over yellow over green', () => {
    const p = policyWithDefaults({ weights: { watchlist: 0.5 }, thresholds: { yellow: 40, red: 70 }, randomRate: 0 });
    assert.deepEqual(applyPolicy(p, [c('watchlist', 80)], 'x'), { policy: 'default', score: 40, channel: 'yellow', random: false });
    assert.equal(applyPolicy(p, [c('radiation', 70)], 'x').channel, 'red');
    assert.equal(applyPolicy(p, [c('weight', 39.9)], 'x').channel, 'green');
  });

  it('forces red on listed codes whatever the score', () => {
    const p = policyWithDefaults({ forceRed: ['radiation.snm'], randomRate: 0 });
    assert.equal(applyPolicy(p, [c('radiation', 10, 'radiation.snm')], 'x').channel, 'red');
  });

  it('picks green cases at the minimum random rate, the same ones every time', () => {
    const p = policyWithDefaults({ randomRate: 0.05 });
    const ids = Array.from({ length: 4000 }, (_, i) => `case-${i}`);
    const picked = ids.filter((id) => applyPolicy(p, [], id).random);
    assert.ok(picked.length > 150 && picked.length < 250, `picked ${picked.length} of 4000 at 5 %`);
    assert.deepEqual(
      ids.filter((id) => applyPolicy(p, [], id).random),
      picked,
    );
    assert.equal(applyPolicy(p, [], picked[0]!).channel, 'yellow');
    assert.notEqual(randomDraw('case-1', 'a'), randomDraw('case-1', 'b'), 'each policy draws on its own');
  });

  it('does not send a conveyance to inspection only because nothing identified it, but does with another reason (defaults)', async () => {
    const identity = ScorerRegistry.discover({}).scorers.get('identity')!.plugin.create({});
    const ctx = {
      config: {},
      logger: {
        debug() {},
        info() {},
        warn() {},
        error() {},
        child() {
          return this;
        },
      } as never,
      signal: new AbortController().signal,
    };
    const base = {
      schema: 'inspection-case/v1' as const,
      id: 'c1',
      checkpoint: 'CP',
      lane: 'L1',
      state: 'closed' as const,
      openedAt: '2026-03-01T08:00:00Z',
      observationIds: [],
      conveyance: { containers: [], plates: [] },
    };
    const score = async (missingDevices: string[]) => {
      const found = await identity.score({ case: { ...base, missingDevices }, observations: [], declaration: null }, ctx);
      return applyPolicy(
        policyWithDefaults({ randomRate: 0 }),
        found.map((x) => ({ ...x, scorer: 'identity' })),
        'c1',
      );
    };
    const alone = await score([]);
    assert.equal(alone.channel, 'green', `identity.unidentified alone scored ${alone.score}`);
    assert.ok(alone.score > 0, 'it still counts');
    assert.equal((await score(['rpm-1'])).channel, 'yellow', 'unidentified and a portal that missed it');
  });
});

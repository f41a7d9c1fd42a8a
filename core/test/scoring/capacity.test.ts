import assert from 'node:assert/strict';
import type { CaseContribution } from '@customs-hub/sdk';
import { CapacityWindow } from '../../src/scoring/capacity-window.js';
import { applyPolicy } from '../../src/scoring/policy.js';
import { policyWithDefaults } from '../../src/scoring/scoring-config.js';

const c = (score: number, code = 'declaration-model.risk'): CaseContribution[] => [
  { scorer: 'declaration-model', code, score, reason: 'r', evidence: { observationIds: [] } },
];
const H = 3_600_000;

describe('capacity policy: the top N % by risk over a rolling day', () => {
  const policy = policyWithDefaults({ name: 'capacity', randomRate: 0, forceRed: ['radiation.snm'], capacity: { topPercent: 10, minCases: 20 } });

  it('selects the top 10 % of the window whatever the score level, thresholds until the window fills', () => {
    const w = new CapacityWindow(24 * H);
    const t0 = Date.parse('2026-03-01T00:00:00Z');
    // Below minCases the thresholds decide: 35 is green, 45 yellow.
    assert.equal(applyPolicy(policy, c(35), 'k0', w, t0).channel, 'green');
    assert.equal(applyPolicy(policy, c(45), 'k1', w, t0).channel, 'yellow');
    for (let i = 2; i < 40; i++) applyPolicy(policy, c(i % 30), `k${i}`, w, t0 + i * 1000);
    // 40 cases in the window: the top 4 go red, a score of 29 (low by thresholds) among them.
    assert.equal(applyPolicy(policy, c(29), 'k99', w, t0 + 50_000).channel, 'red');
    assert.equal(applyPolicy(policy, c(12), 'k100', w, t0 + 51_000).channel, 'green', 'a high-ish score outside the top share');
    assert.equal(applyPolicy(policy, c(1, 'radiation.snm'), 'k101', w, t0 + 52_000).channel, 'red', 'a forced code stays red');
  });

  it('forgets scores older than the window, and counts a case scored again once', () => {
    const w = new CapacityWindow(24 * H);
    const t0 = Date.parse('2026-03-01T00:00:00Z');
    for (let i = 0; i < 30; i++) w.admit(`old${i}`, 90, 0.1, t0 + i);
    assert.equal(w.admit('new', 50, 0.1, t0 + 25 * H).size, 1, 'the day-old high scores are gone');
    w.admit('same', 10, 0.1, t0 + 25 * H);
    assert.equal(w.admit('same', 80, 0.1, t0 + 25 * H + 1).size, 2);
  });
});

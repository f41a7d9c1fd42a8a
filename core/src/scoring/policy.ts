import { createHash } from 'node:crypto';
import type { CaseContribution, Channel, PolicyResult } from '@customs-hub/sdk';
import type { CapacityWindow } from './capacity-window.js';
import type { PolicyConfig } from './scoring-config.js';

/** The combined score (0–100) of weighted contributions. */
export function combinedScore(policy: PolicyConfig, contributions: CaseContribution[]): number {
  const parts = contributions.map((c) => Math.min(100, Math.max(0, c.score * (policy.weights[c.scorer] ?? 1))));
  if (parts.length === 0) return 0;
  const score =
    policy.combine === 'max'
      ? Math.max(...parts)
      : // Independent reasons add up without passing 100: 1 − Π(1 − sᵢ/100).
        100 * (1 - parts.reduce((p, s) => p * (1 - s / 100), 1));
  return Math.round(score * 10) / 10;
}

/** A stable draw in [0, 1) per case and policy: the same case is always (not) picked at random. */
export function randomDraw(key: string, policy: string, secret = ''): number {
  return createHash('sha256').update(`${secret}\u0000${policy}\u0000${key}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** Red over yellow over green; forced codes go red; green cases are picked for a check at the minimum random rate. */
export function applyPolicy(
  policy: PolicyConfig,
  contributions: CaseContribution[],
  randomKey: string,
  capacity?: CapacityWindow,
  now = Date.now(),
): PolicyResult {
  const score = combinedScore(policy, contributions);
  const forced = contributions.some((c) => c.score > 0 && policy.forceRed.includes(c.code));
  let channel: Channel = forced || score >= policy.thresholds.red ? 'red' : score >= policy.thresholds.yellow ? 'yellow' : 'green';
  if (policy.capacity && capacity) {
    const c = capacity.admit(randomKey, score, policy.capacity.topPercent / 100, now);
    // Capacity decides once the window holds enough cases; a forced code is red whatever the capacity.
    if (c.size >= policy.capacity.minCases && !forced) channel = c.selected && score > 0 ? policy.capacity.channel : 'green';
  }
  let random = false;
  if (channel === 'green' && policy.randomRate > 0 && randomDraw(randomKey, policy.name, policy.randomSecret) < policy.randomRate) {
    channel = policy.randomChannel;
    random = true;
  }
  return { policy: policy.name, score, channel, random };
}

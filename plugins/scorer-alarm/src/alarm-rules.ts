import type { AlarmCategory, Contribution, ScoringInput } from '@customs-hub/sdk';

export interface AlarmScorerConfig {
  /** Score of an alarm per category; categories absent here take `defaultScore`. */
  categories?: Partial<Record<AlarmCategory, number>>;
  /** Score of any alarm of a device, by device id; wins over the category. */
  devices?: Record<string, number>;
  /** Score of an alarm whose category and device are not configured. */
  defaultScore?: number;
  /** Also count `warning`-level alarms (at half their score). */
  includeWarnings?: boolean;
}

/**
 * Categories the reference scorers already judge from the readings themselves (radiation physics, weights,
 * X-ray findings, identity): counted at 0 unless configured, so the same alarm is not a reason twice.
 */
export const JUDGED_ELSEWHERE: AlarmCategory[] = ['gamma', 'neutron', 'isotope', 'norm', 'xray', 'weight', 'identity'];
const DEFAULTS: Partial<Record<AlarmCategory, number>> = { tamper: 60, fault: 0, ...Object.fromEntries(JUDGED_ELSEWHERE.map((c) => [c, 0])) };

function scoreOf(config: AlarmScorerConfig, device: string, category: AlarmCategory): number {
  return config.devices?.[device] ?? config.categories?.[category] ?? DEFAULTS[category] ?? config.defaultScore ?? 40;
}

/** One reason per (device, category): the strongest alarm of that pair on the case. */
export function scoreAlarms(input: ScoringInput, config: AlarmScorerConfig): Contribution[] {
  const best = new Map<string, Contribution>();
  for (const o of input.observations) {
    for (const a of o.alarms) {
      const warning = a.level === 'warning';
      if (a.level !== 'alarm' && !(warning && config.includeWarnings)) continue;
      const score = scoreOf(config, o.deviceId, a.category) * (warning ? 0.5 : 1);
      if (score <= 0) continue;
      const key = `${o.deviceId}\u0000${a.category}`;
      const prior = best.get(key);
      if (prior && prior.score >= score) {
        prior.evidence.observationIds.push(o.id);
        continue;
      }
      const what = a.message ? `: ${a.message}` : '';
      const value = a.value !== undefined ? ` (${a.value}${a.threshold !== undefined ? ` against ${a.threshold}` : ''})` : '';
      best.set(key, {
        code: `alarm.${a.category}`,
        score,
        reason: `${o.deviceId} raised a ${a.category} ${warning ? 'warning' : 'alarm'}${what}${value}`,
        evidence: {
          observationIds: [...(prior?.evidence.observationIds ?? []), o.id],
          values: { device: o.deviceId, category: a.category, source: a.source, level: a.level ?? 'alarm' },
        },
      });
    }
  }
  return [...best.values()];
}

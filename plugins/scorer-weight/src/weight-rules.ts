import type { Contribution, Declaration, Observation, ScoringInput, WeightPayload } from '@customs-hub/sdk';

export interface WeightConfig {
  /** Allowed difference as a share of the declared mass, in percent. */
  tolerancePct?: number;
  /** Allowed difference in kg at least (small consignments, scale accuracy). */
  toleranceKg?: number;
  /** Vehicle tare to subtract when the weighbridge gives none (e.g. a lane of standard trucks). */
  vehicleTareKg?: number;
}

const kg = (x: number) => `${Math.round(x).toLocaleString('en-US')} kg`;

/** Declared gross mass: the declaration's, else the sum over goods when every line has one. */
export function declaredMass(d: Declaration): number | null {
  if (typeof d.grossMassKg === 'number') return d.grossMassKg;
  if (d.goods.length > 0 && d.goods.every((g) => typeof g.grossMassKg === 'number')) return d.goods.reduce((s, g) => s + g.grossMassKg!, 0);
  return null;
}

/** The reading to trust: the last stable one, else the last one. */
function reading(observations: Observation[]): Observation<'weight'> | null {
  const weights = observations.filter((o): o is Observation<'weight'> => o.kind === 'weight');
  return [...weights].reverse().find((o) => o.payload.stable) ?? weights[weights.length - 1] ?? null;
}

export function scoreWeight(input: ScoringInput, config: WeightConfig): Contribution[] {
  const o = reading(input.observations);
  const declared = input.declaration ? declaredMass(input.declaration) : null;
  if (!o || declared === null) return [];
  const p: WeightPayload = o.payload;
  const tare = p.tareKg ?? config.vehicleTareKg;
  if (tare === undefined) return [];
  const net = p.grossKg - tare;
  const allowed = Math.max(config.toleranceKg ?? 500, (declared * (config.tolerancePct ?? 10)) / 100);
  const diff = net - declared;
  const evidence = {
    observationIds: [o.id],
    values: { measuredNetKg: net, grossKg: p.grossKg, tareKg: tare, declaredKg: declared, allowedKg: allowed, stable: p.stable },
  };
  if (Math.abs(diff) <= allowed) {
    return [{ code: 'weight.consistent', score: 0, reason: `Weighed ${kg(net)} net, consistent with the declared ${kg(declared)}`, evidence }];
  }
  const times = Math.abs(diff) / allowed;
  // More than declared hides goods (and duty); less than declared may mean goods left the consignment.
  let score = diff > 0 ? Math.min(90, 55 + 15 * (times - 1)) : Math.min(70, 40 + 10 * (times - 1));
  if (!p.stable) score *= 0.7;
  const pct = Math.round((Math.abs(diff) / Math.max(declared, 1)) * 100);
  const what = diff > 0 ? `${kg(diff)} (${pct} %) more than declared` : `${kg(-diff)} (${pct} %) less than declared`;
  return [
    {
      code: diff > 0 ? 'weight.heavier-than-declared' : 'weight.lighter-than-declared',
      score: Math.round(score),
      reason: `Weighed ${kg(net)} net: ${what} ${kg(declared)}, beyond the ${kg(allowed)} tolerance${p.stable ? '' : ' (the reading was not stable)'}`,
      evidence,
    },
  ];
}

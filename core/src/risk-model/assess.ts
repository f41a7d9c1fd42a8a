import type { DeclarationRiskFactor } from '@customs-hub/sdk';
import type { History } from './history.js';
import { PROFILE_KEYS, profileValues } from './history.js';
import { FEATURES, featureRow, type FeatureLookups } from './features.js';
import { contributions, type GbdtModel } from './gbdt.js';
import type { RiskRecord } from './risk-record.js';

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

// Factor slots: one per profile key, then value per kg, duty, declared value, net mass.
const UNIT = PROFILE_KEYS.length;
const TAX = UNIT + 1;
const VALUE = UNIT + 2;
const MASS = UNIT + 3;
const SLOT_OF = FEATURES.map((f) =>
  f.key !== undefined
    ? f.key
    : f.name.startsWith('unitValue.')
      ? UNIT
      : f.name === 'taxRate' || f.name === 'tax.log'
        ? TAX
        : f.name === 'value.log'
          ? VALUE
          : MASS,
);

/** Factors beyond this many, by strength, are not built (the scorer shows a handful). */
const MAX_FACTORS = 10;

function factor(slot: number, logOdds: number, r: RiskRecord, found: FeatureLookups): DeclarationRiskFactor {
  if (slot < UNIT) {
    const k = PROFILE_KEYS[slot]!;
    const subject = profileValues(r)[slot]!;
    const p = found.profiles[slot];
    return {
      feature: k.name,
      logOdds,
      about: k.label,
      subject,
      facts: { n: p?.n ?? 0, violations: p?.violations ?? 0, critical: p?.critical ?? 0, seen: p?.seen ?? 0 },
    };
  }
  if (slot === UNIT) {
    const u = found.inHs;
    const perKg = r.netMassKg > 0 ? (r.value + 1) / r.netMassKg : Number.NaN;
    return {
      feature: 'unitValue',
      logOdds,
      about: 'value per kg',
      subject: r.hs6,
      facts: { unitValue: round(perKg), median: round(Math.exp(u.median)), rank: round(u.rank), n: u.n, currency: r.currency, hsCode: r.hs6 },
    };
  }
  if (slot === TAX) return { feature: 'tax', logOdds, about: 'duty rate', subject: r.hs6, facts: { taxRate: r.taxRate, taxType: r.taxType } };
  if (slot === VALUE) return { feature: 'value', logOdds, about: 'declared value', subject: r.hs6, facts: { value: r.value, currency: r.currency } };
  return { feature: 'netMass', logOdds, about: 'net mass', subject: r.hs6, facts: { netMassKg: r.netMassKg } };
}

/** Reusable buffers: scoring allocates little. */
export interface AssessBuffers {
  row: Float64Array<ArrayBuffer>;
  per: Float64Array<ArrayBuffer>;
  slots: Float64Array<ArrayBuffer>;
  found: FeatureLookups;
}
export const assessBuffers = (): AssessBuffers => ({
  row: new Float64Array(FEATURES.length),
  per: new Float64Array(FEATURES.length),
  slots: new Float64Array(MASS + 1),
  found: { profiles: new Array(PROFILE_KEYS.length).fill(undefined), inHs: { rank: Number.NaN, n: 0, median: Number.NaN } },
});

/**
 * The model's probability for one record and its strongest factors: per-feature contributions summed per
 * profile (a trader's rate, count and critical share are one factor) and per value, with the facts behind them.
 */
export function assessRecord(
  model: GbdtModel,
  r: RiskRecord,
  h: History,
  b: AssessBuffers = assessBuffers(),
): { probability: number; factors: DeclarationRiskFactor[] } {
  featureRow(r, h, b.row, b.found);
  const { base, perFeature } = contributions(model, b.row, b.per);
  let raw = base;
  b.slots.fill(0);
  for (let i = 0; i < perFeature.length; i++) {
    raw += perFeature[i]!;
    b.slots[SLOT_OF[i]!]! += perFeature[i]!;
  }
  const order: number[] = [];
  for (let s = 0; s < b.slots.length; s++) if (b.slots[s] !== 0) order.push(s);
  order.sort((x, y) => Math.abs(b.slots[y]!) - Math.abs(b.slots[x]!));
  const factors = order
    .slice(0, MAX_FACTORS)
    .map((s) => factor(s, round(b.slots[s]!), r, b.found))
    .sort((x, y) => y.logOdds - x.logOdds);
  return { probability: 1 / (1 + Math.exp(-raw)), factors };
}

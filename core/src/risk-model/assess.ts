import type { DeclarationRiskFactor } from '@customs-hub/sdk';
import type { History } from './history.js';
import { PROFILE_KEYS } from './history.js';
import { FEATURES, featureRow } from './features.js';
import { contributions, type GbdtModel } from './gbdt.js';
import type { RiskRecord } from './risk-record.js';

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * The model's probability for one record and its factors: per-feature contributions summed per profile
 * (a trader's rate, count and critical share are one factor) and per value, with the facts behind them.
 */
export function assessRecord(model: GbdtModel, r: RiskRecord, h: History, row = new Float64Array(FEATURES.length)): { probability: number; factors: DeclarationRiskFactor[] } {
  featureRow(r, h, row);
  const { base, perFeature } = contributions(model, row);
  let raw = base;
  for (let i = 0; i < perFeature.length; i++) raw += perFeature[i]!;
  const byKey = new Map<string, DeclarationRiskFactor>();
  const add = (id: string, make: () => Omit<DeclarationRiskFactor, 'logOdds'>, logOdds: number) => {
    const f = byKey.get(id);
    if (f) f.logOdds += logOdds; else byKey.set(id, { ...make(), logOdds });
  };
  for (let i = 0; i < FEATURES.length; i++) {
    const c = perFeature[i]!;
    if (c === 0) continue;
    const spec = FEATURES[i]!;
    if (spec.key !== undefined) {
      const k = PROFILE_KEYS[spec.key]!;
      const subject = k.of(r);
      add(k.name, () => {
        const p = h.get(spec.key!, subject);
        return { feature: k.name, about: k.label, subject, facts: { n: p?.n ?? 0, violations: p?.violations ?? 0, critical: p?.critical ?? 0, seen: p?.seen ?? 0 } };
      }, c);
    } else if (spec.name.startsWith('unitValue.')) {
      add('unitValue', () => {
        const u = h.unitValueRank(r);
        const perKg = r.netMassKg > 0 ? (r.value + 1) / r.netMassKg : Number.NaN;
        return { feature: 'unitValue', about: 'value per kg', subject: r.hs6, facts: { unitValue: round(perKg), median: round(Math.exp(u.median)), rank: round(u.rank), n: u.n, currency: r.currency, hsCode: r.hs6 } };
      }, c);
    } else if (spec.name === 'taxRate' || spec.name === 'tax.log') {
      add('tax', () => ({ feature: 'tax', about: 'duty rate', subject: r.hs6, facts: { taxRate: r.taxRate, taxType: r.taxType } }), c);
    } else if (spec.name === 'value.log') {
      add('value', () => ({ feature: 'value', about: 'declared value', subject: r.hs6, facts: { value: r.value, currency: r.currency } }), c);
    } else if (spec.name === 'netMass.log') {
      add('netMass', () => ({ feature: 'netMass', about: 'net mass', subject: r.hs6, facts: { netMassKg: r.netMassKg } }), c);
    }
  }
  const factors = [...byKey.values()].map((f) => ({ ...f, logOdds: round(f.logOdds) })).sort((a, b) => b.logOdds - a.logOdds);
  return { probability: 1 / (1 + Math.exp(-raw)), factors };
}

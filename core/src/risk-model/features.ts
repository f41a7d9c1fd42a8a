import { History, PROFILE_KEYS, profileValues, unitValue, type Profile } from './history.js';
import type { RiskRecord } from './risk-record.js';

/** Prior weight of the overall violation rate in a profile's smoothed rate: (v + m·p) / (n + m). */
export const SMOOTHING = 5;

/** What one feature means, for explanations and drift reports. */
export interface FeatureSpec {
  name: string;
  kind: 'rate' | 'count' | 'seen' | 'critical' | 'value' | 'number';
  /** Index into PROFILE_KEYS for profile features. */
  key?: number;
}

/** Profiles whose critical-violation rate is a feature too. */
const CRITICAL_KEYS = new Set(['importer', 'declarant', 'seller', 'hs6', 'origin', 'importer+hs6']);
/** Profiles whose count of earlier declarations (labelled or not) is a feature. */
const SEEN_KEYS = new Set(['importer', 'declarant', 'seller', 'hs6', 'importer+hs6', 'importer+declarant']);

export const FEATURES: FeatureSpec[] = [
  ...PROFILE_KEYS.flatMap((k, key): FeatureSpec[] => [
    { name: `${k.name}.rate`, kind: 'rate', key },
    { name: `${k.name}.n`, kind: 'count', key },
    ...(CRITICAL_KEYS.has(k.name) ? [{ name: `${k.name}.critical`, kind: 'critical' as const, key }] : []),
    ...(SEEN_KEYS.has(k.name) ? [{ name: `${k.name}.seen`, kind: 'seen' as const, key }] : []),
  ]),
  { name: 'unitValue.rankInHs', kind: 'value' },
  { name: 'unitValue.rankInHsOrigin', kind: 'value' },
  { name: 'unitValue.vsMedian', kind: 'value' },
  { name: 'unitValue.log', kind: 'number' },
  { name: 'value.log', kind: 'number' },
  { name: 'netMass.log', kind: 'number' },
  { name: 'taxRate', kind: 'number' },
  { name: 'tax.log', kind: 'number' },
];

export const FEATURE_NAMES = FEATURES.map((f) => f.name);

/** Per profile key: where its rate, count, critical rate and seen count go in a row (-1: not a feature). */
const SLOTS = PROFILE_KEYS.map((_, key) => ({
  rate: FEATURES.findIndex((f) => f.key === key && f.kind === 'rate'),
  n: FEATURES.findIndex((f) => f.key === key && f.kind === 'count'),
  critical: FEATURES.findIndex((f) => f.key === key && f.kind === 'critical'),
  seen: FEATURES.findIndex((f) => f.key === key && f.kind === 'seen'),
}));
const OTHER = FEATURES.map((f, i) => ({ f, i })).filter(({ f }) => f.key === undefined);

/** What a feature row looked up in the history, kept for the explanation so it need not look again. */
export interface FeatureLookups {
  profiles: Array<Profile | undefined>;
  inHs: { rank: number; n: number; median: number };
}

/** The feature row of one record from what the history holds now (and, given `found`, what it looked up). */
export function featureRow(r: RiskRecord, h: History, out = new Float64Array(FEATURES.length), found?: FeatureLookups): Float64Array {
  const prior = h.total.n > 0 ? h.total.violations / h.total.n : 0.2;
  const priorCritical = h.total.n > 0 ? h.total.critical / h.total.n : 0.01;
  const values = profileValues(r);
  for (let key = 0; key < SLOTS.length; key++) {
    const s = SLOTS[key]!;
    const v = values[key]!;
    if (v === '') {
      if (found) found.profiles[key] = undefined;
      out[s.rate] = Number.NaN;
      out[s.n] = Number.NaN;
      if (s.critical >= 0) out[s.critical] = Number.NaN;
      if (s.seen >= 0) out[s.seen] = Number.NaN;
      continue;
    }
    const p = h.get(key, v);
    if (found) found.profiles[key] = p;
    const n = p ? p.n : 0;
    out[s.rate] = ((p ? p.violations : 0) + SMOOTHING * prior) / (n + SMOOTHING);
    out[s.n] = n;
    if (s.critical >= 0) out[s.critical] = ((p ? p.critical : 0) + SMOOTHING * priorCritical) / (n + SMOOTHING);
    if (s.seen >= 0) out[s.seen] = p ? p.seen : 0;
  }
  const inHs = h.unitValueRank(r);
  if (found) found.inHs = inHs;
  for (const { f, i } of OTHER) {
    switch (f.name) {
      case 'unitValue.rankInHs':
        out[i] = inHs.n >= 3 ? inHs.rank : Number.NaN;
        break;
      case 'unitValue.rankInHsOrigin': {
        const u = h.unitValueRank(r, true);
        out[i] = u.n >= 3 ? u.rank : Number.NaN;
        break;
      }
      case 'unitValue.vsMedian':
        out[i] = inHs.n >= 3 ? unitValue(r) - inHs.median : Number.NaN;
        break;
      case 'unitValue.log':
        out[i] = unitValue(r);
        break;
      case 'value.log':
        out[i] = r.value >= 0 ? Math.log1p(r.value) : Number.NaN;
        break;
      case 'netMass.log':
        out[i] = r.netMassKg >= 0 ? Math.log1p(r.netMassKg) : Number.NaN;
        break;
      case 'taxRate':
        out[i] = r.taxRate;
        break;
      case 'tax.log':
        out[i] = r.value >= 0 && r.taxRate >= 0 ? Math.log1p((r.value * r.taxRate) / 100) : Number.NaN;
        break;
      default:
        out[i] = Number.NaN;
    }
  }
  return out;
}

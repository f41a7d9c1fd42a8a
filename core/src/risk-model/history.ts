import type { RiskRecord } from './risk-record.js';

/** What the hub knew of one trader, code or pair at some moment: inspections and what they found. */
export interface Tally {
  n: number;
  violations: number;
  critical: number;
}

/** A profile's tally plus how many declarations (with an outcome or not) named it. */
export interface Profile extends Tally {
  seen: number;
}

/** A profile key: the attributes of a record it is about, as a name and a value. */
export interface ProfileKey {
  name: string;
  label: string;
  of: (r: RiskRecord) => string;
}

const field = (name: keyof RiskRecord, label: string): ProfileKey => ({ name, label, of: (r) => String(r[name]) });
const pair = (a: keyof RiskRecord, b: keyof RiskRecord, label: string): ProfileKey => ({
  // join, not a template: it makes one flat string, where concatenation makes a two-part one that every
  // map lookup follows through (measured ~30 % slower per lookup on the pair maps).
  name: `${a}+${b}`,
  label,
  of: (r) => (r[a] === '' || r[b] === '' ? '' : [String(r[a]), String(r[b])].join('|')),
});

/** The profiles the model keeps history for: parties, goods, places, codes, and pairs of them. */
export const PROFILE_KEYS: ProfileKey[] = [
  field('importer', 'importer'),
  field('declarant', 'declarant'),
  field('seller', 'seller'),
  field('courier', 'courier'),
  field('hs6', 'HS'),
  { name: 'hs4', label: 'HS heading', of: (r) => r.hs6.slice(0, 4) },
  { name: 'hs2', label: 'HS chapter', of: (r) => r.hs6.slice(0, 2) },
  field('origin', 'origin'),
  field('departure', 'departure country'),
  field('office', 'office'),
  field('importType', 'import type'),
  field('importUse', 'import use'),
  field('paymentType', 'payment type'),
  field('mode', 'transport mode'),
  field('taxType', 'tax type'),
  field('originIndicator', 'origin indicator'),
  pair('importer', 'hs6', 'importer with HS'),
  pair('importer', 'declarant', 'importer with declarant'),
  pair('importer', 'seller', 'importer with seller'),
  pair('declarant', 'hs6', 'declarant with HS'),
  pair('seller', 'hs6', 'seller with HS'),
  pair('hs6', 'origin', 'HS from origin'),
  pair('importer', 'origin', 'importer with origin'),
  pair('declarant', 'office', 'declarant at office'),
  pair('office', 'hs6', 'HS at office'),
  pair('hs6', 'taxType', 'HS with tax type'),
  pair('declarant', 'seller', 'declarant with seller'),
  pair('declarant', 'origin', 'declarant with origin'),
  pair('importer', 'office', 'importer at office'),
  pair('hs6', 'originIndicator', 'HS with origin indicator'),
];

/** Each record's profile values (and its HS|origin key last), made once: pair keys are new strings each time, and hashing them again for every lookup was most of the history's cost. */
const valuesCache = new WeakMap<RiskRecord, string[]>();

/** The record's value for every profile key ('' when it has none), then its `hs6|origin` key. */
export function profileValues(r: RiskRecord): string[] {
  let v = valuesCache.get(r);
  if (!v) {
    v = new Array<string>(PROFILE_KEYS.length + 1);
    for (let i = 0; i < PROFILE_KEYS.length; i++) v[i] = PROFILE_KEYS[i]!.of(r);
    v[PROFILE_KEYS.length] = [r.hs6, r.origin].join('|');
    valuesCache.set(r, v);
  }
  return v;
}

/** Sorted values kept per HS code for "usual range" comparisons. */
class SortedValues {
  readonly values: number[] = [];
  add(v: number): void {
    let lo = 0;
    let hi = this.values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.values[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    this.values.splice(lo, 0, v);
  }
  /** Share of values below v (ties count half). */
  rank(v: number): number {
    const a = this.values;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    let eq = lo;
    while (eq < a.length && a[eq] === v) eq++;
    return (lo + (eq - lo) / 2) / a.length;
  }
  median(): number {
    return this.values.length ? this.values[this.values.length >> 1]! : Number.NaN;
  }
}

/**
 * The hub's memory of past declarations and inspection outcomes, built strictly forward in time: a
 * declaration's features read only what was added before it. `observe` adds a received declaration (no
 * label: its value, mass and parties are known on receipt); `learn` adds an inspection outcome once it is
 * known. Nobody can add a declaration's own outcome before it is scored, since scoring reads the state as is.
 */
export class History {
  readonly profiles: Map<string, Profile>[] = PROFILE_KEYS.map(() => new Map());
  private readonly unitValues = new Map<string, SortedValues>();
  private readonly unitValuesOrigin = new Map<string, SortedValues>();
  readonly total: Tally = { n: 0, violations: 0, critical: 0 };

  observe(r: RiskRecord): void {
    const values = profileValues(r);
    for (let i = 0; i < PROFILE_KEYS.length; i++) {
      const v = values[i]!;
      if (v !== '') this.profile(i, v).seen++;
    }
    const u = unitValue(r);
    if (!Number.isNaN(u)) {
      let s = this.unitValues.get(r.hs6);
      if (!s) this.unitValues.set(r.hs6, (s = new SortedValues()));
      s.add(u);
      const ko = values[PROFILE_KEYS.length]!;
      let so = this.unitValuesOrigin.get(ko);
      if (!so) this.unitValuesOrigin.set(ko, (so = new SortedValues()));
      so.add(u);
    }
  }

  learn(r: RiskRecord, violation: boolean, critical: boolean): void {
    this.total.n++;
    if (violation) this.total.violations++;
    if (critical) this.total.critical++;
    const values = profileValues(r);
    for (let i = 0; i < PROFILE_KEYS.length; i++) {
      const v = values[i]!;
      if (v === '') continue;
      const t = this.profile(i, v);
      t.n++;
      if (violation) t.violations++;
      if (critical) t.critical++;
    }
  }

  private profile(key: number, value: string): Profile {
    const map = this.profiles[key]!;
    let p = map.get(value);
    if (!p) map.set(value, (p = { n: 0, violations: 0, critical: 0, seen: 0 }));
    return p;
  }

  /** The profile of one key's value, if the history has it. */
  get(key: number, value: string): Profile | undefined {
    return this.profiles[key]!.get(value);
  }

  /** Where the record's unit value falls among earlier ones of its HS code (0 lowest … 1 highest), with their count and median. */
  unitValueRank(r: RiskRecord, withOrigin = false): { rank: number; n: number; median: number } {
    const s = withOrigin ? this.unitValuesOrigin.get(profileValues(r)[PROFILE_KEYS.length]!) : this.unitValues.get(r.hs6);
    const u = unitValue(r);
    if (!s || s.values.length === 0 || Number.isNaN(u)) return { rank: Number.NaN, n: s?.values.length ?? 0, median: Number.NaN };
    return { rank: s.rank(u), n: s.values.length, median: s.median() };
  }
}

/** Value per kilogram, log-scaled; NaN when either is missing or the mass is zero. */
export function unitValue(r: RiskRecord): number {
  return r.netMassKg > 0 && r.value >= 0 ? Math.log((r.value + 1) / r.netMassKg) : Number.NaN;
}

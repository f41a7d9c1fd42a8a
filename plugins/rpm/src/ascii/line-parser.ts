import type { GammaState, NeutronState, RpmEvent } from '../events.js';

export type ParseResult = { ok: true; event: RpmEvent | null } | { ok: false; reason: string } | { ok: 'unknown' };

export interface LineParserOptions {
  panels: number;
  scanIntervalS: number;
  backgroundIntervalS: number;
  neutronIntervalS: number;
}

const GAMMA: Record<string, GammaState> = { GB: 'background', GL: 'low', GH: 'high', GS: 'scan', GA: 'alarm' };
const NEUTRON: Record<string, NeutronState> = { NB: 'background', NH: 'high', NS: 'scan', NA: 'alarm' };
const COUNT = /^\d{1,9}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Parses the Rapiscan-style line protocol: a tag and comma-separated fields, one message a line.
 * Setup arrives in parts (SG1..SG3, SN1..SN2), so the parser keeps the parts it has seen.
 */
export class LineParser {
  private sg1: string[] | null = null;
  private sg2: string[] | null = null;
  private sn1: string[] | null = null;

  constructor(private readonly options: LineParserOptions) {}

  parse(line: string): ParseResult {
    const parts = line
      .trim()
      .split(',')
      .map((p) => p.trim());
    const tag = parts[0]!;
    const fields = parts.slice(1);
    if (tag in GAMMA || tag in NEUTRON) return this.counts(tag, fields);
    switch (tag) {
      case 'GW':
        return this.windows(fields);
      case 'GX':
        return this.occupancyEnd(fields);
      case 'SP':
        return this.speed(fields);
      case 'TT':
        return { ok: true, event: { type: 'tamper', active: true } };
      case 'TC':
        return { ok: true, event: { type: 'tamper', active: false } };
      case 'SG1':
        return this.store(fields, 5, (f) => {
          this.sg1 = f;
        });
      case 'SG2':
        return this.store(fields, 1, (f) => {
          this.sg2 = f;
        });
      case 'SG3':
        return this.gammaSetup(fields);
      case 'SN1':
        return this.store(fields, 1, (f) => {
          this.sn1 = f;
        });
      case 'SN2':
        return this.neutronSetup(fields);
      default:
        return /^[A-Z]{2}\d?$/.test(tag) ? { ok: 'unknown' } : { ok: false, reason: `no message tag in '${clip(line)}'` };
    }
  }

  private counts(tag: string, fields: string[]): ParseResult {
    const { panels } = this.options;
    if (fields.length !== panels) return { ok: false, reason: `${tag}: expected ${panels} panel counts, got ${fields.length}` };
    const bad = fields.find((f) => !COUNT.test(f));
    if (bad !== undefined) return { ok: false, reason: `${tag}: count '${clip(bad)}' is not a whole number` };
    const counts = fields.map(Number);
    if (tag in GAMMA) {
      const state = GAMMA[tag]!;
      const intervalS = state === 'scan' || state === 'alarm' ? this.options.scanIntervalS : this.options.backgroundIntervalS;
      return { ok: true, event: { type: 'gamma', state, counts, intervalS } };
    }
    return { ok: true, event: { type: 'neutron', state: NEUTRON[tag]!, counts, intervalS: this.options.neutronIntervalS } };
  }

  private windows(fields: string[]): ParseResult {
    if (fields.length < 2 || !COUNT.test(fields[0]!) || !COUNT.test(fields[1]!)) return { ok: false, reason: 'GW: expected low and high window counts' };
    return { ok: true, event: { type: 'windows', low: Number(fields[0]), high: Number(fields[1]) } };
  }

  private occupancyEnd(fields: string[]): ParseResult {
    if (fields.length < 2 || !COUNT.test(fields[0]!) || !COUNT.test(fields[1]!))
      return { ok: false, reason: 'GX: expected occupancy count and neutron background' };
    return { ok: true, event: { type: 'occupancy-end', occupancyCount: Number(fields[0]), neutronBackground: Number(fields[1]) / 1000 } };
  }

  private speed(fields: string[]): ParseResult {
    // SP,<transit time>,<mph>,<km/h>,…; some units leave km/h out.
    const mph = fields[1],
      kmh = fields[2];
    if (kmh !== undefined && DECIMAL.test(kmh)) return { ok: true, event: { type: 'speed', kmh: Number(kmh) } };
    if (mph !== undefined && DECIMAL.test(mph)) return { ok: true, event: { type: 'speed', kmh: Number(mph) * 1.609344 } };
    return { ok: false, reason: 'SP: no speed field' };
  }

  private store(fields: string[], min: number, keep: (f: string[]) => void): ParseResult {
    if (fields.length < min) return { ok: false, reason: `setup message with ${fields.length} field(s), expected ${min}` };
    keep(fields);
    return { ok: true, event: null };
  }

  private gammaSetup(sg3: string[]): ParseResult {
    const sg1 = this.sg1,
      sg2 = this.sg2;
    this.sg1 = this.sg2 = null;
    if (!sg1) return { ok: false, reason: 'SG3 without SG1' };
    const [high, low, intervals, holdin, nSigma] = sg1;
    if (![high, low, nSigma].every((v) => v !== undefined && DECIMAL.test(v)))
      return { ok: false, reason: 'SG1: background limits and N-sigma must be numbers' };
    const values: Record<string, number | string> = {
      highBackground: Number(high),
      lowBackground: Number(low),
      nSigma: Number(nSigma),
      intervals: num(intervals),
      occupancyHoldin: num(holdin),
    };
    if (sg2) Object.assign(values, { detectors: sg2[0] ?? '', algorithm: sg2[4] ?? '', softwareVersion: sg2[5] ?? '' });
    if (sg3.length >= 5) Object.assign(values, { backgroundTime: num(sg3[2]), backgroundSigma: num(sg3[3]), firmwareVersion: sg3[4] ?? '' });
    return { ok: true, event: { type: 'setup-gamma', highBackground: Number(high), lowBackground: Number(low), nSigma: Number(nSigma), values } };
  }

  private neutronSetup(sn2: string[]): ParseResult {
    const sn1 = this.sn1;
    this.sn1 = null;
    if (!sn1) return { ok: false, reason: 'SN2 without SN1' };
    const high = sn1[0];
    if (high === undefined || !DECIMAL.test(high)) return { ok: false, reason: 'SN1: high background limit must be a number' };
    const values: Record<string, number | string> = {
      highBackground: Number(high),
      maxIntervals: num(sn1[1]),
      alpha: num(sn1[2]),
      zMax: num(sn1[3]),
      sequentialIntervals: num(sn1[4]),
      backgroundTime: num(sn1[5]),
    };
    if (sn2.length >= 4) Object.assign(values, { masterLld: num(sn2[0]), masterUld: num(sn2[1]), slaveLld: num(sn2[2]), slaveUld: num(sn2[3]) });
    return { ok: true, event: { type: 'setup-neutron', highBackground: Number(high), values } };
  }
}

function num(v: string | undefined): number | string {
  return v !== undefined && DECIMAL.test(v) ? Number(v) : (v ?? '');
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

import type { Alarm, ObservationDraft, Quality, RadiationPassagePayload } from '@customs-hub/sdk';
import type { GammaSample, NeutronSample, RpmEvent } from '../events.js';
import { evaluateGamma, evaluateNeutron, evaluateNorm, type Thresholds } from './alarm-evaluator.js';
import { BackgroundTracker } from './background.js';
import { deviceEvent } from './device-events.js';
import { OpenPassage } from './open-passage.js';

export type EndReason = NonNullable<RadiationPassagePayload['endReason']>;

/** A finished passage: the observation, less the raw reference the driver adds once the samples are stored. */
export interface BuiltPassage {
  draft: ObservationDraft<'radiation.passage'>;
  samplesCsv: string;
}

export type Output = { kind: 'passage'; passage: BuiltPassage } | { kind: 'event'; draft: ObservationDraft<'device.event'> };

export interface BuilderOptions {
  panels: number;
  thresholds: Thresholds;
  useDeviceSetup: boolean;
  backgroundSpan: number;
  backgroundChangeFraction: number;
  occupancyTimeoutS: number;
  gammaIntervalS: number;
  neutronIntervalS: number;
}

const ev = (...args: Parameters<typeof deviceEvent>): Output => ({ kind: 'event', draft: deviceEvent(...args) });

const FAULTS = {
  gammaHigh: 'GAMMA_HIGH_BACKGROUND',
  gammaLow: 'GAMMA_LOW_BACKGROUND',
  neutronHigh: 'NEUTRON_HIGH_BACKGROUND',
} as const;

/**
 * Turns a portal's message stream into one passage per occupancy, tracking background in between,
 * and into device events for background shifts, faults, tamper and setup. Synchronous and
 * transport-free: it returns what to emit, the driver emits it.
 */
export class PassageBuilder {
  readonly thresholds: Thresholds;
  private readonly background: BackgroundTracker;
  private open: OpenPassage | null = null;
  private readonly faults = new Set<string>();
  private tamper = false;
  private reportedBackground: number | null = null;
  private lastOccupancyCount: number | null = null;
  private pendingSpeed: number | undefined;
  /** Where the last gamma sample went, so a following window message lands beside it. */
  private lastGammaInPassage = false;
  /** No sample seen since the link came up. */
  private fresh = true;

  constructor(private readonly options: BuilderOptions) {
    this.thresholds = { ...options.thresholds };
    this.background = new BackgroundTracker(options.backgroundSpan);
  }

  get occupied(): boolean {
    return this.open !== null;
  }
  get activeFaults(): string[] {
    return [...this.faults];
  }

  handle(e: RpmEvent, at: Date): Output[] {
    const out: Output[] = [];
    switch (e.type) {
      case 'gamma':
        this.gamma(e, at, out);
        break;
      case 'neutron':
        this.neutron(e, at, out);
        break;
      case 'windows':
        if (this.lastGammaInPassage && this.open) this.open.addWindows(e.low, e.high);
        else this.background.addWindows(e.low, e.high);
        break;
      case 'speed':
        if (this.open) this.open.speedKmh = e.kmh;
        else this.pendingSpeed = e.kmh;
        break;
      case 'occupancy-end':
        this.occupancyEnd(e.occupancyCount, at, out);
        break;
      case 'tamper':
        if (e.active !== this.tamper) {
          this.tamper = e.active;
          out.push(
            ev(
              at,
              e.active ? 'tamper' : 'tamper-cleared',
              'TAMPER',
              e.active ? 'cabinet or detector tamper switch open' : 'tamper cleared',
              {},
              e.active ? [{ category: 'tamper', source: 'device', level: 'alarm', message: 'tamper switch' }] : [],
            ),
          );
        }
        break;
      case 'setup-gamma':
        if (this.options.useDeviceSetup && e.nSigma > 0) this.thresholds.nSigma = e.nSigma;
        out.push(ev(at, 'setup', 'GAMMA_SETUP', `gamma setup: N-sigma ${e.nSigma}`, e.values));
        break;
      case 'setup-neutron':
        out.push(ev(at, 'setup', 'NEUTRON_SETUP', 'neutron setup', e.values));
        break;
    }
    return out;
  }

  /** The link is (back) up: an occupancy already in progress will be missing its start. */
  linkUp(): void {
    this.fresh = true;
  }

  /** The link is gone: an occupancy in progress is reported now, marked incomplete. */
  linkDown(at: Date): Output[] {
    return this.open ? [this.close(at, 'connection-lost')] : [];
  }

  /** Called about once a second: closes an occupancy that never ended. */
  tick(now: Date): Output[] {
    if (this.open && now.getTime() - this.open.start.getTime() > this.options.occupancyTimeoutS * 1000) return [this.close(now, 'timeout')];
    return [];
  }

  /** The driver stops: report what has been collected. */
  flush(at: Date): Output[] {
    return this.open ? [this.close(at, 'stopped')] : [];
  }

  private begin(at: Date, intervalS: number): OpenPassage {
    const startMs = at.getTime() - intervalS * 1000;
    const bg = this.background;
    this.open = new OpenPassage(new Date(startMs), { gamma: bg.gammaCps, neutron: bg.neutronCps, windowRatio: bg.windowRatio }, [...this.faults], {
      gammaIntervalS: this.options.gammaIntervalS,
      neutronIntervalS: this.options.neutronIntervalS,
    });
    if (this.fresh) this.open.joinedLate = true;
    if (this.pendingSpeed !== undefined) this.open.speedKmh = this.pendingSpeed;
    this.pendingSpeed = undefined;
    return this.open;
  }

  private gamma(e: GammaSample, at: Date, out: Output[]): void {
    if (e.state === 'scan' || e.state === 'alarm') {
      (this.open ?? this.begin(at, e.intervalS)).addGamma(e);
      this.lastGammaInPassage = true;
      this.fresh = false;
      return;
    }
    this.fresh = false;
    this.lastGammaInPassage = false;
    if (this.open) out.push(this.close(at, 'no-end-message'));
    this.fault(FAULTS.gammaHigh, e.state === 'high', at, out, 'gamma background above the high limit');
    this.fault(FAULTS.gammaLow, e.state === 'low', at, out, 'gamma background below the low limit (detector or HV failure?)');
    this.background.addGamma(e.counts, e.intervalS);
    this.reportBackground(at, out);
  }

  private neutron(e: NeutronSample, at: Date, out: Output[]): void {
    if (e.state === 'scan' || e.state === 'alarm') {
      (this.open ?? this.begin(at, e.intervalS)).addNeutron(e);
      this.fresh = false;
      return;
    }
    this.fault(FAULTS.neutronHigh, e.state === 'high', at, out, 'neutron background above the high limit');
    if (!this.open) this.background.addNeutron(e.counts, e.intervalS);
  }

  private fault(code: string, active: boolean, at: Date, out: Output[], message: string): void {
    if (active === this.faults.has(code)) return;
    if (active) this.faults.add(code);
    else this.faults.delete(code);
    out.push(
      ev(
        at,
        active ? 'fault' : 'fault-cleared',
        code,
        active ? message : `${message}: cleared`,
        {},
        active ? [{ category: 'fault', source: 'device', level: 'warning', message }] : [],
      ),
    );
  }

  private reportBackground(at: Date, out: Output[]): void {
    const cps = this.background.gammaCps;
    if (!cps) return;
    const total = cps.reduce((a, b) => a + b, 0);
    const last = this.reportedBackground;
    if (last !== null && Math.abs(total - last) <= last * this.options.backgroundChangeFraction) return;
    this.reportedBackground = total;
    const values: Record<string, number> = { gammaCps: Math.round(total) };
    cps.forEach((c, i) => {
      values[`gammaCpsPanel${i + 1}`] = Math.round(c);
    });
    const n = this.background.neutronCps;
    if (n) values.neutronCps = Math.round(n.reduce((a, b) => a + b, 0) * 100) / 100;
    out.push(ev(at, 'background', 'BACKGROUND', last === null ? 'background established' : 'background changed', values));
  }

  private occupancyEnd(count: number | undefined, at: Date, out: Output[]): void {
    if (count !== undefined && this.lastOccupancyCount !== null && count > this.lastOccupancyCount + 1) {
      const missed = count - this.lastOccupancyCount - 1;
      out.push(
        ev(at, 'other', 'OCCUPANCIES_MISSED', `${missed} occupanc${missed === 1 ? 'y' : 'ies'} ended while the hub was not listening`, { missed }, [
          { category: 'fault', source: 'hub', level: 'warning', message: 'passages missed' },
        ]),
      );
    }
    if (count !== undefined) this.lastOccupancyCount = count;
    // An end with no samples seen (link came up mid-occupancy) is still a passage the portal counted.
    if (!this.open) this.begin(at, 0);
    this.fresh = false;
    out.push(this.close(at, 'device', count));
  }

  private close(at: Date, endReason: EndReason, occupancyCount?: number): Output {
    const p = this.open!;
    this.open = null;
    this.lastGammaInPassage = false;
    const { panels } = this.options;
    const t = this.thresholds;
    const { channel: gamma, hot } = evaluateGamma({ samples: p.gamma, intervalS: p.gammaIntervalS, backgroundCps: p.background.gamma }, panels, t.nSigma);
    const payload: RadiationPassagePayload = {
      occupancyStart: p.start.toISOString(),
      occupancyEnd: at.toISOString(),
      durationS: Math.round(p.gamma.length * p.gammaIntervalS * 1000) / 1000,
      sampleIntervalS: p.gammaIntervalS,
      gamma,
      deviceAlarm: { gamma: p.deviceGamma, neutron: p.deviceNeutron },
      hubAlarm: { gamma: gamma.alarm === true, neutron: false },
      endReason,
    };
    if (p.neutron.length > 0) {
      payload.neutron = evaluateNeutron({ samples: p.neutron, intervalS: p.neutronIntervalS, backgroundCps: p.background.neutron }, panels, t.neutronThreshold);
      payload.hubAlarm.neutron = payload.neutron.alarm === true;
    }
    const ratio = evaluateNorm(p.windows, hot, p.background.windowRatio, payload.hubAlarm.gamma, t.normRatioDrop);
    if (ratio) {
      payload.windowRatio = ratio;
      payload.hubAlarm.norm = ratio.norm;
    }
    if (p.speedKmh !== undefined) payload.speedKmh = Math.round(p.speedKmh * 10) / 10;
    if (occupancyCount !== undefined) payload.occupancyCount = occupancyCount;
    payload.disagreement = payload.deviceAlarm.gamma !== payload.hubAlarm.gamma || payload.deviceAlarm.neutron !== payload.hubAlarm.neutron;
    const draft: ObservationDraft<'radiation.passage'> = {
      kind: 'radiation.passage',
      deviceTime: payload.occupancyStart,
      payload,
      alarms: passageAlarms(payload),
      quality: passageQuality(p, endReason),
    };
    return { kind: 'passage', passage: { draft, samplesCsv: p.csv(panels) } };
  }
}

function passageAlarms(p: RadiationPassagePayload): Alarm[] {
  const alarms: Alarm[] = [];
  if (p.deviceAlarm.gamma) alarms.push({ category: 'gamma', source: 'device', level: 'alarm', message: 'device gamma alarm' });
  if (p.deviceAlarm.neutron) alarms.push({ category: 'neutron', source: 'device', level: 'alarm', message: 'device neutron alarm' });
  if (p.hubAlarm.gamma)
    alarms.push({
      category: 'gamma',
      source: 'hub',
      level: 'alarm',
      message: `gamma ${p.gamma.maxSigma} σ over background`,
      value: p.gamma.maxSigma,
      threshold: p.gamma.threshold!,
    });
  if (p.hubAlarm.neutron)
    alarms.push({
      category: 'neutron',
      source: 'hub',
      level: 'alarm',
      message: 'neutron count over threshold',
      value: p.neutron!.maxSigma,
      threshold: p.neutron!.threshold!,
    });
  if (p.hubAlarm.norm)
    alarms.push({
      category: 'norm',
      source: 'hub',
      level: 'info',
      message: 'energy-window ratio indicates NORM',
      value: p.windowRatio!.value,
      threshold: p.windowRatio!.background!,
    });
  if (p.disagreement) {
    const what = [p.deviceAlarm.gamma !== p.hubAlarm.gamma ? 'gamma' : null, p.deviceAlarm.neutron !== p.hubAlarm.neutron ? 'neutron' : null]
      .filter(Boolean)
      .join(' and ');
    alarms.push({ category: 'other', source: 'hub', level: 'warning', message: `hub and device disagree on the ${what} alarm` });
  }
  return alarms;
}

function passageQuality(p: OpenPassage, endReason: EndReason): Quality {
  const reasons: string[] = [];
  if (endReason === 'connection-lost') reasons.push('incomplete: the connection dropped before the occupancy ended');
  if (endReason === 'timeout') reasons.push('incomplete: no end of occupancy within the timeout');
  if (endReason === 'no-end-message') reasons.push('the device resumed background without an end-of-occupancy message');
  if (endReason === 'stopped') reasons.push('incomplete: the driver stopped during the occupancy');
  if (p.joinedLate) reasons.push('incomplete: the occupancy was already in progress when the hub connected');
  if (!p.background.gamma) reasons.push('no gamma background known before the passage');
  for (const f of p.faults) reasons.push(`device fault active: ${f}`);
  if (p.gamma.length === 0) return { status: 'bad', reasons: [...reasons, 'no gamma samples received for this occupancy'] };
  return reasons.length > 0 ? { status: 'uncertain', reasons } : { status: 'good' };
}

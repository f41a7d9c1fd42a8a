import { BACKGROUND_LOW_FRACTION, loadCycle, makeLoad, type Load, type Scenario, type VehicleLoad } from './loads.js';
import { binomial, poisson, seededRandom } from '@customs-hub/sdk';

export interface PortalOptions {
  seed: number;
  panels: number;
  scenario: Scenario;
  /** Gamma background per panel, counts per second. */
  gammaBackgroundCps: number;
  /** Neutron background per panel, counts per second. */
  neutronBackgroundCps: number;
  vehicleIntervalS: number;
  speedKmh: number;
  /** The device's own alarm rules (sent in its setup messages). */
  nSigma: number;
  neutronThreshold: number;
  highBackgroundCps: number;
  lowBackgroundCps: number;
  /** No vehicles of its own: only those `vehicle()` sends through (the lane twin). */
  driven?: boolean;
}

/** A vehicle the lane twin sends through the portal. */
export interface PortalVehicle {
  load: VehicleLoad;
  lengthM?: number;
  speedKmh?: number;
}

export const SAMPLE_S = 0.2;
const PER_S = Math.round(1 / SAMPLE_S);
/** The detection zone around the pillars, metres; the response falls off with this width. */
const ZONE_M = 3;
const RESPONSE_WIDTH_M = 1;
const MIN_GAP_TICKS = 10;

/** One 200-ms sample of the portal, with the device's own decisions about it. */
export interface Tick {
  seq: number;
  occupied: boolean;
  gamma: number[];
  /** Low and high energy-window counts, summed over panels. */
  windows: [number, number];
  neutron: number[];
  /** Per panel, counts in the last second (what a Rapiscan background line carries). */
  gammaLastSecond: number[];
  gammaAlarm: boolean;
  gammaHigh: boolean;
  gammaLow: boolean;
  neutronHigh: boolean;
  /** The device's neutron alarm over the last second (sliding). */
  neutronAlarm: boolean;
  started?: { speedKmh: number; transitS: number };
  ended?: { occupancyCount: number };
  tamper?: boolean;
}

interface Vehicle {
  load: Load;
  lengthM: number;
  speedMs: number;
  ticks: number;
  age: number;
}

/**
 * A portal monitor's physics and its own firmware decisions, tick by tick (200 ms), with no I/O:
 * Poisson background, vehicles that shield it and carry sources past the pillars, and the
 * scripted episodes (high background, tamper). Deterministic by seed.
 */
export class PortalModel {
  private readonly rand: () => number;
  private readonly cycle: ReturnType<typeof loadCycle>;
  private next = 0;
  private tick = 0;
  private seq = 0;
  private nextVehicleTick: number;
  private vehicle: Vehicle | null = null;
  private occupancyCount = 0;
  private backgroundFactor = 1;
  private episodeEnd = -1;
  private tamperActive = false;
  private readonly lastGamma: number[][] = [];
  private readonly lastNeutron: number[][] = [];
  /** The device's background estimate, per panel, counts per second. */
  private readonly deviceBackground: number[];
  private readonly waiting: PortalVehicle[] = [];

  constructor(readonly options: PortalOptions) {
    this.rand = seededRandom(options.seed);
    this.cycle = loadCycle(options.scenario);
    this.nextVehicleTick = options.driven ? 15 : Math.max(15, Math.round(options.vehicleIntervalS / 2 / SAMPLE_S));
    this.deviceBackground = new Array<number>(options.panels).fill(options.gammaBackgroundCps);
  }

  get occupancies(): number {
    return this.occupancyCount;
  }

  /** Queues a vehicle (driven portals): it enters at the next tick the portal is free. */
  send(v: PortalVehicle): void {
    this.waiting.push(v);
  }

  step(): Tick {
    const o = this.options;
    const t = this.tick++;
    let started: Tick['started'];
    let tamper: boolean | undefined;
    if (t === this.episodeEnd) {
      this.backgroundFactor = 1;
      if (this.tamperActive) {
        this.tamperActive = false;
        tamper = false;
      }
    }
    if (this.options.driven) {
      const queued = !this.vehicle && t >= this.nextVehicleTick ? this.waiting.shift() : undefined;
      if (queued) {
        const speedMs = ((queued.speedKmh ?? o.speedKmh) * (0.9 + 0.2 * this.rand())) / 3.6;
        const lengthM = queued.lengthM ?? 16.5;
        const ticks = Math.ceil((lengthM + ZONE_M) / speedMs / SAMPLE_S);
        this.vehicle = { load: makeLoad(queued.load, o.panels), lengthM, speedMs, ticks, age: 0 };
        started = { speedKmh: Math.round(speedMs * 36) / 10, transitS: Math.round(ticks * SAMPLE_S * 100) / 100 };
      }
    } else if (!this.vehicle && t >= this.nextVehicleTick) {
      this.nextVehicleTick = t + Math.round(o.vehicleIntervalS / SAMPLE_S);
      const name = this.cycle[this.next++ % this.cycle.length]!;
      if (name === 'high-background' || name === 'tamper') {
        this.episodeEnd = t + Math.round(Math.min(10, o.vehicleIntervalS / 2) / SAMPLE_S);
        if (name === 'tamper') {
          this.tamperActive = true;
          tamper = true;
        } else this.backgroundFactor = 2;
      } else {
        const speedMs = (o.speedKmh * (0.85 + 0.3 * this.rand())) / 3.6;
        const lengthM = 5 + 13 * this.rand();
        const ticks = Math.ceil((lengthM + ZONE_M) / speedMs / SAMPLE_S);
        this.vehicle = { load: makeLoad(name, o.panels), lengthM, speedMs, ticks, age: 0 };
        started = { speedKmh: Math.round(speedMs * 36) / 10, transitS: Math.round(ticks * SAMPLE_S * 100) / 100 };
      }
    }
    const v = this.vehicle;
    const { gamma, windows, neutron } = this.sample(v);
    push(this.lastGamma, gamma);
    push(this.lastNeutron, neutron);
    const gammaLastSecond = sumColumns(this.lastGamma, o.panels);
    const neutronLastSecond = sumColumns(this.lastNeutron, o.panels).reduce((a, b) => a + b, 0);
    const tick: Tick = {
      seq: (this.seq = (this.seq + 1) & 0xffff),
      occupied: v !== null,
      gamma,
      windows,
      neutron,
      gammaLastSecond,
      gammaAlarm: false,
      gammaHigh: gammaLastSecond.some((c) => c > o.highBackgroundCps),
      gammaLow: gammaLastSecond.some((c) => c < o.lowBackgroundCps),
      neutronHigh: false,
      neutronAlarm: v !== null && neutronLastSecond >= o.neutronThreshold,
    };
    if (started) tick.started = started;
    if (tamper !== undefined) tick.tamper = tamper;
    if (v) {
      // The firmware's rule: the sum of all panels over the last second, against its background.
      const bg = this.deviceBackground.reduce((a, b) => a + b, 0);
      tick.gammaAlarm = (gammaLastSecond.reduce((a, b) => a + b, 0) - bg) / Math.sqrt(bg) >= o.nSigma;
      if (++v.age >= v.ticks) {
        this.vehicle = null;
        tick.ended = { occupancyCount: ++this.occupancyCount };
        // Vehicles keep a gap: the portal sees background between occupancies.
        this.nextVehicleTick = Math.max(this.nextVehicleTick, t + MIN_GAP_TICKS);
      }
    } else {
      this.deviceBackground.forEach((b, p) => {
        this.deviceBackground[p] = b + (gammaLastSecond[p]! - b) / 50;
      });
      tick.neutronHigh = neutronLastSecond > o.neutronThreshold;
    }
    return tick;
  }

  /** Neutron counts in 1-s lines as a Rapiscan unit sends them: the device alarms on the line's total. */
  neutronLineAlarm(total: number): boolean {
    return total >= this.options.neutronThreshold;
  }

  private sample(v: Vehicle | null): { gamma: number[]; windows: [number, number]; neutron: number[] } {
    const o = this.options;
    let shield = 1;
    const srcGamma = new Array<number>(o.panels).fill(0);
    const srcNeutron = new Array<number>(o.panels).fill(0);
    let srcLow = 0;
    if (v) {
      const front = v.speedMs * (v.age + 0.5) * SAMPLE_S - ZONE_M / 2;
      const overlap = Math.max(0, Math.min(front, ZONE_M / 2) - Math.max(front - v.lengthM, -ZONE_M / 2)) / ZONE_M;
      shield = 1 - v.load.suppression * overlap;
      for (const s of v.load.sources) {
        const d = front - s.pos * v.lengthM;
        const k = Math.exp(-(d * d) / (2 * RESPONSE_WIDTH_M * RESPONSE_WIDTH_M)) * SAMPLE_S;
        for (let p = 0; p < o.panels; p++) {
          srcGamma[p]! += s.gammaCps[p]! * k;
          srcNeutron[p]! += s.neutronCps[p]! * k;
          srcLow += s.gammaCps[p]! * k * s.lowFraction;
        }
      }
    }
    const bgMean = o.gammaBackgroundCps * this.backgroundFactor * shield * SAMPLE_S;
    const bg = srcGamma.map(() => poisson(this.rand, bgMean));
    const src = srcGamma.map((m) => poisson(this.rand, m));
    const srcTotal = src.reduce((a, b) => a + b, 0);
    const srcMean = srcGamma.reduce((a, b) => a + b, 0);
    const bgTotal = bg.reduce((a, b) => a + b, 0);
    const low = binomial(this.rand, bgTotal, BACKGROUND_LOW_FRACTION) + binomial(this.rand, srcTotal, srcMean > 0 ? srcLow / srcMean : 0);
    const neutron = srcNeutron.map((m) => poisson(this.rand, o.neutronBackgroundCps * this.backgroundFactor * SAMPLE_S + m));
    return { gamma: bg.map((b, p) => b + src[p]!), windows: [low, bgTotal + srcTotal - low], neutron };
  }
}

function push(history: number[][], sample: number[]): void {
  history.push(sample);
  if (history.length > PER_S) history.shift();
}

function sumColumns(rows: number[][], n: number): number[] {
  const out = new Array<number>(n).fill(0);
  for (const r of rows) for (let i = 0; i < n; i++) out[i]! += r[i]!;
  // Scale up while the history is still shorter than a second (first ticks after start).
  return rows.length < PER_S ? out.map((c) => Math.round((c * PER_S) / Math.max(1, rows.length))) : out;
}

import type { GammaSample, NeutronSample } from '../events.js';

/** What the hub collects during one occupancy, until the device ends it (or the hub has to). */
export class OpenPassage {
  readonly gamma: number[][] = [];
  readonly gammaStates: string[] = [];
  readonly neutron: number[][] = [];
  /** Window counts aligned with gamma samples (null where the device sent none). */
  readonly windows: Array<[number, number] | null> = [];
  gammaIntervalS: number;
  neutronIntervalS: number;
  deviceGamma = false;
  deviceNeutron = false;
  speedKmh: number | undefined;
  /** The hub connected during this occupancy: its start is missing. */
  joinedLate = false;
  private readonly rows: string[] = [];

  constructor(
    readonly start: Date,
    readonly background: { gamma: number[] | null; neutron: number[] | null; windowRatio: number | null },
    /** Faults active when the occupancy began (they make the result uncertain). */
    readonly faults: string[],
    defaults: { gammaIntervalS: number; neutronIntervalS: number },
  ) {
    this.gammaIntervalS = defaults.gammaIntervalS;
    this.neutronIntervalS = defaults.neutronIntervalS;
  }

  addGamma(s: GammaSample): void {
    this.gammaIntervalS = s.intervalS;
    this.rows.push(`${offset(this.gamma.length, s.intervalS)},G,${s.state},${s.counts.join(',')}`);
    this.gamma.push(s.counts);
    this.gammaStates.push(s.state);
    this.windows.push(null);
    if (s.state === 'alarm') this.deviceGamma = true;
  }

  addNeutron(s: NeutronSample): void {
    this.neutronIntervalS = s.intervalS;
    this.rows.push(`${offset(this.neutron.length, s.intervalS)},N,${s.state},${s.counts.join(',')}`);
    this.neutron.push(s.counts);
    if (s.state === 'alarm') this.deviceNeutron = true;
  }

  /** Window counts belong to the gamma sample just received. */
  addWindows(low: number, high: number): void {
    const i = this.gamma.length - 1;
    if (i < 0) return;
    this.windows[i] = [low, high];
    this.rows.push(`${offset(i, this.gammaIntervalS)},W,windows,${low},${high}`);
  }

  /** The sample series as CSV (time in s from the start of the occupancy; W rows carry low,high). */
  csv(panels: number): string {
    const head = ['t_s', 'channel', 'state', ...Array.from({ length: panels }, (_, p) => `p${p + 1}`)].join(',');
    return `${head}\n${this.rows.join('\n')}\n`;
  }
}

// The end of the sample's interval, on the device's own clock (sample count × interval).
function offset(index: number, intervalS: number): string {
  return ((index + 1) * intervalS).toFixed(3);
}

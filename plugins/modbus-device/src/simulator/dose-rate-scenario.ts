import { gaussian, uniform } from '@customs-hub/sdk';
import type { Scenario } from './scenario.js';

const BACKGROUND_USVH = 0.11; // typical outdoor background at a border post
const CPS_PER_USVH = 2000; // a plausible NaI(Tl) sensitivity, for a count rate coherent with the dose rate
const COUNT_TIME_S = 1; // the unit reports rates counted over about a second

/**
 * A gamma detection unit at a lane: dose rate around background with counting noise, and now and
 * then a bump as a vehicle with a source (or NORM cargo) passes, rising and falling over a few seconds.
 */
export class DoseRateScenario implements Scenario {
  private tick = 0;
  private bump: { start: number; length: number; peak: number } | null = null;
  private values = new Map<string, number>();
  private averageCps = BACKGROUND_USVH * CPS_PER_USVH;
  private totalDoseUSv = 0;

  constructor(
    private readonly rand: () => number,
    private readonly tickS: number,
    private readonly bumpEveryS = 45,
  ) {
    this.step();
  }

  step(): void {
    const r = this.rand;
    if (!this.bump && r() < this.tickS / this.bumpEveryS) {
      this.bump = { start: this.tick, length: Math.max(1, Math.round(uniform(r, 6, 14) / this.tickS)), peak: uniform(r, 0.2, 0.9) };
    }
    let extra = 0;
    if (this.bump) {
      const k = (this.tick - this.bump.start) / this.bump.length;
      extra = k >= 1 ? 0 : this.bump.peak * Math.sin(Math.PI * k);
      if (k >= 1) this.bump = null;
    }
    const mean = BACKGROUND_USVH + extra;
    // counting statistics: relative noise shrinks as the rate grows
    const cpsMean = mean * CPS_PER_USVH;
    const cps = Math.max(0, Math.round(gaussian(r, cpsMean, Math.sqrt(cpsMean / COUNT_TIME_S))));
    const dose = Math.max(0.005, cps / CPS_PER_USVH);
    this.averageCps += 0.2 * (cps - this.averageCps);
    this.totalDoseUSv += (dose * this.tickS) / 3600;
    const relErrPct = 100 / Math.sqrt(Math.max(1, this.averageCps * COUNT_TIME_S));
    this.values = new Map([
      ['payload.doseRateUSvH', dose],
      ['payload.countRateCps', cps],
      ['payload.uncertaintyPct', relErrPct * 1.2],
      ['payload.totalDoseUSv', this.totalDoseUSv],
      ['payload.temperatureC', 21 + 1.5 * Math.sin(this.tick / 600) + gaussian(r, 0, 0.05)],
      ['extensions.averageCountRateCps', this.averageCps],
      ['extensions.countRateErrorPct', relErrPct],
    ]);
    this.tick++;
  }

  value(field: string): number | undefined {
    return this.values.get(field);
  }
}

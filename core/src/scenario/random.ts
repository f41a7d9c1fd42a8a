import { seededRandom } from '@customs-hub/sdk';

/** The SDK's seeded PRNG with the draws the scenario needs: the same seed gives the same day of traffic. */
export class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  int(min: number, max: number): number {
    return Math.floor(this.between(min, max + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Exponential waiting time with the given mean. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
}

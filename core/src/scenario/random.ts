/** A small seeded PRNG (mulberry32): the same seed gives the same day of traffic. */
export class Random {
  private state: number;
  constructor(seed: number) { this.state = seed >>> 0; }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  between(min: number, max: number): number { return min + (max - min) * this.next(); }
  int(min: number, max: number): number { return Math.floor(this.between(min, max + 1)); }
  pick<T>(list: readonly T[]): T { return list[Math.floor(this.next() * list.length)]!; }
  chance(p: number): boolean { return this.next() < p; }
  /** Exponential waiting time with the given mean. */
  exp(mean: number): number { return -mean * Math.log(1 - this.next()); }
}

/** A mean of vectors: arithmetic over the first `span` updates, then exponential with that span. */
class RunningMean {
  private n = 0;
  value: number[] | null = null;

  constructor(private readonly span: number) {}

  add(v: readonly number[]): void {
    if (!this.value || this.value.length !== v.length) {
      this.value = [...v];
      this.n = 1;
      return;
    }
    this.n = Math.min(this.n + 1, this.span);
    const a = 1 / this.n;
    for (let i = 0; i < v.length; i++) this.value[i]! += a * (v[i]! - this.value[i]!);
  }
}

/**
 * The background a portal sees while empty, per panel in counts per second, and the
 * low/high energy-window ratio. Updated only between occupancies: a vehicle shields and carries sources.
 */
export class BackgroundTracker {
  private readonly gamma: RunningMean;
  private readonly neutron: RunningMean;
  private readonly windows: RunningMean;

  constructor(span: number) {
    this.gamma = new RunningMean(span);
    this.neutron = new RunningMean(span);
    this.windows = new RunningMean(span);
  }

  addGamma(counts: readonly number[], intervalS: number): void {
    this.gamma.add(counts.map((c) => c / intervalS));
  }
  addNeutron(counts: readonly number[], intervalS: number): void {
    this.neutron.add(counts.map((c) => c / intervalS));
  }
  addWindows(low: number, high: number): void {
    this.windows.add([low, high]);
  }

  /** Gamma background per panel, counts per second; null before the first background message. */
  get gammaCps(): number[] | null {
    return this.gamma.value ? [...this.gamma.value] : null;
  }
  get neutronCps(): number[] | null {
    return this.neutron.value ? [...this.neutron.value] : null;
  }
  /** Low/high window ratio of the background; null without window data. */
  get windowRatio(): number | null {
    const w = this.windows.value;
    return w && w[1]! > 0 ? w[0]! / w[1]! : null;
  }
}

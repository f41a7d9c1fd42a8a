import type { PassageChannel } from '@customs-hub/sdk';

/** The hub's own alarm rules; nSigma and fault limits may come from the device's setup messages. */
export interface Thresholds {
  nSigma: number;
  /** Neutron counts in one second, summed over panels, that alarm. */
  neutronThreshold: number;
  /** NORM when the passage's low/high window ratio is at least this fraction below background. */
  normRatioDrop: number;
}

export interface ChannelSamples {
  /** One counts-per-panel array per sample. */
  samples: number[][];
  intervalS: number;
  /** Background per panel, counts per second; null when none was seen yet. */
  backgroundCps: number[] | null;
}

export interface GammaEvaluation {
  channel: PassageChannel;
  hot: boolean[];
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Samples in one ~1 s window: the alarm decision integrates about a second, as portals do. */
export function windowLength(intervalS: number, available: number): number {
  return Math.max(1, Math.min(available, Math.round(1 / intervalS)));
}

function panelSummary(samples: number[][], panels: number): PassageChannel['panels'] {
  return Array.from({ length: panels }, (_, p) => {
    let counts = 0,
      peak = 0;
    for (const s of samples) {
      counts += s[p] ?? 0;
      peak = Math.max(peak, s[p] ?? 0);
    }
    return { counts, samples: samples.length, peak };
  });
}

/**
 * Gamma: sigma = (FG − BG)/√BG over sliding ~1 s windows, for the sum of all panels and for each
 * panel alone (a point source on one side is diluted in the sum). Alarm when the largest reaches nSigma.
 * `hot` marks the samples of windows above nSigma/2, where the window ratio is measured.
 */
export function evaluateGamma(input: ChannelSamples, panels: number, nSigma: number): GammaEvaluation {
  const { samples, intervalS, backgroundCps } = input;
  const hot = samples.map(() => false);
  const channel: PassageChannel = {
    panels: panelSummary(samples, panels),
    background: (backgroundCps ?? []).map((b) => round(b * intervalS)),
    maxSigma: 0,
    threshold: nSigma,
    alarm: false,
  };
  if (!backgroundCps || samples.length === 0) return { channel, hot };
  const win = windowLength(intervalS, samples.length);
  const bg = backgroundCps.map((b) => b * win * intervalS);
  const bgSum = bg.reduce((a, b) => a + b, 0);
  let maxSigma = -Infinity;
  for (let i = 0; i + win <= samples.length; i++) {
    const fg = new Array<number>(panels).fill(0);
    for (let k = i; k < i + win; k++) for (let p = 0; p < panels; p++) fg[p]! += samples[k]![p] ?? 0;
    const fgSum = fg.reduce((a, b) => a + b, 0);
    let sigma = bgSum > 0 ? (fgSum - bgSum) / Math.sqrt(bgSum) : 0;
    for (let p = 0; p < panels; p++) if (bg[p]! > 0) sigma = Math.max(sigma, (fg[p]! - bg[p]!) / Math.sqrt(bg[p]!));
    maxSigma = Math.max(maxSigma, sigma);
    if (sigma >= nSigma / 2) for (let k = i; k < i + win; k++) hot[k] = true;
  }
  channel.maxSigma = round(maxSigma);
  channel.alarm = maxSigma >= nSigma;
  return { channel, hot };
}

/** Neutron: alarm when a ~1 s window, summed over panels, reaches the threshold (in counts per second). */
export function evaluateNeutron(input: ChannelSamples, panels: number, threshold: number): PassageChannel {
  const { samples, intervalS, backgroundCps } = input;
  const channel: PassageChannel = {
    panels: panelSummary(samples, panels),
    background: (backgroundCps ?? []).map((b) => round(b * intervalS, 3)),
    maxSigma: 0,
    threshold,
    alarm: false,
  };
  if (samples.length === 0) return channel;
  const win = windowLength(intervalS, samples.length);
  const seconds = win * intervalS;
  const bgSum = (backgroundCps ?? []).reduce((a, b) => a + b, 0) * seconds;
  let maxSigma = -Infinity,
    maxRate = 0;
  for (let i = 0; i + win <= samples.length; i++) {
    let fg = 0;
    for (let k = i; k < i + win; k++) for (let p = 0; p < panels; p++) fg += samples[k]![p] ?? 0;
    maxRate = Math.max(maxRate, fg / seconds);
    maxSigma = Math.max(maxSigma, (fg - bgSum) / Math.sqrt(Math.max(bgSum, 1)));
  }
  channel.maxSigma = round(maxSigma);
  channel.alarm = maxRate >= threshold;
  return channel;
}

/**
 * NORM indication from energy windows (after Ely et al. 2006): NORM (K-40, U/Th chains) hardens
 * the spectrum, so the low/high ratio of the alarming part of the passage falls below background;
 * man-made and shielded sources raise it. Only meaningful when the hub's gamma alarm is on.
 */
export function evaluateNorm(
  windows: Array<[number, number] | null>,
  hot: boolean[],
  backgroundRatio: number | null,
  gammaAlarm: boolean,
  ratioDrop: number,
): { value: number; background?: number; norm: boolean } | undefined {
  let low = 0,
    high = 0,
    hotLow = 0,
    hotHigh = 0;
  windows.forEach((w, i) => {
    if (!w) return;
    low += w[0];
    high += w[1];
    if (hot[i]) {
      hotLow += w[0];
      hotHigh += w[1];
    }
  });
  const [l, h] = hotHigh > 0 ? [hotLow, hotHigh] : [low, high];
  if (h <= 0) return undefined;
  const value = l / h;
  const out: { value: number; background?: number; norm: boolean } = { value: round(value, 3), norm: false };
  if (backgroundRatio !== null) {
    out.background = round(backgroundRatio, 3);
    out.norm = gammaAlarm && value <= backgroundRatio * (1 - ratioDrop);
  }
  return out;
}

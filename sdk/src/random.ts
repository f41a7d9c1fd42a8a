// Seeded randomness for simulators and scenario generators: the same seed gives the same traffic.

/** A seeded PRNG (mulberry32) returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A normal deviate (Box–Muller), consuming two draws. */
export function gaussian(rand: () => number, mean = 0, sd = 1): number {
  const u = Math.max(rand(), 1e-12);
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Uniform in [min, max). */
export function uniform(rand: () => number, min: number, max: number): number {
  return min + (max - min) * rand();
}

/** A Poisson count: exact (Knuth) for small means, normal approximation above 30 — counting statistics of detectors. */
export function poisson(rand: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(gaussian(rand, mean, Math.sqrt(mean))));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rand(); p > limit; p *= rand()) k++;
  return k;
}

/** A binomial count: how many of n events fall in a share p (an energy window, say). */
export function binomial(rand: () => number, n: number, p: number): number {
  if (n <= 0) return 0;
  const v = n * p * (1 - p);
  if (v > 9) return Math.min(n, Math.max(0, Math.round(gaussian(rand, n * p, Math.sqrt(v)))));
  let k = 0;
  for (let i = 0; i < n; i++) if (rand() < p) k++;
  return k;
}

/** Selectivity figures of scores against outcomes: precision and recall at the top n %, and the AUC. */
export interface Selectivity {
  rows: number;
  p5: number;
  p10: number;
  r10: number;
  c10: number;
  auc: number;
}

export function selectivity(scores: ArrayLike<number>, y: ArrayLike<number>, critical?: ArrayLike<number>): Selectivity {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const top = (q: number) => Math.max(1, Math.round(n * q));
  const hits = (k: number, of: ArrayLike<number>) => {
    let h = 0;
    for (let i = 0; i < k; i++) h += of[order[i]!]! > 0 ? 1 : 0;
    return h;
  };
  let pos = 0;
  let crit = 0;
  for (let i = 0; i < n; i++) {
    pos += y[i]! > 0 ? 1 : 0;
    crit += critical && critical[i]! > 0 ? 1 : 0;
  }
  // AUC by ranks (ties share the mean rank).
  const asc = [...order].reverse();
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[asc[j + 1]!] === scores[asc[i]!]) j++;
    const mean = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[asc[k]!]! > 0) rankSum += mean;
    i = j + 1;
  }
  const neg = n - pos;
  const r4 = (x: number) => Math.round(x * 10000) / 10000;
  return {
    rows: n,
    p5: r4(hits(top(0.05), y) / top(0.05)),
    p10: r4(hits(top(0.1), y) / top(0.1)),
    r10: pos ? r4(hits(top(0.1), y) / pos) : 0,
    c10: critical && crit ? r4(hits(top(0.1), critical) / crit) : 0,
    auc: pos && neg ? r4((rankSum - (pos * (pos + 1)) / 2) / (pos * neg)) : 0,
  };
}

/** Bin edges at the deciles of a sample, for drift. */
export function decileEdges(values: ArrayLike<number>): number[] {
  const v = Array.from(values)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  if (v.length === 0) return [];
  const edges: number[] = [];
  for (let q = 1; q < 10; q++) {
    const e = v[Math.floor((q * v.length) / 10)]!;
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  }
  return edges;
}

/** Shares of values per bin (NaN in a last bin of its own). */
export function binShares(values: ArrayLike<number>, edges: number[]): number[] {
  const counts = new Array<number>(edges.length + 2).fill(0);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) {
      counts[edges.length + 1]!++;
      continue;
    }
    let b = 0;
    while (b < edges.length && x > edges[b]!) b++;
    counts[b]!++;
  }
  return counts.map((c) => c / Math.max(values.length, 1));
}

/** Population stability index between a reference and a current distribution over the same bins. */
export function psi(reference: number[], current: number[]): number {
  let s = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i]!, 1e-4);
    const c = Math.max(current[i] ?? 0, 1e-4);
    s += (c - r) * Math.log(c / r);
  }
  return Math.round(s * 10000) / 10000;
}

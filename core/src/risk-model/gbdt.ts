/**
 * Histogram-based gradient-boosted decision trees with logistic loss, grown leaf-wise (best gain first),
 * as in LightGBM: features are bucketed once into ≤ 255 quantile bins, a node's histogram of gradient
 * and hessian sums gives every split's gain in one pass, and a child's histogram is its parent's minus
 * its sibling's. Missing values (NaN) have their own bin and go to whichever side gains more.
 * Trees keep raw thresholds, so a model predicts without the bins.
 */

export interface GbdtParams {
  trees: number;
  learningRate: number;
  maxLeaves: number;
  maxDepth: number;
  minChildSamples: number;
  minChildHessian: number;
  /** L2 regularization of leaf values. */
  lambda: number;
  /** Share of features tried per tree. */
  featureFraction: number;
  /** Share of rows used per tree. */
  baggingFraction: number;
  maxBins: number;
  seed: number;
}

export const DEFAULT_PARAMS: GbdtParams = {
  trees: 300,
  learningRate: 0.05,
  maxLeaves: 31,
  maxDepth: 10,
  minChildSamples: 20,
  minChildHessian: 1e-3,
  lambda: 1,
  featureFraction: 0.8,
  baggingFraction: 0.8,
  maxBins: 255,
  seed: 1,
};

/**
 * One tree as flat arrays. Node i is a leaf when feature[i] < 0. `value` is the node's output for leaves,
 * and for inner nodes the output it would have as a leaf (for per-feature contributions).
 */
export interface Tree {
  feature: number[];
  threshold: number[];
  /** 1 when missing values go left. */
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface GbdtModel {
  /** Log-odds before the first tree. */
  base: number;
  trees: Tree[];
  featureCount: number;
}

/** A dense matrix, column-major: column f is values[f * rows … (f + 1) * rows). */
export interface Matrix {
  rows: number;
  cols: number;
  values: Float64Array;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A small deterministic PRNG (mulberry32) for bagging and feature sampling. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Binned {
  /** Column-major bin codes; code `missingBin[f]` is NaN. */
  codes: Uint8Array;
  /** The same codes row-major: what histograms read (one row's features side by side). */
  rowCodes: Uint8Array;
  /** Upper edge of each bin per feature: value ≤ edges[f][b] falls in bin ≤ b. */
  edges: Float64Array[];
  bins: number[];
}

/** Quantile bins per feature from its distinct values. */
function binMatrix(x: Matrix, maxBins: number): Binned {
  const { rows, cols, values } = x;
  const codes = new Uint8Array(rows * cols);
  const edges: Float64Array[] = [];
  const bins: number[] = [];
  const limit = Math.min(maxBins, 255) - 1; // one code stays free for missing
  for (let f = 0; f < cols; f++) {
    const col = values.subarray(f * rows, (f + 1) * rows);
    const present = Float64Array.from(col.filter((v) => !Number.isNaN(v))).sort();
    const distinct: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < present.length; i++) {
      if (i === 0 || present[i] !== present[i - 1]) {
        distinct.push(present[i]!);
        counts.push(1);
      } else counts[counts.length - 1]!++;
    }
    let e: number[];
    if (distinct.length <= limit) {
      e = distinct.map((v, i) => (i + 1 < distinct.length ? (v + distinct[i + 1]!) / 2 : Infinity));
    } else {
      e = [];
      const per = present.length / limit;
      let acc = 0;
      let next = per;
      for (let i = 0; i < distinct.length; i++) {
        acc += counts[i]!;
        if (acc >= next && i + 1 < distinct.length) {
          e.push((distinct[i]! + distinct[i + 1]!) / 2);
          while (next <= acc) next += per;
        }
      }
      e.push(Infinity);
    }
    if (e.length === 0) e = [Infinity];
    const ef = Float64Array.from(e);
    edges.push(ef);
    bins.push(ef.length);
    const missing = ef.length;
    const out = codes.subarray(f * rows, (f + 1) * rows);
    for (let r = 0; r < rows; r++) {
      const v = col[r]!;
      if (Number.isNaN(v)) {
        out[r] = missing;
        continue;
      }
      let lo = 0;
      let hi = ef.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v <= ef[mid]!) hi = mid;
        else lo = mid + 1;
      }
      out[r] = lo;
    }
  }
  const rowCodes = new Uint8Array(rows * cols);
  for (let f = 0; f < cols; f++) for (let r = 0, k = f * rows; r < rows; r++, k++) rowCodes[r * cols + f] = codes[k]!;
  return { codes, edges, rowCodes, bins };
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  gl: number;
  hl: number;
  nl: number;
}

interface Leaf {
  node: number;
  rows: Uint32Array;
  g: number;
  h: number;
  depth: number;
  /** Per feature, per bin (incl. missing): gradient, hessian, count — 3 slots each. */
  hist: Float64Array;
  split: Split | null;
}

/** Trains a model on rows of x with labels y in {0, 1}. */
export function trainGbdt(x: Matrix, y: ArrayLike<number>, params: Partial<GbdtParams> = {}): GbdtModel {
  const p = { ...DEFAULT_PARAMS, ...params };
  const { rows, cols } = x;
  const rand = prng(p.seed);
  const binned = binMatrix(x, p.maxBins);
  // Histogram slots per feature: every bin plus the missing one, 3 sums each.
  const stride = (Math.max(...binned.bins) + 1) * 3;
  let pos = 0;
  for (let i = 0; i < rows; i++) pos += y[i]!;
  const prior = Math.min(Math.max(pos / rows, 1e-6), 1 - 1e-6);
  const base = Math.log(prior / (1 - prior));
  const raw = new Float64Array(rows).fill(base);
  const grad = new Float64Array(rows);
  const hess = new Float64Array(rows);
  const trees: Tree[] = [];
  const leafOf = (g: number, h: number) => -g / (h + p.lambda);
  const score = (g: number, h: number) => (g * g) / (h + p.lambda);

  // Histograms are recycled (a tree needs one per leaf): allocating one per split kept the collector busy.
  const histSize = cols * stride;
  const pool: Float64Array[] = [];
  const takeHist = () => {
    const h = pool.pop();
    if (h) {
      h.fill(0);
      return h;
    }
    return new Float64Array(histSize);
  };
  // Row by row, each row's features side by side: consecutive adds go to different features' bins, where a
  // feature at a time kept hitting the same bin (counts, rates) and waited on its own last add.
  const buildHist = (rowsIn: Uint32Array, features: number[]): Float64Array => {
    const hist = takeHist();
    const nf = features.length;
    const offs = new Int32Array(nf);
    const feats = Int32Array.from(features);
    for (let fi = 0; fi < nf; fi++) offs[fi] = feats[fi]! * stride;
    const codes = binned.rowCodes;
    for (let i = 0; i < rowsIn.length; i++) {
      const r = rowsIn[i]!;
      const g = grad[r]!;
      const h = hess[r]!;
      const base = r * cols;
      for (let fi = 0; fi < nf; fi++) {
        const k = offs[fi]! + codes[base + feats[fi]!]! * 3;
        hist[k]! += g;
        hist[k + 1]! += h;
        hist[k + 2]!++;
      }
    }
    return hist;
  };

  const bestSplit = (leaf: Leaf, features: number[]): Split | null => {
    if (leaf.depth >= p.maxDepth || leaf.rows.length < 2 * p.minChildSamples) return null;
    const parent = score(leaf.g, leaf.h);
    let best: Split | null = null;
    for (const f of features) {
      const off = f * stride;
      const nb = binned.bins[f]!;
      const mk = off + nb * 3;
      const mg = leaf.hist[mk]!;
      const mh = leaf.hist[mk + 1]!;
      const mn = leaf.hist[mk + 2]!;
      let gl = 0;
      let hl = 0;
      let nl = 0;
      for (let b = 0; b < nb; b++) {
        const k = off + b * 3;
        gl += leaf.hist[k]!;
        hl += leaf.hist[k + 1]!;
        nl += leaf.hist[k + 2]!;
        // Missing values right (all present ones ≤ bin b go left), then missing left too.
        for (let m = 0; m < (mn > 0 ? 2 : 1); m++) {
          const GL = m === 1 ? gl + mg : gl;
          const HL = m === 1 ? hl + mh : hl;
          const NL = m === 1 ? nl + mn : nl;
          const NR = leaf.rows.length - NL;
          if (NL < p.minChildSamples || NR < p.minChildSamples) continue;
          const HR = leaf.h - HL;
          if (HL < p.minChildHessian || HR < p.minChildHessian) continue;
          const gain = score(GL, HL) + score(leaf.g - GL, HR) - parent;
          if (gain > 1e-9 && (!best || gain > best.gain)) best = { gain, feature: f, bin: b, missingLeft: m === 1, gl: GL, hl: HL, nl: NL };
        }
      }
    }
    return best;
  };

  for (let t = 0; t < p.trees; t++) {
    for (let i = 0; i < rows; i++) {
      const q = sigmoid(raw[i]!);
      grad[i] = q - y[i]!;
      hess[i] = Math.max(q * (1 - q), 1e-12);
    }
    const sample: number[] = [];
    for (let i = 0; i < rows; i++) if (p.baggingFraction >= 1 || rand() < p.baggingFraction) sample.push(i);
    const features: number[] = [];
    for (let f = 0; f < cols; f++) if (p.featureFraction >= 1 || rand() < p.featureFraction) features.push(f);
    if (features.length === 0) features.push(Math.floor(rand() * cols));
    const tree: Tree = { feature: [], threshold: [], missingLeft: [], left: [], right: [], value: [] };
    const addNode = (value: number) => {
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.missingLeft.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(value);
      return tree.value.length - 1;
    };
    const rootRows = Uint32Array.from(sample);
    let g0 = 0;
    let h0 = 0;
    for (let i = 0; i < rootRows.length; i++) {
      const r = rootRows[i]!;
      g0 += grad[r]!;
      h0 += hess[r]!;
    }
    const root: Leaf = {
      node: addNode(leafOf(g0, h0) * p.learningRate),
      rows: rootRows,
      g: g0,
      h: h0,
      depth: 0,
      hist: buildHist(rootRows, features),
      split: null,
    };
    root.split = bestSplit(root, features);
    const leaves: Leaf[] = [root];
    let count = 1;
    while (count < p.maxLeaves) {
      let bi = -1;
      for (let i = 0; i < leaves.length; i++) if (leaves[i]!.split && (bi < 0 || leaves[i]!.split!.gain > leaves[bi]!.split!.gain)) bi = i;
      if (bi < 0) break;
      const leaf = leaves[bi]!;
      const s = leaf.split!;
      const codes = binned.codes.subarray(s.feature * rows, (s.feature + 1) * rows);
      const missing = binned.bins[s.feature]!;
      const lRows = new Uint32Array(s.nl);
      const rRows = new Uint32Array(leaf.rows.length - s.nl);
      let li = 0;
      let ri = 0;
      const parentRows = leaf.rows;
      for (let i = 0; i < parentRows.length; i++) {
        const r = parentRows[i]!;
        const c = codes[r]!;
        if (c === missing ? s.missingLeft : c <= s.bin) lRows[li++] = r;
        else rRows[ri++] = r;
      }
      const l = addNode(leafOf(s.gl, s.hl) * p.learningRate);
      const rn = addNode(leafOf(leaf.g - s.gl, leaf.h - s.hl) * p.learningRate);
      tree.feature[leaf.node] = s.feature;
      tree.threshold[leaf.node] = binned.edges[s.feature]![s.bin]!;
      tree.missingLeft[leaf.node] = s.missingLeft ? 1 : 0;
      tree.left[leaf.node] = l;
      tree.right[leaf.node] = rn;
      // Histogram of the smaller child; the larger one's is the parent's minus it.
      const smallLeft = lRows.length <= rRows.length;
      const small = buildHist(smallLeft ? lRows : rRows, features);
      const large = leaf.hist;
      for (let k = 0; k < large.length; k++) large[k]! -= small[k]!;
      const left: Leaf = { node: l, rows: lRows, g: s.gl, h: s.hl, depth: leaf.depth + 1, hist: smallLeft ? small : large, split: null };
      const right: Leaf = { node: rn, rows: rRows, g: leaf.g - s.gl, h: leaf.h - s.hl, depth: leaf.depth + 1, hist: smallLeft ? large : small, split: null };
      left.split = bestSplit(left, features);
      right.split = bestSplit(right, features);
      leaves.splice(bi, 1, left, right);
      count++;
    }
    // Rows in the bag take their leaf's value; the others walk the tree on their bin codes.
    const inBag = new Uint8Array(rows);
    for (const leaf of leaves) {
      const v = tree.value[leaf.node]!;
      const lr = leaf.rows;
      for (let i = 0; i < lr.length; i++) {
        const r = lr[i]!;
        raw[r]! += v;
        inBag[r] = 1;
      }
      pool.push(leaf.hist);
    }
    if (sample.length < rows) {
      const binOf = binThresholds(tree, binned);
      for (let i = 0; i < rows; i++) {
        if (inBag[i]) continue;
        let n = 0;
        while (tree.feature[n]! >= 0) {
          const f = tree.feature[n]!;
          const c = binned.codes[f * rows + i]!;
          n = (c === binned.bins[f]! ? tree.missingLeft[n] === 1 : c <= binOf[n]!) ? tree.left[n]! : tree.right[n]!;
        }
        raw[i]! += tree.value[n]!;
      }
    }
    trees.push(tree);
  }
  return { base, trees, featureCount: cols };
}

/** The bin index of each inner node's threshold (thresholds are bin upper edges). */
function binThresholds(tree: Tree, binned: Binned): Int32Array {
  const out = new Int32Array(tree.feature.length);
  tree.feature.forEach((f, n) => {
    if (f >= 0) out[n] = binned.edges[f]!.indexOf(tree.threshold[n]!);
  });
  return out;
}

/**
 * A model's trees packed for scoring, node by node side by side: `links` holds feature (-1: a leaf) and first
 * child (the second follows it; negative when missing values go left), `cuts` threshold and value — a step of
 * the walk reads two neighbouring places instead of six arrays. Children are renumbered to sit together.
 */
export interface PackedModel {
  base: number;
  featureCount: number;
  /** Node index of each tree's root. */
  roots: Int32Array;
  links: Int32Array;
  cuts: Float64Array;
}

const packed = new WeakMap<GbdtModel, PackedModel>();

/** The packed form of a model, made once per model object. */
export function pack(model: GbdtModel): PackedModel {
  const cached = packed.get(model);
  if (cached) return cached;
  const total = model.trees.reduce((n, t) => n + t.feature.length, 0);
  const links = new Int32Array(total * 2);
  const cuts = new Float64Array(total * 2);
  const roots = new Int32Array(model.trees.length);
  let next = 0;
  model.trees.forEach((t, i) => {
    roots[i] = next;
    // Breadth first: a node's two children get the next two places.
    const queue: Array<[number, number]> = [[0, next++]];
    for (let q = 0; q < queue.length; q++) {
      const [from, to] = queue[q]!;
      cuts[to * 2] = t.threshold[from]!;
      cuts[to * 2 + 1] = t.value[from]!;
      if (t.feature[from]! < 0) {
        links[to * 2] = -1;
        continue;
      }
      const left = next;
      next += 2;
      links[to * 2] = t.feature[from]!;
      links[to * 2 + 1] = t.missingLeft[from] === 1 ? -left : left;
      queue.push([t.left[from]!, left], [t.right[from]!, left + 1]);
    }
  });
  const p: PackedModel = { base: model.base, featureCount: model.featureCount, roots, links, cuts };
  packed.set(model, p);
  return p;
}

/** Log-odds for one row of features. */
export function predictRaw(model: GbdtModel, row: ArrayLike<number>): number {
  const { base, roots, links, cuts } = pack(model);
  let s = base;
  for (let t = 0; t < roots.length; t++) {
    let n = roots[t]!;
    let f = links[n * 2]!;
    while (f >= 0) {
      const v = row[f]!;
      const c = links[n * 2 + 1]!;
      const left = c < 0 ? -c : c;
      n = (v !== v ? c < 0 : v <= cuts[n * 2]!) ? left : left + 1;
      f = links[n * 2]!;
    }
    s += cuts[n * 2 + 1]!;
  }
  return s;
}

export function predictProbability(model: GbdtModel, row: ArrayLike<number>): number {
  return sigmoid(predictRaw(model, row));
}

/**
 * Per-feature contributions to the log-odds (Saabas): along each tree's path, the change of the node's
 * value is credited to the feature split on. They add up, with the base, to the prediction.
 */
export function contributions(
  model: GbdtModel,
  row: ArrayLike<number>,
  per = new Float64Array(model.featureCount),
): { base: number; perFeature: Float64Array } {
  const { base: b, roots, links, cuts } = pack(model);
  per.fill(0);
  let base = b;
  for (let t = 0; t < roots.length; t++) {
    let n = roots[t]!;
    let value = cuts[n * 2 + 1]!;
    base += value;
    let f = links[n * 2]!;
    while (f >= 0) {
      const v = row[f]!;
      const c = links[n * 2 + 1]!;
      const left = c < 0 ? -c : c;
      n = (v !== v ? c < 0 : v <= cuts[n * 2]!) ? left : left + 1;
      const nextValue = cuts[n * 2 + 1]!;
      per[f]! += nextValue - value;
      value = nextValue;
      f = links[n * 2]!;
    }
  }
  return { base, perFeature: per };
}

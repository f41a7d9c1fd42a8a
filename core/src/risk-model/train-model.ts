import type { Declaration } from '@customs-hub/sdk';
import { readBody } from '../declarations/declaration-store.js';
import type { Database } from '../storage/database.js';
import { MODEL_KIND, type RiskModelArtefact } from './artefact.js';
import { FEATURE_NAMES, SMOOTHING } from './features.js';
import { DEFAULT_PARAMS, predictRaw, type GbdtParams, type Matrix } from './gbdt.js';
import { binShares, decileEdges, selectivity } from './metrics.js';
import { riskRecords } from './risk-record.js';
import { trainInWorker } from './train-in-worker.js';
import { buildTrainingSet, type LabelledRecord } from './training-set.js';

/** The parameters the hub trains with: tuned on the public Korean customs data (docs/declaration-risk.md). */
export const TRAINING_PARAMS: GbdtParams = {
  ...DEFAULT_PARAMS,
  trees: 250,
  learningRate: 0.06,
  maxLeaves: 31,
  minChildSamples: 20,
  maxBins: 63,
  featureFraction: 0.7,
  baggingFraction: 0.8,
};

/** Features whose drift `model report` shows beside the score's. */
export const DRIFT_FEATURES = ['importer.rate', 'declarant.rate', 'seller.rate', 'hs6.rate', 'importer.n', 'unitValue.rankInHs', 'value.log', 'taxRate'];

export class NotEnoughDataError extends Error {
  readonly code = 'NOT_ENOUGH_DATA';
}

/** The day an outcome recorded at `recordedAt` is known by: it feeds declarations of later days. */
export function knownOn(recordedAt: string): string {
  return new Date(Date.parse(recordedAt) - 1).toISOString().slice(0, 10);
}

/** Declarations with an outcome dated up to `until` (a day, inclusive), as labelled records in time order. */
export async function loadLabelled(db: Database, checkpoint: string, until?: string): Promise<LabelledRecord[]> {
  const q = db
    .knex('declarations as d')
    .join('declaration_outcomes as o', function on() {
      this.on('o.checkpoint', 'd.checkpoint').andOn('o.number', 'd.number');
    })
    .select('d.body', 'o.violation', 'o.severity', 'o.recorded_at')
    .where('d.checkpoint', checkpoint);
  if (until) q.andWhere('d.declared_at', '<=', `${until}T23:59:59.999Z`);
  const rows = await q;
  const out: LabelledRecord[] = [];
  for (const r of rows) {
    const d: Declaration = readBody(r.body);
    const known = knownOn(r.recorded_at);
    for (const record of riskRecords(d)) out.push({ record, violation: Boolean(r.violation), critical: Number(r.severity) >= 2, knownOn: known });
  }
  return out;
}

function rowsOf(x: Matrix, from: number, to: number): Matrix {
  const rows = to - from;
  const values = new Float64Array(rows * x.cols);
  for (let f = 0; f < x.cols; f++) values.set(x.values.subarray(f * x.rows + from, f * x.rows + to), f * rows);
  return { rows, cols: x.cols, values };
}

/**
 * Trains a model on the outcomes known up to a day: features forward in time (see buildTrainingSet), a
 * first model on all but the last ~15 % of days to measure it on that later holdout, and the model itself
 * on the whole window — both at once, each in a worker thread.
 */
export async function trainModel(labelled: LabelledRecord[], params: GbdtParams = TRAINING_PARAMS): Promise<RiskModelArtefact> {
  if (labelled.length < 200) throw new NotEnoughDataError(`${labelled.length} declarations with an outcome: a model needs at least 200`);
  const started = performance.now();
  const set = buildTrainingSet(labelled);
  const { x, y, critical, days } = set;
  let cut = Math.floor(x.rows * 0.85);
  while (cut < x.rows && days[cut] === days[cut - 1]) cut++;
  if (cut >= x.rows || cut < 100) throw new NotEnoughDataError('the window needs more than one day for a holdout');
  const [first, full] = await trainInWorker(
    [
      { x: rowsOf(x, 0, cut), y: y.subarray(0, cut), params },
      { x, y, params },
    ].map((j) => ({ ...j, y: Uint8Array.from(j.y) })),
  );
  const row = new Float64Array(x.cols);
  const scoreRows = (m: typeof first, from: number, to: number) => {
    const s = new Float64Array(to - from);
    for (let i = from; i < to; i++) {
      for (let f = 0; f < x.cols; f++) row[f] = x.values[f * x.rows + i]!;
      s[i - from] = predictRaw(m!, row);
    }
    return s;
  };
  const holdoutScores = scoreRows(first, cut, x.rows);
  const metrics = selectivity(holdoutScores, y.subarray(cut), critical.subarray(cut));
  const scores = scoreRows(full, 0, x.rows).map((s) => 1 / (1 + Math.exp(-s)));
  const scoreEdges = decileEdges(scores);
  const features: Record<string, { edges: number[]; shares: number[] }> = {};
  for (const name of DRIFT_FEATURES) {
    const f = FEATURE_NAMES.indexOf(name);
    const col = x.values.subarray(f * x.rows, (f + 1) * x.rows);
    const edges = decileEdges(col);
    features[name] = { edges, shares: binShares(col, edges) };
  }
  let violations = 0;
  for (let i = 0; i < y.length; i++) violations += y[i]!;
  return {
    kind: MODEL_KIND,
    format: 1,
    features: FEATURE_NAMES,
    smoothing: SMOOTHING,
    params,
    gbdt: full!,
    window: { from: days[0]!, until: days[days.length - 1]!, rows: x.rows, violations },
    holdout: { from: days[cut]!, until: days[days.length - 1]!, metrics, trainRows: cut },
    trainingSeconds: Math.round((performance.now() - started) / 10) / 100,
    reference: { score: { edges: scoreEdges, shares: binShares(scores, scoreEdges) }, features },
  };
}

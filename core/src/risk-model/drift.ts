import { readBody } from '../declarations/declaration-store.js';
import type { Database } from '../storage/database.js';
import { FEATURE_NAMES } from './features.js';
import { binShares, psi } from './metrics.js';
import { riskRecords } from './risk-record.js';
import { DeclarationRiskService } from './risk-service.js';

export interface DriftReport {
  model: string | null;
  window: { from: string; until: string } | null;
  recent: { from: string; declarations: number };
  /** PSI: < 0.1 stable, 0.1–0.25 shifting, > 0.25 shifted (retrain). */
  score: number | null;
  features: Array<{ name: string; psi: number }>;
}

/**
 * Drift of the live model: the recent declarations are scored as the hub would (history forward in time)
 * and the score and main features are compared with the training window by the population stability index.
 */
export async function driftReport(db: Database, checkpoint: string, since?: string): Promise<DriftReport> {
  const service = new DeclarationRiskService(db, checkpoint);
  await service.reload();
  const live = service.models.live;
  if (!live) return { model: null, window: null, recent: { from: since ?? '', declarations: 0 }, score: null, features: [] };
  const a = live.artefact;
  const from = since ?? new Date(Date.parse(`${a.window.until}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const rows = await db.knex('declarations').select('body').where({ checkpoint }).andWhere('declared_at', '>=', from).orderBy('declared_at').limit(200_000);
  const scores: number[] = [];
  const columns: Record<string, number[]> = Object.fromEntries(Object.keys(a.reference.features).map((n) => [n, []]));
  for (const r of rows) {
    const d = readBody(r.body);
    const assessment = await service.assess(d);
    if (!assessment) continue;
    scores.push(assessment.probability);
    const row = service.featuresOf(riskRecords(d)[assessment.item]!);
    for (const name of Object.keys(columns)) columns[name]!.push(row[FEATURE_NAMES.indexOf(name)]!);
  }
  const enough = scores.length >= 100;
  return {
    model: live.id,
    window: { from: a.window.from, until: a.window.until },
    recent: { from, declarations: scores.length },
    score: enough ? psi(a.reference.score.shares, binShares(scores, a.reference.score.edges)) : null,
    features: enough
      ? Object.entries(a.reference.features)
          .map(([name, ref]) => ({ name, psi: psi(ref.shares, binShares(columns[name]!, ref.edges)) }))
          .sort((x, y) => y.psi - x.psi)
      : [],
  };
}

export function formatDrift(r: DriftReport): string {
  if (!r.model) return 'no live model';
  const word = (p: number) => (p < 0.1 ? 'stable' : p < 0.25 ? 'shifting' : 'shifted: retrain');
  if (r.score === null) return `model ${r.model}: only ${r.recent.declarations} declarations since ${r.recent.from}; drift needs 100`;
  return [
    `model ${r.model}, trained on ${r.window!.from} … ${r.window!.until}; ${r.recent.declarations} declarations since ${r.recent.from}`,
    `score PSI ${r.score.toFixed(3)} (${word(r.score)})`,
    ...r.features.map((f) => `  ${f.name.padEnd(24)} PSI ${f.psi.toFixed(3)} (${word(f.psi)})`),
  ].join('\n');
}

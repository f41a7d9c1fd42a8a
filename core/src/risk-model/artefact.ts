import { createHash } from 'node:crypto';
import type { GbdtModel, GbdtParams } from './gbdt.js';
import type { Selectivity } from './metrics.js';

export const MODEL_KIND = 'declaration-risk';

/** Reference distribution of one quantity over the training window, for drift (PSI). */
export interface Reference {
  edges: number[];
  shares: number[];
}

/** Everything a model is, as stored: its trees and how it was made. The id is a prefix of its content hash. */
export interface RiskModelArtefact {
  kind: typeof MODEL_KIND;
  format: 1;
  features: string[];
  smoothing: number;
  params: GbdtParams;
  gbdt: GbdtModel;
  window: { from: string; until: string; rows: number; violations: number };
  /** How days passed before an outcome fed history features in training (as imported: outcome recorded_at vs declaration date). */
  holdout: { from: string; until: string; metrics: Selectivity; trainRows: number };
  trainingSeconds: number;
  reference: { score: Reference; features: Record<string, Reference> };
}

export interface StoredModel {
  id: string;
  sha256: string;
  status: 'shadow' | 'live' | 'retired';
  createdAt: string;
  promotedAt: string | null;
  retiredAt: string | null;
  artefact: RiskModelArtefact;
}

/** The artefact as stored (stable JSON), and its sha256. */
export function serializeArtefact(a: RiskModelArtefact): { text: string; sha256: string } {
  const text = JSON.stringify(a);
  return { text, sha256: createHash('sha256').update(text).digest('hex') };
}

export function parseArtefact(text: string, sha256: string): RiskModelArtefact {
  const actual = createHash('sha256').update(text).digest('hex');
  if (actual !== sha256) throw new Error(`model artefact damaged: sha256 ${actual} is not the recorded ${sha256}`);
  const a = JSON.parse(text) as RiskModelArtefact;
  if (a.kind !== MODEL_KIND || a.format !== 1) throw new Error(`not a ${MODEL_KIND} model of format 1`);
  return a;
}

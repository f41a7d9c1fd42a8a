import type { Contribution, DeclarationRiskAssessment } from '@customs-hub/sdk';
import { factorWords } from './factor-words.js';

export interface DeclarationModelConfig {
  /** How many factors to explain (default 5). */
  factors?: number;
  /** Factors with a smaller push on the log-odds are left out (default 0.05). */
  minLogOdds?: number;
}

/**
 * The assessment as contributions: one carrying the model's risk (probability × 100) with the model's id on
 * it, then the strongest factors in words, each with score 0 so they explain without adding to the risk.
 */
export function modelContributions(a: DeclarationRiskAssessment, number: string, config: DeclarationModelConfig): Contribution[] {
  const limit = config.factors ?? 5;
  const min = config.minLogOdds ?? 0.05;
  const factors = [...a.factors]
    .filter((f) => Math.abs(f.logOdds) >= min)
    .sort((x, y) => Math.abs(y.logOdds) - Math.abs(x.logOdds))
    .slice(0, limit);
  const risk = Math.round(a.probability * 1000) / 10;
  const words = factors.map(factorWords);
  const raising = words.filter((_, i) => factors[i]!.logOdds > 0).slice(0, 2);
  const model = { id: a.model.id, trainedUntil: a.model.trainedUntil, status: a.model.status };
  return [
    {
      code: 'declaration-model.risk',
      score: risk,
      reason: `Learned risk ${risk} % for declaration ${number} (model ${a.model.id}, outcomes to ${a.model.trainedUntil})${raising.length ? `: ${raising.join('; ')}` : ''}`,
      evidence: { observationIds: [], values: { model, probability: Math.round(a.probability * 10000) / 10000, item: a.item } },
    },
    ...factors.map((f, i): Contribution => ({
      code: `declaration-model.factor.${f.feature}`,
      score: 0,
      reason: `${f.logOdds > 0 ? 'raises' : 'lowers'} the risk: ${words[i]!}`,
      evidence: { observationIds: [], values: { model: a.model.id, logOdds: f.logOdds, ...f.facts } },
    })),
  ];
}

import { defineScorer, type Contribution, type Declaration, type ScoringContext } from '@customs-hub/sdk';
import { modelContributions, type DeclarationModelConfig } from './model-contributions.js';

export { factorWords, subjectWords } from './factor-words.js';
export { modelContributions, type DeclarationModelConfig } from './model-contributions.js';

async function judge(d: Declaration | null, ctx: ScoringContext<DeclarationModelConfig>): Promise<Contribution[]> {
  if (!d || !ctx.declarationRisk) return [];
  const a = await ctx.declarationRisk.assess(d);
  return a ? modelContributions(a, d.number, ctx.config ?? {}) : [];
}

export const scorer = defineScorer<DeclarationModelConfig>({
  manifest: {
    name: 'declaration-model',
    version: '1.0.0',
    sdk: '^1.0.0',
    description:
      'The learned declaration-risk model (gradient-boosted trees on past inspection outcomes), on cases and on declarations before arrival, explained in words.',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { factors: { type: 'integer', minimum: 0, maximum: 20 }, minLogOdds: { type: 'number', minimum: 0 } },
    },
  },
  create: () => ({
    score: (input, ctx) => judge(input.declaration, ctx),
    scoreDeclaration: (d, ctx) => judge(d, ctx),
  }),
});

import { defineScorer } from '@customs-hub/sdk';
import { scoreWeight, type WeightConfig } from './weight-rules.js';

export { scoreWeight, declaredMass, type WeightConfig } from './weight-rules.js';

export const scorer = defineScorer<WeightConfig>({
  manifest: {
    name: 'weight',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'Weighed mass against the declared gross mass, beyond a tolerance.',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        tolerancePct: { type: 'number', minimum: 0, maximum: 100 },
        toleranceKg: { type: 'number', minimum: 0 },
        vehicleTareKg: { type: 'number', minimum: 0 },
      },
    },
  },
  create: (config) => ({ score: (input) => scoreWeight(input, config) }),
});

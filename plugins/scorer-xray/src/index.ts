import { defineScorer } from '@customs-hub/sdk';
import { DEFAULT_DENSITY_BY_CHAPTER } from './density.js';
import { scoreXray, type XrayConfig } from './xray-rules.js';

export { scoreXray, DEFAULT_FINDING_SCORES, type XrayConfig } from './xray-rules.js';
export { DEFAULT_DENSITY_BY_CHAPTER, expectedBand } from './density.js';

export const scorer = defineScorer<XrayConfig>({
  manifest: {
    name: 'xray',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'X-ray findings and threat reports, and scan density inconsistent with the declared goods.',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        findingScores: { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 100 } },
        defaultFindingScore: { type: 'number', minimum: 0, maximum: 100 },
        minConfidence: { type: 'number', minimum: 0, maximum: 1 },
        densityByHsChapter: {
          type: 'object',
          propertyNames: { pattern: '^[0-9]{2}$' },
          additionalProperties: { type: 'array', items: { type: 'number', minimum: 0 }, minItems: 2, maxItems: 2 },
        },
      },
    },
  },
  create: (config) => ({ score: (input) => scoreXray(input, config, DEFAULT_DENSITY_BY_CHAPTER) }),
});

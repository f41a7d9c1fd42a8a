import { defineScorer } from '@customs-hub/sdk';
import { DEFAULT_NORM_HS, DEFAULT_NORM_WORDS } from './norm-goods.js';
import { scoreRadiation, type RadiationConfig } from './radiation-rules.js';

export { scoreRadiation, type RadiationConfig } from './radiation-rules.js';

export const scorer = defineScorer<RadiationConfig>({
  manifest: {
    name: 'radiation',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'RPM alarms and nuclide IDs; NORM explained by declared goods versus unexplained sources.',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        normHsPrefixes: { type: 'array', items: { type: 'string', pattern: '^[0-9]{2,10}$' }, description: 'Replaces the default NORM HS headings.' },
        normKeywords: { type: 'array', items: { type: 'string', minLength: 2 } },
        minConfidence: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
  },
  create(config) {
    const rules = { hs: config.normHsPrefixes ?? DEFAULT_NORM_HS, words: (config.normKeywords ?? DEFAULT_NORM_WORDS).map((w) => w.toLowerCase()) };
    return { score: (input) => scoreRadiation(input, config, rules) };
  },
});

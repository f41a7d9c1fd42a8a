import { defineScorer } from '@customs-hub/sdk';
import { scoreAlarms, type AlarmScorerConfig } from './alarm-rules.js';

export { scoreAlarms, JUDGED_ELSEWHERE, type AlarmScorerConfig } from './alarm-rules.js';

const CATEGORIES = ['gamma', 'neutron', 'isotope', 'norm', 'xray', 'weight', 'identity', 'tamper', 'fault', 'other'];
const score = { type: 'number', minimum: 0, maximum: 100 };

export const scorer = defineScorer<AlarmScorerConfig>({
  manifest: {
    name: 'alarm',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: "Any alarm-level alarm on a case's observation is a reason, so a new device's alarms count without a scorer of its own.",
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        categories: { type: 'object', additionalProperties: false, properties: Object.fromEntries(CATEGORIES.map((c) => [c, score])) },
        devices: { type: 'object', additionalProperties: score },
        defaultScore: score,
        includeWarnings: { type: 'boolean' },
      },
    },
  },
  create: (config) => ({ score: (input) => scoreAlarms(input, config) }),
});

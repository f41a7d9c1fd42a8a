import { defineScorer } from '@customs-hub/sdk';
import { scoreIdentity, type IdentityConfig } from './identity-rules.js';

export { scoreIdentity, type IdentityConfig } from './identity-rules.js';

const score = { type: 'number', minimum: 0, maximum: 100 };

export const scorer = defineScorer<IdentityConfig>({
  manifest: {
    name: 'identity',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'Containers seen against declared, invalid check digits, missing declarations and missing devices.',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        noDeclarationScore: score,
        mismatchScore: score,
        invalidCheckDigitScore: score,
        unidentifiedScore: score,
        missingDeviceScore: score,
        missingDeviceScores: { type: 'object', additionalProperties: score },
      },
    },
  },
  create: (config) => ({ score: (input) => scoreIdentity(input, config) }),
});

import type { ConfigSection } from '../../util/config-section.js';
import { NAME } from '../names.js';

export interface DemoTrafficConfig {
  lanes: string[];
  intervalS: number;
  seed: number;
}

/** `demoTraffic:` — demo only: the scenario's trucks and declarations in real time on these lanes. */
export const demoTrafficSection: ConfigSection<DemoTrafficConfig | null> = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['lanes'],
    description: 'Demo only: synthetic trucks with declarations pass these lanes (devices ocr-, rpm-, scale-, xray-<lane>).',
    properties: { lanes: { type: 'array', minItems: 1, items: NAME }, intervalS: { type: 'number', minimum: 5 }, seed: { type: 'integer', minimum: 0 } },
  },
  parse: (raw) => (raw ? { intervalS: 20, seed: 1, ...raw } : null),
};

import type { ConfigSection } from '../../util/config-section.js';

export interface SimulatorConfig { plugin: string; simulator: string; options: Record<string, unknown> }

/** `simulators:` — device simulators the hub runs in its process (the demo; absent in production). */
export const simulatorsSection: ConfigSection<SimulatorConfig[]> = {
  schema: {
    type: 'array',
    items: {
      type: 'object', additionalProperties: false, required: ['plugin', 'simulator'],
      properties: { plugin: { type: 'string' }, simulator: { type: 'string' }, options: { type: 'object' } },
    },
  },
  parse: (raw) => (raw ?? []).map((s: Partial<SimulatorConfig>) => ({ options: {}, ...s })),
};

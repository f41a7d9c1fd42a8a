import type { ConfigSection } from '../../util/config-section.js';
import { NAME } from '../names.js';

/** `device`: the lane device this simulator plays; the lane twin drives it when its lane is a twin lane. */
export interface SimulatorConfig {
  plugin: string;
  simulator: string;
  device?: string;
  options: Record<string, unknown>;
}

/** `simulators:` — device simulators the hub runs in its process (the demo; absent in production). */
export const simulatorsSection: ConfigSection<SimulatorConfig[]> = {
  schema: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['plugin', 'simulator'],
      properties: {
        plugin: { type: 'string' },
        simulator: { type: 'string' },
        device: { ...NAME, description: 'The lane device this simulator plays (the lane twin drives it).' },
        options: { type: 'object' },
      },
    },
  },
  parse: (raw) => (raw ?? []).map((s: Partial<SimulatorConfig>) => ({ options: {}, ...s })),
};

import type { JsonSchema } from '@customs-hub/sdk';

export const VIRTUAL_KINDS = ['telemetry', 'radiation.dose-rate', 'radiation.gross-count', 'weight', 'identification'] as const;
export type VirtualKind = (typeof VIRTUAL_KINDS)[number];

export interface VirtualConfig {
  kind: VirtualKind;
  /** Readings per second. */
  rate: number;
  seed?: number;
  /** Container numbers to cycle through for identification readings. */
  containers?: string[];
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'rate'],
  properties: {
    kind: { enum: [...VIRTUAL_KINDS] },
    rate: { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
    seed: { type: 'integer' },
    containers: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 20 } },
  },
};

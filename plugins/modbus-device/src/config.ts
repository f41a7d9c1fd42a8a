import { FRAMINGS, type Framing } from '@customs-hub/modbus-link';
import type { JsonSchema } from '@customs-hub/sdk';

/** One Modbus device: which profile describes it, and where it is. */
export interface ModbusDeviceConfig {
  /** A shipped profile name ("bdkg-05", "weighbridge") or a path to a profile YAML file. */
  profile: string;
  host: string;
  port: number;
  /** Overrides the profile's unit id. */
  unitId?: number;
  /** Overrides the profile's framing. */
  framing?: Framing;
  /** Overrides the profile's poll interval. */
  pollIntervalMs?: number;
  /** Per-request timeout (default 1000 ms). */
  timeoutMs?: number;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['profile', 'host', 'port'],
  properties: {
    profile: { type: 'string', minLength: 1, maxLength: 500 },
    host: { type: 'string', minLength: 1, maxLength: 255 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    unitId: { type: 'integer', minimum: 0, maximum: 255 },
    framing: { enum: [...FRAMINGS] },
    pollIntervalMs: { type: 'integer', minimum: 50, maximum: 3600000 },
    timeoutMs: { type: 'integer', minimum: 10, maximum: 60000 },
  },
};

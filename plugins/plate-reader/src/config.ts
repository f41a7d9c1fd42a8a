import type { JsonSchema } from '@customs-hub/sdk';

/** ISAPI-style polling of the camera's plate list (the hub asks for plates after its last-seen cursor). */
export interface PollConfig {
  /** The camera's base URL, e.g. http://10.0.0.21. */
  url: string;
  /** ISAPI channel (default 1). */
  channel?: number;
  /** Milliseconds between polls (default 1000). */
  intervalMs?: number;
  /** HTTP Basic or Digest credentials; `${NAME}` in the checkpoint file takes them from the environment. */
  username?: string;
  password?: string;
  /** Request timeout in ms (default 5000). */
  timeoutMs?: number;
  /** Where the plate crop and overview picture of a plate are, `{picName}` replaced (defaults: ISAPI's). */
  plateImagePath?: string;
  overviewImagePath?: string;
  /** Where the first poll starts when no cursor was saved: now (default) or this many seconds back. */
  backfillS?: number;
}

/** One ANPR camera. HTTP push through the hub's upload route is always on. */
export interface PlateReaderConfig {
  poll?: PollConfig;
  /** Scale of the camera's confidences in pushed events: 0..1 (default) or percent 0..100. ISAPI lists are percent. */
  confidenceScale?: 'unit' | 'percent';
  /** A read below this confidence is marked quality uncertain (default 0.8). */
  minConfidence?: number;
  /** Largest accepted event or plate list, in bytes (default 32 MiB). */
  maxMessageBytes?: number;
  /** Largest accepted image, in bytes (default 8 MiB). A larger one is not stored; the read is kept. */
  maxImageBytes?: number;
  /** Fields the format does not know: reported and ignored (default), or the whole event rejected. */
  unknownFields?: 'report' | 'reject';
}

export const DEFAULTS = {
  maxMessageBytes: 32 * 1024 * 1024,
  maxImageBytes: 8 * 1024 * 1024,
  minConfidence: 0.8,
  intervalMs: 1000,
  timeoutMs: 5000,
  plateImagePath: '/doc/ui/images/plate/{picName}.jpg',
} as const;

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    poll: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: { type: 'string', pattern: '^https?://' },
        channel: { type: 'integer', minimum: 1, maximum: 64 },
        intervalMs: { type: 'integer', minimum: 50, maximum: 600000 },
        username: { type: 'string', minLength: 1 },
        password: { type: 'string' },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 120000 },
        plateImagePath: { type: 'string', pattern: '^/' },
        overviewImagePath: { type: 'string', pattern: '^/' },
        backfillS: { type: 'integer', minimum: 0, maximum: 604800 },
      },
    },
    confidenceScale: { enum: ['unit', 'percent'] },
    minConfidence: { type: 'number', minimum: 0, maximum: 1 },
    maxMessageBytes: { type: 'integer', minimum: 1024, maximum: 1073741824 },
    maxImageBytes: { type: 'integer', minimum: 1024, maximum: 268435456 },
    unknownFields: { enum: ['report', 'reject'] },
  },
};

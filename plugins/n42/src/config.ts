import type { JsonSchema } from '@customs-hub/sdk';
import { isTimeZone } from './n42/date-time.js';
import { DEFAULT_READ_OPTIONS, type ReadOptions } from './n42/read-options.js';

/** One N42 device: any mix of a hot folder, a TCP stream listener and HTTP uploads (always on). */
export interface N42Config {
  /** Folder the instrument (or its export tool) writes N42 files into; done/ and rejected/ are made inside. */
  watchDir?: string;
  /** How often the folder is scanned, in ms (default 1000). A file is read once its size held still for one scan. */
  pollMs?: number;
  /** TCP port on which the instrument streams back-to-back documents. */
  listenPort?: number;
  /** Address to listen on (default 127.0.0.1; 0.0.0.0 to accept instruments on the network). */
  listenHost?: string;
  /** Largest accepted file or document, in bytes (default 64 MiB). */
  maxDocumentBytes?: number;
  /** Most channels accepted in one spectrum (default 65536). */
  maxChannels?: number;
  /** IANA time zone of the instrument's clock (default UTC), for date-times it writes without a UTC offset. */
  timeZone?: string;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    watchDir: { type: 'string', minLength: 1 },
    pollMs: { type: 'integer', minimum: 20, maximum: 600000 },
    listenPort: { type: 'integer', minimum: 0, maximum: 65535 },
    listenHost: { type: 'string', minLength: 1 },
    maxDocumentBytes: { type: 'integer', minimum: 1024, maximum: 1073741824 },
    maxChannels: { type: 'integer', minimum: 1, maximum: 65536 },
    timeZone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA zone such as Europe/Warsaw' },
  },
};

/** The read options a config asks for; an unknown time zone is refused, naming the key. */
export function readOptionsOf(config: N42Config): ReadOptions {
  if (config.timeZone !== undefined && !isTimeZone(config.timeZone)) {
    throw new Error(`n42 config timeZone: '${config.timeZone}' is not an IANA time zone (e.g. Europe/Warsaw, America/New_York, UTC)`);
  }
  return {
    ...DEFAULT_READ_OPTIONS,
    ...(config.timeZone ? { timeZone: config.timeZone } : {}),
    ...(config.maxDocumentBytes ? { maxBytes: config.maxDocumentBytes } : {}),
    ...(config.maxChannels ? { maxChannels: config.maxChannels } : {}),
  };
}

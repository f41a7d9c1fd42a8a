import type { JsonSchema } from '@customs-hub/sdk';
import { DEFAULT_LIMITS, type ParseLimits } from './xml/limits.js';

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
  },
};

/** The parse limits a config asks for. */
export function limitsOf(config: N42Config): ParseLimits {
  return {
    ...DEFAULT_LIMITS,
    ...(config.maxDocumentBytes ? { maxBytes: config.maxDocumentBytes } : {}),
    ...(config.maxChannels ? { maxChannels: config.maxChannels } : {}),
  };
}

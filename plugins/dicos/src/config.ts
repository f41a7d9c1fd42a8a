import type { JsonSchema } from '@customs-hub/sdk';

/** One DICOS unit: files arrive in a hot folder, through the hub's upload route, or both. */
export interface DicosConfig {
  /** Folder the unit drops DICOS files into; processed files go to done/ and rejected/ inside it. */
  watchDir?: string;
  /** How often the folder is scanned (ms). A file is taken once its size and mtime held for one interval. */
  pollIntervalMs?: number;
  /** CT slices of one series (one file each) are grouped into one scan once none arrived for this long (ms). */
  seriesQuietMs?: number;
}

/** Scan interval when the config sets none. */
export const DEFAULT_POLL_MS = 1000;
/** Quiet time that closes a CT series when the config sets none. */
export const DEFAULT_SERIES_QUIET_MS = 3000;

/** JSON Schema of one device's config block. */
export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    watchDir: { type: 'string', minLength: 1, description: 'Hot folder the unit writes DICOS files to.' },
    pollIntervalMs: { type: 'integer', minimum: 20, maximum: 600000, default: DEFAULT_POLL_MS },
    seriesQuietMs: {
      type: 'integer',
      minimum: 0,
      maximum: 3600000,
      default: DEFAULT_SERIES_QUIET_MS,
      description: 'A CT series split over files is one scan once no slice arrived for this long.',
    },
  },
};

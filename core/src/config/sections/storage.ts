import { isAbsolute, resolve } from 'node:path';
import type { ConfigSection } from '../../util/config-section.js';

export interface StorageConfig {
  url: string;
  batchMaxRows: number;
  batchMaxDelayMs: number;
  queueLimit: number;
}

/** `storage:` — the database (SQLite file by default, or PostgreSQL) and the writer's batching. `HUB_STORAGE_URL` wins. */
export const storageSection: ConfigSection<StorageConfig> = {
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      url: { type: 'string', pattern: '^(sqlite:|postgres(ql)?://)' },
      batchMaxRows: { type: 'integer', minimum: 1, maximum: 5000 },
      batchMaxDelayMs: { type: 'integer', minimum: 0, maximum: 1000 },
      queueLimit: { type: 'integer', minimum: 1 },
    },
  },
  parse: (raw, { env, dir, dataDir }) => ({
    url: sqliteRelativeTo(dir, env.HUB_STORAGE_URL ?? raw?.url ?? `sqlite:${resolve(dataDir, 'hub.db')}`),
    batchMaxRows: raw?.batchMaxRows ?? 500,
    batchMaxDelayMs: raw?.batchMaxDelayMs ?? 2,
    queueLimit: raw?.queueLimit ?? 20000,
  }),
};

/** A relative sqlite path is relative to the config file, like every other path in it. */
function sqliteRelativeTo(base: string, url: string): string {
  if (!url.startsWith('sqlite:')) return url;
  const path = url.slice('sqlite:'.length);
  return path === ':memory:' || isAbsolute(path) ? url : `sqlite:${resolve(base, path)}`;
}

import { isAbsolute, resolve } from 'node:path';
import type { RateLimit } from '../auth/rate-limiter.js';
import type { ConfigSection } from '../util/config-section.js';

/** The checkpoint YAML `api:` section, with defaults. */
export interface ApiConfig {
  /** PEM files, absolute (a relative path in the file is relative to the file). */
  tls: { cert: string; key: string } | null;
  rateLimit: RateLimit;
  /** Failed authentications allowed per client address before it gets 429 (a token bucket). */
  failedAuthLimit: RateLimit;
  maxPayloadBytes: number;
  maxUploadBytes: number;
  /** A request body that sends nothing for this long before its end is answered 408. */
  bodyIdleTimeoutMs: number;
  feed: { maxLimit: number; keepAliveMs: number };
}

const schema = {
  type: 'object',
  additionalProperties: false,
  description: 'API and feed settings; see docs/central-interface.md.',
  properties: {
    tls: {
      type: 'object',
      additionalProperties: false,
      required: ['cert', 'key'],
      properties: { cert: { type: 'string', minLength: 1 }, key: { type: 'string', minLength: 1 } },
    },
    rateLimit: {
      type: 'object',
      additionalProperties: false,
      properties: { perSecond: { type: 'number', exclusiveMinimum: 0 }, burst: { type: 'integer', minimum: 1 } },
    },
    failedAuthLimit: {
      type: 'object',
      additionalProperties: false,
      properties: { perSecond: { type: 'number', exclusiveMinimum: 0 }, burst: { type: 'integer', minimum: 1 } },
    },
    maxPayloadBytes: { type: 'integer', minimum: 1024 },
    maxUploadBytes: { type: 'integer', minimum: 1024 },
    bodyIdleTimeoutMs: { type: 'integer', minimum: 100 },
    feed: {
      type: 'object',
      additionalProperties: false,
      properties: { maxLimit: { type: 'integer', minimum: 1, maximum: 100000 }, keepAliveMs: { type: 'integer', minimum: 100 } },
    },
  },
} as const;

/** `api:` — TLS, rate limits, body limits and timeouts, and the feed's paging. */
export const apiSection: ConfigSection<ApiConfig> = {
  schema,
  parse: (raw, { dir }) => ({
    tls: raw?.tls ? { cert: inDir(dir, raw.tls.cert), key: inDir(dir, raw.tls.key) } : null,
    rateLimit: { perSecond: raw?.rateLimit?.perSecond ?? 50, burst: raw?.rateLimit?.burst ?? 200 },
    failedAuthLimit: { perSecond: raw?.failedAuthLimit?.perSecond ?? 1, burst: raw?.failedAuthLimit?.burst ?? 20 },
    maxPayloadBytes: raw?.maxPayloadBytes ?? 1024 * 1024,
    maxUploadBytes: raw?.maxUploadBytes ?? 4 * 1024 ** 3,
    bodyIdleTimeoutMs: raw?.bodyIdleTimeoutMs ?? 10_000,
    feed: { maxLimit: raw?.feed?.maxLimit ?? 5000, keepAliveMs: raw?.feed?.keepAliveMs ?? 15000 },
  }),
};

function inDir(dir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dir, path);
}

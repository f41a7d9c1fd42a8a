import type { HubConfig } from '../config/types.js';
import type { RateLimit } from '../auth/rate-limiter.js';

/** The checkpoint YAML `api:` section, with defaults. */
export interface ApiConfig {
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

export const apiConfigSchema = {
  type: 'object', additionalProperties: false,
  description: 'API and feed settings; see docs/central-interface.md.',
  properties: {
    tls: {
      type: 'object', additionalProperties: false, required: ['cert', 'key'],
      properties: { cert: { type: 'string', minLength: 1 }, key: { type: 'string', minLength: 1 } },
    },
    rateLimit: {
      type: 'object', additionalProperties: false,
      properties: { perSecond: { type: 'number', exclusiveMinimum: 0 }, burst: { type: 'integer', minimum: 1 } },
    },
    failedAuthLimit: {
      type: 'object', additionalProperties: false,
      properties: { perSecond: { type: 'number', exclusiveMinimum: 0 }, burst: { type: 'integer', minimum: 1 } },
    },
    maxPayloadBytes: { type: 'integer', minimum: 1024 },
    maxUploadBytes: { type: 'integer', minimum: 1024 },
    bodyIdleTimeoutMs: { type: 'integer', minimum: 100 },
    feed: {
      type: 'object', additionalProperties: false,
      properties: { maxLimit: { type: 'integer', minimum: 1, maximum: 100000 }, keepAliveMs: { type: 'integer', minimum: 100 } },
    },
  },
} as const;

export function apiConfig(config: HubConfig): ApiConfig {
  const a = config.api as Partial<Record<string, any>>;
  return {
    tls: a.tls ?? null,
    rateLimit: { perSecond: a.rateLimit?.perSecond ?? 50, burst: a.rateLimit?.burst ?? 200 },
    failedAuthLimit: { perSecond: a.failedAuthLimit?.perSecond ?? 1, burst: a.failedAuthLimit?.burst ?? 20 },
    maxPayloadBytes: a.maxPayloadBytes ?? 1024 * 1024,
    maxUploadBytes: a.maxUploadBytes ?? 4 * 1024 ** 3,
    bodyIdleTimeoutMs: a.bodyIdleTimeoutMs ?? 10_000,
    feed: { maxLimit: a.feed?.maxLimit ?? 5000, keepAliveMs: a.feed?.keepAliveMs ?? 15000 },
  };
}

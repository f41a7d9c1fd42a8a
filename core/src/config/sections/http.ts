import type { ConfigSection } from '../../util/config-section.js';

export interface HttpConfig {
  host: string;
  port: number;
}

/** `http:` — where the API listens. `HUB_HTTP_HOST` and `HUB_HTTP_PORT` win. TLS and limits are in `api:`. */
export const httpSection: ConfigSection<HttpConfig> = {
  schema: {
    type: 'object',
    additionalProperties: true,
    properties: { host: { type: 'string' }, port: { type: 'integer', minimum: 0, maximum: 65535 } },
  },
  parse: (raw, { env }) => ({
    host: env.HUB_HTTP_HOST ?? raw?.host ?? '127.0.0.1',
    port: Number(env.HUB_HTTP_PORT ?? raw?.port ?? 8080),
  }),
};

import type { ConfigSection } from '../../util/config-section.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface LoggingConfig {
  level: string;
}

/** `logging:` — the log level; `HUB_LOG_LEVEL` wins. */
export const loggingSection: ConfigSection<LoggingConfig> = {
  schema: { type: 'object', additionalProperties: false, properties: { level: { enum: LOG_LEVELS } } },
  parse: (raw, { env }) => ({ level: env.HUB_LOG_LEVEL ?? raw?.level ?? 'info' }),
};

import type { ConfigSection } from '../../util/config-section.js';

/** How device workers are watched and restarted (docs/architecture.md, "Processes and threads"). */
export interface SupervisorConfig {
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  restartInitialDelayMs: number;
  restartMaxDelayMs: number;
  offlineAfterFailures: number;
  probeIntervalMs: number;
  memoryLimitMb: number;
}

const DEFAULTS: SupervisorConfig = {
  heartbeatIntervalMs: 1000,
  heartbeatTimeoutMs: 5000,
  startTimeoutMs: 15000,
  stopTimeoutMs: 5000,
  restartInitialDelayMs: 500,
  restartMaxDelayMs: 60000,
  offlineAfterFailures: 3,
  probeIntervalMs: 10000,
  memoryLimitMb: 256,
};

/** `supervisor:` — worker heartbeats, timeouts, restart backoff, heap limit. */
export const supervisorSection: ConfigSection<SupervisorConfig> = {
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      heartbeatIntervalMs: { type: 'integer', minimum: 50 },
      heartbeatTimeoutMs: { type: 'integer', minimum: 100 },
      startTimeoutMs: { type: 'integer', minimum: 100 },
      stopTimeoutMs: { type: 'integer', minimum: 100 },
      restartInitialDelayMs: { type: 'integer', minimum: 10 },
      restartMaxDelayMs: { type: 'integer', minimum: 10 },
      offlineAfterFailures: { type: 'integer', minimum: 1 },
      probeIntervalMs: { type: 'integer', minimum: 100 },
      memoryLimitMb: { type: 'integer', minimum: 16 },
    },
  },
  parse: (raw) => ({ ...DEFAULTS, ...raw }),
};

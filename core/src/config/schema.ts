import { scoringConfigSchema } from '../scoring/config-schema.js';
import { apiConfigSchema } from '../api/api-config.js';
import { outboxConfigSchema } from '../outbox/outbox-config.js';
import { retentionConfigSchema } from '../retention/retention-config.js';

/** JSON Schema of a checkpoint config file (YAML). Device `config` blocks are checked against each plugin's own schema. */
const name = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' };

const device = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'plugin'],
  properties: {
    id: name,
    plugin: { type: 'string', minLength: 1 },
    name: { type: 'string' },
    isolation: { enum: ['worker', 'in-process'], description: 'worker (default): its own worker thread; in-process: for debugging.' },
    group: { ...name, description: 'Devices with the same group share one worker thread.' },
    adminState: { enum: ['enabled', 'maintenance', 'disabled'] },
    config: { type: 'object' },
  },
};

export const checkpointConfigSchema = {
  $id: 'https://customs-hub.dev/schemas/checkpoint-config.v1.json',
  type: 'object',
  additionalProperties: false,
  required: ['checkpoint'],
  properties: {
    checkpoint: {
      type: 'object', additionalProperties: false, required: ['id'],
      properties: { id: name, name: { type: 'string' }, timezone: { type: 'string' } },
    },
    dataDir: { type: 'string', minLength: 1 },
    storage: {
      type: 'object', additionalProperties: false,
      properties: {
        url: { type: 'string', pattern: '^(sqlite:|postgres(ql)?://)' },
        batchMaxRows: { type: 'integer', minimum: 1, maximum: 5000 },
        batchMaxDelayMs: { type: 'integer', minimum: 0, maximum: 1000 },
        queueLimit: { type: 'integer', minimum: 1 },
      },
    },
    http: {
      type: 'object', additionalProperties: true,
      properties: { host: { type: 'string' }, port: { type: 'integer', minimum: 0, maximum: 65535 } },
    },
    logging: {
      type: 'object', additionalProperties: false,
      properties: { level: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] } },
    },
    supervisor: {
      type: 'object', additionalProperties: false,
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
    plugins: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['package'], properties: { package: { type: 'string', minLength: 1 } } },
    },
    simulators: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['plugin', 'simulator'],
        properties: { plugin: { type: 'string' }, simulator: { type: 'string' }, options: { type: 'object' } },
      },
    },
    lanes: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['id', 'devices'],
        properties: {
          id: name,
          name: { type: 'string' },
          type: { enum: ['cargo', 'vehicle', 'passenger', 'rail', 'other'] },
          devices: { type: 'array', items: device },
        },
      },
    },
    devices: { type: 'array', items: device, description: 'Devices not bound to a lane (handheld instruments).' },
    scoring: scoringConfigSchema,
    demoTraffic: {
      type: 'object', additionalProperties: false, required: ['lanes'],
      description: 'Demo only: synthetic trucks with declarations pass these lanes (devices ocr-, rpm-, scale-, xray-<lane>).',
      properties: { lanes: { type: 'array', minItems: 1, items: name }, intervalS: { type: 'number', minimum: 5 }, seed: { type: 'integer', minimum: 0 } },
    },
    api: apiConfigSchema,
    outbox: outboxConfigSchema,
    retention: retentionConfigSchema,
  },
} as const;
